// An exam task's instance behind the practice API server: a real HTTPS client reaches it with the
// task's kubeconfig (its own cluster CA and TLS server name) while the exam is open, what it does
// joins the instance, and once the exam is closed the instance answers no more.
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import YAML from "yaml";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { createTestDatabase, type TestDatabase } from "../helpers/database";
import { startPracticeApiServer, type PracticeApiServer } from "@/lib/practice-api";
import { DatabaseInstanceStore } from "@/lib/scenarios/practice-store";
import { parseInstance } from "@/lib/scenarios/storage";
import { callHttp1, callHttp2 } from "../helpers/practice-api";

let database: TestDatabase;
let server: PracticeApiServer;
let service: typeof import("@/lib/exams/service");
let userId: string;

beforeAll(async () => {
  database = await createTestDatabase("sqlite");
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "kubeprep-exam-practice-"));
  vi.stubEnv("DATABASE_URL", database.config.url);
  vi.stubEnv("DATA_DIR", dataDir);
  vi.stubEnv("TERMINAL_RATE_LIMIT", "1000");
  const { getEnv } = await import("@/lib/env");
  const { ensurePracticeIdentity } = await import("@/lib/practice/identity");
  const identity = await ensurePracticeIdentity(getEnv());
  server = await startPracticeApiServer({ store: new DatabaseInstanceStore(database.db), serving: identity, port: 0 });
  vi.stubEnv("PRACTICE_API_PORT", String(server.port));
  getEnv().practiceApi.port = server.port;
  service = await import("@/lib/exams/service");
  userId = (await database.db.user.create({ data: { email: "ana@example.com", name: "Ana" } })).id;
});

afterAll(async () => {
  await server.close();
  vi.unstubAllEnvs();
  await database.drop();
});

describe("practice API server on exam task instances", () => {
  it("serves an open exam's task with its own CA and server name, records requests, and stops at the close", async () => {
    const view = await service.startAttempt(userId, "authentication-quick-check");
    if (view.status !== "open") throw new Error("expected an open attempt");
    const task = view.paper.sections.flatMap((section) => section.items).find((item) => item.kind === "task");
    if (!task) throw new Error("no task");
    await service.openTask(userId, view.attemptId, task.key);
    const config = YAML.parse(await service.taskKubeconfig(userId, view.attemptId, task.key)) as {
      clusters: { cluster: { server: string; "certificate-authority-data": string; "tls-server-name"?: string } }[];
    };
    const cluster = config.clusters[0]?.cluster;
    const url = cluster?.server ?? "";
    const servername = cluster?.["tls-server-name"] ?? "";
    const ca = Buffer.from(cluster?.["certificate-authority-data"] ?? "", "base64").toString("utf8");
    expect(url).toBe(`https://127.0.0.1:${server.port}`);
    expect(servername).toMatch(/^[0-9a-f]{32}\.instances\.kubeprep\.internal$/);
    expect(await callHttp1(`${url}/healthz`, { caCertPem: ca, servername })).toMatchObject({ status: 200, body: "ok" });

    const denied = await callHttp2(`${url}/api/v1/namespaces/default/pods`, {
      caCertPem: ca,
      servername,
      credential: { kind: "token", token: "not-a-token" },
    });
    expect(denied.status).toBe(401);
    const run = await database.db.examTaskRun.findFirstOrThrow({ where: { attemptId: view.attemptId, itemKey: task.key } });
    expect(parseInstance(run.state).requests.at(-1)).toMatchObject({
      url: "/api/v1/namespaces/default/pods",
      status: 401,
      via: "practice-api",
    });
    expect(await new DatabaseInstanceStore(database.db).exists(run.id)).toBe(true);

    await service.submitAttempt(userId, view.attemptId);
    expect(await new DatabaseInstanceStore(database.db).exists(run.id)).toBe(false);
    const after = await callHttp1(`${url}/healthz`, { caCertPem: ca, servername }).catch((error: unknown) => error);
    // The closed exam's instance is gone for the listener: no certificate of its CA, or a 404.
    expect(after instanceof Error || (after as { status: number }).status === 404).toBe(true);
  });
});
