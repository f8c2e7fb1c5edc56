// Security findings of issue #11, against the production server (next build + scripts/start.ts).
import crypto from "node:crypto";
import { spawn } from "node:child_process";
import type { Browser, BrowserContext, Page } from "@playwright/test";
import { expect, test } from "./fixtures";
import { admin, newClient, signInViaApi, signInWithForm, signUp, uniqueEmail } from "./helpers";

const PASSWORD = "a long enough password";

// Sign-ups, password hashing and a production server on a shared machine: give each test room.
test.describe.configure({ timeout: 120_000 });

/** A browser context with its own client address (X-Forwarded-For, TRUST_PROXY=1). */
function clientAt(browser: Browser, ip: string): Promise<BrowserContext> {
  return browser.newContext({ extraHTTPHeaders: { "X-Forwarded-For": ip } });
}

function randomIp(): string {
  return `203.0.113.${crypto.randomInt(1, 255)}, 10.${crypto.randomInt(255)}.${crypto.randomInt(255)}.${crypto.randomInt(1, 255)}`;
}

async function newStudent(browser: Browser): Promise<{ context: BrowserContext; page: Page; email: string }> {
  const context = await newClient(browser);
  const page = await context.newPage();
  const email = uniqueEmail();
  await signUp(page, { email, name: "Security Student", password: PASSWORD });
  return { context, page, email };
}

test("open redirect: a callbackUrl with a tab between the slashes stays on our origin", async ({ browser, baseURL }) => {
  const { context, email } = await newStudent(browser);
  await context.close();
  const fresh = await newClient(browser);
  const page = await fresh.newPage();
  const outside: string[] = [];
  page.on("request", (request) => {
    if (new URL(request.url()).hostname.includes("evil.example")) outside.push(request.url());
  });
  await page.goto("/signin?callbackUrl=%2F%09%2Fevil.example");
  const form = page.getByRole("form", { name: "Sign in" });
  await form.getByLabel("Email").fill(email);
  await form.getByLabel("Password").fill(PASSWORD);
  await form.getByRole("button", { name: "Sign in" }).click();
  await expect(page).toHaveURL(`${baseURL}/dashboard`);
  expect(new URL(page.url()).origin).toBe(baseURL);
  expect(outside).toEqual([]);
});

test("headers: nonce CSP, COOP, Permissions-Policy on pages; no HSTS over plain HTTP", async ({ request }) => {
  const first = await request.get("/");
  const second = await request.get("/");
  const csp = first.headers()["content-security-policy"] ?? "";
  expect(csp).toMatch(/script-src 'self' 'nonce-[A-Za-z0-9+/=]{16,}' 'strict-dynamic'/);
  expect(csp).toContain("object-src 'none'");
  expect(csp).toContain("frame-ancestors 'none'");
  expect(csp).toContain("base-uri 'self'");
  expect(csp).not.toContain("unsafe-eval");
  expect(csp).not.toMatch(/script-src[^;]*unsafe-inline/);
  // A fresh nonce per response, and it is the one on the page's scripts.
  expect(second.headers()["content-security-policy"]).not.toBe(csp);
  const nonce = /'nonce-([^']+)'/.exec(csp)?.[1] ?? "";
  expect(await first.text()).toContain(`nonce="${nonce}"`);
  expect(first.headers()["cross-origin-opener-policy"]).toBe("same-origin");
  expect(first.headers()["permissions-policy"]).toContain("camera=()");
  expect(first.headers()["x-content-type-options"]).toBe("nosniff");
  expect(first.headers()["strict-transport-security"]).toBeUndefined();
  // The session cookie is not Secure on plain HTTP (it is when NEXTAUTH_URL is https: unit tested).
});

/** Records CSP violations and console errors of a page, from before its first script runs. */
async function watchCsp(context: BrowserContext): Promise<(page: Page) => Promise<string[]>> {
  await context.addInitScript(() => {
    const seen: string[] = [];
    (window as unknown as { __cspViolations: string[] }).__cspViolations = seen;
    document.addEventListener("securitypolicyviolation", (event) =>
      seen.push(`${event.violatedDirective} ${event.blockedURI} at ${event.sourceFile}:${event.lineNumber} on ${location.pathname}`),
    );
  });
  const consoleErrors: string[] = [];
  context.on("console", (message) => {
    if (message.type() === "error") consoleErrors.push(message.text());
  });
  return async (page) => [
    ...(await page.evaluate(() => (window as unknown as { __cspViolations: string[] }).__cspViolations)),
    ...consoleErrors.filter((text) => /Content Security Policy|CSP/i.test(text)),
  ];
}

