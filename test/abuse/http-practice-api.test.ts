/**
 * The practice API under abuse: bodies for instances that do not exist, more requests than the
 * process takes in flight, more buffered body bytes than it holds, HTTP/2 stream and TCP connection
 * limits, one instance flooding its rate. Each refusal is kube-apiserver's own answer, and other
 * users keep being answered meanwhile.
 */
import { execFile } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { connect as tlsConnect, type TLSSocket } from "node:tls";
import { connect as http2Connect, type ClientHttp2Session } from "node:http2";
import { afterEach, describe, expect, it } from "vitest";
import type { ClusterState } from "@/lib/k8s";
import { FIXTURE_INSTANCE_ID, MemoryInstanceStore, buildKubeconfig, startPracticeApiServer, type InstanceStore } from "@/lib/practice-api";
import type { InstanceServing } from "@/lib/practice-api/instance-store";
import { findKubectl } from "@/scripts/get-kubectl";
import {
  callHttp1,
  callHttp2,
  credentialOf,
  requestOnSession,
  startFixtureServer,
  type CallResult,
  type FixtureServer,
} from "../helpers/practice-api";

const MiB = 1024 * 1024;
const TOO_MANY = "Too many requests, please try again later.\n";
const servers: FixtureServer[] = [];

afterEach(async () => {
  for (const fx of servers.splice(0)) await fx.server.close();
});

async function start(extra: Parameters<typeof startFixtureServer>[0] = {}): Promise<FixtureServer> {
  const fx = await startFixtureServer(extra);
  servers.push(fx);
  return fx;
}

function token(fx: FixtureServer): string {
  const credential = credentialOf(fx.fixture, "static-token");
  return credential.kind === "token" ? credential.token : "";
}

/** Bob lists pods in dev: the innocent user's request. */
function innocentGet(fx: FixtureServer, instanceUrl = fx.url): Promise<CallResult> {
  return callHttp2(`${instanceUrl}/api/v1/namespaces/dev/pods`, {
    credential: credentialOf(fx.fixture, "static-token"),
    caCertPem: fx.serving.caCertPem,
  });
}

function http1Socket(fx: FixtureServer): Promise<TLSSocket> {
  return new Promise((resolve, reject) => {
    const socket = tlsConnect({
      host: "127.0.0.1",
      port: fx.server.port,
      ca: fx.serving.caCertPem,
      ALPNProtocols: ["http/1.1"],
      servername: "localhost",
    });
    socket.once("secureConnect", () => resolve(socket));
    socket.once("error", reject);
  });
}

/** Reads one HTTP/1.1 response head from a raw socket. */
function responseHead(socket: TLSSocket, ms: number): Promise<{ status: number; head: string; body: string }> {
  return new Promise((resolve, reject) => {
    let text = "";
    const timer = setTimeout(() => reject(new Error(`no response within ${ms} ms`)), ms);
    socket.on("data", (chunk: Buffer) => {
      text += chunk.toString("latin1");
      const end = text.indexOf("\r\n\r\n");
      if (end < 0) return;
      clearTimeout(timer);
      resolve({ status: Number(/^HTTP\/1\.1 (\d{3})/.exec(text)?.[1] ?? 0), head: text.slice(0, end), body: text.slice(end + 4) });
    });
    socket.on("error", () => undefined);
  });
}

function expectApiserver429(result: CallResult): void {
  expect(result.status).toBe(429);
  expect(result.headers["retry-after"]).toBe("1");
  expect(result.headers["content-type"]).toBe("text/plain; charset=utf-8");
  expect(result.body).toBe(TOO_MANY);
}

