import crypto from "node:crypto";
import type { Page } from "@playwright/test";
import { expect, test } from "./fixtures";
import { admin, newClient, signInViaApi, signUp, uniqueEmail } from "./helpers";
import { getQuestion } from "../lib/content/load";
import { toPublicOptionId } from "../lib/quiz/options";

// Consent: "invite by email" → the student accepts on the dashboard → the instructor sees only
// what the student did after joining (drill-down and attempts.csv), never the work before.

/** Answers with the authored option `a`, under the id the browser would send for it. */
const answer = (page: Page, questionId: string) => {
  const question = getQuestion(questionId);
  if (question?.type !== "single" && question?.type !== "multiple") throw new Error(`${questionId}: not a choice question`);
  return page.request.post("/api/quiz/answers", {
    data: { questionId, submissionId: crypto.randomUUID(), response: { optionIds: [toPublicOptionId(question, "a") ?? ""] } },
  });
};

test("invite, accept on the dashboard, and the instructor sees only post-join work", async ({ browser }) => {
  test.setTimeout(300_000);
  const adminPage = await (await newClient(browser)).newPage();
  await signInViaApi(adminPage, admin.email, admin.password);

  const teacher = { email: uniqueEmail("consent-teacher"), name: "Ines Instructor", password: "consent teacher password" };
  const learner = { email: uniqueEmail("consent-learner"), name: "Lou Learner", password: "consent learner password" };
  const instructor = await (await newClient(browser)).newPage();
  await signUp(instructor, teacher);
  const teacherId = ((await (await instructor.request.get("/api/auth/session")).json()) as { userId: string }).userId;
  expect((await adminPage.request.patch(`/api/admin/users/${teacherId}/role`, { data: { role: "INSTRUCTOR" } })).ok()).toBe(true);

  const student = await (await newClient(browser)).newPage();
  await signUp(student, learner);
  const studentId = ((await (await student.request.get("/api/auth/session")).json()) as { userId: string }).userId;
  // Before joining: an answer the instructor must never see.
  expect((await answer(student, "x509-groups-whoami")).ok()).toBe(true);

  await instructor.goto("/instructor");
  const create = instructor.getByRole("form", { name: "Create a cohort" });
  await create.getByLabel("Name").fill("Consent cohort");
  await create.getByRole("button", { name: "Create cohort" }).click();
  await expect(instructor).toHaveURL(/\/instructor\/cohorts\/[^/]+\/members$/);
  const cohortId = new URL(instructor.url()).pathname.split("/")[3] ?? "";

  // Invite a known and an unknown email, with the keyboard: the same answer for both.
  const invite = instructor.getByRole("form", { name: "Invite a student by email" });
  const messages: string[] = [];
  for (const email of [learner.email, uniqueEmail("nobody")]) {
    await invite.getByLabel("Student email").fill(email);
    await invite.getByLabel("Student email").press("Enter");
    const alert = invite.getByText(/^Invited /);
    await expect(alert).toBeVisible();
    messages.push((await alert.innerText()).replace(email, "<email>"));
    await expect(instructor.getByRole("row", { name: new RegExp(email.replace(/[.]/g, "\\.")) })).toContainText("invited");
  }
  expect(messages[0]).toBe(messages[1]);
  await instructor.screenshot({ path: test.info().outputPath("members-invited.png"), fullPage: true });

  // Invited, not accepted: no name, no data, no drill-down.
  const members = instructor.getByRole("table", { name: /Invited and recently joined students/ });
  await expect(members).not.toContainText(learner.name);
  expect((await instructor.request.get(`/instructor/cohorts/${cohortId}/students/${studentId}`)).status()).toBe(404);
  expect(await (await instructor.request.get(`/api/instructor/cohorts/${cohortId}/export/gradebook.csv`)).text()).not.toContain(
    learner.email,
  );

  // The student sees the invitation, what the instructors will see, and accepts with the keyboard.
  await student.goto("/dashboard");
  const card = student.getByRole("region", { name: "Invitation to Consent cohort" });
  await expect(card).toContainText("every command you type");
  await expect(card).toContainText("nothing you did before joining");
  await expect(card).toContainText("Ines Instructor");
  await student.screenshot({ path: test.info().outputPath("dashboard-invitation.png"), fullPage: true });
  await card.getByRole("button", { name: "Join Consent cohort" }).focus();
  await student.keyboard.press("Enter");
  await expect(card.getByText("You joined Consent cohort.")).toBeVisible();
  await student.reload();
  await expect(student.getByRole("region", { name: "Invitation to Consent cohort" })).toHaveCount(0);

  // After joining: this answer is the instructor's to see.
  expect((await answer(student, "x509-username-source")).ok()).toBe(true);

  await instructor.goto(`/instructor/cohorts/${cohortId}/members`);
  await expect(instructor.getByRole("row", { name: new RegExp(learner.email.replace(/[.]/g, "\\.")) })).toContainText("joined");
  await instructor.goto(`/instructor/cohorts/${cohortId}/students/${studentId}`);
  await expect(instructor.getByRole("heading", { name: learner.name })).toBeVisible();
  await expect(instructor.getByText("x509-username-source")).toBeVisible();
  await expect(instructor.getByText("x509-groups-whoami")).toHaveCount(0);
  const csv = await (await instructor.request.get(`/api/instructor/cohorts/${cohortId}/export/attempts.csv`)).text();
  expect(csv).toContain("x509-username-source");
  expect(csv).not.toContain("x509-groups-whoami");

  // Revoking the other invitation removes its row.
  await instructor.goto(`/instructor/cohorts/${cohortId}/members`);
  const revoke = instructor.getByRole("button", { name: /^Revoke the invitation of nobody-/ });
  await revoke.click();
  await expect(revoke).toHaveCount(0);
});
