/**
 * `npm run bench:terminal`: server time per terminal command.
 *
 * 1. Directly: typical commands run by the scenario engine in process (simulated shell, kubectl,
 *    the API server with real certificate verification), no HTTP, no database.
 * 2. Through the HTTP route with persistence: POST /api/scenarios/<id>/commands on a production
 *    server (SQLite), which loads the instance, runs the command, evaluates the checks and writes
 *    the instance back, next to GET /api/health (a bare route with one trivial query) measured in
 *    the same run.
 * Also prints the stored size of one instance, and what 10,000 of them take.
 * Env: BENCH_ROUNDS (default 200 direct, 60 over HTTP), BENCH_PORT (default 3295).
 */
import crypto from "node:crypto";
import { performance } from "node:perf_hooks";
import { getScenarioDefinition } from "../../lib/scenarios/catalog";
import { createInstance } from "../../lib/scenarios/instance";
import { execute } from "../../lib/scenarios/execute";
import { serializeInstance } from "../../lib/scenarios/storage";
import { percentile, signIn, startAppServer } from "./app-server";

const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 200);
const HTTP_ROUNDS = Math.max(20, Math.round(ROUNDS / 3));
const PORT = Number(process.env.BENCH_PORT ?? 3295);
const SCENARIO = "unauthorized-or-forbidden";

const COMMANDS = [
  "pwd",
  "cat ~/.kube/config | wc -l",
  "kubectl --context admin@kubeprep get pods -n payments",
  "kubectl --context admin@kubeprep auth whoami",
  "kubectl get pods -n payments",
  "kubectl auth can-i list pods -n payments",
];

function row(name: string, samples: number[]): string {
  const sorted = [...samples].sort((a, b) => a - b);
  return `${name.padEnd(58)} ${percentile(sorted, 50).toFixed(2).padStart(8)} ${percentile(sorted, 95).toFixed(2).padStart(8)}`;
}

const scenario = getScenarioDefinition(SCENARIO);
if (!scenario) throw new Error(`scenario ${SCENARIO} not found`);

console.log(`\nDirect (in process, ${ROUNDS} rounds each, ms)`);
console.log(`${"command".padEnd(58)} ${"p50".padStart(8)} ${"p95".padStart(8)}`);
const instance = await createInstance(scenario);
for (const command of COMMANDS) {
  const samples: number[] = [];
  for (let round = 0; round < ROUNDS; round++) {
    const started = performance.now();
    await execute(instance, command, { recordHistory: false });
    samples.push(performance.now() - started);
  }
  console.log(row(command, samples));
}
instance.transcript = "";
const stored = serializeInstance(instance);
console.log(
  `\nStored instance (${SCENARIO}, after the commands): ${(stored.length / 1024).toFixed(1)} KiB; 10,000 instances ≈ ${((stored.length * 10_000) / 1024 / 1024).toFixed(0)} MiB`,
);

console.log(`\nThrough HTTP with persistence (production server, SQLite, ${HTTP_ROUNDS} rounds each, ms)`);
const email = "bench-admin@kubeprep.test";
const password = `bench-${crypto.randomBytes(8).toString("hex")}`;
const server = await startAppServer(PORT, { ADMIN_EMAIL: email, ADMIN_PASSWORD: password, TERMINAL_RATE_LIMIT: "1000000" });
try {
  const cookie = await signIn(server.base, email, password);
  const session = await fetch(`${server.base}/api/scenarios/${SCENARIO}/session`, { headers: { Cookie: cookie } });
  if (!session.ok) throw new Error(`session: ${session.status} ${await session.text()}`);
  console.log(`${"command".padEnd(58)} ${"p50".padStart(8)} ${"p95".padStart(8)}`);
  const health: number[] = [];
  for (let round = 0; round < HTTP_ROUNDS; round++) {
    const started = performance.now();
    await (await fetch(`${server.base}/api/health`)).text();
    health.push(performance.now() - started);
  }
  console.log(row("GET /api/health (bare route, one query)", health));
  for (const command of COMMANDS) {
    const samples: number[] = [];
    for (let round = 0; round < HTTP_ROUNDS; round++) {
      const started = performance.now();
      const response = await fetch(`${server.base}/api/scenarios/${SCENARIO}/commands`, {
        method: "POST",
        headers: { Cookie: cookie, "Content-Type": "application/json" },
        body: JSON.stringify({ input: command, requestId: crypto.randomUUID() }),
      });
      await response.text();
      if (!response.ok) throw new Error(`${command}: HTTP ${response.status}`);
      samples.push(performance.now() - started);
    }
    console.log(row(`POST …/commands  ${command}`, samples));
  }
} finally {
  server.stop();
}
process.exit(0);
