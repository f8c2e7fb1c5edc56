// Shared helpers for the specs. Specs take `test` and `expect` from "./fixtures" (not from
// "@playwright/test"): that fixture runs axe-core and a console listener on every page a test
// opens, including pages of contexts made with `newClient(browser)`. Types still come from
// "@playwright/test": `import type { Page } from "@playwright/test";`.
import crypto from "node:crypto";
import { expect, type Browser, type BrowserContext, type Page } from "@playwright/test";

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