test("no CSP violations on the pages the suite visits; terminal, charts and lessons work", async ({ browser }) => {
  test.setTimeout(240_000);
  const context = await newClient(browser);
  const violations = await watchCsp(context);
  const page = await context.newPage();

  const started = Date.now();
  await page.goto("/learn/authentication/how-kubernetes-authenticates");
  await expect(page.getByRole("heading", { level: 1, name: "How Kubernetes authenticates a request" })).toBeVisible();
  const single = page.locator('[data-question-id="x509-username-source"]');
  await single.getByLabel("The subject Common Name (CN)").check();
  await single.getByRole("button", { name: "Check answer" }).click();
  await expect(single.getByRole("status")).toContainText("Correct");
  const lessonMs = Date.now() - started;
  console.log(`lesson page: visible and interactive in ${lessonMs} ms`);

  for (const path of ["/", "/learn", "/learn/authentication", "/signin", "/signup"]) {
    await page.goto(path);
    await page.waitForLoadState("networkidle");
  }
  await signUp(page, { email: uniqueEmail(), name: "CSP Student", password: PASSWORD });
  for (const path of ["/dashboard", "/progress", "/account", "/scenarios"]) {
    await page.goto(path);
    await page.waitForLoadState("networkidle");
  }
  await page.goto("/scenarios/expired-cert");
  const terminal = page.getByRole("textbox", { name: "Scenario terminal" });
  await expect(terminal).toBeAttached();
  await terminal.focus();
  await page.keyboard.type("kubectl get pods");
  await page.keyboard.press("Enter");
  await expect(page.getByRole("group", { name: "Scenario terminal" }).locator(".xterm-rows")).toContainText(
    "You must be logged in to the server",
  );
  expect(await violations(page)).toEqual([]);
  await context.close();

  // Administrator and instructor pages (charts).
  const adminContext = await newClient(browser);
  const adminViolations = await watchCsp(adminContext);
  const adminPage = await adminContext.newPage();
  await signInViaApi(adminPage, admin.email, admin.password);
  await adminPage.goto("/instructor");
  const create = adminPage.getByRole("form", { name: "Create a cohort" });
  await create.getByLabel("Name", { exact: true }).fill(`CSP cohort ${crypto.randomBytes(3).toString("hex")}`);
  await create.getByRole("button", { name: "Create cohort" }).click();
  await adminPage.waitForURL(/\/instructor\/cohorts\/[^/]+\/members$/);
  const cohort = adminPage.url().replace(/\/members$/, "");
  for (const path of [cohort, `${cohort}/items`, "/admin/users"]) {
    await adminPage.goto(path);
    await adminPage.waitForLoadState("networkidle");
  }
  expect(await adminViolations(adminPage)).toEqual([]);
  await adminContext.close();
});

test("sessions: a password change ends the other sessions at once; 'sign out of all devices' ends all", async ({ browser }) => {
  const { context: first, page, email } = await newStudent(browser);
  const second = await newClient(browser);
  const other = await second.newPage();
  await signInViaApi(other, email, PASSWORD);
  await other.goto("/dashboard");
  await expect(other).toHaveURL(/\/dashboard$/);

  await page.goto("/account");
  const form = page.getByRole("form", { name: "Change password" });
  await form.getByLabel("Current password").fill(PASSWORD);
  await form.getByLabel("New password").fill("a brand new password");
  await form.getByRole("button", { name: "Change password" }).click();
  await expect(form.getByText("Password changed.")).toBeVisible();

  // The other browser is signed out on its very next request; this one carries on.
  await other.goto("/dashboard");
  await expect(other).toHaveURL(/\/signin\?callbackUrl=%2Fdashboard$/);
  expect((await other.request.post("/api/scenarios/expired-cert/commands", { data: { input: "id", requestId: "r1" } })).status()).toBe(401);
  await page.goto("/dashboard");
  await expect(page).toHaveURL(/\/dashboard$/);

  // Sign in again on the second device, then sign out of all devices from the first.
  await signInViaApi(other, email, "a brand new password");
  await other.goto("/progress");
  await expect(other).toHaveURL(/\/progress$/);
  await page.goto("/account");
  await page.getByRole("button", { name: "Sign out of all devices" }).click();
  await expect(page).toHaveURL(/\/signin/);
  await other.goto("/progress");
  await expect(other).toHaveURL(/\/signin\?callbackUrl=%2Fprogress$/);
  await page.goto("/dashboard");
  await expect(page).toHaveURL(/\/signin/);
  await first.close();
  await second.close();
});

