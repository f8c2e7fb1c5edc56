/**
 * Request bodies against the real route handlers behind a real HTTP server (test/helpers/http.ts):
 * a huge chunked upload is refused after the route's limit with memory flat, other content types get
 * 415, and other users keep being answered meanwhile.
 */
import { connect } from "node:net";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import type { NextRequest } from "next/server";
import { createTestDatabase, type TestDatabase } from "../helpers/database";
import { readBody } from "@/lib/http/body";
import { chunkedFlood, sampleRss, startRouteServer, type RouteServer } from "../helpers/http";

const MiB = 1024 * 1024;
let server: RouteServer;
let database: TestDatabase;

beforeAll(async () => {
  database = await createTestDatabase("sqlite");
  vi.stubEnv("DATABASE_URL", database.config.url);
  vi.resetModules();
  const answers = await import("@/app/api/quiz/answers/route");
  const health = await import("@/app/api/health/route");
  const auth = await import("@/app/api/auth/[...nextauth]/route");
  const authContext = { params: Promise.resolve({ nextauth: ["callback", "credentials"] }) };
  server = await startRouteServer({
    "POST /api/quiz/answers": (request) => answers.POST(request),
    "GET /api/health": () => health.GET(),
    "POST /api/auth/callback/credentials": (request: NextRequest) => auth.POST(request, authContext),
  });
});

afterAll(async () => {
  await server.close();
  await database.drop();
  vi.unstubAllEnvs();
});

/** Another user's requests: the health check, and a small answer that fails validation (422). */
async function innocent(): Promise<number[]> {
  const health = await fetch(`${server.base}/api/health`);
  const answer = await fetch(`${server.base}/api/quiz/answers`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ questionId: "x" }),
  });
  return [health.status, answer.status];
}

describe("a huge chunked body", () => {
  it("400 MiB anonymous chunked POST to /api/quiz/answers: 413 at once, the connection closed, memory flat, others answered", async () => {
    // Warm up the route, the sockets and the reader, so that only the attack itself is measured.
    await innocent();
    await chunkedFlood(server.port, "/api/quiz/answers", MiB, { "content-type": "application/json" });
    const rss = sampleRss();
    const [flood, others] = await Promise.all([
      chunkedFlood(server.port, "/api/quiz/answers", 400 * MiB, { "content-type": "application/json" }),
      (async () => {
        await new Promise((resolve) => setTimeout(resolve, 20));
        return innocent();
      })(),
    ]);
    const growth = rss.stop();
    console.log(
      `chunked 400 MiB: ${flood.status} after ${flood.answeredMs.toFixed(0)} ms, closed after ${flood.closedMs.toFixed(0)} ms, ${(flood.sentBytes / MiB).toFixed(1)} MiB sent, RSS +${(growth / MiB).toFixed(1)} MiB`,
    );
    expect(flood.status).toBe(413);
    expect(JSON.parse(flood.body)).toEqual({ error: "The request body is too large: this endpoint accepts at most 16384 bytes." });
    expect(flood.answeredMs).toBeLessThan(2000);
    // The server stops taking the upload: far less than 400 MiB went out before the connection ended.
    expect(flood.sentBytes).toBeLessThan(100 * MiB);
    expect(flood.closedMs).toBeLessThan(5000);
    // Client, server and the innocent requests share this process: a few MiB of noise (5-15 MiB seen);
    // buffering the upload, as before, grew it by 1270 MiB. Against \`npm start\` the growth is ~0.1 MiB.
    expect(growth, `RSS grew by ${(growth / MiB).toFixed(1)} MiB`).toBeLessThan(32 * MiB);
    expect(others).toEqual([200, 422]);
    expect(await innocent()).toEqual([200, 422]);
  });

  it("a declared Content-Length of 1 GiB is refused before any of it is read", async () => {
    const started = performance.now();
    const status = await new Promise<number>((resolve, reject) => {
      // Headers only: the body never comes. The answer must not wait for it.
      const socket = connect(server.port, "127.0.0.1");
      socket.on("error", reject);
      socket.write(
        `POST /api/quiz/answers HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\nContent-Length: ${1024 * MiB}\r\n\r\n`,
      );
      socket.once("data", (data: Buffer) => {
        resolve(Number(/^HTTP\/1\.1 (\d{3})/.exec(data.toString("latin1"))?.[1] ?? 0));
        socket.destroy();
      });
    });
    expect(status).toBe(413);
    expect(performance.now() - started).toBeLessThan(1000);
  });

  it("the sign-in endpoint (next-auth reads bodies unbounded itself) refuses a 64 MiB chunked form", async () => {
    const flood = await chunkedFlood(server.port, "/api/auth/callback/credentials", 64 * MiB, {
      "content-type": "application/x-www-form-urlencoded",
    });
    expect(flood.status).toBe(413);
    expect(JSON.parse(flood.body)).toEqual({ error: "The request body is too large: this endpoint accepts at most 16384 bytes." });
    expect(flood.sentBytes).toBeLessThan(32 * MiB);
    expect(await innocent()).toEqual([200, 422]);
  });

  it("readBody pulls no more than the limit (plus one chunk) from an endless stream", async () => {
    let pulled = 0;
    const endless = new ReadableStream<Uint8Array>({
      pull(controller) {
        pulled += 1024;
        controller.enqueue(new Uint8Array(1024));
      },
    });
    const request = new Request("http://x/", { method: "POST", body: endless, duplex: "half" } as RequestInit & { duplex: "half" });
    await expect(readBody(request, 10_000)).rejects.toMatchObject({ status: 413 });
    expect(pulled).toBeLessThanOrEqual(10_000 + 1024 * 3);
  });
});

describe("content types", () => {
  const valid = JSON.stringify({ questionId: "x" });

  it.each([
    ["text/plain", 'Unsupported content type "text/plain": send application/json.'],
    ["application/x-www-form-urlencoded", 'Unsupported content type "application/x-www-form-urlencoded": send application/json.'],
    ["multipart/form-data; boundary=x", 'Unsupported content type "multipart/form-data": send application/json.'],
    ["", "Unsupported content type (none): send application/json."],
  ])("a JSON route answers 415 to %j", async (contentType, message) => {
    const response = await fetch(`${server.base}/api/quiz/answers`, {
      method: "POST",
      headers: contentType === "" ? {} : { "content-type": contentType },
      body: new TextEncoder().encode(valid),
    });
    expect(response.status).toBe(415);
    expect(await response.json()).toEqual({ error: message });
    expect(await innocent()).toEqual([200, 422]);
  });

  it("accepts application/json with parameters and in any case", async () => {
    for (const contentType of ["application/json; charset=utf-8", "Application/JSON"]) {
      const response = await fetch(`${server.base}/api/quiz/answers`, {
        method: "POST",
        headers: { "content-type": contentType },
        body: "{not json",
      });
      expect(response.status, contentType).toBe(400);
    }
  });

  it("the sign-in endpoint takes forms and JSON only", async () => {
    const response = await fetch(`${server.base}/api/auth/callback/credentials`, {
      method: "POST",
      headers: { "content-type": "text/plain" },
      body: "email=a",
    });
    expect(response.status).toBe(415);
  });
});
