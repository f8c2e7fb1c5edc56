/**
 * `npm run bench:exam`: mock exams under load, through the HTTP routes of a production server.
 *
 * Starts a production server (the existing build; `npm run build` first) on a throwaway SQLite
 * data folder, creates BENCH_LEARNERS learner accounts in its database (one argon2id hash shared,
 * so setting up is not the benchmark) and signs each in over HTTP. Each learner is a browser with a
 * connection of its own (a keep-alive agent), opened by loading a page before the exam opens, as a
 * cohort waiting on the exam page would be (BENCH_COLD=1: every learner connects at the moment the
 * exam opens instead). Then every learner at once takes the quick check: start, read the paper, save an answer to each question, flag one, save
 * the notepad, finish, read the report. Meanwhile a few loops call the bare GET /api/health, so
 * the ratio of the two is measured on the same loaded machine. Prints p50/p95 per route, errors,
 * and the exam routes' p95 against 3× the health route's p95 (issue 14's goal). No pass/fail.
 * Env: BENCH_PORT (default 3312), BENCH_LEARNERS (default 1000).
 */
import crypto from "node:crypto";
import http from "node:http";
import path from "node:path";
import { PrismaClient as SqliteClient } from "../../lib/db/generated/sqlite/client";
import { PrismaClient as PostgresClient } from "../../lib/db/generated/postgres/client";
import { createDb } from "../../lib/db/create";
import { hashPassword } from "../../lib/auth/password";
import type { OpenAttemptView } from "../../lib/exams/api-types";
import { percentile, signIn, startAppServer } from "./app-server";

const PORT = Number(process.env.BENCH_PORT ?? 3312);
const LEARNERS = Number(process.env.BENCH_LEARNERS ?? 1000);
const EXAM = "authentication-quick-check";
const PASSWORD = `bench-${crypto.randomBytes(8).toString("hex")}`;
const COLD = process.env.BENCH_COLD === "1";

const timings = new Map<string, number[]>();
const errors = new Map<string, number>();
const samples: string[] = [];

/** Appends in place: copying the array per request was quadratic, on the cores the server shares. */
function record(route: string, ms: number): void {
  const list = timings.get(route);
  if (list) list.push(ms);
  else timings.set(route, [ms]);
}

interface Reply {
  status: number;
  text: string;
}

/** One HTTP request on the learner's own connection (a browser's), the body read to the end. */
function send(agent: http.Agent, url: string, init: { method?: string; headers?: Record<string, string>; body?: string }): Promise<Reply> {
  return new Promise((resolve, reject) => {
    const request = http.request(url, { agent, method: init.method ?? "GET", headers: init.headers }, (response) => {
      const chunks: Buffer[] = [];
      response.on("data", (chunk: Buffer) => chunks.push(chunk));
      response.on("end", () => resolve({ status: response.statusCode ?? 0, text: Buffer.concat(chunks).toString("utf8") }));
      response.on("error", reject);
    });
    request.on("error", reject);
    request.end(init.body);
  });
}

function failed(route: string, detail: string): void {
  errors.set(route, (errors.get(route) ?? 0) + 1);
  if (samples.length < 5) samples.push(`${route}: ${detail}`);
}

async function timed(route: string, agent: http.Agent, url: string, init: Parameters<typeof send>[2]): Promise<Reply | undefined> {
  const started = performance.now();
  try {
    const reply = await send(agent, url, init);
    record(route, performance.now() - started);
    if (reply.status >= 400) failed(route, `HTTP ${reply.status} ${reply.text.slice(0, 200)}`);
    return reply;
  } catch (error) {
    failed(route, String(error));
    return undefined;
  }
}

async function takeExam(base: string, learner: Learner): Promise<void> {
  const { agent, cookie } = learner;
  const headers = { Cookie: cookie, "Content-Type": "application/json" };
  const started = await timed("POST /api/exams/[examId]/attempts", agent, `${base}/api/exams/${EXAM}/attempts`, {
    method: "POST",
    headers: { Cookie: cookie },
  });
  if (started?.status !== 200) return;
  const view = JSON.parse(started.text) as OpenAttemptView;
  const attempt = `${base}/api/exam-attempts/${view.attemptId}`;
  await timed("GET /api/exam-attempts/[id]", agent, attempt, { headers });
  const questions = view.paper.sections.flatMap((section) => section.items.flatMap((item) => (item.kind === "question" ? [item] : [])));
  for (const item of questions) {
    const option = item.question.options?.[0];
    const response = option ? { optionIds: [option.id] } : { text: "kubectl auth whoami" };
    await timed("PUT /api/exam-attempts/[id]/answers", agent, `${attempt}/answers`, {
      method: "PUT",
      headers,
      body: JSON.stringify({ itemKey: item.key, response, submissionId: crypto.randomUUID(), timeSpentSeconds: 20 }),
    });
  }
  const [flagged] = questions;
  if (flagged)
    await timed("PUT /api/exam-attempts/[id]/flags", agent, `${attempt}/flags`, {
      method: "PUT",
      headers,
      body: JSON.stringify({ itemKey: flagged.key, flagged: true }),
    });
  await timed("PUT /api/exam-attempts/[id]/notepad", agent, `${attempt}/notepad`, {
    method: "PUT",
    headers,
    body: JSON.stringify({ text: "check the CA; come back to question 3" }),
  });
  await timed("POST /api/exam-attempts/[id]/close", agent, `${attempt}/close`, { method: "POST", headers: { Cookie: cookie } });
  await timed("GET /api/exam-attempts/[id]/report", agent, `${attempt}/report`, { headers });
}

