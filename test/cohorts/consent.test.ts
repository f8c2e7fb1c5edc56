import crypto from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestDatabase, providers, type TestDatabase } from "../helpers/database";
import type { PublicUser } from "@/lib/accounts/users";
import { publicUserSelect } from "@/lib/accounts/users";
import {
  INVITATION_DAYS,
  cohortMembers,
  createCohort,
  inviteStudentByEmail,
  joinCohort,
  listInvitations,
  pendingInvitations,
  respondToInvitation,
  revokeInvitation,
} from "@/lib/cohorts/cohorts";
import { recomputeSummaries } from "@/lib/summaries/student-summary";
import { cohortOverview, lessonsPerWeek, studentSummaries } from "@/lib/cohorts/overview";
import { itemAnalysis } from "@/lib/cohorts/items";
import { studentDetail } from "@/lib/cohorts/student";
import { attemptsCsv, gradebookCsv } from "@/lib/cohorts/export";
import { scenariosCsv } from "@/lib/cohorts/scenario-export";
import { overviewQuerySchema } from "@/lib/cohorts/schemas";
import { loadCourse } from "@/lib/content/load";

// Requirement: an instructor sees a student only after the student consents (invitation accepted
// or join link used), and then only what the student did after joining.

const query = overviewQuerySchema.parse({});
const DAY = 86_400_000;

async function text(stream: ReadableStream<Uint8Array>): Promise<string> {
  return new Response(stream).text();
}

