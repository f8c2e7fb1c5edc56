// Shared by the HTTP benchmarks: a production server on a throwaway SQLite data folder, and a
// signed-in session cookie.
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { spawn, type ChildProcess } from "node:child_process";

export interface AppServer {
  base: string;
  dataDir: string;
  /**
   * CPU time (user + system, ms) the server's processes have used so far, read from /proc (Linux;
   * undefined elsewhere): on a machine shared with other work, a request's CPU cost is steadier
   * than its wall-clock latency.
   */
  cpuMs(): number | undefined;
  stop(): void;
}

/** User + system CPU time (ms) of every process in process group `group`, from /proc; undefined without it. */
function groupCpuMs(group: number): number | undefined {
  let total = 0;
  let entries: string[];
  try {
    entries = fs.readdirSync("/proc");
  } catch {
    return undefined;
  }
  for (const entry of entries) {
    if (!/^\d+$/.test(entry)) continue;
    let stat: string;
    try {
      stat = fs.readFileSync(`/proc/${entry}/stat`, "utf8");
    } catch {
      continue; // gone meanwhile
    }
    // After the command name (in parentheses, which may hold spaces): state, ppid, pgrp, … utime (14th field), stime (15th).
    const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
    if (Number(fields[2]) !== group) continue;
    total += Number(fields[11]) + Number(fields[12]);
  }
  // Clock ticks: 100 per second on Linux.
  return total * 10;
}

export async function startAppServer(port: number, env: Record<string, string> = {}): Promise<AppServer> {
  const base = `http://127.0.0.1:${port}`;
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "kubeprep-bench-"));
  // BENCH_CPU_PROF=<dir>: the server writes a V8 CPU profile there when it stops (NODE_OPTIONS refuses --cpu-prof).
  const dir = process.env.BENCH_CPU_PROF;
  const args = dir ? ["--cpu-prof", `--cpu-prof-dir=${dir}`, "--import", "tsx"] : ["node_modules/tsx/dist/cli.mjs"];
  const child: ChildProcess = spawn(process.execPath, [...args, "scripts/start.ts"], {
    env: {
      ...process.env,
      NODE_ENV: "production",
      PORT: String(port),
      HOST: "127.0.0.1",
      DATA_DIR: dataDir,
      DATABASE_URL: "",
      REDIS_URL: "",
      NEXTAUTH_URL: base,
      PRACTICE_API_PORT: "0",
      ...env,
    },
    stdio: ["ignore", "ignore", "inherit"],
    detached: true,
  });
  const stop = () => {
    try {
      if (child.pid) process.kill(-child.pid, "SIGTERM");
    } catch {
      // already gone
    }
  };
  for (let attempt = 0; attempt < 600; attempt++) {
    try {
      if ((await fetch(`${base}/api/health`)).ok)
        return { base, dataDir, stop, cpuMs: () => (child.pid ? groupCpuMs(child.pid) : undefined) };
    } catch {
      // not listening yet
    }
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
  stop();
  throw new Error("the server did not start within 5 minutes");
}

function remember(response: Response, jar: Map<string, string>): void {
  for (const line of response.headers.getSetCookie()) {
    const [pair = ""] = line.split(";");
    const index = pair.indexOf("=");
    if (index > 0) jar.set(pair.slice(0, index), pair.slice(index + 1));
  }
}

/** Signs in through next-auth's credentials endpoint; returns the Cookie header. */
export async function signIn(base: string, email: string, password: string, extraHeaders: Record<string, string> = {}): Promise<string> {
  const jar = new Map<string, string>();
  const header = () => [...jar].map(([name, value]) => `${name}=${value}`).join("; ");
  const csrf = await fetch(`${base}/api/auth/csrf`, { headers: extraHeaders });
  remember(csrf, jar);
  const { csrfToken } = (await csrf.json()) as { csrfToken: string };
  const response = await fetch(`${base}/api/auth/callback/credentials`, {
    method: "POST",
    redirect: "manual",
    headers: { ...extraHeaders, "Content-Type": "application/x-www-form-urlencoded", Cookie: header() },
    body: new URLSearchParams({ csrfToken, email, password, json: "true" }),
  });
  remember(response, jar);
  const session = (await (await fetch(`${base}/api/auth/session`, { headers: { Cookie: header() } })).json()) as {
    user?: { email?: string };
  };
  if (session.user?.email !== email.toLowerCase()) throw new Error(`sign-in as ${email} failed`);
  return header();
}

export function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return Number.NaN;
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? Number.NaN;
}
