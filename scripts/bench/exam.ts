/**
 * `npm run bench:exam`: mock exams under load, through the HTTP routes of a production server.
 *
 * Starts a production server (the existing build; `npm run build` first) on a throwaway SQLite
 * data folder, creates BENCH_LEARNERS learner accounts in its database (one argon2id hash shared,
 * so setting up is not the benchmark) and signs each in over HTTP. Then every learner at once
 * takes the quick check: start, read the paper, save an answer to each question, flag one, save
 * the notepad, finish, read the report. Meanwhile a few loops call the bare GET /api/health, so
 * the ratio of the two is measured on the same loaded machine. Prints p50/p95 per route, errors,
 * and the exam routes' p95 against 3× the health route's p95 (issue 14's goal). No pass/fail.
 * Env: BENCH_PORT (default 3312), BENCH_LEARNERS (default 1000).
 */
import crypto from "node:crypto";
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

const timings = new Map<string, number[]>();
const errors = new Map<string, number>();
const samples: string[] = [];

/** Appends in place: copying the array per request was quadratic, on the cores the server shares. */
function record(route: string, ms: number): void {
  const list = timings.get(route);
  if (list) list.push(ms);
  else timings.set(route, [ms]);
}

async function timed(route: string, url: string, init: RequestInit): Promise<Response | undefined> {
  const started = performance.now();
  try {
    const response = await fetch(url, init);
    await response.arrayBuffer().then(
      (body) => body,
      () => undefined,
    );
    const elapsed = performance.now() - started;
    record(route, elapsed);
    if (!response.ok) {
      errors.set(route, (errors.get(route) ?? 0) + 1);
      if (samples.length < 5) samples.push(`${route}: HTTP ${response.status}`);
    }
    return response;
  } catch (error) {
    errors.set(route, (errors.get(route) ?? 0) + 1);
    if (samples.length < 5) samples.push(`${route}: ${String(error)}`);
    return undefined;
  }
}

async function json<T>(route: string, url: string, init: RequestInit): Promise<T | undefined> {
  const started = performance.now();
  try {
    const response = await fetch(url, init);
    const body = (await response.json()) as T;
    record(route, performance.now() - started);
    if (!response.ok) {
      errors.set(route, (errors.get(route) ?? 0) + 1);
      if (samples.length < 5) samples.push(`${route}: HTTP ${response.status} ${JSON.stringify(body).slice(0, 200)}`);
      return undefined;
    }
    return body;
  } catch (error) {
    errors.set(route, (errors.get(route) ?? 0) + 1);
    if (samples.length < 5) samples.push(`${route}: ${String(error)}`);
    return undefined;
  }
}

async function takeExam(base: string, cookie: string): Promise<void> {
  const headers = { Cookie: cookie, "Content-Type": "application/json" };
  const view = await json<OpenAttemptView>("POST /api/exams/[examId]/attempts", `${base}/api/exams/${EXAM}/attempts`, {
    method: "POST",
    headers,
  });
  if (!view) return;
  const attempt = `${base}/api/exam-attempts/${view.attemptId}`;
  await timed("GET /api/exam-attempts/[id]", attempt, { headers });
  const questions = view.paper.sections.flatMap((section) => section.items.flatMap((item) => (item.kind === "question" ? [item] : [])));
  for (const item of questions) {
    const option = item.question.options?.[0];
    const response = option ? { optionIds: [option.id] } : { text: "kubectl auth whoami" };
    await timed("PUT /api/exam-attempts/[id]/answers", `${attempt}/answers`, {
      method: "PUT",
      headers,
      body: JSON.stringify({ itemKey: item.key, response, submissionId: crypto.randomUUID(), timeSpentSeconds: 20 }),
    });
  }
  const [flagged] = questions;
  if (flagged)
    await timed("PUT /api/exam-attempts/[id]/flags", `${attempt}/flags`, {
      method: "PUT",
      headers,
      body: JSON.stringify({ itemKey: flagged.key, flagged: true }),
    });
  await timed("PUT /api/exam-attempts/[id]/notepad", `${attempt}/notepad`, {
    method: "PUT",
    headers,
    body: JSON.stringify({ text: "check the CA; come back to question 3" }),
  });
  await timed("POST /api/exam-attempts/[id]/close", `${attempt}/close`, { method: "POST", headers });
  await timed("GET /api/exam-attempts/[id]/report", `${attempt}/report`, { headers });
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
  const cookies: string[] = [];
  await inBatches(emails, 4, async (email) => {
    const index = cookies.length;
    const forwarded = `10.${(index >> 16) & 255}.${(index >> 8) & 255}.${index & 255}`;
    cookies.push(await signIn(server.base, email, PASSWORD, { "X-Forwarded-For": forwarded }));
  });
  console.log(`${LEARNERS} learners signed in in ${((performance.now() - started) / 1000).toFixed(1)} s; taking the exam, all at once…`);

  let running = true;
  const health = Array.from({ length: 4 }, async () => {
    while (running) {
      await timed("GET /api/health", `${server.base}/api/health`, {});
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
  });
  const examStarted = performance.now();
  await Promise.all(cookies.map((cookie) => takeExam(server.base, cookie)));
  const seconds = (performance.now() - examStarted) / 1000;
  running = false;
  await Promise.all(health);

  const p = (route: string, q: number) =>
    percentile(
      [...(timings.get(route) ?? [])].sort((a, b) => a - b),
      q,
    );
  console.log(
    `\nMock exam (quick check, no task opened) by ${LEARNERS} learners at once: ${seconds.toFixed(1)} s; production build, SQLite`,
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