describe.each(providers)("cohort consent on %s", (provider) => {
  let database: TestDatabase;
  const tag = crypto.randomBytes(3).toString("hex");
  let instructor: PublicUser;
  let cohortId = "";

  async function account(name: string, role: PublicUser["role"] = "STUDENT"): Promise<PublicUser> {
    return database.db.user.create({
      data: { email: `${name}-${provider}-${tag}@example.com`, name: `${name} person`, role },
      select: publicUserSelect,
    });
  }

  beforeAll(async () => {
    database = await createTestDatabase(provider);
    instructor = await account("teacher", "INSTRUCTOR");
    cohortId = (await createCohort(database.db, instructor, { name: "Consent", description: "", startsAt: null, endsAt: null })).id;
  });
  afterAll(async () => {
    await database.drop();
  });

  const studentsOf = async () => (await studentSummaries(database.db, cohortId)).map((row) => row.userId);

  it("invites instead of enrolling, with the same answer for known, unknown, instructor and admin emails", async () => {
    const known = await account("known");
    const teacher = await account("colleague", "INSTRUCTOR");
    const admin = await account("boss", "ADMIN");
    const unknownEmail = `nobody-${provider}-${tag}@example.com`;
    const now = new Date("2030-01-01T00:00:00Z");
    const answers = await Promise.all(
      [known.email, unknownEmail, teacher.email, admin.email.toUpperCase()].map((email) =>
        inviteStudentByEmail(database.db, instructor, cohortId, email, now),
      ),
    );
    // Nothing in the answer tells which emails have accounts.
    const shapes = answers.map((answer) => ({ ...answer, email: "" }));
    expect(new Set(shapes.map((shape) => JSON.stringify(shape))).size).toBe(1);
    expect(answers[3]?.email).toBe(admin.email);
    // Nobody became a member, whatever their role; the instructor sees four "invited" emails and no data.
    expect(await database.db.cohortMember.count({ where: { cohortId, role: "STUDENT" } })).toBe(0);
    expect(await studentsOf()).toEqual([]);
    expect((await cohortMembers(database.db, instructor, cohortId)).students).toBe(0);
    const invited = await listInvitations(database.db, instructor, cohortId, now);
    expect(invited.map((i) => i.email).sort()).toEqual([known.email, unknownEmail, teacher.email, admin.email].sort());
    expect(Object.keys(invited[0] ?? {}).sort()).toEqual(["createdAt", "email", "expiresAt", "id"]);
    for (const person of [known, teacher, admin]) {
      await expect(studentDetail(database.db, instructor, cohortId, person.id)).rejects.toMatchObject({ status: 404 });
      // Each of them sees the invitation and decides.
      expect((await pendingInvitations(database.db, person, now)).map((p) => p.cohort.id)).toEqual([cohortId]);
    }
    // The unknown email's invitation waits for whoever signs up with it, until it expires.
    const late = await account(`nobody`);
    expect(late.email).toBe(unknownEmail);
    const [waiting] = await pendingInvitations(database.db, late, now);
    expect(waiting?.expiresAt).toEqual(new Date(now.getTime() + INVITATION_DAYS * DAY));
    expect(await pendingInvitations(database.db, late, new Date(now.getTime() + INVITATION_DAYS * DAY + 1))).toEqual([]);
    await expect(
      respondToInvitation(database.db, late, waiting?.id ?? "", true, new Date(now.getTime() + INVITATION_DAYS * DAY + 1)),
    ).rejects.toMatchObject({ status: 404 });
    await database.db.cohortInvitation.deleteMany({ where: { cohortId } });
  });

  it("shows only what a student did after accepting, in every report and export", async () => {
    const student = await account("learner");
    const course = loadCourse();
    const [lessonA, lessonB] = course.modules[0]?.lessons ?? [];
    const questionA = lessonA?.questionIds[0];
    const questionB = lessonB?.questionIds[0];
    if (!lessonA || !lessonB || !questionA || !questionB) throw new Error("content changed");
    const before = new Date(Date.now() - 3 * DAY);
    const answer = (questionId: string, lesson: typeof lessonA, submissionId: string, createdAt?: Date) => ({
      userId: student.id,
      questionId,
      moduleId: lesson.moduleId,
      lessonSlug: lesson.slug,
      response: { text: `answer ${submissionId}` },
      submissionId,
      score: 1,
      correct: true,
      isFirst: true,
      firstQuestionId: questionId,
      ...(createdAt ? { createdAt } : {}),
    });
    // Work done before joining (as a student of nobody, or of another cohort).
    await database.db.questionAttempt.create({ data: answer(questionA, lessonA, "pre-join-secret", before) });
    await database.db.lessonProgress.create({
      data: {
        userId: student.id,
        moduleId: lessonA.moduleId,
        lessonSlug: lessonA.slug,
        timeSpentSeconds: 999,
        completedAt: before,
        firstVisitedAt: before,
        lastVisitedAt: before,
      },
    });
    const preAttempt = await database.db.scenarioAttempt.create({
      data: {
        userId: student.id,
        scenarioId: "whoami",
        number: 1,
        isFirst: true,
        status: "PASSED",
        score: 1,
        hintsUsed: 3,
        timeSpentSeconds: 600,
        startedAt: before,
        lastActiveAt: before,
      },
    });
    await database.db.scenarioEvent.create({
      data: { attemptId: preAttempt.id, kind: "command", detail: "kubectl get secret pre-join-secret", createdAt: before },
    });
    await database.db.scenarioCheckResult.create({
      data: { attemptId: preAttempt.id, scenarioId: "whoami", checkId: "inspected-certificate", passed: true },
    });
    await database.db.user.update({ where: { id: student.id }, data: { lastActiveAt: before } });

    // Invited but not accepted: nothing at all.
    await inviteStudentByEmail(database.db, instructor, cohortId, student.email);
    expect(await studentsOf()).toEqual([]);
    await expect(studentDetail(database.db, instructor, cohortId, student.id)).rejects.toMatchObject({ status: 404 });
    expect(await text((await attemptsCsv(database.db, instructor, cohortId)).stream)).not.toContain(student.email);
    expect(await text((await gradebookCsv(database.db, instructor, cohortId)).stream)).not.toContain(student.email);
    expect(await text((await scenariosCsv(database.db, instructor, cohortId)).stream)).not.toContain(student.email);

    const [invitation] = await pendingInvitations(database.db, student);
    await expect(respondToInvitation(database.db, instructor, invitation?.id ?? "", true)).rejects.toMatchObject({ status: 404 });
    await expect(respondToInvitation(database.db, student, invitation?.id ?? "", true)).resolves.toMatchObject({ result: "added" });
    expect(await pendingInvitations(database.db, student)).toEqual([]);
    expect(await listInvitations(database.db, instructor, cohortId)).toEqual([]);

    // Joined, no work since: a member with nothing to show.
    const [fresh] = await studentSummaries(database.db, cohortId);
    expect(fresh).toMatchObject({
      userId: student.id,
      questionsAnswered: 0,
      lessonsCompleted: 0,
      scenariosPassed: 0,
      hintsUsed: 0,
      timeSpentSeconds: 0,
      lastActiveAt: null,
      status: "not-started",
    });

    // Work after joining.
    await new Promise((resolve) => setTimeout(resolve, 5));
    await database.db.questionAttempt.create({ data: answer(questionB, lessonB, "post-join") });
    await database.db.lessonProgress.create({
      data: { userId: student.id, moduleId: lessonB.moduleId, lessonSlug: lessonB.slug, timeSpentSeconds: 60, completedAt: new Date() },
    });
    await database.db.lessonProgress.update({
      where: { userId_moduleId_lessonSlug: { userId: student.id, moduleId: lessonA.moduleId, lessonSlug: lessonA.slug } },
      data: { lastVisitedAt: new Date(), timeSpentSeconds: 1999 },
    });
    const postAttempt = await database.db.scenarioAttempt.create({
      data: {
        userId: student.id,
        scenarioId: "whoami",
        number: 2,
        isFirst: false,
        status: "IN_PROGRESS",
        hintsUsed: 1,
        timeSpentSeconds: 30,
      },
    });
    await database.db.scenarioEvent.create({ data: { attemptId: postAttempt.id, kind: "command", detail: "kubectl auth whoami" } });
    // Rows written straight to the tables: recompute the summaries as the app's writers do.
    await recomputeSummaries(database.db, student.id);

    const [row] = await studentSummaries(database.db, cohortId);
    // Lesson A was begun before joining: its completion and its (unsplittable) time stay hidden.
    expect(row).toMatchObject({
      questionsAnswered: 1,
      lessonsCompleted: 1,
      scenariosPassed: 0,
      hintsUsed: 1,
      timeSpentSeconds: 90,
      status: "active",
    });
    const overview = await cohortOverview(database.db, instructor, cohortId, query, { fresh: true });
    expect(overview.rows[0]).toMatchObject({ questionsAnswered: 1, lessonsCompleted: 1, hintsUsed: 1 });
    expect(overview.weeks.reduce((sum, week) => sum + week.completed, 0)).toBe(1);
    expect((await lessonsPerWeek(database.db, cohortId)).at(-1)?.cumulative).toBe(1);

    const detail = await studentDetail(database.db, instructor, cohortId, student.id);
    expect(detail.questionAttempts.map((a) => a.questionId)).toEqual([questionB]);
    expect(detail.scenarioAttempts.map((a) => a.number)).toEqual([2]);
    expect(JSON.stringify(detail)).not.toContain("pre-join-secret");

    const csv = await text((await attemptsCsv(database.db, instructor, cohortId)).stream);
    expect(csv).toContain("answer post-join");
    expect(csv).not.toContain("pre-join-secret");
    // The answer after joining and the scenario attempt started after joining.
    expect(csv.trim().split("\r\n")).toHaveLength(3);
    const scenarios = await text((await scenariosCsv(database.db, instructor, cohortId)).stream);
    expect(scenarios).toContain("kubectl auth whoami");
    expect(scenarios).not.toContain("pre-join-secret");
    expect(scenarios).not.toMatch(/whoami,[^,]*,1,yes,passed/);

    const items = await itemAnalysis(database.db, instructor, cohortId, { fresh: true });
    expect(items.questions.find((q) => q.questionId === questionA)?.attempts).toBe(0);
    expect(items.questions.find((q) => q.questionId === questionB)?.attempts).toBe(1);
    expect(items.checks.reduce((sum, check) => sum + check.attempts, 0)).toBe(0);
  });

  it("lets the student decline, the instructor revoke, and nobody else answer", async () => {
    const student = await account("decliner");
    const stranger = await account("stranger");
    await inviteStudentByEmail(database.db, instructor, cohortId, student.email);
    const [invitation] = await pendingInvitations(database.db, student);
    const id = invitation?.id ?? "";
    await expect(respondToInvitation(database.db, stranger, id, true)).rejects.toMatchObject({ status: 404 });
    await expect(respondToInvitation(database.db, student, id, false)).resolves.toMatchObject({ result: "declined" });
    expect(await pendingInvitations(database.db, student)).toEqual([]);
    await expect(respondToInvitation(database.db, student, id, true)).rejects.toMatchObject({ status: 404 });
    // The instructor still sees "invited" (a decline does not reveal that the account exists), and
    // inviting again does not put the declined invitation back in front of the student.
    expect((await listInvitations(database.db, instructor, cohortId)).map((i) => i.email)).toContain(student.email);
    await inviteStudentByEmail(database.db, instructor, cohortId, student.email);
    expect(await pendingInvitations(database.db, student)).toEqual([]);
    expect(await database.db.cohortMember.count({ where: { cohortId, userId: student.id } })).toBe(0);

    const other = await account("revoked");
    await inviteStudentByEmail(database.db, instructor, cohortId, other.email);
    const [pending] = await pendingInvitations(database.db, other);
    await expect(revokeInvitation(database.db, stranger, cohortId, pending?.id ?? "")).rejects.toMatchObject({ status: 404 });
    await revokeInvitation(database.db, instructor, cohortId, pending?.id ?? "");
    expect(await pendingInvitations(database.db, other)).toEqual([]);
    await expect(respondToInvitation(database.db, other, pending?.id ?? "", true)).rejects.toMatchObject({ status: 404 });
    await expect(revokeInvitation(database.db, instructor, cohortId, pending?.id ?? "")).rejects.toMatchObject({ status: 404 });
  });

  it("counts the join link as acceptance and clears the invitation", async () => {
    const student = await account("linker");
    await inviteStudentByEmail(database.db, instructor, cohortId, student.email);
    const cohort = await database.db.cohort.findUniqueOrThrow({ where: { id: cohortId } });
    await expect(joinCohort(database.db, student, cohort.joinCode)).resolves.toMatchObject({ result: "added" });
    expect(await pendingInvitations(database.db, student)).toEqual([]);
    expect((await listInvitations(database.db, instructor, cohortId)).map((i) => i.email)).not.toContain(student.email);
    // An existing member invited again: same answer, no invitation stored.
    await inviteStudentByEmail(database.db, instructor, cohortId, student.email);
    expect(await pendingInvitations(database.db, student)).toEqual([]);
  });
});