describe("bodies for instances that do not exist", () => {
  it("HTTP/1.1: 404 as soon as the headers are in, without waiting for (or buffering) the body", async () => {
    const fx = await start({ bodyTimeoutMs: 10_000 });
    const socket = await http1Socket(fx);
    const rss = process.memoryUsage.rss();
    socket.write(
      `POST /i/no-such-instance/api/v1/namespaces/default/configmaps HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\nAuthorization: Bearer ${token(fx)}\r\nContent-Length: ${2 * MiB}\r\n\r\n{`,
    );
    const started = performance.now();
    const [answer, normal] = await Promise.all([responseHead(socket, 3000), innocentGet(fx)]);
    expect(answer.status).toBe(404);
    expect(JSON.parse(answer.body.slice(answer.body.indexOf("{")))).toMatchObject({ kind: "Status", reason: "NotFound", code: 404 });
    expect(answer.head).toMatch(/\r\nconnection: close/i);
    expect(performance.now() - started).toBeLessThan(1000);
    expect(normal.status).toBe(200);
    socket.destroy();
    expect(process.memoryUsage.rss() - rss).toBeLessThan(16 * MiB);
  });

  it("HTTP/2: a 64 MiB streamed body for an unknown instance gets 404 at once, and the session keeps serving", async () => {
    const fx = await start();
    const session = http2Connect(fx.server.origin, { ca: fx.serving.caCertPem });
    session.on("error", () => undefined);
    try {
      const started = performance.now();
      let sent = 0;
      const stream = session.request({
        ":method": "POST",
        ":path": "/i/ghost/api/v1/namespaces/default/configmaps",
        "content-type": "application/json",
      });
      // The server resets the stream (NO_ERROR) after its answer: the upload stops there.
      const closed = new Promise<number>((resolve) => {
        stream.on("aborted", () => resolve(sent));
        stream.on("close", () => resolve(sent));
      });
      const status = await new Promise<number>((resolve) => {
        stream.on("response", (headers) => resolve(Number(headers[":status"])));
        stream.on("error", () => resolve(-1));
        const chunk = Buffer.alloc(256 * 1024, 0x20);
        const pump = (): void => {
          while (sent < 64 * MiB && !stream.destroyed) {
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
      expect(status).toBe(404);
      expect(performance.now() - started).toBeLessThan(2000);
      expect(await closed).toBeLessThan(32 * MiB);
      expect(stream.rstCode).toBe(0);
      const again = await requestOnSession(session, "/i/fixture/api/v1/namespaces/dev/pods", {
        credential: credentialOf(fx.fixture, "static-token"),
        caCertPem: fx.serving.caCertPem,
      });
      expect(again.status).toBe(200);
    } finally {
      session.destroy();
    }
  });
});

/** A store whose loads take `delayMs`: requests stay in flight long enough to pile up. */
class SlowStore implements InstanceStore {
  constructor(
    private readonly inner: MemoryInstanceStore,
    private readonly delayMs: number,
  ) {}
  exists(id: string): Promise<boolean> {
    return this.inner.exists(id);
  }
  async load(id: string): Promise<ClusterState | undefined> {
    await new Promise((resolve) => setTimeout(resolve, this.delayMs));
    return this.inner.load(id);
  }
  save(id: string, state: ClusterState): Promise<void> {
    return this.inner.save(id, state);
  }
  withLock<T>(id: string, fn: () => Promise<T>): Promise<T> {
    return this.inner.withLock(id, fn);
  }
  servingIdentity(id: string): Promise<InstanceServing | undefined> {
    return this.inner.servingIdentity(id);
  }
}

describe("requests in flight", () => {
  it("beyond the read-only in-flight limit: the apiserver's 429 with Retry-After, the rest succeed, a mutating request still goes through", async () => {
    const base = await start();
    const server = await startPracticeApiServer({
      store: new SlowStore(base.store, 50),
      serving: base.serving,
      onError: () => undefined,
      limits: { maxRequestsInflight: 4, maxMutatingRequestsInflight: 4 },
    });
    const fx: FixtureServer = { ...base, server, url: server.instanceUrl(FIXTURE_INSTANCE_ID) };
    servers.push(fx);
    const sessions: ClientHttp2Session[] = Array.from({ length: 4 }, () =>
      http2Connect(fx.server.origin, { ca: fx.serving.caCertPem }).setMaxListeners(50),
    );
    try {
      const bob = { credential: credentialOf(fx.fixture, "static-token"), caCertPem: fx.serving.caCertPem };
      const flood = Promise.all(
        Array.from({ length: 40 }, (_unused, index) =>
          requestOnSession(sessions[index % sessions.length] as ClientHttp2Session, "/i/fixture/api/v1/namespaces/dev/pods", bob),
        ),
      );
      await new Promise((resolve) => setTimeout(resolve, 20));
      const admin = credentialOf(fx.fixture, "admin");
      const write = callHttp1(`${fx.url}/api/v1/namespaces/default/configmaps`, {
        method: "POST",
        credential: admin,
        caCertPem: fx.serving.caCertPem,
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ apiVersion: "v1", kind: "ConfigMap", metadata: { name: "innocent" } }),
      });
      const [results, written] = await Promise.all([flood, write]);
      const refused = results.filter((result) => result.status === 429);
      const served = results.filter((result) => result.status === 200);
      expect(refused.length).toBeGreaterThan(0);
      expect(served.length).toBeGreaterThanOrEqual(4);
      expect(refused.length + served.length).toBe(40);
      for (const result of refused) expectApiserver429(result);
      expect(written.status).toBe(201);
      expect((await innocentGet(fx)).status).toBe(200);
    } finally {
      for (const session of sessions) session.destroy();
    }
  });

  it("beyond the buffered-bytes budget: 429, the held bodies time out, and the budget comes back", async () => {
    const fx = await start({ bodyTimeoutMs: 1500, limits: { maxBufferedBodyBytes: 4 * MiB } });
    const sockets = await Promise.all(Array.from({ length: 4 }, () => http1Socket(fx)));
    try {
      const heads = sockets.map((socket) => responseHead(socket, 5000).catch(() => ({ status: -1, head: "", body: "" })));
      // Four 2.5 MiB bodies, each within the 3 MiB request limit, sent but never finished.
      for (const socket of sockets) {
        socket.write(
          `POST /i/fixture/api/v1/namespaces/default/configmaps HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\nContent-Length: ${3 * MiB}\r\n\r\n`,
        );
        socket.write(Buffer.alloc(2.5 * MiB, 0x20));
      }
      const [statuses, normal] = await Promise.all([Promise.all(heads), innocentGet(fx)]);
      const codes = statuses.map((head) => head.status).sort();
      // Budget 4 MiB: one body fits, the next ones hit the budget (429) until it times out (408).
      expect(codes).toContain(429);
      expect(codes.filter((code) => code !== 429).every((code) => code === 408 || code === -1)).toBe(true);
      expect(normal.status).toBe(200);
      const post = await callHttp1(`${fx.url}/api/v1/namespaces/default/configmaps`, {
        method: "POST",
        credential: credentialOf(fx.fixture, "admin"),
        caCertPem: fx.serving.caCertPem,
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ apiVersion: "v1", kind: "ConfigMap", metadata: { name: "after-budget" } }),
      });
      expect(post.status).toBe(201);
    } finally {
      for (const socket of sockets) socket.destroy();
    }
  });
});

