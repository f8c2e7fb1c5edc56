// The scenario workspace: at 1366×900 the terminal stays in view beside the scrolling steps, a
// hint is taken from step 3 with none before, the reference solution typed in the terminal passes
// and "Next scenario" leads on; at 390×844 the panes stack under a tab bar, the terminal's first.
import fs from "node:fs";
import path from "node:path";
import type { Page } from "@playwright/test";
import { expect, test } from "./fixtures";
import YAML from "yaml";
import { newClient, screenRows, signUp, typeCommand, uniqueEmail } from "./helpers";

const SHOTS = process.env.E2E_SHOTS_DIR;
/** A command's answer on a loaded machine (the solution is a dozen commands typed key by key). */
const BUSY = 30_000;

interface ScenarioFile {
  title: string;
  steps: { title: string; hints: string[] }[];
  solution: string[];
}

/** The scenario as authored (the test reads the content, the page must not show hints unasked). */
function scenarioFile(id: string): ScenarioFile {
  return YAML.parse(fs.readFileSync(path.join("content", "scenarios", `${id}.yaml`), "utf8")) as ScenarioFile;
}

/** How a hint's text would read in the page: as written, HTML-escaped, or inside the RSC payload's JSON. */
function leakForms(hint: string): string[] {
  const html = hint
    .replaceAll("&", "&amp;")
    .replaceAll("<", "&lt;")
    .replaceAll(">", "&gt;")
    .replaceAll('"', "&quot;")
    .replaceAll("'", "&#x27;");
  return [hint, html, JSON.stringify(hint).slice(1, -1)];
}

async function shot(page: Page, name: string): Promise<void> {
  if (SHOTS) await page.screenshot({ path: path.join(SHOTS, `ws-${name}.png`) });
}

test("at 1366×900 the terminal stays in view; a hint from step 3 alone; the typed solution passes beside the terminal and leads to the next scenario", async ({
  browser,
}) => {
  test.setTimeout(420_000);
  const scenario = scenarioFile("expired-cert");
  const csrStep = scenario.steps[2];
  if (!csrStep) throw new Error("expired-cert has no step 3");
  const context = await newClient(browser, { viewport: { width: 1366, height: 900 } });
  const page = await context.newPage();
  await signUp(page, { email: uniqueEmail(), name: "Split Pane", password: "a long enough password" });
  await page.goto("/scenarios/expired-cert");
  await expect(page.getByRole("heading", { level: 1, name: "The certificate that expired" })).toBeVisible();

  const terminalBox = page.getByRole("group", { name: "Scenario terminal" });
  await expect(page.getByRole("textbox", { name: "Scenario terminal" })).toBeAttached();
  await expect(terminalBox).toBeInViewport({ ratio: 1 });
  // The instructions scroll inside their column; the page itself does not move.
  const instructions = page.locator("#scenario-pane-steps");
  expect(await instructions.evaluate((element) => element.scrollHeight > element.clientHeight)).toBe(true);
  // Nor does anything in the column reach past the page: no blank stretch to scroll to below the footer.
  expect(
    await page.evaluate(() => document.documentElement.scrollHeight - document.body.getBoundingClientRect().height),
  ).toBeLessThanOrEqual(2);
  await expect(page.getByRole("tablist", { name: "Scenario panes" })).toBeHidden();

  // No hint text reaches the page (HTML and the server components' payload) before it is asked for.
  const leaked = async (hints: string[]) => {
    const html = await page.content();
    return hints.filter((hint) => leakForms(hint).some((form) => html.includes(form)));
  };
  expect(await leaked(scenario.steps.flatMap((step) => step.hints))).toEqual([]);

  const hintButton = page.getByRole("button", { name: "Show hint for step 3" });
  await hintButton.scrollIntoViewIfNeeded();
  expect(await instructions.evaluate((element) => element.scrollTop)).toBeGreaterThan(0);
  expect(await page.evaluate(() => window.scrollY)).toBe(0);
  await expect(terminalBox).toBeInViewport({ ratio: 1 });
  await expect(page.getByText("each hint you open is recorded").first()).toBeVisible();
  await hintButton.click();
  const stepHints = page.getByRole("list", { name: "Hints for step 3" });
  await expect(stepHints).toContainText(csrStep.hints[0]?.replaceAll("`", "") ?? "");
  await expect(page.getByText(`1 of ${csrStep.hints.length} hints used`)).toBeVisible();
  await expect(page.getByRole("list", { name: "Hints for step 1" })).toHaveCount(0);
  await expect(page.getByRole("list", { name: "Hints for step 2" })).toHaveCount(0);
  await expect(page.getByRole("button", { name: "Show hint for step 1" })).toBeVisible();
  const unasked = [
    ...(scenario.steps[0]?.hints ?? []),
    ...(scenario.steps[1]?.hints ?? []),
    ...csrStep.hints.slice(1),
    ...(scenario.steps[3]?.hints ?? []),
  ];
  expect(await leaked(unasked)).toEqual([]);
  await shot(page, "desktop-hint");

  // The divider: a keyboard-operable separator, remembered, and the terminal refits to it.
  const separator = page.getByRole("separator", { name: "Resize the instructions and the terminal" });
  const before = Number(await separator.getAttribute("aria-valuenow"));
  const screenWidth = () => page.locator(".xterm-screen").evaluate((element) => element.getBoundingClientRect().width);
  const widthBefore = await screenWidth();
  await separator.focus();
  await page.keyboard.press("Shift+ArrowRight");
  await expect(separator).toHaveAttribute("aria-valuenow", String(before + 10));
  await expect.poll(screenWidth).toBeLessThan(widthBefore - 50);
  await page.reload();
  await expect(page.getByRole("separator", { name: "Resize the instructions and the terminal" })).toHaveAttribute(
    "aria-valuenow",
    String(before + 10),
  );
  await expect(page.getByRole("list", { name: "Hints for step 3" })).toContainText(csrStep.hints[0]?.replaceAll("`", "") ?? "");

  // The documented shortcut moves focus from the terminal to the steps and back.
  const terminal = page.getByRole("textbox", { name: "Scenario terminal" });
  await expect(terminal).toBeAttached();
  await terminal.focus();
  await page.keyboard.press("Alt+Shift+T");
  await expect(instructions).toBeFocused();
  await page.keyboard.press("Alt+Shift+T");
  await expect(terminal).toBeFocused();
  await page.getByText("Keyboard", { exact: true }).click();
  await expect(page.getByText("Move focus between the steps and the terminal.")).toBeVisible();
  await page.getByText("Keyboard", { exact: true }).click();

  await terminal.focus();
  for (const command of scenario.solution) await typeCommand(page, command.trimEnd(), BUSY);
  await expect(page.getByRole("status").getByText("Scenario passed")).toBeInViewport({ timeout: BUSY });
  // Beside the terminal: the banner's right edge is right of the divider.
  const banner = await page.getByText("Scenario passed").boundingBox();
  const divider = await page.getByRole("separator", { name: "Resize the instructions and the terminal" }).boundingBox();
  expect(banner?.x ?? 0).toBeGreaterThan(divider?.x ?? Infinity);
  await expect(terminalBox).toBeInViewport({ ratio: 1 });
  expect(await page.evaluate(() => window.scrollY)).toBe(0);
  // The next in course order (each scenario after the last lesson it builds on) not yet passed.
  const next = scenarioFile("unauthorized-or-forbidden");
  await expect(page.getByText("Reference solution")).toBeVisible();
  const nextLink = page.getByRole("status").getByRole("link", { name: `Next scenario: ${next.title}` });
  await expect(nextLink).toBeVisible();
  await shot(page, "desktop-passed");
  await nextLink.click();
  await expect(page).toHaveURL(/\/scenarios\/unauthorized-or-forbidden$/);
  await expect(page.getByRole("heading", { level: 1, name: next.title })).toBeVisible();
  await context.close();
});

