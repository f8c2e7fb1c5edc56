/**
 * Hostile and broken clients: each is answered with a Status or cut off cleanly, and a normal request
 * running at the same time still succeeds.
 */
import { randomBytes } from "node:crypto";
import { connect as netConnect, type Socket } from "node:net";
import { connect as tlsConnect } from "node:tls";
import { connect as http2Connect } from "node:http2";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { callHttp1, callHttp2, credentialOf, type CallResult, type FixtureServer, startFixtureServer } from "../helpers/practice-api";

let fx: FixtureServer;

beforeAll(async () => {
  fx = await startFixtureServer({ headersTimeoutMs: 1000, bodyTimeoutMs: 1500 });
});

afterAll(async () => {
  await fx.server.close();
});

/** A normal request that must keep working while the server is being abused. */
async function normalRequest(): Promise<CallResult> {
  return callHttp2(`${fx.url}/api/v1/namespaces/dev/pods`, {
    credential: credentialOf(fx.fixture, "static-token"),
    caCertPem: fx.serving.caCertPem,
  });
}

/** Resolves with everything received once the server closes the socket (or rejects after `ms`). */
function untilClosed(socket: Socket | ReturnType<typeof tlsConnect>, ms: number): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    const timer = setTimeout(() => {
      socket.destroy();
      reject(new Error(`socket still open after ${ms} ms`));
    }, ms);
    socket.on("data", (chunk: Buffer) => chunks.push(chunk));
    socket.on("error", () => undefined);
    socket.on("close", () => {
      clearTimeout(timer);
      resolve(Buffer.concat(chunks).toString("latin1"));
    });
  });
}

function adminPost(path: string, contentType: string, body: string | Buffer): Promise<CallResult> {
  return callHttp1(`${fx.url}${path}`, {
    method: "POST",
    credential: credentialOf(fx.fixture, "admin"),
    caCertPem: fx.serving.caCertPem,
    headers: { "content-type": contentType },
    body,
  });
}

describe("broken transport", () => {
  it("garbage instead of a TLS ClientHello is cut off", async () => {
    const socket = netConnect(fx.server.port, "127.0.0.1");
    socket.write(randomBytes(2048));
    const [received, normal] = await Promise.all([untilClosed(socket, 5000), normalRequest()]);
    expect(received.startsWith("HTTP/1.1 200")).toBe(false);
    expect(normal.status).toBe(200);
  });

  it("plain HTTP on the TLS port is cut off", async () => {
    const socket = netConnect(fx.server.port, "127.0.0.1");
    socket.write("GET /i/fixture/healthz HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n");
    const [received, normal] = await Promise.all([untilClosed(socket, 5000), normalRequest()]);
    expect(received).not.toContain("ok");
    expect(normal.status).toBe(200);
  });

  it("garbage after a good TLS handshake gets 400 and a closed connection", async () => {
    const socket = tlsConnect({
      host: "127.0.0.1",
      port: fx.server.port,
      ca: fx.serving.caCertPem,
      ALPNProtocols: ["http/1.1"],
      servername: "localhost",
    });
    await new Promise((resolve) => socket.once("secureConnect", resolve));
    socket.write(Buffer.concat([Buffer.from("\u0000\u0001BLAH\r\n"), randomBytes(512), Buffer.from("\r\n\r\n")]));
    const [received, normal] = await Promise.all([untilClosed(socket, 5000), normalRequest()]);
    expect(received).toMatch(/^HTTP\/1\.1 400 /);
    expect(normal.status).toBe(200);
  });

  it("HTTP/2 preface followed by garbage frames kills only that session", async () => {
    const socket = tlsConnect({
      host: "127.0.0.1",
      port: fx.server.port,
      ca: fx.serving.caCertPem,
      ALPNProtocols: ["h2"],
      servername: "localhost",
    });
    await new Promise((resolve) => socket.once("secureConnect", resolve));
    expect(socket.alpnProtocol).toBe("h2");
    socket.write(Buffer.concat([Buffer.from("PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n"), randomBytes(4096)]));
    const [, normal] = await Promise.all([untilClosed(socket, 5000), normalRequest()]);
    expect(normal.status).toBe(200);
  });
});