describe("connections and streams", () => {
  it("advertises 100 concurrent HTTP/2 streams; 100 stalled streams on one session do not stop another session", async () => {
    const fx = await start({ bodyTimeoutMs: 3000 });
    const session = http2Connect(fx.server.origin, { ca: fx.serving.caCertPem });
    session.on("error", () => undefined);
    try {
      await new Promise((resolve) => session.once("remoteSettings", resolve));
      expect(session.remoteSettings.maxConcurrentStreams).toBe(100);
      const stalled = Array.from({ length: 100 }, () => {
        const stream = session.request({
          ":method": "POST",
          ":path": "/i/fixture/api/v1/namespaces/default/configmaps",
          "content-type": "application/json",
          authorization: `Bearer ${token(fx)}`,
        });
        stream.on("error", () => undefined);
        stream.write("{");
        return stream;
      });
      await new Promise((resolve) => setTimeout(resolve, 200));
      // The 101st stream on that session is not served while the others hold their slots.
      const extra = session.request({ ":path": "/i/fixture/healthz" });
      const extraOutcome = new Promise<string>((resolve) => {
        extra.on("response", (headers) => resolve(`status ${String(headers[":status"])}`));
        extra.on("error", (error: Error) => resolve(`error ${error.message}`));
        setTimeout(() => resolve("waiting"), 500);
      });
      extra.end();
      const [outcome, normal] = await Promise.all([extraOutcome, innocentGet(fx)]);
      expect(outcome).not.toBe("status 200");
      expect(normal.status).toBe(200);
      for (const stream of stalled) stream.close();
    } finally {
      session.destroy();
    }
  });

  it("closes connections beyond maxConnections at once; open ones keep working, and a slot frees when one closes", async () => {
    const fx = await start({ maxConnections: 4 });
    const held = await Promise.all(Array.from({ length: 4 }, () => http1Socket(fx)));
    try {
      const refused = await new Promise<string>((resolve) => {
        const socket = tlsConnect({ host: "127.0.0.1", port: fx.server.port, ca: fx.serving.caCertPem, servername: "localhost" });
        socket.once("secureConnect", () => resolve("connected"));
        socket.once("error", (error: NodeJS.ErrnoException) => resolve(`error ${error.code ?? error.message}`));
        socket.once("close", () => resolve("closed"));
      });
      expect(refused).not.toBe("connected");
      const first = held[0] as TLSSocket;
      const answer = responseHead(first, 3000);
      first.write(`GET /i/fixture/api/v1/namespaces/dev/pods HTTP/1.1\r\nHost: localhost\r\nAuthorization: Bearer ${token(fx)}\r\n\r\n`);
      expect((await answer).status).toBe(200);
      first.destroy();
      await new Promise((resolve) => setTimeout(resolve, 100));
      expect((await innocentGet(fx)).status).toBe(200);
    } finally {
      for (const socket of held) socket.destroy();
    }
  });
});

