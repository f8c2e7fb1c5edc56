// The second module, "Authentication on a kubeadm control plane": the course page lists its lessons
// and shows the module's progress apart from the first module's; a lesson fits a phone. With
// E2E_SHOTS_DIR=<folder>, the course page of a learner with one lesson of the module complete is
// saved at 1366 and 390 px.
import path from "node:path";
import type { Page } from "@playwright/test";
import { expect, test } from "./fixtures";
import { newClient, signUp, uniqueEmail } from "./helpers";
import { loadCourse } from "../lib/content/load";

const SHOTS = process.env.E2E_SHOTS_DIR;
const course = loadCourse();
const controlPlane = course.modules.find((m) => m.id === "control-plane");
const authentication = course.modules.find((m) => m.id === "authentication");

function moduleCard(page: Page, title: string) {
  return page
    .getByRole("main")
    .getByRole("listitem")
    .filter({ has: page.getByRole("heading", { level: 2, name: title, exact: true }) });
}

test("the course page lists every lesson of the control-plane module, and a lesson fits a phone", async ({ browser }) => {
  if (!controlPlane) throw new Error("the course has no control-plane module");
  const context = await newClient(browser);
  const page = await context.newPage();
  await page.goto("/learn");
  const card = moduleCard(page, controlPlane.title);
  await expect(card.getByRole("link", { name: /^\d+\. / })).toHaveCount(controlPlane.lessons.length);
  // Every lesson rendering with its questions is e2e/control-plane-complete.spec.ts (a learner
  // answers each of them) and the anonymous crawl of e2e/answer-leak.spec.ts.
  // A phone: the lesson with the widest tables and transcripts still fits (wide blocks scroll inside themselves).
  await page.setViewportSize({ width: 390, height: 844 });
  await page.goto(`/learn/control-plane/${controlPlane.lessons[0]?.slug ?? ""}`);
  expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
  if (SHOTS) await page.screenshot({ path: path.join(SHOTS, `control-plane-lesson-1-390.png`), fullPage: true });
});

test("a learner's progress in the control-plane module is its own on the course page", async ({ browser }) => {
  test.setTimeout(180_000);
  if (!controlPlane || !authentication) throw new Error("the course lacks a module");
  const context = await newClient(browser);
  const page = await context.newPage();
  await signUp(page, { email: uniqueEmail("control-plane"), name: "Cleo Plane", password: "a long enough password" });

  const lesson = controlPlane.lessons[0];
  if (!lesson) throw new Error("the control-plane module has no lesson");
  await page.goto(`/learn/control-plane/${lesson.slug}`);
  const question = page.locator('[data-question-id="cp-apiserver-flags-location"]');
  await question.getByLabel("In /etc/kubernetes/manifests/kube-apiserver.yaml", { exact: true }).check();
  await question.getByRole("button", { name: "Check answer" }).click();
  await expect(question.getByRole("status")).toContainText("Correct");
  await page.getByRole("button", { name: "Mark as complete" }).click();
  await expect(page.getByText("Lesson complete")).toBeVisible();

  await page.goto("/learn");
  const planeCard = moduleCard(page, controlPlane.title);
  const authCard = moduleCard(page, authentication.title);
  await expect(planeCard.getByText(`1 of ${controlPlane.lessons.length} lessons complete`)).toBeVisible();
  await expect(planeCard.getByRole("progressbar", { name: `${controlPlane.title} progress` })).toHaveAttribute(
    "aria-valuenow",
    String(Math.round(100 / controlPlane.lessons.length)),
  );
  await expect(planeCard.getByRole("link", { name: `1. ${lesson.frontmatter.title}` })).toBeVisible();
  await expect(planeCard.getByText("Completed", { exact: false }).first()).toBeVisible();
  await expect(authCard.getByText(`0 of ${authentication.lessons.length} lessons complete`)).toBeVisible();
  await expect(authCard.getByRole("progressbar", { name: `${authentication.title} progress` })).toHaveAttribute("aria-valuenow", "0");

  if (SHOTS) {
    for (const width of [1366, 390]) {
      await page.setViewportSize({ width, height: width > 800 ? 900 : 844 });
      await planeCard.scrollIntoViewIfNeeded();
      await page.screenshot({ path: path.join(SHOTS, `control-plane-course-${width}.png`), fullPage: true });
    }
  }
});
