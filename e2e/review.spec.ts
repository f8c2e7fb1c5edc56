// Spaced review end to end: a learner misses a question and gives up a scenario, opens Review from
// the dashboard's count, answers the missed question again (options reshuffled, graded on the
// server), solves a failed check as a drill in the terminal, and sees the count go down.
import crypto from "node:crypto";
import type { Page } from "@playwright/test";
import { expect, test } from "./fixtures";
import { expectNoHorizontalOverflow, newClient, signUp, typeCommand, uniqueEmail } from "./helpers";

/** With E2E_SHOTS_DIR=<folder>, desktop and phone screenshots of the Review page land there. */
const SHOTS = process.env.E2E_SHOTS_DIR;
const LESSON = "/learn/authentication/how-kubernetes-authenticates";

async function shoot(page: Page, name: string): Promise<void> {
  for (const [label, viewport] of [
    ["1366", { width: 1366, height: 900 }],
    ["390", { width: 390, height: 844 }],
  ] as const) {
    await page.setViewportSize(viewport);
    await expectNoHorizontalOverflow(page);
    if (SHOTS) await page.screenshot({ path: `${SHOTS}/review-${name}-${label}.png`, fullPage: true });
  }
  await page.setViewportSize({ width: 1366, height: 900 });
}

test("a missed question and a failed check come back in Review, the question re-asked and the check as a drill", async ({ browser }) => {
  test.setTimeout(240_000);
  const context = await newClient(browser);
  const page = await context.newPage();
  await page.setViewportSize({ width: 1366, height: 900 });
  await signUp(page, { email: uniqueEmail("review"), name: "Rae Review", password: "a long enough password" });
  await expect(page.getByRole("link", { name: "0 items due →" })).toBeVisible();

  // A wrong answer in a lesson.
  await page.goto(LESSON);
  const single = page.locator('[data-question-id="x509-username-source"]');
  await single.getByLabel("The subject Organization (O)").check();
  await single.getByRole("button", { name: "Check answer" }).click();
  await expect(single.getByRole("status")).toContainText("Not quite");
  await expect(single.getByRole("button", { name: "Add to review" })).toBeVisible();

  // A scenario given up before any check passed: its four checks enter review.
  await page.goto("/scenarios/expired-cert");
  await expect(page.getByRole("textbox", { name: "Scenario terminal" })).toBeAttached({ timeout: 60_000 });
  await page.getByRole("button", { name: "Give up" }).click();
  await page.getByRole("dialog").getByRole("button", { name: "Give up" }).click();
  await expect(page.getByText("You gave up on this attempt.")).toBeVisible({ timeout: 30_000 });

  // The dashboard and the header count five items; the count opens Review.
  await page.goto("/dashboard");
  await expect(page.getByRole("navigation", { name: "Main", exact: true }).getByRole("link", { name: "Review 5 due" })).toBeVisible();
  const dashboardCount = page.getByRole("link", { name: "5 items due →" });
  await dashboardCount.focus();
  await page.keyboard.press("Enter");
  await expect(page).toHaveURL(/\/review$/);
  await expect(page.getByRole("heading", { level: 1, name: "Review" })).toBeVisible();
  await expect(page.locator('[data-stat="due-now"]')).toHaveText("5");
  const due = page.getByRole("list", { name: "Due now, most overdue first" });
  await expect(due.getByRole("listitem")).toHaveCount(5);
  // The question missed first is the most overdue; nothing on the page gives its answer away.
  await expect(due.getByRole("listitem").first()).toContainText("Question");
  await expect(page.locator("body")).not.toContainText("The O values become the user's groups");
  await shoot(page, "due");

  // "Start review" by keyboard: the question comes back, answered right this time.
  await page.getByRole("link", { name: "Start review (5 due)" }).focus();
  await page.keyboard.press("Enter");
  await expect(page.getByRole("heading", { level: 1, name: "Review: question" })).toBeVisible();
  const card = page.locator("[data-card-id]");
  await expect(card.getByRole("radio").first()).toBeFocused();
  await expect(card).not.toContainText("Right answer");
  await card.getByLabel("The subject Common Name (CN)").focus();
  await page.keyboard.press("Space");
  await page.keyboard.press("Tab");
  await expect(card.getByRole("button", { name: "Check answer" })).toBeFocused();
  await page.keyboard.press("Enter");
  const result = card.getByRole("status");
  await expect(result).toContainText("Correct");
  await expect(result).toContainText(/Rated (easy|good)/);
  await expect(result).toContainText(/comes back in \d+ days?/);
  await expect(page.getByRole("navigation", { name: "Main", exact: true }).getByRole("link", { name: "Review 4 due" })).toBeVisible();
  await shoot(page, "question-answered");

  // Back on Review: four due; the failed check "You reproduced the 401 Unauthorized" is a drill.
  await result.getByRole("link", { name: "Back to Review" }).click();
  await expect(page.locator('[data-stat="due-now"]')).toHaveText("4");
  await expect(page.locator('[data-stat="retention"]')).toHaveText("100%");
  await due.getByRole("link", { name: "You reproduced the 401 Unauthorized" }).click();
  await expect(page.getByRole("heading", { level: 1, name: "Drill: You reproduced the 401 Unauthorized" })).toBeVisible();
  const terminal = page.getByRole("textbox", { name: "Scenario terminal" });
  await expect(terminal).toBeAttached({ timeout: 60_000 });
  await terminal.focus();
  await typeCommand(page, "kubectl get pods", 30_000);
  await expect(page.getByText("Drill passed")).toBeVisible();
  await shoot(page, "drill-passed");
  await page.getByRole("link", { name: "Back to Review →" }).click();

  // Recorded once: three due now, and the header agrees (also after a reload).
  await expect(page.locator('[data-stat="due-now"]')).toHaveText("3");
  await expect(page.getByRole("navigation", { name: "Main", exact: true }).getByRole("link", { name: "Review 3 due" })).toBeVisible();
  await expect(due.getByRole("link", { name: "You reproduced the 401 Unauthorized" })).toHaveCount(0);
  await page.reload();
  await expect(page.locator('[data-stat="due-now"]')).toHaveText("3");
  await expect(page.getByRole("navigation", { name: "Main", exact: true }).getByRole("link", { name: "Review 3 due" })).toBeVisible();
  await shoot(page, "after");
  await context.close();
});

