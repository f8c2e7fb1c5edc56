// Shared helpers for the specs. Specs take `test` and `expect` from "./fixtures" (not from
// "@playwright/test"): that fixture runs axe-core and a console listener on every page a test
// opens, including pages of contexts made with `newClient(browser)`. Types still come from
// "@playwright/test": `import type { Page } from "@playwright/test";`.
import crypto from "node:crypto";
import { execFileSync } from "node:child_process";
import { expect, type Browser, type BrowserContext, type CDPSession, type Page } from "@playwright/test";

export const admin = {
  email: process.env.KUBEPREP_E2E_ADMIN_EMAIL ?? "",
  password: process.env.KUBEPREP_E2E_ADMIN_PASSWORD ?? "",
};

export function uniqueEmail(prefix = "student"): string {
  return `${prefix}-${crypto.randomBytes(5).toString("hex")}@example.com`;
}

/** A browser context that looks like its own client address to the server's rate limits. */
export async function newClient(browser: Browser, options: Parameters<Browser["newContext"]>[0] = {}): Promise<BrowserContext> {
  const ip = `198.51.100.${crypto.randomInt(1, 255)}, 10.${crypto.randomInt(255)}.${crypto.randomInt(255)}.${crypto.randomInt(1, 255)}`;
  return browser.newContext({ ...options, extraHTTPHeaders: { "X-Forwarded-For": ip } });
}

/** Creates an account through the sign-up page and lands on the dashboard. */
export async function signUp(page: Page, user: { email: string; name: string; password: string }): Promise<void> {
  await page.goto("/signup");
  const form = page.getByRole("form", { name: "Create account" });
  await form.getByLabel("Email").fill(user.email);
  await form.getByLabel("Display name").fill(user.name);
  await form.getByLabel("Password").fill(user.password);
  await form.getByRole("button", { name: "Create account" }).click();
  await expect(page).toHaveURL(/\/dashboard$/);
  await expect(page.getByRole("heading", { name: `Welcome, ${user.name}` })).toBeVisible();
}

/** Signs in through next-auth's API (fast path for tests that are not about the form). */
export async function signInViaApi(page: Page, email: string, password: string): Promise<void> {
  const csrf = await page.request.get("/api/auth/csrf");
  const { csrfToken } = (await csrf.json()) as { csrfToken: string };
  const response = await page.request.post("/api/auth/callback/credentials", {
    form: { csrfToken, email, password, json: "true" },
  });
  expect(response.ok()).toBe(true);
  const session = await (await page.request.get("/api/auth/session")).json();
  expect(session.user?.email).toBe(email.toLowerCase());
}

export async function signInWithForm(page: Page, email: string, password: string): Promise<void> {
  await page.goto("/signin");
  const form = page.getByRole("form", { name: "Sign in" });
  await form.getByLabel("Email").fill(email);
  await form.getByLabel("Password").fill(password);
  await form.getByRole("button", { name: "Sign in" }).click();
}

/** Signs out with the header button and waits for the home page, so the next navigation is not aborted. */
export async function signOut(page: Page): Promise<void> {
  await page.getByRole("button", { name: "Sign out" }).click();
  await expect(page).toHaveURL(/\/$/);
  await expect(page.getByRole("link", { name: "Sign in" })).toBeVisible();
}

/**
 * Fails when the page is wider than the viewport (a table or a long word pushing the whole
 * page sideways on a phone). Names the widest elements that stick out, so the failure says where.
 */
export async function expectNoHorizontalOverflow(page: Page): Promise<void> {
  const result = await page.evaluate(() => {
    const width = window.innerWidth;
    const culprits: string[] = [];
    for (const element of Array.from(document.body.querySelectorAll("*"))) {
      const box = element.getBoundingClientRect();
      if (box.right <= width + 0.5 || box.width === 0) continue;
      // Only the outermost offender: skip elements inside a scroll container that contains them.
      let contained = false;
      for (let parent = element.parentElement; parent && parent !== document.body; parent = parent.parentElement) {
        const overflow = getComputedStyle(parent).overflowX;
        if (overflow === "auto" || overflow === "scroll" || overflow === "hidden" || overflow === "clip") {
          contained = true;
          break;
        }
      }
      if (contained) continue;
      const id = element.id ? `#${element.id}` : "";
      const classes =
        typeof element.className === "string" && element.className ? `.${element.className.trim().split(/\s+/).slice(0, 3).join(".")}` : "";
      culprits.push(`${element.tagName.toLowerCase()}${id}${classes} (right edge ${Math.round(box.right)} px)`);
      if (culprits.length >= 5) break;
    }
    return { scrollWidth: document.documentElement.scrollWidth, width, culprits };
  });
  expect(
    result.scrollWidth,
    `page ${page.url()} is ${result.scrollWidth} px wide in a ${result.width} px viewport; sticking out: ${result.culprits.join(", ") || "(none found)"}`,
  ).toBeLessThanOrEqual(result.width);
}

