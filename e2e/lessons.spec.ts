import { expect, test } from "./fixtures";
import { newClient, signUp, uniqueEmail } from "./helpers";
import { getQuestion } from "../lib/content/load";
import { publicOptions } from "../lib/quiz/options";

const LESSON = "/learn/authentication/how-kubernetes-authenticates";

test("an anonymous visitor reads a lesson and answers every kind of question", async ({ browser }) => {
  const context = await newClient(browser);
  const page = await context.newPage();
  await page.goto("/learn");
  await page.getByRole("link", { name: /How Kubernetes authenticates a request/ }).click();
  await expect(page.getByRole("heading", { level: 1, name: "How Kubernetes authenticates a request" })).toBeVisible();
  await expect(page.getByText("20 min read")).toBeVisible();
  // Heading anchors use the same slugs as the content checker.
  await expect(page.locator("h2#where-the-identity-comes-from")).toBeVisible();
  await expect(page.getByRole("table")).toContainText("Username comes from");
  await expect(page.getByRole("list", { name: "A request passes authentication before authorization" }).getByRole("listitem")).toHaveCount(
    5,
  );
  await expect(page.getByRole("link", { name: /Next.*Kubeconfig/i })).toBeVisible();

  // Single choice: wrong, then try again and right.
  const single = page.locator('[data-question-id="x509-username-source"]');
  await single.getByLabel("The subject Organization (O)").check();
  await single.getByRole("button", { name: "Check answer" }).click();
  const status = single.getByRole("status");
  await expect(status).toContainText("Not quite");
  await expect(single).toContainText("The O values become the user's groups, not the username.");
  await expect(single).toContainText("Right answer, you did not choose it");
  await expect(status.getByRole("link", { name: "Sign in to keep your progress" })).toHaveAttribute(
    "href",
    `/signin?callbackUrl=${encodeURIComponent(LESSON)}`,
  );
  await status.getByRole("button", { name: "Try again" }).click();
  // "Try again" focuses the first option as this visitor sees them (the order is random).
  await expect(single.getByRole("radio").first()).toBeFocused();
  await single.getByLabel("The subject Common Name (CN)").check();
  await single.getByRole("button", { name: "Check answer" }).click();
  await expect(status).toContainText("Correct");

  // Multiple choice with partial credit says so, and grades a partial answer.
  const multiple = page.locator('[data-question-id="no-user-objects"]');
  await expect(multiple).toContainText("Partial credit");
  // Options come in a random order for anonymous visitors: choose one right option by its text.
  await multiple.getByLabel("There is no User resource in the API").check();
  await multiple.getByRole("button", { name: "Check answer" }).click();
  await expect(multiple.getByRole("status")).toContainText(/Partly right \(\d+%\)/);

  // Short answer: empty is refused in the browser, a typed answer is graded.
  const short = page.locator('[data-question-id="x509-username-short"]');
  await short.getByRole("button", { name: "Check answer" }).click();
  await expect(short.getByRole("alert")).toHaveText("Type an answer.");
  await short.getByLabel("Your answer").fill("maria");
  await short.getByRole("button", { name: "Check answer" }).click();
  await expect(short.getByRole("status")).toContainText("Correct");

  // Open question: the model answer is shown only after a stored written answer, so not to a visitor.
  const open = page.locator('[data-question-id="why-no-user-objects-open"]');
  await expect(open).not.toContainText("Model answer");
  await open.getByLabel("Your answer").fill("Revoke bindings and let certificates expire; disable the IdP account.");
  await open.getByRole("button", { name: "Show model answer" }).click();
  await expect(open.getByRole("alert")).toContainText("Sign in to");
  await expect(open).not.toContainText("Model answer");
  await context.close();
});

test("questions work with the keyboard alone", async ({ browser }) => {
  const context = await newClient(browser);
  const page = await context.newPage();
  await page.goto(LESSON);
  const single = page.locator('[data-question-id="x509-groups-whoami"]');
  const right = single.getByLabel("[dev qa system:authenticated]", { exact: true });
  // The options are shown once this visitor's order is known.
  await expect(right).toBeVisible();
  await right.focus();
  await page.keyboard.press("Space");
  await expect(right).toBeChecked();
  await page.keyboard.press("Enter");
  await expect(single.getByRole("status")).toContainText("Correct");
  await expect(single.getByRole("status")).toBeFocused();
  await page.keyboard.press("Tab");
  await expect(single.getByRole("button", { name: "Try again" })).toBeFocused();
  await context.close();
});

