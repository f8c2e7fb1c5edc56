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
import { spawn } from "node:child_process";
import { PrismaClient as SqliteClient } from "../../lib/db/generated/sqlite/client";
import { PrismaClient as PostgresClient } from "../../lib/db/generated/postgres/client";
import { createDb } from "../../lib/db/create";
import { createUser } from "../../lib/accounts/users";
import { getQuestion } from "../../lib/content/load";

const REQUESTS = Number(process.env.BENCH_REQUESTS ?? 400);
const LEVELS = (process.env.BENCH_CONCURRENCY ?? "1,8,32").split(",").map(Number);
const PORT = Number(process.env.BENCH_PORT ?? 3290);
const BASE = `http://127.0.0.1:${PORT}`;
const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "kubeprep-bench-"));

const server = spawn(process.execPath, ["node_modules/tsx/dist/cli.mjs", "scripts/start.ts"], {
  env: { ...process.env, NODE_ENV: "production", PORT: String(PORT), HOST: "127.0.0.1", DATA_DIR: dataDir, DATABASE_URL: "", REDIS_URL: "", NEXTAUTH_URL: BASE },
  stdio: ["ignore", "pipe", "inherit"],
});
server.stdout?.on("data", () => undefined);

async function waitForServer(): Promise<void> {
  for (let i = 0; i < 600; i++) {
    try {
      if ((await fetch(`${BASE}/api/health`)).ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
  throw new Error("the server did not start within 5 minutes");
}

function cookiesFrom(response: Response, jar: Map<string, string>): void {
  for (const line of response.headers.getSetCookie()) {
    const [pair = ""] = line.split(";");
    const index = pair.indexOf("=");
    if (index > 0) jar.set(pair.slice(0, index), pair.slice(index + 1));
  }
}

const cookieHeader = (jar: Map<string, string>) => [...jar].map(([k, v]) => `${k}=${v}`).join("; ");

async function signIn(email: string, password: string): Promise<string> {
  const jar = new Map<string, string>();
  const csrf = await fetch(`${BASE}/api/auth/csrf`);
  cookiesFrom(csrf, jar);
  const { csrfToken } = (await csrf.json()) as { csrfToken: string };
  const response = await fetch(`${BASE}/api/auth/callback/credentials`, {
    method: "POST",
    redirect: "manual",
    headers: { "Content-Type": "application/x-www-form-urlencoded", Cookie: cookieHeader(jar) },
    body: new URLSearchParams({ csrfToken, email, password, json: "true" }),
  });
  cookiesFrom(response, jar);
  const session = (await (await fetch(`${BASE}/api/auth/session`, { headers: { Cookie: cookieHeader(jar) } })).json()) as { user?: { email?: string } };
  if (session.user?.email !== email) throw new Error("sign-in failed");
  return cookieHeader(jar);
}

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
  return { name, concurrency, requests: latencies.length, seconds: (performance.now() - started) / 1000, latencies: latencies.sort((a, b) => a - b), errors };
}

const quantile = (sorted: number[], q: number) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? Number.NaN;

function printTable(rows: Row[]): void {
  const header = ["endpoint", "clients", "requests", "req/s", "p50 ms", "p95 ms", "errors"];
  const lines = rows.map((r) => [r.name, String(r.concurrency), String(r.requests), (r.requests / r.seconds).toFixed(0), quantile(r.latencies, 0.5).toFixed(1), quantile(r.latencies, 0.95).toFixed(1), String(r.errors)]);
  const widths = header.map((h, i) => Math.max(h.length, ...lines.map((l) => (l[i] ?? "").length)));
  const format = (cells: string[]) => cells.map((cell, i) => (i === 0 ? cell.padEnd(widths[i] ?? 0) : cell.padStart(widths[i] ?? 0))).join("  ");
  console.log(format(header));
  console.log(widths.map((w) => "-".repeat(w)).join("  "));
  for (const line of lines) console.log(format(line));
}

try {
  console.log(`Starting the production server on ${BASE} (data in ${dataDir}) ...`);
  await waitForServer();
  const file = path.join(dataDir, "kubeprep.db");
  const database = createDb({ provider: "sqlite", url: `file:${file}`, file }, { SqliteClient, PostgresClient });
  const student = { email: `bench-${crypto.randomBytes(4).toString("hex")}@example.com`, name: "Bench Student", password: "a long enough bench password" };
  await createUser(database, student);
  const cookie = await signIn(student.email, student.password);

  const question = getQuestion("x509-username-source");
  if (question?.type !== "single") throw new Error("benchmark question missing");
  const answer = (headers: Record<string, string>) => () =>
    fetch(`${BASE}/api/quiz/answers`, {
      method: "POST",
      headers: { "Content-Type": "application/json", ...headers },
      body: JSON.stringify({
        questionId: question.id,
        submissionId: crypto.randomUUID(),
        response: { optionIds: [question.answer] },
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
  server.kill("SIGTERM");
  setTimeout(() => fs.rmSync(dataDir, { recursive: true, force: true }), 1000).unref();
}