test("the review API: another learner's card is a 404, bad input a 4xx with a message, a double submit counts once", async ({
  browser,
}) => {
  test.setTimeout(90_000);
  const owner = await newClient(browser);
  const ownerPage = await owner.newPage();
  await signUp(ownerPage, { email: uniqueEmail("review-owner"), name: "Owner", password: "a long enough password" });
  const added = await ownerPage.request.post("/api/review/cards", { data: { questionId: "x509-username-short" } });
  expect(added.status()).toBe(200);
  const { cardId } = (await added.json()) as { cardId: string };
  expect((await ownerPage.request.post("/api/review/cards", { data: { questionId: "no-such-question" } })).status()).toBe(404);

  const answer = (page: Page, data: unknown) => page.request.post(`/api/review/cards/${cardId}/answer`, { data });
  const body = { requestId: crypto.randomUUID(), response: { text: "CN" }, elapsedMs: 1_000 };
  const first = await answer(ownerPage, body);
  expect(first.status()).toBe(200);
  const second = await answer(ownerPage, body);
  expect(await second.json()).toMatchObject({ duplicate: true });
  expect((await answer(ownerPage, { ...body, elapsedMs: -5 })).status()).toBe(422);
  const big = await answer(ownerPage, { ...body, response: { text: "x".repeat(20_000) } });
  expect(big.status()).toBe(413);

  const other = await newClient(browser);
  const otherPage = await other.newPage();
  await signUp(otherPage, { email: uniqueEmail("review-other"), name: "Other", password: "a long enough password" });
  expect((await answer(otherPage, { ...body, requestId: crypto.randomUUID() })).status()).toBe(404);
  const page = await otherPage.goto(`/review/${cardId}`);
  expect(page?.status()).toBe(404);
  await owner.close();
  await other.close();
});