interface Learner {
  cookie: string;
  /** The learner's browser: one keep-alive connection (browsers open up to 6 per host; one is enough here). */
  agent: http.Agent;
}

async function inBatches<T>(items: T[], width: number, work: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  await Promise.all(
    Array.from({ length: width }, async () => {
      while (next < items.length) await work(items[next++] as T);
    }),
  );
}

const server = await startAppServer(PORT, { TRUST_PROXY: "1" });
try {
  // The learners, straight into the server's database (sign-up's argon2id per account is not the subject).
  const file = path.join(server.dataDir, "kubeprep.db");
  const database = createDb({ provider: "sqlite", url: `file:${file}`, file }, { SqliteClient, PostgresClient });
  const passwordHash = await hashPassword(PASSWORD);
  const emails = Array.from({ length: LEARNERS }, (_, index) => `exam-bench-${index}@kubeprep.test`);
  await database.user.createMany({ data: emails.map((email, index) => ({ email, name: `Learner ${index}`, passwordHash })) });
  await database.$disconnect();

  const started = performance.now();
  const learners: Learner[] = [];
  await inBatches(emails, 4, async (email) => {
    const index = learners.length;
    const forwarded = `10.${(index >> 16) & 255}.${(index >> 8) & 255}.${index & 255}`;
    const cookie = await signIn(server.base, email, PASSWORD, { "X-Forwarded-For": forwarded });
    learners.push({ cookie, agent: new http.Agent({ keepAlive: true, maxSockets: 1 }) });
  });
  console.log(`${LEARNERS} learners signed in in ${((performance.now() - started) / 1000).toFixed(1)} s`);
  if (!COLD) {
    // The cohort on the exam page before it opens: each browser has loaded a page (its session here).
    const opened = performance.now();
    await inBatches(learners, 50, async ({ agent, cookie }) => {
      const reply = await send(agent, `${server.base}/api/auth/session`, { headers: { Cookie: cookie } });
      if (reply.status !== 200) throw new Error(`session: HTTP ${reply.status}`);
    });
    console.log(`each learner's browser connected in ${((performance.now() - opened) / 1000).toFixed(1)} s`);
  }
  console.log(`taking the exam, all at once${COLD ? ", every learner connecting now (BENCH_COLD=1)" : ""}…`);

  let running = true;
  const health = Array.from({ length: 4 }, async () => {
    const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
    while (running) {
      await timed("GET /api/health", agent, `${server.base}/api/health`, {});
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
  });
  const examStarted = performance.now();
  await Promise.all(learners.map((learner) => takeExam(server.base, learner)));
  const seconds = (performance.now() - examStarted) / 1000;
  running = false;
  await Promise.all(health);

  const p = (route: string, q: number) =>
    percentile(
      [...(timings.get(route) ?? [])].sort((a, b) => a - b),
      q,
    );
  console.log(
    `\nMock exam (quick check, no task opened) by ${LEARNERS} learners at once (${COLD ? "connecting as it opens" : "connected before it opens"}): ${seconds.toFixed(1)} s; production build, SQLite`,
  );
  console.log(`${"route".padEnd(40)} ${"count".padStart(6)} ${"p50 ms".padStart(8)} ${"p95 ms".padStart(8)} ${"errors".padStart(7)}`);
  for (const route of [...timings.keys()].sort()) {
    console.log(
      `${route.padEnd(40)} ${String(timings.get(route)?.length ?? 0).padStart(6)} ${p(route, 50).toFixed(0).padStart(8)} ${p(route, 95)
        .toFixed(0)
        .padStart(8)} ${String(errors.get(route) ?? 0).padStart(7)}`,
    );
  }
  const healthP95 = p("GET /api/health", 95);
  const examRoutes = [...timings.keys()].filter((route) => route !== "GET /api/health");
  const worst = Math.max(...examRoutes.map((route) => p(route, 95)));
  console.log(
    `\nslowest exam route p95 ${worst.toFixed(0)} ms vs health p95 ${healthP95.toFixed(0)} ms: ${(worst / healthP95).toFixed(1)}× (goal: under 3×)`,
  );
  if (samples.length > 0) console.log(`first errors:\n  ${samples.join("\n  ")}`);
} finally {
  server.stop();
}
