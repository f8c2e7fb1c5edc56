import crypto from "node:crypto";
import { parse } from "csv-parse/sync";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestDatabase, providers, type TestDatabase } from "../helpers/database";
import { publicUserSelect, type PublicUser } from "@/lib/accounts/users";
import { createCohort } from "@/lib/cohorts/cohorts";
import {
  assignExam,
  listAssignments,
  removeAssignment,
  studentAssignedExams,
  updateAssignmentWindow,
} from "@/lib/cohorts/exam-assignments";
import { cohortOverview } from "@/lib/cohorts/overview";
import { itemAnalysis, type ExamItems } from "@/lib/cohorts/items";
import { referenceExamItems } from "../helpers/report-reference";
import { gradebookCsv } from "@/lib/cohorts/export";
import { studentDetail } from "@/lib/cohorts/student";
import { assignExamSchema, overviewQuerySchema, updateAssignmentSchema } from "@/lib/cohorts/schemas";
import { loadExamCatalog } from "@/lib/exams/catalog";
import { drawPaper, paperItems, type Paper } from "@/lib/exams/paper";
import { scorePaper } from "@/lib/exams/score";
import { gradeAnswer } from "@/lib/quiz/grade";
import type { Question } from "@/lib/content/schema";
import type { QuizResponse } from "@/lib/quiz/response";

// Instructors and mock exams: assigning an exam to a cohort (with a window), the exam columns of
// the overview and the gradebook (consent and window applied), the exam items of the item
// analysis, and the students' review activity. Attempts are made as the exam service stores
// them: a real paper drawn from the catalog, real grades of real responses, scored by scorePaper.

const QUICK = "authentication-quick-check";
const FULL = "authentication-exam";
const DAY = 86_400_000;
const query = overviewQuerySchema.parse({});

/** Facility compared to 12 decimals: the kept totals add unit scores, the reference adds float scores. */
function rounded(exams: ExamItems[]) {
  return exams.map((exam) => ({ ...exam, questions: exam.questions.map((q) => ({ ...q, facility: Number(q.facility.toFixed(12)) })) }));
}

/** The response a learner who knows the answer (or not) gives. */
function respond(question: Question, right: boolean): QuizResponse {
  switch (question.type) {
    case "single":
      return { optionIds: [right ? question.answer : (question.options.find((o) => o.id !== question.answer)?.id ?? "none")] };
    case "multiple":
      return { optionIds: right ? [...question.answer] : [question.options.find((o) => !question.answer.includes(o.id))?.id ?? "none"] };
    case "short":
      return { text: right ? (question.accepted[0] ?? "") : "certainly not this" };
    case "open":
      return { text: "an essay", selfRating: right ? "got-it" : "missed" };
  }
}