test("at 390×844 the panes stack under a sticky tab bar with the terminal first", async ({ browser }) => {
  test.setTimeout(120_000);
  const context = await newClient(browser, { viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true });
  const page = await context.newPage();
  await signUp(page, { email: uniqueEmail(), name: "Phone", password: "a long enough password" });
  await page.goto("/scenarios/whoami");
  const tabs = page.getByRole("tablist", { name: "Scenario panes" });
  await expect(tabs).toBeVisible();
  await expect(tabs.getByRole("tab")).toHaveText(["Steps", "Terminal", "Why?"]);
  await expect(tabs.getByRole("tab", { name: "Terminal" })).toHaveAttribute("aria-selected", "true");
  const terminalBox = page.getByRole("group", { name: "Scenario terminal" });
  await expect(terminalBox).toBeVisible();
  await expect(page.getByRole("heading", { name: "Steps", exact: true })).toBeHidden();
  await expect(page.getByRole("separator")).toBeHidden();
  // The terminal spans the screen: every column counts on a phone.
  const box = await terminalBox.boundingBox();
  expect(box?.width ?? 0).toBeGreaterThan(350);
  await expect(page.getByRole("textbox", { name: "Scenario terminal" })).toBeAttached();
  await page.getByRole("textbox", { name: "Scenario terminal" }).focus();
  await typeCommand(page, "kubectl auth whoami", BUSY);
  await expect(page.getByRole("log", { name: "Terminal output log" })).toContainText("Username");
  await shot(page, "phone-terminal");
  // At least 50 columns (a smaller font below 480 px): a long word wraps at the terminal's width.
  await typeCommand(page, `echo ${"x".repeat(120)}`, BUSY);
  const columns = await screenRows(page)
    .locator(":scope > div")
    .evaluateAll((rows) =>
      Math.max(...rows.map((row) => (/^x+$/.test((row.textContent ?? "").trim()) ? (row.textContent ?? "").trim().length : 0))),
    );
  expect(columns).toBeGreaterThanOrEqual(50);

  await tabs.getByRole("tab", { name: "Steps" }).click();
  await expect(page.getByRole("heading", { name: "Steps", exact: true })).toBeVisible();
  await expect(terminalBox).toBeHidden();
  await page.evaluate(() => window.scrollTo(0, 1500));
  await expect.poll(() => page.evaluate(() => window.scrollY)).toBeGreaterThan(300);
  // Sticky: the tab bar stays at the top while the steps scroll under it.
  await expect.poll(async () => (await tabs.boundingBox())?.y ?? -1).toBeLessThan(2);
  await expect(tabs).toBeInViewport();
  await shot(page, "phone-steps");

  await tabs.getByRole("tab", { name: "Steps" }).focus();
  await page.keyboard.press("ArrowRight");
  await page.keyboard.press("ArrowRight");
  await expect(tabs.getByRole("tab", { name: "Why?" })).toBeFocused();
  await expect(tabs.getByRole("tab", { name: "Why?" })).toHaveAttribute("aria-selected", "true");
  await expect(page.getByRole("region", { name: "Why? The API requests" })).toBeVisible();
  await expect(page.getByRole("region", { name: "Why? The API requests" })).toContainText("selfsubjectreviews");
  await shot(page, "phone-why");

  await tabs.getByRole("tab", { name: "Terminal" }).click();
  await expect(terminalBox).toBeVisible();
  expect((await terminalBox.boundingBox())?.width ?? 0).toBeGreaterThan(350);
  await context.close();
});