test("an administrator's reset ends the user's sessions and forces a new password everywhere", async ({ browser }) => {
  const { context, page, email } = await newStudent(browser);
  const adminContext = await newClient(browser);
  const adminPage = await adminContext.newPage();
  await signInViaApi(adminPage, admin.email, admin.password);
  await adminPage.goto(`/admin/users?q=${encodeURIComponent(email)}`);
  await adminPage.getByRole("button", { name: `Reset password of ${email}` }).click();
  const status = adminPage.getByText(`One-time password for ${email}:`);
  await expect(status).toBeVisible();
  const temporary = /: (\S+) \(/.exec((await status.textContent()) ?? "")?.[1] ?? "";
  expect(temporary).toMatch(/^[A-Za-z0-9_-]{16}$/);

  await page.goto("/dashboard");
  await expect(page).toHaveURL(/\/signin/);
  await signInWithForm(page, email, temporary);
  await expect(page).toHaveURL(/\/account\/password$/);
  for (const path of ["/dashboard", "/scenarios", "/learn"]) {
    await page.goto(path);
    await expect(page).toHaveURL(/\/account\/password$/);
  }
  const api = await page.request.post("/api/scenarios/expired-cert/commands", { data: { input: "id", requestId: "r1" } });
  expect(api.status()).toBe(403);
  const form = page.getByRole("form", { name: "Change password" });
  await form.getByLabel("Current password").fill(temporary);
  await form.getByLabel("New password").fill("my own password again");
  await form.getByRole("button", { name: "Change password" }).click();
  await expect(page).toHaveURL(/\/dashboard$/);
  await page.goto("/scenarios");
  await expect(page).toHaveURL(/\/scenarios$/);
  await context.close();
  await adminContext.close();
});

test("rate limits answer 429 with Retry-After in the production build: terminal commands", async ({ browser }) => {
  const { context, page } = await newStudent(browser);
  await page.goto("/scenarios/expired-cert");
  await expect(page.getByRole("textbox", { name: "Scenario terminal" })).toBeAttached();
  // 100 commands at once: more than one window's worth (40 per 10 s) arrives inside one window.
  const responses = await Promise.all(
    Array.from({ length: 100 }, (_, n) =>
      page.request.post("/api/scenarios/expired-cert/commands", {
        data: { input: "echo hi", requestId: `limit-${n}-${crypto.randomUUID()}` },
      }),
    ),
  );
  const statuses = responses.map((response) => response.status());
  expect(statuses.filter((status) => status !== 200 && status !== 429)).toEqual([]);
  const limited = responses.filter((response) => response.status() === 429);
  expect(limited.length).toBeGreaterThanOrEqual(20);
  for (const response of limited) {
    expect(Number(response.headers()["retry-after"])).toBeGreaterThanOrEqual(1);
    expect((await response.json()) as { error: string }).toMatchObject({
      error: expect.stringMatching(/^Too many attempts, try again in \d+ seconds\.$/),
    });
  }
  await context.close();
});

async function credentialsSignIn(context: BrowserContext, email: string, password: string) {
  const csrf = (await (await context.request.get("/api/auth/csrf")).json()) as { csrfToken: string };
  return context.request.post("/api/auth/callback/credentials", { form: { csrfToken: csrf.csrfToken, email, password, json: "true" } });
}

test("rate limits: sign-in per address and per account answer 429 with Retry-After, and the form says so", async ({ browser }) => {
  // Per address: 30 attempts per 15 minutes, whichever accounts; the form then says when to retry.
  const ip = randomIp();
  const sameAddress = await clientAt(browser, ip);
  const statuses: number[] = [];
  for (let n = 0; n < 30; n++) statuses.push((await credentialsSignIn(sameAddress, uniqueEmail("nobody"), "wrong password")).status());
  expect(statuses.every((status) => status === 401)).toBe(true);
  const limited = await credentialsSignIn(sameAddress, uniqueEmail("nobody"), "wrong password");
  expect(limited.status()).toBe(429);
  expect(Number(limited.headers()["retry-after"])).toBeGreaterThan(0);
  const page = await sameAddress.newPage();
  await signInWithForm(page, uniqueEmail("nobody"), "wrong password");
  await expect(page.getByRole("form", { name: "Sign in" }).getByText(/Too many attempts, try again in \d+ seconds\./)).toBeVisible();
  await sameAddress.close();

  // Per account, from many addresses: 5 free failures, then one attempt per back-off window,
  // charged before the password check, so a burst of parallel guesses gets (at most) one through.
  const { context, email } = await newStudent(browser);
  await context.close();
  const attacker = async (password: string) => {
    const client = await clientAt(browser, randomIp());
    const response = await credentialsSignIn(client, email, password);
    const result = { status: response.status(), retryAfter: Number(response.headers()["retry-after"] ?? "0") };
    await client.close();
    return result;
  };
  for (let n = 0; n < 5; n++) expect((await attacker(`wrong password ${n}`)).status).toBe(401);
  const burst = await Promise.all(Array.from({ length: 6 }, (_, n) => attacker(`parallel guess ${n}`)));
  expect(burst.filter((result) => result.status === 401).length).toBeLessThanOrEqual(1);
  const refused = burst.filter((result) => result.status === 429);
  expect(refused.length).toBeGreaterThanOrEqual(5);
  expect(refused.every((result) => result.retryAfter >= 1 && result.retryAfter <= 300)).toBe(true);
  // The owner is slowed, not locked out: after the wait, the right password gets in.
  await new Promise((resolve) => setTimeout(resolve, (Math.max(...refused.map((result) => result.retryAfter)) + 1) * 1000));
  const owner = await clientAt(browser, randomIp());
  const ownerPage = await owner.newPage();
  await signInWithForm(ownerPage, email, PASSWORD);
  await expect(ownerPage).toHaveURL(/\/dashboard$/);
  await owner.close();
});

test("rate limits: sign-up per address answers 429 with Retry-After and says when to retry (no server error)", async ({ browser }) => {
  const context = await clientAt(browser, randomIp());
  const page = await context.newPage();
  const failures: number[] = [];
  const limited: (string | null)[] = [];
  page.on("response", (response) => {
    if (response.status() >= 500) failures.push(response.status());
    if (response.status() === 429 && new URL(response.url()).pathname === "/api/signup")
      limited.push(response.headers()["retry-after"] ?? null);
  });
  for (let n = 0; n < 10; n++) {
    await signUp(page, { email: uniqueEmail("many"), name: `Many ${n}`, password: PASSWORD });
    await page.context().clearCookies();
  }
  await page.goto("/signup");
  const form = page.getByRole("form", { name: "Create account" });
  await form.getByLabel("Email").fill(uniqueEmail("many"));
  await form.getByLabel("Display name").fill("One too many");
  await form.getByLabel("Password").fill(PASSWORD);
  await form.getByRole("button", { name: "Create account" }).click();
  await expect(form.getByText(/Too many attempts, try again in \d+ seconds\./)).toBeVisible();
  expect(failures).toEqual([]);
  // The sign-up route answers the limit like every other: 429 with Retry-After.
  expect(limited).toHaveLength(1);
  expect(Number(limited[0])).toBeGreaterThan(0);
  await context.close();
});

test("seed:demo runs against the running server's embedded database", async ({ request }) => {
  test.setTimeout(120_000);
  const child = spawn(
    process.execPath,
    [
      "node_modules/tsx/dist/cli.mjs",
      "--conditions=react-server",
      "scripts/seed-demo.ts",
      "--students",
      "30",
      "--name",
      "Seeded while serving",
    ],
    {
      env: { ...process.env, NODE_ENV: "production", DATA_DIR: process.env.KUBEPREP_E2E_DATA, DATABASE_URL: "", REDIS_URL: "" },
      stdio: ["ignore", "pipe", "pipe"],
    },
  );
  let output = "";
  child.stdout.on("data", (chunk: Buffer) => (output += chunk.toString()));
  child.stderr.on("data", (chunk: Buffer) => (output += chunk.toString()));
  // The server keeps answering while the seeder writes.
  const health: number[] = [];
  const exited = new Promise<number | null>((resolve) => child.once("exit", resolve));
  let done = false;
  void exited.then(() => (done = true));
  while (!done) {
    health.push((await request.get("/api/health")).status());
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  expect(await exited, output).toBe(0);
  expect(output).toContain('Seeded "Seeded while serving" with 30 students');
  expect(health.every((status) => status === 200)).toBe(true);
});

test("answers are rate limited per learner: a script posting answers gets 429 with Retry-After, another learner is still graded", async ({
  browser,
}) => {
  const answer = (page: Page) =>
    page.request.post("/api/quiz/answers", {
      data: { questionId: "x509-username-short", response: { text: "jane" }, submissionId: crypto.randomUUID() },
    });
  const scripted = await newStudent(browser);
  const statuses: number[] = [];
  for (let i = 0; i < 30; i += 1) statuses.push((await answer(scripted.page)).status());
  expect(statuses.every((status) => status === 200)).toBe(true);
  const refused = await answer(scripted.page);
  expect(refused.status()).toBe(429);
  expect(Number(refused.headers()["retry-after"])).toBeGreaterThan(0);
  expect(await refused.json()).toEqual({ error: expect.stringMatching(/^Too many attempts, try again in \d+ seconds\.$/) });

  const other = await newStudent(browser);
  expect((await answer(other.page)).status()).toBe(200);
  await scripted.context.close();
  await other.context.close();
});