describe.each(providers)("cohort exams and review activity on %s", (provider) => {
  let database: TestDatabase;
  const tag = crypto.randomBytes(3).toString("hex");
  const now = new Date();
  const catalog = loadExamCatalog();
  let instructor: PublicUser;
  let otherInstructor: PublicUser;
  let admin: PublicUser;
  let outsider: PublicUser;
  let cohortId = "";
  let otherCohortId = "";

  async function account(name: string, role: PublicUser["role"] = "STUDENT"): Promise<PublicUser> {
    return database.db.user.create({
      data: { email: `${name}-${provider}-${tag}@example.com`, name: `${name} person`, role },
      select: publicUserSelect,
    });
  }

  async function student(name: string, joinedAt: Date): Promise<PublicUser> {
    const user = await account(name);
    await database.db.cohortMember.create({ data: { cohortId, userId: user.id, role: "STUDENT", joinedAt } });
    return user;
  }

  /**
   * A sitting as the exam service stores it: `right(item key)` says which questions the learner
   * knows and which task checks pass. Closed unless `open`; `tasksOpened: false`: no task opened.
   */
  async function sit(
    userId: string,
    examId: string,
    number: number,
    startedAt: Date,
    right: (key: string) => boolean,
    options: { open?: boolean; seed?: string; deadline?: Date; tasksOpened?: boolean } = {},
  ): Promise<{ percent: number; passed: boolean; paper: Paper }> {
    const exam = catalog.exams.get(examId);
    if (!exam) throw new Error(`no exam ${examId}`);
    const paper = drawPaper(exam, catalog, options.seed ?? `${userId}-${number}`);
    const questions: Record<string, number> = {};
    const checks: Record<string, Record<string, boolean>> = {};
    const answers: { itemKey: string; questionId: string; response: string; score: number; correct: boolean; submissionId: string }[] = [];
    const runs: { itemKey: string; state: string; checks: string }[] = [];
    for (const item of paperItems(paper)) {
      if (item.kind === "question") {
        const question = catalog.questions.get(item.questionId);
        if (!question) throw new Error(`no question ${item.questionId}`);
        const grade = gradeAnswer(question, respond(question, right(item.key)));
        questions[item.key] = grade.score;
        answers.push({
          itemKey: item.key,
          questionId: item.questionId,
          response: JSON.stringify(respond(question, right(item.key))),
          score: grade.score,
          correct: grade.correct,
          submissionId: crypto.randomUUID(),
        });
      } else if (options.tasksOpened !== false) {
        const results = Object.fromEntries(item.checks.map((check) => [check.id, right(`${item.key}/${check.id}`)]));
        checks[item.key] = results;
        runs.push({ itemKey: item.key, state: "{}", checks: JSON.stringify(results) });
      }
    }
    const score = scorePaper(paper, { questions, checks });
    await database.db.examAttempt.create({
      data: {
        userId,
        examId,
        number,
        seed: paper.seed,
        paper: JSON.stringify(paper),
        startedAt,
        deadline: options.deadline ?? new Date(startedAt.getTime() + exam.durationMinutes * 60_000),
        ...(options.open
          ? {}
          : {
              closedAt: new Date(startedAt.getTime() + 20 * 60_000),
              closedBy: "submitted",
              percent: score.percent,
              passed: score.passed,
              score: JSON.stringify(score),
            }),
        answers: { create: answers },
        tasks: { create: runs.map((run) => (options.open ? { ...run, checks: null } : run)) },
      },
    });
    return { percent: score.percent, passed: score.passed, paper };
  }

  beforeAll(async () => {
    database = await createTestDatabase(provider);
    instructor = await account("teacher", "INSTRUCTOR");
    otherInstructor = await account("colleague", "INSTRUCTOR");
    admin = await account("boss", "ADMIN");
    outsider = await account("outsider");
    cohortId = (await createCohort(database.db, instructor, { name: "Exams", description: "", startsAt: null, endsAt: null })).id;
    otherCohortId = (await createCohort(database.db, otherInstructor, { name: "Other", description: "", startsAt: null, endsAt: null })).id;
  });
  afterAll(async () => {
    await database.drop();
  });

  it("validates the window: both ends optional, UTC date-times, closing after opening", () => {
    const ok = assignExamSchema.safeParse({ cohortId, examId: QUICK, opensAt: "2030-03-01T09:00", closesAt: "2030-03-08T17:30" });
    expect(ok.success && ok.data).toMatchObject({
      opensAt: new Date("2030-03-01T09:00:00Z"),
      closesAt: new Date("2030-03-08T17:30:00Z"),
    });
    expect(assignExamSchema.parse({ cohortId, examId: QUICK, opensAt: "", closesAt: "" })).toMatchObject({ opensAt: null, closesAt: null });
    const backwards = assignExamSchema.safeParse({ cohortId, examId: QUICK, opensAt: "2030-03-08T09:00", closesAt: "2030-03-01T09:00" });
    expect(backwards.error?.issues).toEqual([
      expect.objectContaining({ path: ["closesAt"], message: "The window must close after it opens." }),
    ]);
    const same = updateAssignmentSchema.safeParse({
      cohortId,
      assignmentId: "x",
      opensAt: "2030-03-01T09:00",
      closesAt: "2030-03-01T09:00",
    });
    expect(same.error?.issues[0]?.path).toEqual(["closesAt"]);
    for (const bad of ["tomorrow", "2030-02-30T09:00", "2030-03-01T09:00Z", "1999-12-31T23:59", "x".repeat(10_000)]) {
      expect(assignExamSchema.safeParse({ cohortId, examId: QUICK, opensAt: bad }).success, bad).toBe(false);
    }
    expect(assignExamSchema.safeParse({ cohortId, examId: "../etc/passwd" }).success).toBe(false);
  });

  it("lets the cohort's instructors (and admins) assign, re-time and remove an exam; anyone else gets 404", async () => {
    const window = { opensAt: new Date("2030-03-01T09:00:00Z"), closesAt: new Date("2030-03-08T17:30:00Z") };
    const assignment = await assignExam(database.db, instructor, { cohortId, examId: FULL, ...window });
    expect(assignment).toMatchObject({ examId: FULL, title: catalog.exams.get(FULL)?.title, ...window, passMark: 66 });
    await expect(assignExam(database.db, admin, { cohortId, examId: FULL, opensAt: null, closesAt: null })).rejects.toMatchObject({
      status: 409,
      message: expect.stringContaining("already assigned"),
    });
    await expect(
      assignExam(database.db, instructor, { cohortId, examId: "no-such-exam", opensAt: null, closesAt: null }),
    ).rejects.toMatchObject({
      status: 422,
    });
    for (const actor of [otherInstructor, outsider]) {
      await expect(assignExam(database.db, actor, { cohortId, examId: QUICK, opensAt: null, closesAt: null })).rejects.toMatchObject({
        status: 404,
      });
      await expect(listAssignments(database.db, actor, cohortId)).rejects.toMatchObject({ status: 404 });
      await expect(
        updateAssignmentWindow(database.db, actor, { cohortId, assignmentId: assignment.id, opensAt: null, closesAt: null }),
      ).rejects.toMatchObject({ status: 404 });
      await expect(removeAssignment(database.db, actor, { cohortId, assignmentId: assignment.id })).rejects.toMatchObject({ status: 404 });
    }
    // Another cohort's instructor cannot reach this assignment through their own cohort either.
    await expect(
      updateAssignmentWindow(database.db, otherInstructor, {
        cohortId: otherCohortId,
        assignmentId: assignment.id,
        opensAt: null,
        closesAt: null,
      }),
    ).rejects.toMatchObject({ status: 404 });
    await expect(
      removeAssignment(database.db, otherInstructor, { cohortId: otherCohortId, assignmentId: assignment.id }),
    ).rejects.toMatchObject({
      status: 404,
    });
    expect((await listAssignments(database.db, instructor, cohortId)).assignments).toEqual([
      expect.objectContaining({ id: assignment.id, ...window }),
    ]);

    const moved = await updateAssignmentWindow(database.db, admin, {
      cohortId,
      assignmentId: assignment.id,
      opensAt: null,
      closesAt: window.closesAt,
    });
    expect(moved).toMatchObject({ opensAt: null, closesAt: window.closesAt });
    await removeAssignment(database.db, instructor, { cohortId, assignmentId: assignment.id });
    expect((await listAssignments(database.db, instructor, cohortId)).assignments).toEqual([]);
    await expect(removeAssignment(database.db, instructor, { cohortId, assignmentId: assignment.id })).rejects.toMatchObject({
      status: 404,
    });
  });

  it("shows each student's best and latest counted sitting: since joining, inside the window, closed", async () => {
    const joinedAt = new Date(now.getTime() - 20 * DAY);
    const opensAt = new Date(now.getTime() - 10 * DAY);
    const closesAt = new Date(now.getTime() - 2 * DAY);
    const ana = await student("ana", joinedAt);
    const ben = await student("ben", joinedAt);
    const quiet = await student("quiet", joinedAt);
    await assignExam(database.db, instructor, { cohortId, examId: QUICK, opensAt, closesAt });
    await assignExam(database.db, instructor, { cohortId, examId: FULL, opensAt: null, closesAt: null });
    const all = () => true;
    const none = () => false;
    // Ana: before joining (perfect), before the window (perfect), two in the window, one open, one after.
    await sit(ana.id, QUICK, 1, new Date(joinedAt.getTime() - DAY), all);
    await sit(ana.id, QUICK, 2, new Date(opensAt.getTime() - 60_000), all);
    const weak = await sit(ana.id, QUICK, 3, new Date(opensAt.getTime() + DAY), (key) => key.startsWith("question:") && key < "question:m");
    const good = await sit(ana.id, QUICK, 4, new Date(opensAt.getTime() + 2 * DAY), (key) => key !== "question:z");
    const low = await sit(ana.id, QUICK, 5, new Date(opensAt.getTime() + 3 * DAY), none);
    // (Still open: its deadline is ahead. One past its deadline would be closed by the read: see below.)
    await sit(ana.id, QUICK, 6, new Date(opensAt.getTime() + 4 * DAY), all, { open: true, deadline: new Date(now.getTime() + DAY) });
    await sit(ana.id, QUICK, 7, new Date(closesAt.getTime() + 60_000), all);
    // Ben: the full exam has no window: any closed sitting since joining counts.
    const full = await sit(ben.id, FULL, 1, new Date(now.getTime() - DAY), all);
    expect(full).toMatchObject({ percent: 100, passed: true });
    expect(low).toMatchObject({ percent: 0, passed: false });
    expect(good.percent).toBeGreaterThan(weak.percent);

    const overview = await cohortOverview(database.db, instructor, cohortId, query, { fresh: true });
    expect(overview.exams.map((exam) => exam.examId)).toEqual([QUICK, FULL]);
    const row = (userId: string) => overview.rows.find((r) => r.userId === userId);
    expect(row(ana.id)?.exams.get(QUICK)).toEqual({
      attempts: 3,
      best: { percent: good.percent, passed: good.passed },
      latest: { percent: 0, passed: false, closedAt: expect.any(Date) },
      passed: good.passed,
    });
    expect(row(ana.id)?.exams.get(FULL)).toBeUndefined();
    expect(row(ben.id)?.exams.get(FULL)).toMatchObject({ attempts: 1, best: { percent: 100, passed: true }, passed: true });
    expect(row(quiet.id)?.exams.size).toBe(0);

    // The exam totals went in with the summaries' one-time fill (the rows were written directly).
    expect(rounded((await itemAnalysis(database.db, instructor, cohortId, { fresh: true })).exams)).toEqual(
      rounded(await referenceExamItems(database.db, cohortId)),
    );
    // Widening the window to the whole past counts the sitting before it, never the one before joining.
    const [quick] = (await listAssignments(database.db, instructor, cohortId)).assignments;
    await updateAssignmentWindow(database.db, instructor, { cohortId, assignmentId: quick?.id ?? "", opensAt: null, closesAt: null });
    const widened = await cohortOverview(database.db, instructor, cohortId, query);
    expect(widened.rows.find((r) => r.userId === ana.id)?.exams.get(QUICK)).toMatchObject({
      attempts: 5,
      best: { percent: 100, passed: true },
      latest: { percent: 100, passed: true },
      passed: true,
    });
    // The item analysis's first counted sitting moves with the window: Ana's sitting 2 now.
    const widenedItems = (await itemAnalysis(database.db, instructor, cohortId, { fresh: true })).exams;
    expect(rounded(widenedItems)).toEqual(rounded(await referenceExamItems(database.db, cohortId)));
    expect(widenedItems.find((exam) => exam.examId === QUICK)?.questions.every((q) => q.correctShare === 1)).toBe(true);
    await updateAssignmentWindow(database.db, instructor, { cohortId, assignmentId: quick?.id ?? "", opensAt, closesAt });

    // The gradebook: four columns per assigned exam, the same figures.
    const text = await new Response((await gradebookCsv(database.db, instructor, cohortId)).stream).text();
    const records: Record<string, string>[] = parse(text, { bom: true, columns: true });
    const header = Object.keys(records[0] ?? {});
    expect(header.slice(-8)).toEqual([
      `exam ${QUICK}: best %`,
      `exam ${QUICK}: latest %`,
      `exam ${QUICK}: passed`,
      `exam ${QUICK}: attempts`,
      `exam ${FULL}: best %`,
      `exam ${FULL}: latest %`,
      `exam ${FULL}: passed`,
      `exam ${FULL}: attempts`,
    ]);
    const record = (user: PublicUser) => records.find((r) => r.email === user.email);
    expect(record(ana)).toMatchObject({
      [`exam ${QUICK}: best %`]: good.percent.toFixed(1),
      [`exam ${QUICK}: latest %`]: "0.0",
      [`exam ${QUICK}: passed`]: good.passed ? "yes" : "no",
      [`exam ${QUICK}: attempts`]: "3",
      [`exam ${FULL}: best %`]: "",
      [`exam ${FULL}: attempts`]: "0",
    });
    expect(record(ben)).toMatchObject({
      [`exam ${FULL}: best %`]: "100.0",
      [`exam ${FULL}: passed`]: "yes",
      [`exam ${FULL}: attempts`]: "1",
    });
    expect(record(quiet)).toMatchObject({ [`exam ${QUICK}: passed`]: "no", [`exam ${QUICK}: attempts`]: "0" });

    // Item analysis: each student's FIRST counted sitting only (Ana's sitting 3, Ben's 1), from the
    // kept exam totals, as a recomputation from the rows gives it.
    const items = await itemAnalysis(database.db, instructor, cohortId, { fresh: true });
    expect(rounded(items.exams)).toEqual(rounded(await referenceExamItems(database.db, cohortId)));
    const quickItems = items.exams.find((exam) => exam.examId === QUICK);
    expect(quickItems?.sittings).toBe(1);
    const firstPaper = paperItems(weak.paper);
    const expected = firstPaper.filter((item) => item.kind === "question");
    expect(quickItems?.questions.map((q) => q.questionId).sort()).toEqual(expected.map((item) => item.questionId).sort());
    for (const item of quickItems?.questions ?? []) {
      const knew = `question:${item.questionId}` < "question:m";
      expect(item, item.questionId).toMatchObject({ answered: 1, correctShare: knew ? 1 : 0 });
    }
    const task = firstPaper.find((item) => item.kind === "task");
    expect(quickItems?.checks.map((check) => check.checkId).sort()).toEqual(
      task?.kind === "task" ? task.checks.map((c) => c.id).sort() : [],
    );
    expect(quickItems?.checks.every((check) => check.runs === 1 && check.passRate === 0)).toBe(true);
    const fullItems = items.exams.find((exam) => exam.examId === FULL);
    expect(fullItems?.sittings).toBe(1);
    expect(fullItems?.questions.every((q) => q.correctShare === 1 && q.facility === 1)).toBe(true);
    expect(fullItems?.checks.length).toBeGreaterThan(0);
    expect(fullItems?.checks.every((check) => check.passRate === 1 && check.taskTitle !== check.taskKey)).toBe(true);
    // The course's own item statistics are not touched by exam answers.
    expect(items.questions.every((q) => q.attempts === 0)).toBe(true);

    // The students see what is assigned to them; an outsider nothing.
    expect((await studentAssignedExams(database.db, ana.id)).map((exam) => [exam.examId, exam.cohortName])).toEqual([
      [QUICK, "Exams"],
      [FULL, "Exams"],
    ]);
    expect(await studentAssignedExams(database.db, outsider.id)).toEqual([]);
  });

  it("shows a student's review activity since joining: reviews in 7 and 30 days, cards due, retention, last review", async () => {
    const joinedAt = new Date(now.getTime() - 40 * DAY);
    const learner = await student("reviewer", joinedAt);
    const card = async (key: string, createdAt: Date, due: Date) =>
      database.db.reviewCard.create({ data: { userId: learner.id, itemKey: key, kind: "question", source: "quiz", due, createdAt } });
    const before = await card("question:before-joining", new Date(joinedAt.getTime() - DAY), new Date(now.getTime() - DAY));
    const a = await card("question:a", new Date(joinedAt.getTime() + DAY), new Date(now.getTime() - DAY));
    await card("question:b", new Date(joinedAt.getTime() + DAY), new Date(now.getTime() - 60_000));
    await card("question:c", new Date(joinedAt.getTime() + DAY), new Date(now.getTime() + 3 * DAY));
    const review = (cardId: string, rating: number, daysAgo: number) =>
      database.db.reviewLog.create({
        data: {
          cardId,
          userId: learner.id,
          rating,
          outcome: rating >= 3 ? "correct" : "incorrect",
          requestId: crypto.randomUUID(),
          reviewedAt: new Date(now.getTime() - daysAgo * DAY),
        },
      });
    await review(before.id, 4, 45); // before joining: never shown
    await review(a.id, 1, 35); // since joining, outside 30 days
    await review(a.id, 3, 20);
    await review(a.id, 2, 10);
    await review(a.id, 4, 3);
    await review(a.id, 3, 1);

    const detail = await studentDetail(database.db, instructor, cohortId, learner.id);
    expect(detail.reviews).toEqual({
      reviewsLast7Days: 2,
      reviewsLast30Days: 4,
      cardsDue: 2,
      cards: 3,
      retention: 3 / 4,
      lastReviewAt: new Date(now.getTime() - DAY),
    });
    const overview = await cohortOverview(database.db, instructor, cohortId, query, { fresh: true });
    expect(overview.rows.find((row) => row.userId === learner.id)?.reviewsLast7Days).toBe(2);

    // Joined two days ago: the reviews of the days before are not the cohort's.
    await database.db.cohortMember.update({
      where: { cohortId_userId: { cohortId, userId: learner.id } },
      data: { joinedAt: new Date(now.getTime() - 2 * DAY) },
    });
    const later = await studentDetail(database.db, instructor, cohortId, learner.id);
    expect(later.reviews).toMatchObject({ reviewsLast7Days: 1, reviewsLast30Days: 1, cards: 0, cardsDue: 0, retention: 1 });
    expect(
      (await cohortOverview(database.db, instructor, cohortId, query, { fresh: true })).rows.find((r) => r.userId === learner.id)
        ?.reviewsLast7Days,
    ).toBe(1);
  });

  it("closes and scores a student's attempt found past its deadline before showing results, as the learner's next request would", async () => {
    const late = await student("late", new Date(now.getTime() - 20 * DAY));
    // FULL is assigned without a window (first test). Started three hours ago, never submitted, no task opened.
    const startedAt = new Date(now.getTime() - 3 * 3_600_000);
    const knows = (key: string) => key.startsWith("question:") && key < "question:m";
    const expected = await sit(late.id, FULL, 1, startedAt, knows, { open: true, tasksOpened: false });
    const missed = paperItems(expected.paper).filter((item) => item.kind === "question" && !knows(item.key));
    const before = await database.db.examAttempt.findFirstOrThrow({ where: { userId: late.id } });
    expect(before.closedAt).toBeNull();
    expect(before.deadline.getTime()).toBeLessThan(Date.now());

    const overview = await cohortOverview(database.db, instructor, cohortId, query, { fresh: true });
    expect(overview.rows.find((r) => r.userId === late.id)?.exams.get(FULL)).toEqual({
      attempts: 1,
      best: { percent: expected.percent, passed: expected.passed },
      latest: { percent: expected.percent, passed: expected.passed, closedAt: before.deadline },
      passed: expected.passed,
    });
    const after = await database.db.examAttempt.findFirstOrThrow({ where: { userId: late.id } });
    expect(after).toMatchObject({ closedAt: before.deadline, closedBy: "deadline", percent: expected.percent, passed: expected.passed });
    // Its missed questions went to spaced review, as any close does (the tasks were not opened: none of theirs).
    expect(missed.length).toBeGreaterThan(0);
    expect(await database.db.reviewCard.count({ where: { userId: late.id, kind: "question" } })).toBe(missed.length);
    expect(await database.db.reviewCard.count({ where: { userId: late.id, kind: "check" } })).toBe(0);
  });

  it("counts a half-right exam answer as half in the exam item's facility, from the fill and from a rebuild", async () => {
    // SQLite hands computed columns back typed by their first value: an integer there truncated
    // every later score of the column, so three answers scored 0.5 showed a facility of 0.
    const cohort = await createCohort(database.db, instructor, { name: "Partial", description: "", startsAt: null, endsAt: null });
    const assignment = await assignExam(database.db, instructor, { cohortId: cohort.id, examId: QUICK, opensAt: null, closesAt: null });
    let questionId = "";
    for (const name of ["half-a", "half-b", "half-c"]) {
      const user = await account(name);
      await database.db.cohortMember.create({
        data: { cohortId: cohort.id, userId: user.id, role: "STUDENT", joinedAt: new Date(now.getTime() - 3 * DAY) },
      });
      const { paper } = await sit(user.id, QUICK, 1, new Date(now.getTime() - 2 * DAY), () => false, { seed: "partial" });
      const first = paperItems(paper).find((item) => item.kind === "question");
      questionId = first?.kind === "question" ? first.questionId : "";
      await database.db.examAnswer.updateMany({ where: { attempt: { userId: user.id }, questionId }, data: { score: 0.5 } });
    }
    const facility = async () => {
      const items = await itemAnalysis(database.db, instructor, cohort.id, { fresh: true });
      expect(rounded(items.exams)).toEqual(rounded(await referenceExamItems(database.db, cohort.id)));
      return items.exams[0]?.questions.find((q) => q.questionId === questionId);
    };
    // The summaries' first computation (the fill) adds the sittings to the totals.
    expect(await facility()).toMatchObject({ answered: 3, correctShare: 0, facility: 0.5 });
    // Re-timing the assignment rebuilds the exam's totals from the rows.
    await updateAssignmentWindow(database.db, instructor, {
      cohortId: cohort.id,
      assignmentId: assignment.id,
      opensAt: new Date(now.getTime() - 10 * DAY),
      closesAt: null,
    });
    expect(await facility()).toMatchObject({ answered: 3, correctShare: 0, facility: 0.5 });
  });
});