describe("broken requests", () => {
  it.each([
    ["application/json", "{{{{ not json"],
    ["application/json", "[1,2,3]"],
    ["application/yaml", "a: [unclosed"],
    ["application/vnd.kubernetes.protobuf", "k8s\u0000\u00ff\u00ff\u00ff\u00ff garbage"],
    ["application/x-what", "hello"],
  ])("%s body %j -> 4xx Status", async (contentType, body) => {
    const result = await adminPost("/api/v1/namespaces/default/configmaps", contentType, body);
    expect(result.status).toBeGreaterThanOrEqual(400);
    expect(result.status).toBeLessThan(500);
    expect((JSON.parse(result.body) as { kind: string }).kind).toBe("Status");
  });

  it("random binary bodies never produce a 5xx", async () => {
    for (let round = 0; round < 20; round++) {
      const result = await adminPost(
        "/api/v1/namespaces/default/configmaps",
        round % 2 === 0 ? "application/json" : "application/vnd.kubernetes.protobuf",
        randomBytes(64 + round * 37),
      );
      expect(result.status, `round ${round}`).toBeLessThan(500);
    }
  });

  it("a body without a declared length is read (chunked HTTP/1.1), and counted against the limit on a GET too", async () => {
    const admin = credentialOf(fx.fixture, "admin");
    if (admin.kind !== "certificate") throw new Error("the fixture admin has no certificate");
    const chunked = async (method: string, path: string, body: Buffer): Promise<string> => {
      const socket = tlsConnect({
        host: "127.0.0.1",
        port: fx.server.port,
        ca: fx.serving.caCertPem,
        cert: admin.certPem,
        key: admin.keyPem,
        ALPNProtocols: ["http/1.1"],
        servername: "localhost",
      });
      await new Promise((resolve) => socket.once("secureConnect", resolve));
      socket.write(
        `${method} ${path} HTTP/1.1\r\nHost: localhost\r\n` +
          `Content-Type: application/json\r\nTransfer-Encoding: chunked\r\nConnection: close\r\n\r\n`,
      );
      for (let at = 0; at < body.length; at += 64 * 1024) {
        const part = body.subarray(at, at + 64 * 1024);
        socket.write(`${part.length.toString(16)}\r\n`);
        socket.write(part);
        socket.write("\r\n");
      }
      socket.write("0\r\n\r\n");
      return untilClosed(socket, 5000);
    };
    const created = await chunked(
      "POST",
      "/i/fixture/api/v1/namespaces/dev/configmaps",
      Buffer.from(JSON.stringify({ apiVersion: "v1", kind: "ConfigMap", metadata: { name: "sent-in-chunks" }, data: { a: "b" } })),
    );
    expect(created).toMatch(/^HTTP\/1\.1 201 /);
    expect(created).toContain('"name":"sent-in-chunks"');
    const tooLarge = await chunked("GET", "/i/fixture/api/v1/namespaces/dev/pods", Buffer.alloc(4 * 1024 * 1024, 0x20));
    expect(tooLarge).toMatch(/^HTTP\/1\.1 413 /);
    expect(tooLarge).toContain("Request entity too large: limit is 3145728");
  });

  it("a 10 MB body gets 413 RequestEntityTooLarge over HTTP/1.1 (declared length)", async () => {
    const [result, normal] = await Promise.all([
      adminPost("/api/v1/namespaces/default/configmaps", "application/json", Buffer.alloc(10 * 1024 * 1024, 0x20)),
      normalRequest(),
    ]);
    expect(result.status).toBe(413);
    expect(JSON.parse(result.body)).toMatchObject({
      kind: "Status",
      reason: "RequestEntityTooLarge",
      message: "Request entity too large: limit is 3145728",
      code: 413,
    });
    expect(normal.status).toBe(200);
  });

  it("a 10 MB streamed HTTP/2 body gets 413 (or a reset stream), and the server keeps serving", async () => {
    const session = http2Connect(fx.server.origin, { ca: fx.serving.caCertPem });
    session.on("error", () => undefined);
    const token = credentialOf(fx.fixture, "static-token");
    const status = await new Promise<number>((resolve) => {
      const stream = session.request({
        ":method": "POST",
        ":path": "/i/fixture/api/v1/namespaces/dev/configmaps",
        "content-type": "application/json",
        authorization: `Bearer ${token.kind === "token" ? token.token : ""}`,
      });
      stream.on("response", (headers) => resolve(Number(headers[":status"])));
      stream.on("error", () => resolve(-1));
      stream.on("close", () => resolve(-1));
      let sent = 0;
      const chunk = Buffer.alloc(256 * 1024, 0x20);
      const pump = (): void => {
        while (sent < 10 * 1024 * 1024) {
          sent += chunk.length;
          if (!stream.write(chunk)) {
            stream.once("drain", pump);
            return;
          }
        }
        stream.end();
      };
      pump();
    });
    session.destroy();
    expect([413, -1]).toContain(status);
    expect((await normalRequest()).status).toBe(200);
  });

  it("100 KB of HTTP/1.1 headers gets 431 and a closed connection", async () => {
    const socket = tlsConnect({
      host: "127.0.0.1",
      port: fx.server.port,
      ca: fx.serving.caCertPem,
      ALPNProtocols: ["http/1.1"],
      servername: "localhost",
    });
    await new Promise((resolve) => socket.once("secureConnect", resolve));
    const big = Array.from({ length: 100 }, (_unused, index) => `X-Filler-${index}: ${"a".repeat(1000)}\r\n`).join("");
    socket.write(`GET /i/fixture/healthz HTTP/1.1\r\nHost: localhost\r\n${big}\r\n`);
    const [received, normal] = await Promise.all([untilClosed(socket, 5000), normalRequest()]);
    expect(received).toMatch(/^HTTP\/1\.1 431 /);
    expect(normal.status).toBe(200);
  });

  it("100 KB of HTTP/2 headers is refused without hurting other sessions", async () => {
    const session = http2Connect(fx.server.origin, { ca: fx.serving.caCertPem, maxSendHeaderBlockLength: 1024 * 1024 });
    session.on("error", () => undefined);
    const headers: Record<string, string> = { ":path": "/i/fixture/healthz" };
    for (let index = 0; index < 100; index++) headers[`x-filler-${index}`] = "a".repeat(1000);
    const outcome = await new Promise<string>((resolve) => {
      try {
        const stream = session.request(headers);
        stream.on("response", (received) => resolve(`status ${String(received[":status"])}`));
        stream.on("error", (error: Error) => resolve(`error ${error.message}`));
        stream.on("close", () => resolve("closed"));
        stream.end();
      } catch (error) {
        resolve(`thrown ${error instanceof Error ? error.message : String(error)}`);
      }
    });
    session.destroy();
    expect(outcome).toBe("status 431");
    expect((await normalRequest()).status).toBe(200);
  });
});