describe("one instance's request rate", () => {
  it("past its burst an instance gets the apiserver's 429; another instance is served; the bucket refills", async () => {
    const fx = await start({ limits: { instanceRequestsPerSecond: 10, instanceBurst: 20 } });
    await fx.store.save("other", fx.fixture.state);
    const session = http2Connect(fx.server.origin, { ca: fx.serving.caCertPem }).setMaxListeners(50);
    session.on("error", () => undefined);
    try {
      const bob = { credential: credentialOf(fx.fixture, "static-token"), caCertPem: fx.serving.caCertPem };
      const results = await Promise.all(
        Array.from({ length: 40 }, () => requestOnSession(session, "/i/fixture/api/v1/namespaces/dev/pods", bob)),
      );
      const refused = results.filter((result) => result.status === 429);
      expect(results.filter((result) => result.status === 200).length).toBeGreaterThanOrEqual(20);
      expect(refused.length).toBeGreaterThanOrEqual(15);
      for (const result of refused) expectApiserver429(result);
      expect((await innocentGet(fx, fx.server.instanceUrl("other"))).status).toBe(200);
      await new Promise((resolve) => setTimeout(resolve, 1100));
      expect((await requestOnSession(session, "/i/fixture/api/v1/namespaces/dev/pods", bob)).status).toBe(200);
    } finally {
      session.destroy();
    }
  });
});

const kubectl = findKubectl();

describe.skipIf(kubectl === undefined)("real kubectl 1.32 against the rate limit", () => {
  it("honours the 429's Retry-After: a rate-limited `kubectl get pods` retries and succeeds", async () => {
    const statuses: number[] = [];
    const fx = await start({
      limits: { instanceRequestsPerSecond: 3, instanceBurst: 3 },
      onRequest: (event) => statuses.push(event.status),
    });
    const work = mkdtempSync(join(tmpdir(), "kubeprep-ratelimit-"));
    try {
      const identity = fx.fixture.identities.find((candidate) => candidate.name === "valid-cert");
      if (identity === undefined) throw new Error("fixture changed");
      const kubeconfig = join(work, "config");
      writeFileSync(
        kubeconfig,
        buildKubeconfig({ server: fx.url, caCertPem: fx.serving.caCertPem, userName: identity.name, user: identity.credential }),
        { mode: 0o600 },
      );
      const result = await new Promise<{ code: number; stdout: string; stderr: string }>((resolve) => {
        const child = execFile(
          kubectl ?? "kubectl",
          ["--kubeconfig", kubeconfig, "get", "pods"],
          { env: { ...process.env, HOME: work, KUBECONFIG: kubeconfig }, timeout: 60_000, encoding: "utf8" },
          (error, stdout, stderr) => {
            resolve({ code: error === null ? 0 : typeof error.code === "number" ? error.code : -1, stdout, stderr });
          },
        );
        child.stdin?.end();
      });
      expect(statuses).toContain(429);
      expect(result.code, result.stderr).toBe(0);
      expect(result.stdout).toMatch(/^NAME\s+READY\s+STATUS\s+RESTARTS\s+AGE\nweb-1\s/);
    } finally {
      rmSync(work, { recursive: true, force: true });
    }
  }, 90_000);
});
