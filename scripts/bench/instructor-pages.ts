/**
 * `npm run bench:instructor-pages`: how fast each instructor page answers and becomes usable.
 *
 * Starts a production server (the existing build; `npm run build` first) on a throwaway SQLite
 * data folder, seeds a cohort of N synthetic students (scripts/seed-demo.ts), signs in as its
 * instructor and, for every instructor page, measures (median of BENCH_RUNS after one warm-up):
 *   - server: the time to the full HTML answer (fetch, cached figures as a page view gets them,
 *     and `?fresh=1` for the overview and item analysis, which recompute);
 *   - browser (Chromium): time to first byte, DOMContentLoaded and the load event (every script
 *     run, so the page's links, forms and sort headers work) from the navigation timing.
 * Prints the figures (and those of /learn, a page without database work, as the machine's noise
 * floor) and exits 1 when an instructor page's load event comes after BENCH_BUDGET_MS (500 ms,
 * issue 17's "interactive within 500 ms").
 * Env: BENCH_PORT (default 3298), BENCH_STUDENTS (default 200), BENCH_RUNS (default 5), BENCH_BUDGET_MS.
 */
import { execFileSync } from "node:child_process";
import fs from "node:fs";
import { chromium } from "@playwright/test";
import { percentile, signIn, startAppServer } from "./app-server";

const PORT = Number(process.env.BENCH_PORT ?? 3298);
const STUDENTS = Number(process.env.BENCH_STUDENTS ?? 200);
const RUNS = Number(process.env.BENCH_RUNS ?? 5);
const BUDGET_MS = Number(process.env.BENCH_BUDGET_MS ?? 500);

const median = (values: number[]) =>
  percentile(
    [...values].sort((a, b) => a - b),
    50,
  );

const server = await startAppServer(PORT);
const executablePath = ["/usr/bin/chromium", "/usr/bin/chromium-browser"].find((file) => fs.existsSync(file));
const browser = await chromium.launch({ executablePath, args: ["--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage"] });
let overBudget = false;
try {
  const output = execFileSync(
    process.execPath,
    ["node_modules/tsx/dist/cli.mjs", "--conditions=react-server", "scripts/seed-demo.ts", "--students", String(STUDENTS), "--seed", "17"],
    {
      env: { ...process.env, NODE_ENV: "production", DATA_DIR: server.dataDir, DATABASE_URL: "", REDIS_URL: "" },
      encoding: "utf8",
    },
  );
  const field = (pattern: RegExp) => {
    const value = pattern.exec(output)?.[1];
    if (!value) throw new Error(`seed-demo output changed:\n${output}`);
    return value;
  };
  const cohort = field(/open \/instructor\/cohorts\/(\S+)/);
  const instructor = [field(/email:\s+(\S+)/), field(/password:\s+(\S+)/)] as const;
  // fetch may reuse the health check's keep-alive socket, which the server closed while seeding ran.
  const cookie = await signIn(server.base, ...instructor).catch(() => signIn(server.base, ...instructor));
  const base = `/instructor/cohorts/${cohort}`;
  const overview = await (await fetch(`${server.base}${base}?sort=scenarios&dir=desc`, { headers: { Cookie: cookie } })).text();
  const student = new RegExp(`href="(${base}/students/[^"]+)"`).exec(overview)?.[1];
  if (!student) throw new Error("no student link on the overview");
  const pages: [string, string][] = [
    // The noise floor on this machine: a page that reads no database and ships the same framework.
    ["(reference) /learn", "/learn"],
    ["cohorts", "/instructor"],
    ["overview", base],
    ["overview, fresh", `${base}?fresh=1`],
    ["overview, sorted", `${base}?sort=quizScore&dir=desc`],
    ["item analysis", `${base}/items`],
    ["item analysis, fresh", `${base}/items?fresh=1`],
    ["members", `${base}/members`],
    ["student", student],
  ];

  const context = await browser.newContext({ viewport: { width: 1366, height: 900 }, extraHTTPHeaders: { Cookie: cookie } });
  const page = await context.newPage();
  console.log(`\nInstructor pages, ${STUDENTS} students, production build on SQLite; median of ${RUNS} (ms)`);
  console.log(
    `${"page".padEnd(22)} ${"server".padStart(7)} ${"TTFB".padStart(7)} ${"DCL".padStart(7)} ${"load".padStart(7)} ${"HTML KB".padStart(8)}`,
  );
  for (const [name, path] of pages) {
    const answer: number[] = [];
    const ttfb: number[] = [];
    const dcl: number[] = [];
    const load: number[] = [];
    let bytes = 0;
    for (let run = 0; run <= RUNS; run++) {
      const started = performance.now();
      const response = await fetch(`${server.base}${path}`, { headers: { Cookie: cookie } });
      const html = await response.text();
      if (!response.ok) throw new Error(`${path}: HTTP ${response.status}`);
      const elapsed = performance.now() - started;
      await page.goto(`${server.base}${path}`, { waitUntil: "load" });
      const timing = await page.evaluate(() => {
        const [entry] = performance.getEntriesByType("navigation") as PerformanceNavigationTiming[];
        return entry ? { ttfb: entry.responseStart, dcl: entry.domContentLoadedEventEnd, load: entry.loadEventEnd } : undefined;
      });
      if (run === 0 || !timing) continue; // the first run warms the server's compiled routes and caches
      answer.push(elapsed);
      ttfb.push(timing.ttfb);
      dcl.push(timing.dcl);
      load.push(timing.load);
      bytes = html.length;
    }
    const over = path.startsWith("/instructor") && median(load) > BUDGET_MS;
    overBudget ||= over;
    const ms = (values: number[]) => median(values).toFixed(0).padStart(7);
    console.log(
      `${name.padEnd(22)} ${ms(answer)} ${ms(ttfb)} ${ms(dcl)} ${ms(load)} ${(bytes / 1024).toFixed(0).padStart(8)}${over ? `  OVER ${BUDGET_MS} ms` : ""}`,
    );
  }
} finally {
  await browser.close();
  server.stop();
}
process.exit(overBudget ? 1 : 0);
