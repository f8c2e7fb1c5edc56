/**
 * Answer-submission benchmark: `npm run bench:quiz`.
 *
 * Starts the production server (scripts/start.ts, which builds first if there is no build)
 * on a throwaway SQLite data folder, creates and signs in one student, then for each level
 * of concurrency sends answer submissions from N concurrent clients and reports throughput
 * and p50/p95 latency. Measured in the same run, next to it:
 *   - GET /api/health (a bare route handler with one trivial database query): the floor;
 *   - anonymous submissions (graded, nothing stored): grading and HTTP without the writes.
 * Env: BENCH_REQUESTS (per row, default 400), BENCH_CONCURRENCY (default "1,8,32"), BENCH_PORT.
 */
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import crypto from "node:crypto";
import { PrismaClient as SqliteClient } from "../../lib/db/generated/sqlite/client";
import { PrismaClient as PostgresClient } from "../../lib/db/generated/postgres/client";
import { createDb } from "../../lib/db/create";
import { createUser } from "../../lib/accounts/users";
import { getQuestion } from "../../lib/content/load";
import { toPublicOptionId } from "../../lib/quiz/options";
import { percentile, signIn, startAppServer } from "./app-server";

const REQUESTS = Number(process.env.BENCH_REQUESTS ?? 400);
const LEVELS = (process.env.BENCH_CONCURRENCY ?? "1,8,32").split(",").map(Number);
const PORT = Number(process.env.BENCH_PORT ?? 3290);

interface Row {
  name: string;
  concurrency: number;
  requests: number;
  seconds: number;
  latencies: number[];
  errors: number;
}

async function run(name: string, concurrency: number, send: () => Promise<Response>): Promise<Row> {
  // Warm-up outside the measurement.
  await Promise.all(Array.from({ length: Math.min(concurrency, 8) }, () => send().then((r) => r.arrayBuffer())));
  const latencies: number[] = [];
  let errors = 0;
  let next = 0;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < REQUESTS) {
        next++;
        const t0 = performance.now();
        const response = await send();
        await response.arrayBuffer();
        latencies.push(performance.now() - t0);
        if (!response.ok) errors++;
      }
    }),
  );
  return {
    name,
    concurrency,
    requests: latencies.length,
    seconds: (performance.now() - started) / 1000,
    latencies: latencies.sort((a, b) => a - b),
    errors,
  };
}

function printTable(rows: Row[]): void {
  const header = ["endpoint", "clients", "requests", "req/s", "p50 ms", "p95 ms", "errors"];
  const lines = rows.map((r) => [
    r.name,
    String(r.concurrency),
    String(r.requests),
    (r.requests / r.seconds).toFixed(0),
    percentile(r.latencies, 50).toFixed(1),
    percentile(r.latencies, 95).toFixed(1),
    String(r.errors),
  ]);
  const widths = header.map((h, i) => Math.max(h.length, ...lines.map((l) => (l[i] ?? "").length)));
  const format = (cells: string[]) =>
    cells.map((cell, i) => (i === 0 ? cell.padEnd(widths[i] ?? 0) : cell.padStart(widths[i] ?? 0))).join("  ");
  console.log(format(header));
  console.log(widths.map((w) => "-".repeat(w)).join("  "));
  for (const line of lines) console.log(format(line));
}

console.log(`Starting the production server on port ${PORT} ...`);
const server = await startAppServer(PORT, { ANSWER_RATE_LIMIT: "1000000" });
const BASE = server.base;
try {
  const file = path.join(server.dataDir, "kubeprep.db");
  const database = createDb({ provider: "sqlite", url: `file:${file}`, file }, { SqliteClient, PostgresClient });
  const student = {
    email: `bench-${crypto.randomBytes(4).toString("hex")}@example.com`,
    name: "Bench Student",
    password: "a long enough bench password",
  };
  await createUser(database, student);
  const cookie = await signIn(BASE, student.email, student.password);

  const question = getQuestion("x509-username-source");
  if (question?.type !== "single") throw new Error("benchmark question missing");
  const answer = (headers: Record<string, string>) => () =>
    fetch(`${BASE}/api/quiz/answers`, {
      method: "POST",
      headers: { "Content-Type": "application/json", ...headers },
      body: JSON.stringify({
        questionId: question.id,
        submissionId: crypto.randomUUID(),
        response: { optionIds: [toPublicOptionId(question, question.answer) ?? ""] },
        lesson: { moduleId: "authentication", lessonSlug: "how-kubernetes-authenticates" },
      }),
    });
  const rows: Row[] = [];
  for (const concurrency of LEVELS) {
    rows.push(await run("GET /api/health (baseline)", concurrency, () => fetch(`${BASE}/api/health`)));
    rows.push(await run("POST /api/quiz/answers anonymous", concurrency, answer({})));
    rows.push(await run("POST /api/quiz/answers student", concurrency, answer({ Cookie: cookie })));
  }
  const stored = await database.questionAttempt.count();
  await database.$disconnect();
  console.log(`\n${REQUESTS} requests per row, SQLite (WAL), one server process, ${os.cpus().length} CPUs; ${stored} attempts stored.`);
  console.log("The baseline is GET /api/health from the same run: a bare route handler with one SELECT 1.\n");
  printTable(rows);
} finally {
  server.stop();
  setTimeout(() => fs.rmSync(server.dataDir, { recursive: true, force: true }), 1000).unref();
}
