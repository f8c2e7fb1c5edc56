// Scenarios everywhere a learner looks (dashboard, Learn index, lessons, progress), the anonymous
// scenario preview, and open answers that survive a reload until they are rated.
import crypto from "node:crypto";
import fs from "node:fs";
import type { Page } from "@playwright/test";
import { expect, test } from "./fixtures";
import { expectNoHorizontalOverflow, newClient, signUp, uniqueEmail } from "./helpers";

/** With E2E_SHOTS_DIR=<folder>, desktop and phone screenshots of the pages land there. */
const SHOTS = process.env.E2E_SHOTS_DIR;
const LESSON = "/learn/authentication/how-kubernetes-authenticates";

async function shoot(page: Page, name: string): Promise<void> {
  for (const [label, viewport] of [
    ["desktop", { width: 1366, height: 900 }],
    ["phone", { width: 390, height: 844 }],
  ] as const) {
    await page.setViewportSize(viewport);
    await expectNoHorizontalOverflow(page);
    if (SHOTS) await page.screenshot({ path: `${SHOTS}/overview-${name}-${label}.png`, fullPage: true });
  }
  await page.setViewportSize({ width: 1366, height: 900 });
}

test("a new student finds scenarios on the dashboard, the Learn index and lessons, and sees one on /progress after starting it", async ({
  browser,
}) => {
  test.setTimeout(90_000);
  const context = await newClient(browser);
  const page = await context.newPage();
  await signUp(page, { email: uniqueEmail("overview"), name: "Olive Overview", password: "a long enough password" });

  const next = page.getByRole("region", { name: "Continue learning" });
  await expect(next).toContainText("Start here");
  await expect(next).toContainText("How Kubernetes authenticates a request");
  const dashboardScenarios = page.getByRole("region", { name: "Hands-on scenarios" });
  await expect(dashboardScenarios.locator('[data-scenario-id="whoami"]')).toContainText("Not started");
  // Every scenario of the course, one per file.
  const scenarioFiles = fs.readdirSync("content/scenarios").filter((name) => name.endsWith(".yaml"));
  await expect(dashboardScenarios.getByRole("listitem")).toHaveCount(scenarioFiles.length);

  await page.goto("/learn");
  const learnScenarios = page.getByRole("region", { name: "Hands-on scenarios" });
  await expect(learnScenarios.getByRole("link", { name: "Who am I?" })).toHaveAttribute("href", "/scenarios/whoami");
  await expect(learnScenarios.locator('[data-scenario-id="whoami"]')).toContainText("Builds on: How Kubernetes authenticates a request");

  await page.goto(LESSON);
  await expect(page.getByRole("region", { name: "Practise it hands-on" }).getByRole("link", { name: "Who am I?" })).toBeVisible();

  // A wrong answer makes two topics weak: they show in words, with the lesson and scenario that teach them.
  const single = page.locator('[data-question-id="x509-username-source"]');
  await single.getByLabel("The subject Organization (O)").check();
  await single.getByRole("button", { name: "Check answer" }).click();
  await expect(single.getByRole("status")).toContainText("Not quite");

  // Start the scenario and run a command (through its API, as the terminal does).
  await page.goto("/scenarios/whoami");
  await expect(page.getByRole("heading", { level: 1, name: "Who am I?" })).toBeVisible();
  const ran = await page.request.post("/api/scenarios/whoami/commands", {
    data: { input: "kubectl auth whoami", requestId: crypto.randomUUID() },
  });
  expect(ran.status()).toBe(200);

  await page.goto("/progress");
  const item = page.locator('[data-scenario-id="whoami"]');
  await expect(item).toContainText("In progress");
  await expect(item).toContainText("1 attempt");
  await expect(item).toContainText(/Score \d+%/);
  await expect(page.locator('[data-scenario-id="oidc"]')).toContainText("Not started");
  const topics = page.getByRole("region", { name: "Topics to revisit" });
  await expect(topics).toContainText("X.509 client certificates");
  await expect(topics).toContainText("Usernames and the identity the API server derives");
  await expect(topics.getByText("x509", { exact: true })).toHaveCount(0);
  await expect(topics.getByText("identity", { exact: true })).toHaveCount(0);
  await expect(topics.getByRole("link", { name: "Read: X.509 client certificates" })).toHaveAttribute(
    "href",
    "/learn/authentication/x509-client-certificates",
  );
  await expect(topics.getByRole("link", { name: "Practise: Who am I?" }).first()).toHaveAttribute("href", "/scenarios/whoami");
  await shoot(page, "progress");

  await page.goto("/dashboard");
  await expect(next).toContainText("Continue where you left off");
  await expect(next).toContainText("Who am I?");
  await expect(next).toContainText(/Recommended: practise|Up next/);
  await expect(page.getByRole("region", { name: "Hands-on scenarios" }).locator('[data-scenario-id="whoami"]')).toContainText(
    "In progress",
  );
  await shoot(page, "dashboard");
  await context.close();
});

