// `npm start`: prepares the database (migrations, first admin), builds the app when no
// production build exists yet, and serves it on PORT (default 3000).
import fs from "node:fs";
import path from "node:path";
import { execFileSync } from "node:child_process";

const root = process.cwd();
const tsx = path.join(root, "node_modules", "tsx", "dist", "cli.mjs");
Object.assign(process.env, { NODE_ENV: process.env.NODE_ENV ?? "production" });

function run(args: string[]): void {
  execFileSync(process.execPath, args, { stdio: "inherit", env: process.env });
}

try {
  run([tsx, "--conditions=react-server", "scripts/prepare.ts"]);
  if (!fs.existsSync(path.join(root, ".next", "BUILD_ID"))) {
    console.log("No production build yet: building (about a minute, once)…");
    run([path.join(root, "node_modules", "next", "dist", "bin", "next"), "build"]);
  }
} catch {
  process.exit(1);
}

// next-auth reads NEXTAUTH_URL for redirects and callbacks; without it, it would assume
// http://localhost:3000. In the embedded mode it is derived from PORT and HOST (production with
// PostgreSQL requires it: scripts/prepare.ts stops otherwise).
const { getEnv } = await import("../lib/env");
const { publicUrl } = getEnv();
if (publicUrl.derived) {
  process.env.NEXTAUTH_URL = publicUrl.href;
  console.log(
    `Public address ${publicUrl.href} (derived from PORT and HOST; set NEXTAUTH_URL to the address users open, e.g. behind a proxy).`,
  );
}

// scripts/prepare.ts has validated the environment (PORT, HOST, TRUST_PROXY, ...).
const { port, host: hostname } = getEnv();
// Learner work runs on worker threads (lib/isolation): bundle their code from the sources present,
// then start them now, not on the first command.
const { buildWorkerBundle } = await import("./build-worker");
await buildWorkerBundle();
const { learnerPool } = await import("../lib/isolation/pool");
learnerPool();
const { startServer } = await import("./server");
const server = await startServer({ port, hostname });
console.log(`kubeprep is serving on http://localhost:${port}`);
const { startPracticeApi } = await import("./practice-api-with-app");
const practice = await startPracticeApi();

function shutdown(): void {
  void practice?.close();
  server.close(() => process.exit(0));
  setTimeout(() => process.exit(0), 5_000).unref();
}
process.on("SIGTERM", shutdown);
process.on("SIGINT", shutdown);