test("the answer API refuses bad input with a message and unknown questions with 404", async ({ browser }) => {
  const context = await newClient(browser);
  const page = await context.newPage();
  const post = (data: unknown) => page.request.post("/api/quiz/answers", { data });
  const submissionId = "0b7e8f7c-3c1b-4f0e-9d55-8f6e0f3a2b1c";
  const wrongShape = await post({ questionId: "x509-username-source", submissionId, response: { text: "CN" } });
  expect(wrongShape.status()).toBe(422);
  expect((await wrongShape.json()).error).toBeTruthy();
  const question = getQuestion("x509-username-source");
  if (question?.type !== "single") throw new Error("content fixture changed");
  const shown = publicOptions(question).map((option) => option.id);
  const two = await post({ questionId: "x509-username-source", submissionId, response: { optionIds: shown.slice(0, 2) } });
  expect(two.status()).toBe(422);
  expect(await two.json()).toMatchObject({ error: "choose exactly one option" });
  // Authored ids are not what the page shows, so they are refused.
  const authored = await post({ questionId: "x509-username-source", submissionId, response: { optionIds: [question.answer] } });
  expect(authored.status()).toBe(422);
  expect(await authored.json()).toMatchObject({ error: `unknown option "${question.answer}"` });
  expect((await post({ questionId: "nope", submissionId, response: { optionIds: ["a"] } })).status()).toBe(404);
  expect((await post({ questionId: "x509-username-source", response: { optionIds: ["a"] } })).status()).toBe(422);
  const notJson = await page.request.post("/api/quiz/answers", { data: Buffer.from("{"), headers: { "Content-Type": "application/json" } });
  expect(notJson.status()).toBe(400);
  expect(
    (await page.request.post("/api/progress/visit", { data: { moduleId: "authentication", lessonSlug: "kubeconfig-anatomy" } })).status(),
  ).toBe(401);
  expect((await page.request.get("/learn/authentication/no-such-lesson")).status()).toBe(404);
  await context.close();
});

test("a student's answers and progress are kept across visits", async ({ browser }) => {
  const context = await newClient(browser);
  const page = await context.newPage();
  await signUp(page, { email: uniqueEmail("progress"), name: "Pat Progress", password: "a long enough password" });
  await expect(page.getByText("Start here")).toBeVisible();

  await page.goto(LESSON);
  const single = page.locator('[data-question-id="x509-username-source"]');
  await single.getByLabel("The subject Organization (O)").check();
  await single.getByRole("button", { name: "Check answer" }).click();
  await expect(single.getByRole("status")).toContainText("Not quite");
  await expect(single.getByText("Sign in to keep your progress")).toHaveCount(0);
  await expect(page.getByText("1 of 9 questions answered")).toBeVisible();

  await page.reload();
  await expect(single).toContainText("Answered before: first try 0% (your score); practice: best 0%, last 0% (1 attempt).");
  await single.getByRole("button", { name: "Review last feedback" }).click();
  await expect(single).toContainText("Last time: Not quite");

  // Open question: the written answer is stored, then the model answer is shown, then the rating completes it.
  const open = page.locator('[data-question-id="why-no-user-objects-open"]');
  await open.getByLabel("Your answer").fill("Revoke bindings and let certificates expire; disable the IdP account.");
  await open.getByRole("button", { name: "Show model answer" }).click();
  await expect(open.getByRole("heading", { name: "Model answer" })).toBeVisible();
  await open.getByRole("button", { name: "Partly" }).click();
  await expect(open.getByRole("status")).toContainText("You rated your answer: partly");

  await page.goto("/learn/authentication/kubeconfig-anatomy");
  await page.getByRole("button", { name: "Mark as complete" }).click();
  await expect(page.getByText("Lesson complete")).toBeVisible();

  await page.goto("/learn");
  await expect(page.getByRole("progressbar", { name: "Authentication progress" })).toHaveAttribute("aria-valuenow", "14");
  await expect(page.getByRole("region", { name: "Continue learning" })).toBeVisible();

  await page.goto("/progress");
  const row = page.getByRole("row", { name: /Anatomy of a kubeconfig/ });
  await expect(row).toContainText("Completed");
  await expect(page.getByRole("row", { name: /How Kubernetes authenticates/ })).toContainText("In progress");
  await expect(page.getByRole("heading", { name: "Topics to revisit" })).toBeVisible();
  await expect(page.getByRole("link", { name: /^Read: / }).first()).toBeVisible();

  await page.goto("/dashboard");
  await expect(page.getByRole("region", { name: "Continue learning" })).toBeVisible();
  await context.close();
});

test("each student sees the options in an order of their own, stable across visits, and grading follows the chosen text", async ({
  browser,
}) => {
  test.setTimeout(90_000);
  const orders: string[][] = [];
  for (const name of ["Olga Order", "Otto Order"]) {
    const context = await newClient(browser);
    const page = await context.newPage();
    await signUp(page, { email: uniqueEmail("order"), name, password: "a long enough password" });
    const seen = async () => {
      await page.goto(LESSON);
      const cards = page.locator("[data-question-id]").filter({ has: page.getByRole("radio").or(page.getByRole("checkbox")) });
      await expect(cards.first().getByRole("list")).toBeVisible();
      const all: string[] = [];
      for (const card of await cards.all()) all.push((await card.getByRole("listitem").allInnerTexts()).join(" | "));
      return all;
    };
    const first = await seen();
    expect(await seen()).toEqual(first);
    orders.push(first);
    const single = page.locator('[data-question-id="x509-username-source"]');
    await single.getByLabel("The subject Common Name (CN)").check();
    await single.getByRole("button", { name: "Check answer" }).click();
    await expect(single.getByRole("status")).toContainText("Correct");
    await context.close();
  }
  expect(orders[0]?.length).toBeGreaterThan(3);
  expect(orders[0]).not.toEqual(orders[1]);
});
