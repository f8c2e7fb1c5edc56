// `npm test`: the whole suite, in the order that fails fastest.
//   format check (Prettier) beside the typecheck → lint beside unused exports and the content
//   check → Vitest (unit + integration on SQLite, and on PostgreSQL when TEST_DATABASE_URL is set)
//   → production build → Playwright in Chromium.
// Ends with one summary line "N passed, N failed" over Vitest and Playwright.
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import net from "node:net";
import { spawn, spawnSync } from "node:child_process";
import { findKubectl } from "./get-kubectl";

const root = process.cwd();
const bin = (name: string) => path.join(root, "node_modules", ".bin", name);
const reports = fs.mkdtempSync(path.join(os.tmpdir(), "kubeprep-test-"));
const only = process.argv.slice(2);
const wanted = (step: string) => only.length === 0 || only.includes(step);

function step(name: string, command: string, args: string[], env: Record<string, string> = {}): void {
  if (!wanted(name)) return;
  const started = Date.now();
  console.log(`\n▶ ${name}: ${[path.basename(command), ...args].join(" ")}`);
  const result = spawnSync(command, args, { stdio: "inherit", env: { ...process.env, ...env } });
  const seconds = ((Date.now() - started) / 1000).toFixed(1);
  if (result.status !== 0) {
    console.error(`✖ ${name} failed after ${seconds}s`);
    summarize();
    process.exit(result.status ?? 1);
  }
  console.log(`✔ ${name} (${seconds}s)`);
}

interface Step {
  name: string;
  command: string;
  args: string[];
}

/**
 * Steps that only read the sources, run side by side (each is mostly one thread); each one's output
 * is printed whole when it ends, in the listed order. The first failure in that order stops the run.
 */
async function together(steps: Step[]): Promise<void> {
  const chosen = steps.filter((s) => wanted(s.name));
  const started = Date.now();
  const runs = chosen.map(
    (s) =>
      new Promise<{ status: number | null; output: string; seconds: string }>((resolve) => {
        const child = spawn(s.command, s.args, { stdio: ["ignore", "pipe", "pipe"], env: process.env });
        const chunks: Buffer[] = [];
        child.stdout.on("data", (chunk: Buffer) => chunks.push(chunk));
        child.stderr.on("data", (chunk: Buffer) => chunks.push(chunk));
        const done = (status: number | null) =>
          resolve({ status, output: Buffer.concat(chunks).toString(), seconds: ((Date.now() - started) / 1000).toFixed(1) });
        child.on("error", (error) => (chunks.push(Buffer.from(`${error.message}\n`)), done(1)));
        child.on("close", done);
      }),
  );
  for (const [index, s] of chosen.entries()) {
    console.log(`\n▶ ${s.name}: ${[path.basename(s.command), ...s.args].join(" ")}`);
    const result = await runs[index];
    if (!result) continue;
    process.stdout.write(result.output);
    if (result.status !== 0) {
      console.error(`✖ ${s.name} failed after ${result.seconds}s`);
      await Promise.all(runs);
      summarize();
      process.exit(result.status ?? 1);
    }
    console.log(`✔ ${s.name} (${result.seconds}s, beside ${chosen.length - 1} other step${chosen.length === 2 ? "" : "s"})`);
  }
}

function count(file: string, read: (json: unknown) => { passed: number; failed: number; skipped: number }) {
  try {
    return read(JSON.parse(fs.readFileSync(file, "utf8")));
  } catch {
    return { passed: 0, failed: 0, skipped: 0 };
  }
}

function summarize(): void {
  const vitest = count(path.join(reports, "vitest.json"), (json) => {
    const j = json as { numPassedTests: number; numFailedTests: number; numPendingTests: number; numTodoTests: number };
    return { passed: j.numPassedTests, failed: j.numFailedTests, skipped: j.numPendingTests + j.numTodoTests };
  });
  const playwright = count(path.join(reports, "playwright.json"), (json) => {
    const s = (json as { stats: { expected: number; unexpected: number; flaky: number; skipped: number } }).stats;
    return { passed: s.expected + s.flaky, failed: s.unexpected, skipped: s.skipped };
  });
  console.log(`\nVitest: ${vitest.passed} passed, ${vitest.failed} failed, ${vitest.skipped} skipped`);
  console.log(`Playwright: ${playwright.passed} passed, ${playwright.failed} failed, ${playwright.skipped} skipped`);
  const passed = vitest.passed + playwright.passed;
  const failed = vitest.failed + playwright.failed;
  const skipped = vitest.skipped + playwright.skipped;
  console.log(`${passed} passed, ${failed} failed, ${skipped} skipped`);
}

/**
 * Suites that need something outside the repository skip themselves without it; say which, and
 * how to enable each, before Vitest runs (CI enables them all: .ci/run).
 */
async function environmentSuites(): Promise<void> {
  const redis = await new Promise<boolean>((resolve) => {
    const socket = net.connect({ host: "127.0.0.1", port: 6379 });
    socket.setTimeout(1_000, () => (socket.destroy(), resolve(false)));
    socket.once("connect", () => (socket.destroy(), resolve(true)));
    socket.once("error", () => resolve(false));
  });
  const suites: [name: string, enabled: boolean, howTo: string][] = [
    [
      "PostgreSQL (migrations, every database test again, shared rate limits)",
      Boolean(process.env.TEST_DATABASE_URL),
      "set TEST_DATABASE_URL=postgresql://user@host:5432/db",
    ],
    ["Redis (shared rate limits)", redis, "start redis-server on 127.0.0.1:6379"],
    ["real kubectl 1.32 against the practice API", findKubectl() !== undefined, "run `npx tsx scripts/get-kubectl.ts` or set KUBECTL_132"],
    ["OpenSSL CLI interoperability", spawnSync("openssl", ["version"], { stdio: "ignore" }).status === 0, "install openssl"],
  ];
  console.log("\nEnvironment-dependent suites:");
  for (const [name, enabled, howTo] of suites) console.log(enabled ? `  ✔ ${name}` : `  ✖ SKIPPED ${name}: to run it, ${howTo}`);
}

const node = process.execPath;
const tsx = path.join(root, "node_modules", "tsx", "dist", "cli.mjs");
// The static checks, two at a time (two cores: tsc and ESLint are each one busy thread).
await together([
  { name: "format", command: bin("prettier"), args: ["--check", "--log-level=warn", "."] },
  { name: "typecheck", command: bin("tsc"), args: ["--noEmit", "-p", "."] },
]);
await together([
  { name: "lint", command: bin("eslint"), args: [".", "--max-warnings=0"] },
  // Exports nothing imports (knip.json: entry points are Next's app files, scripts, tests, e2e).
  { name: "exports", command: bin("knip"), args: ["--include", "exports,nsExports,enumMembers,duplicates", "--no-config-hints"] },
  ...(fs.existsSync(path.join(root, "scripts", "content-check.ts"))
    ? [{ name: "content", command: node, args: [tsx, "scripts/content-check.ts"] }]
    : []),
]);
if (wanted("vitest")) await environmentSuites();
step("vitest", bin("vitest"), ["run", "--reporter=default", "--reporter=json", `--outputFile.json=${path.join(reports, "vitest.json")}`]);
step("build", node, [path.join(root, "node_modules", "next", "dist", "bin", "next"), "build"], { NEXT_TELEMETRY_DISABLED: "1" });
step("e2e", bin("playwright"), ["test", "--reporter=list,json"], { PLAYWRIGHT_JSON_OUTPUT_NAME: path.join(reports, "playwright.json") });
summarize();
