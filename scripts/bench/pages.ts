/**
 * `npm run bench:pages`: the JavaScript each page type ships, as a browser downloads it.
 *
 * Starts a production server (the existing build; `npm run build` first) on a throwaway SQLite
 * data folder, opens one page of each type in Chromium (the home page and the lesson pages as an
 * anonymous visitor, the rest signed in as the administrator), waits until the network is idle so
 * lazily loaded chunks count too, and sums the script responses: raw bytes and gzip (level 9) of
 * each body. Exits 1 when a lesson page is over its budget.
 * Env: BENCH_PORT (default 3297).
 */
import fs from "node:fs";
import zlib from "node:zlib";
import { chromium, type BrowserContext } from "@playwright/test";
import { listScenarios } from "../../lib/scenarios/catalog";
import { signIn, startAppServer } from "./app-server";

const PORT = Number(process.env.BENCH_PORT ?? 3297);
/** The most gzipped JavaScript a lesson page may ship (issue 17). */
const LESSON_BUDGET_KB = 150;
const ADMIN = { email: "bench-pages@kubeprep.test", password: "bench pages admin password" };

const scenario = listScenarios()[0];
if (!scenario) throw new Error("no scenario in content/scenarios");
const PAGES: { type: string; path: string; signedIn: boolean; budgetKb?: number }[] = [
  { type: "home", path: "/", signedIn: false },
  { type: "learn index", path: "/learn", signedIn: false },
  { type: "lesson", path: "/learn/authentication/x509-client-certificates", signedIn: false, budgetKb: LESSON_BUDGET_KB },
  { type: "lesson (signed in)", path: "/learn/authentication/x509-client-certificates", signedIn: true, budgetKb: LESSON_BUDGET_KB },
  { type: "scenario", path: `/scenarios/${scenario.id}`, signedIn: true },
  { type: "progress", path: "/progress", signedIn: true },
  { type: "instructor overview", path: "/instructor", signedIn: true },
];

const server = await startAppServer(PORT, { ADMIN_EMAIL: ADMIN.email, ADMIN_PASSWORD: ADMIN.password });
const executablePath = ["/usr/bin/chromium", "/usr/bin/chromium-browser"].find((file) => fs.existsSync(file));
const browser = await chromium.launch({ executablePath, args: ["--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage"] });
let overBudget = false;
try {
  const cookie = await signIn(server.base, ADMIN.email, ADMIN.password);
  const contexts = new Map<boolean, BrowserContext>([
    [false, await browser.newContext()],
    [true, await browser.newContext({ extraHTTPHeaders: { Cookie: cookie } })],
  ]);
  const kb = (bytes: number) => (bytes / 1024).toFixed(1).padStart(8);
  console.log(`\nJavaScript per page type (production build, ${server.base})`);
  console.log(`${"page type".padEnd(22)} ${"scripts".padStart(7)} ${"raw KB".padStart(8)} ${"gzip KB".padStart(8)}  path`);
  for (const { type, path, signedIn, budgetKb } of PAGES) {
    const context = contexts.get(signedIn);
    if (!context) continue;
    const page = await context.newPage();
    const bodies: Promise<Buffer | undefined>[] = [];
    page.on("response", (response) => {
      if (response.request().resourceType() === "script") bodies.push(response.body().catch(() => undefined));
    });
    const response = await page.goto(`${server.base}${path}`, { waitUntil: "networkidle" });
    if (!response?.ok()) throw new Error(`${path}: HTTP ${response?.status()}`);
    const scripts = (await Promise.all(bodies)).filter((body): body is Buffer => body !== undefined);
    const raw = scripts.reduce((sum, body) => sum + body.length, 0);
    const gzip = scripts.reduce((sum, body) => sum + zlib.gzipSync(body, { level: 9 }).length, 0);
    const over = budgetKb !== undefined && gzip / 1024 > budgetKb;
    overBudget ||= over;
    const note = budgetKb === undefined ? "" : over ? `  OVER the ${budgetKb} KB budget` : `  (budget ${budgetKb} KB)`;
    console.log(`${type.padEnd(22)} ${String(scripts.length).padStart(7)} ${kb(raw)} ${kb(gzip)}  ${path}${note}`);
    await page.close();
  }
} finally {
  await browser.close();
  server.stop();
}
process.exit(overBudget ? 1 : 0);