/** The web terminal's visible rows. */
export function screenRows(page: Page) {
  return page.getByRole("group", { name: "Scenario terminal" }).locator(".xterm-rows");
}

/** The visible screen; textContent joins the rows without separators, so a wrapped line reads as one. */
export async function screenText(page: Page): Promise<string> {
  return ((await screenRows(page).textContent()) ?? "").trimEnd();
}

const keySessions = new WeakMap<Page, Promise<CDPSession>>();

/**
 * Types text into the focused element as key presses (keydown, keypress, input, keyup for each
 * character, as `page.keyboard.type` does), but sends them all to Chromium at once instead of
 * waiting for each key's round trip: a long command in the terminal takes a third of the time.
 * The browser still handles each key in order, as from a real keyboard. Printable characters only
 * (press Enter, arrows and the like with `page.keyboard.press`).
 */
export async function typeKeys(page: Page, text: string): Promise<void> {
  if ([...text].some((char) => char < " " || char === "\x7f"))
    throw new Error(`typeKeys takes printable characters only: ${JSON.stringify(text)}`);
  let session = keySessions.get(page);
  if (!session) {
    session = page.context().newCDPSession(page);
    keySessions.set(page, session);
  }
  const cdp = await session;
  await Promise.all(
    [...text].flatMap((key) => [
      cdp.send("Input.dispatchKeyEvent", { type: "keyDown", key, text: key, unmodifiedText: key }),
      cdp.send("Input.dispatchKeyEvent", { type: "keyUp", key }),
    ]),
  );
}

/** Types one command line (or a here-document, line by line) and waits for the next prompt. */
export async function typeCommand(page: Page, command: string, timeout?: number): Promise<void> {
  const log = page.getByRole("log", { name: "Terminal output log" });
  const before = ((await log.textContent()) ?? "").split("$ ").length;
  const lines = command.split("\n");
  // Short polling steps: a command answers in well under a second, and the default steps
  // (100, 250, 500, 1000 ms) would add up to half a second of waiting to each one.
  const options = { timeout, intervals: [50, 50, 100, 100, 250] };
  for (const [index, line] of lines.entries()) {
    await typeKeys(page, line);
    await page.keyboard.press("Enter");
    if (index < lines.length - 1) await expect.poll(() => screenText(page), options).toMatch(/> $|>$/);
  }
  await expect.poll(async () => ((await log.textContent()) ?? "").split("$ ").length, options).toBeGreaterThan(before);
  await expect.poll(() => screenText(page), options).toMatch(/\$$/);
}

export interface DemoCohort {
  cohortId: string;
  joinCode: string;
  instructor: { email: string; password: string };
  student: { email: string; password: string };
}

/**
 * A cohort of synthetic students (npm run seed:demo with `args`, e.g. `--students 20 --name X`) in
 * the server's own database (playwright.config.ts: SQLite in the run's data folder), read back
 * from what the seeder prints.
 */
export function seedDemoCohort(args: string[]): DemoCohort {
  const output = execFileSync(
    process.execPath,
    ["node_modules/tsx/dist/cli.mjs", "--conditions=react-server", "scripts/seed-demo.ts", ...args],
    {
      env: { ...process.env, DATA_DIR: process.env.KUBEPREP_E2E_DATA, DATABASE_URL: "", REDIS_URL: "", NODE_ENV: "production" },
      encoding: "utf8",
      timeout: 120_000,
    },
  );
  const field = (pattern: RegExp) => {
    const value = pattern.exec(output)?.[1];
    if (!value) throw new Error(`seed-demo output changed:\n${output}`);
    return value;
  };
  return {
    cohortId: field(/open \/instructor\/cohorts\/(\S+)/),
    joinCode: field(/\/join\/(\S+)/),
    instructor: { email: field(/email:\s+(\S+)/), password: field(/password:\s+(\S+)/) },
    student: { email: field(/\(e\.g\. (\S+?)\)/), password: field(/shares the password (\S+)/) },
  };
}