test("an anonymous visitor gets a read-only scenario preview with a sign-up call", async ({ browser }) => {
  test.setTimeout(60_000);
  const context = await newClient(browser);
  const page = await context.newPage();
  // The scenario list is public too: read-only, with the same call to sign up.
  await page.goto("/");
  await page.getByRole("navigation", { name: "Main", exact: true }).getByRole("link", { name: "Scenarios" }).click();
  await expect(page).toHaveURL(/\/scenarios$/);
  await expect(page.getByRole("heading", { level: 1, name: "Scenarios" })).toBeVisible();
  const listCall = page.getByRole("region", { name: "Sign up to start" });
  await expect(listCall.getByRole("link", { name: "Sign in" })).toHaveAttribute("href", "/signin?callbackUrl=%2Fscenarios");
  await expect(page.getByText(/Not started|In progress/)).toHaveCount(0);
  await page.getByRole("link", { name: /^Preview\b.*Who am I\?$/ }).click();
  await expect(page).toHaveURL(/\/scenarios\/whoami$/);
  await expect(page.getByRole("textbox", { name: "Scenario terminal" })).toHaveCount(0);

  await page.goto("/learn");
  await page.getByRole("region", { name: "Hands-on scenarios" }).getByRole("link", { name: "The certificate that expired" }).click();
  await expect(page).toHaveURL(/\/scenarios\/expired-cert$/);
  await expect(page.getByRole("heading", { level: 1, name: "The certificate that expired" })).toBeVisible();
  await expect(page.getByRole("heading", { name: "Objectives" })).toBeVisible();
  await expect(page.getByRole("heading", { name: "Steps" })).toBeVisible();
  await expect(page.getByRole("textbox", { name: "Scenario terminal" })).toHaveCount(0);
  await expect(page.getByRole("button", { name: /hint/i })).toHaveCount(0);
  const call = page.getByRole("region", { name: "Sign up to start" });
  await expect(call.getByRole("link", { name: "Sign in" })).toHaveAttribute("href", "/signin?callbackUrl=%2Fscenarios%2Fexpired-cert");
  await shoot(page, "preview");
  await call.getByRole("link", { name: "Sign up to start" }).click();
  await expect(page).toHaveURL(/\/signup$/);
  expect((await page.request.get("/scenarios/no-such-scenario")).status()).toBe(404);
  await context.close();
});

test("an open question's revealed model answer and the learner's text survive a reload until rated", async ({ browser }) => {
  test.setTimeout(90_000);
  const context = await newClient(browser);
  const page = await context.newPage();
  await signUp(page, { email: uniqueEmail("open"), name: "Opal Open", password: "a long enough password" });
  await page.goto(LESSON);
  const open = page.locator('[data-question-id="why-no-user-objects-open"]');
  const text = "Remove their RoleBindings; certificates live until they expire, so keep them short. Ünïcödé ✓";
  await open.getByLabel("Your answer", { exact: true }).fill(text);
  await open.getByRole("button", { name: "Show model answer" }).click();
  await expect(open.getByRole("heading", { name: "Model answer" })).toBeVisible();

  await page.reload();
  await expect(open.getByRole("heading", { name: "Model answer" })).toBeVisible();
  await expect(open.getByLabel("Your answer", { exact: true })).toHaveValue(text);
  await expect(open).toContainText("Your answer is saved");
  await open.scrollIntoViewIfNeeded();
  if (SHOTS) await page.screenshot({ path: `${SHOTS}/overview-open-restored.png` });

  await open.getByRole("button", { name: "Got it" }).click();
  await expect(open.getByRole("status")).toContainText("You rated your answer: got it");
  await page.reload();
  await expect(open.getByRole("button", { name: "Show model answer" })).toBeVisible();
  await expect(open.getByRole("heading", { name: "Model answer" })).toHaveCount(0);
  await expect(open.getByLabel("Your answer", { exact: true })).toHaveValue("");
  await context.close();
});