describe("slow clients", () => {
  it("slowloris: headers trickling in are cut off after the headers timeout", async () => {
    const socket = tlsConnect({
      host: "127.0.0.1",
      port: fx.server.port,
      ca: fx.serving.caCertPem,
      ALPNProtocols: ["http/1.1"],
      servername: "localhost",
    });
    await new Promise((resolve) => socket.once("secureConnect", resolve));
    socket.write("GET /i/fixture/healthz HTTP/1.1\r\nHost: localhost\r\n");
    const drip = setInterval(() => {
      if (!socket.destroyed) socket.write(`X-Drip-${Date.now()}: 1\r\n`);
    }, 200);
    const started = Date.now();
    try {
      const [received, normal] = await Promise.all([untilClosed(socket, 8000), normalRequest()]);
      expect(received === "" || /^HTTP\/1\.1 408 /.test(received)).toBe(true);
      expect(Date.now() - started).toBeLessThan(8000);
      expect(normal.status).toBe(200);
    } finally {
      clearInterval(drip);
    }
  });

  it("a body that never arrives gets 408 and the connection is closed", async () => {
    const socket = tlsConnect({
      host: "127.0.0.1",
      port: fx.server.port,
      ca: fx.serving.caCertPem,
      ALPNProtocols: ["http/1.1"],
      servername: "localhost",
    });
    await new Promise((resolve) => socket.once("secureConnect", resolve));
    socket.write(
      "POST /i/fixture/api/v1/namespaces/default/configmaps HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\nContent-Length: 1000\r\n\r\n{",
    );
    const [received, normal] = await Promise.all([untilClosed(socket, 8000), normalRequest()]);
    expect(received === "" || /^HTTP\/1\.1 408 /.test(received)).toBe(true);
    expect(normal.status).toBe(200);
  });

  it("an HTTP/2 stream whose body stalls gets 408", async () => {
    const session = http2Connect(fx.server.origin, { ca: fx.serving.caCertPem });
    session.on("error", () => undefined);
    const status = await new Promise<number>((resolve) => {
      const stream = session.request({
        ":method": "POST",
        ":path": "/i/fixture/api/v1/namespaces/default/configmaps",
        "content-type": "application/json",
      });
      stream.write("{");
      stream.on("response", (headers) => resolve(Number(headers[":status"])));
      stream.on("error", () => resolve(-1));
    });
    session.destroy();
    expect(status).toBe(408);
    expect((await normalRequest()).status).toBe(200);
  });
});
