// The exam service against a real database (PostgreSQL when configured, else SQLite) and the real worker pool: one open attempt per
// learner and exam, hidden grades, replaced and idempotent answers, the deadline (refusal, and the
// close on the next request), closing once, scoring as scorePaper does, and other learners' 404s;
// and the exam item totals of the learners' cohort kept with every close (lib/summaries/exam-totals.ts).
import crypto from "node:crypto";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { createTestDatabase, providers, type TestDatabase } from "../helpers/database";
import { loadCourse } from "@/lib/content/load";
import { publicOptionId } from "@/lib/quiz/options";
import { scorePaper } from "@/lib/exams/score";
import type { Paper } from "@/lib/exams/paper";
import type { OpenAttemptView } from "@/lib/exams/api-types";
import type { Question } from "@/lib/content/schema";
import { publicUserSelect, type PublicUser } from "@/lib/accounts/users";
import { createCohort, joinCohort, removeMember } from "@/lib/cohorts/cohorts";
import { assignExam, listAssignments, updateAssignmentWindow } from "@/lib/cohorts/exam-assignments";
import { itemAnalysis, type ExamItems } from "@/lib/cohorts/items";
import { fillMissingSummaries } from "@/lib/summaries/student-summary";
import { referenceExamItems } from "../helpers/report-reference";
import { getScenarioDefinition } from "@/lib/scenarios/catalog";

let database: TestDatabase;
let service: typeof import("@/lib/exams/service");
let ids: { ana: string; ben: string; cleo: string };
let instructor: PublicUser;
let cohortId = "";
const EXAM = "authentication-quick-check";

beforeAll(async () => {
  // PostgreSQL when TEST_DATABASE_URL names one (its row locks are what the service relies on), else SQLite.
  database = await createTestDatabase(providers.at(-1) ?? "sqlite");
  vi.stubEnv("DATABASE_URL", database.config.url);
  vi.stubEnv("PRACTICE_API_PORT", "0");
  vi.stubEnv("TERMINAL_RATE_LIMIT", "1000");
  vi.stubEnv("ANSWER_RATE_LIMIT", "1000");
  // Not the subject here; a PostgreSQL limiter's pool would outlive the dropped test database.
  vi.stubEnv("RATE_LIMIT_STORE", "memory");
  service = await import("@/lib/exams/service");
  const make = (name: string) => database.db.user.create({ data: { email: `${name}@example.com`, name } });
  ids = { ana: (await make("ana")).id, ben: (await make("ben")).id, cleo: (await make("cleo")).id };
  // The three learners are students of a cohort the exam is assigned to (no window) before they sit it.
  instructor = await database.db.user.create({
    data: { email: "teacher@example.com", name: "Teacher", role: "INSTRUCTOR" },
    select: publicUserSelect,
  });
  cohortId = (await createCohort(database.db, instructor, { name: "Exams", description: "", startsAt: null, endsAt: null })).id;
  await assignExam(database.db, instructor, { cohortId, examId: EXAM, opensAt: null, closesAt: null });
  const { joinCode } = await database.db.cohort.findUniqueOrThrow({ where: { id: cohortId }, select: { joinCode: true } });
  for (const id of Object.values(ids)) {
    const user = await database.db.user.findUniqueOrThrow({ where: { id }, select: publicUserSelect });
    await joinCohort(database.db, user, joinCode);
  }
});

afterAll(async () => {
  vi.unstubAllEnvs();
  await database.drop();
});

const questions = loadCourse().questions;

function open(view: Awaited<ReturnType<typeof service.getAttempt>>): OpenAttemptView {
  if (view.status !== "open") throw new Error("expected an open attempt");
  return view;
}

function questionItems(view: OpenAttemptView) {
  return view.paper.sections.flatMap((section) => section.items.flatMap((item) => (item.kind === "question" ? [item] : [])));
}

/** The correct response in the browser's terms (public option ids, an accepted text). */
function correctResponse(question: Question) {
  if (question.type === "single") {
    const option = question.options.find((candidate) => candidate.id === question.answer);
    return { optionIds: [publicOptionId(question.id, option?.text ?? "")] };
  }
  if (question.type === "multiple")
    return {
      optionIds: question.options.filter((option) => question.answer.includes(option.id)).map((o) => publicOptionId(question.id, o.text)),
    };
  if (question.type === "short") return { text: question.accepted[0] ?? "" };
  throw new Error("no open questions in exams");
}

function wrongResponse(question: Question) {
  if (question.type === "single") {
    const option = question.options.find((candidate) => candidate.id !== question.answer);
    return { optionIds: [publicOptionId(question.id, option?.text ?? "")] };
  }
  if (question.type === "multiple") return { optionIds: [publicOptionId(question.id, question.options[0]?.text ?? "")].slice(0, 1) };
  return { text: "certainly not this" };
}

const uuid = () => crypto.randomUUID();

/** Moves an attempt's clock: the deadline is now minus `msAgo`. */
async function expire(attemptId: string, msAgo = 1000) {
  await database.db.examAttempt.update({ where: { id: attemptId }, data: { deadline: new Date(Date.now() - msAgo) } });
}

describe("exam service", () => {
  it("starts one open attempt per learner and exam: a second start (another tab) returns it", async () => {
    const [first, ...others] = await Promise.all(Array.from({ length: 4 }, () => service.startAttempt(ids.ana, EXAM)));
    if (!first) throw new Error("no start");
    for (const other of others) expect(other.attemptId).toBe(first.attemptId);
    const view = open(first);
    expect(view.remainingMs).toBeGreaterThan(29 * 60_000);
    expect(view.remainingMs).toBeLessThanOrEqual(30 * 60_000);
    expect(await database.db.examAttempt.count({ where: { userId: ids.ana, examId: EXAM } })).toBe(1);
    expect(questionItems(view)).toHaveLength(8);
    await expect(service.startAttempt(ids.ana, "no-such-exam")).rejects.toMatchObject({ status: 404 });
  });

  it("sends nothing of keys, grades or checks while open", async () => {
    const view = open(await service.startAttempt(ids.ana, EXAM));
    const text = JSON.stringify(view);
    expect(text).not.toMatch(/"(answer|accepted|explanation|correct|correctOptionIds|score|solution|hints|checks|description|seed)"/);
    for (const item of questionItems(view)) {
      const question = questions.get(item.question.id);
      expect(question).toBeDefined();
      if (question?.explanation) expect(text).not.toContain(question.explanation.slice(0, 40));
    }
  });

  it("stores answers graded but hidden; a new answer replaces the old; a repeated submission counts once", async () => {
    const view = open(await service.startAttempt(ids.ana, EXAM));
    const [item] = questionItems(view);
    if (!item) throw new Error("no question");
    const question = questions.get(item.question.id);
    if (!question) throw new Error("unknown question");
    const wrongId = uuid();
    const saved = await service.saveAnswer(ids.ana, view.attemptId, {
      itemKey: item.key,
      response: wrongResponse(question),
      submissionId: wrongId,
    });
    expect(saved).toEqual({ itemKey: item.key });
    const rightId = uuid();
    await service.saveAnswer(ids.ana, view.attemptId, { itemKey: item.key, response: correctResponse(question), submissionId: rightId });
    // The old submission arriving again (a retry) does not count twice; the same new one neither.
    await service.saveAnswer(ids.ana, view.attemptId, { itemKey: item.key, response: correctResponse(question), submissionId: rightId });
    const rows = await database.db.examAnswer.findMany({ where: { attemptId: view.attemptId } });
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ itemKey: item.key, score: 1, correct: true, submissionId: rightId });
    const reloaded = open(await service.getAttempt(ids.ana, view.attemptId));
    expect(reloaded.answers[item.key]).toEqual(correctResponse(question));
    expect(reloaded.itemStatus[item.key]).toBe("attempted");
    // Bad input: 4xx with a message, never a 500.
    await expect(
      service.saveAnswer(ids.ana, view.attemptId, { itemKey: item.key, response: { optionIds: ["nope"] }, submissionId: uuid() }),
    ).rejects.toMatchObject({ status: 422 });
    await expect(
      service.saveAnswer(ids.ana, view.attemptId, { itemKey: "question:not-on-paper", response: { text: "x" }, submissionId: uuid() }),
    ).rejects.toMatchObject({ status: 404 });
  });

  it("keeps flags from two tabs and the notepad", async () => {
    const view = open(await service.startAttempt(ids.ana, EXAM));
    const keys = questionItems(view).map((item) => item.key);
    await Promise.all([
      service.setFlag(ids.ana, view.attemptId, keys[0] ?? "", true),
      service.setFlag(ids.ana, view.attemptId, keys[1] ?? "", true),
    ]);
    await service.setFlag(ids.ana, view.attemptId, keys[1] ?? "", false);
    await service.saveNotepad(ids.ana, view.attemptId, "check the CA first");
    const reloaded = open(await service.getAttempt(ids.ana, view.attemptId));
    expect(reloaded.flags).toEqual([keys[0]]);
    expect(reloaded.notepad).toBe("check the CA first");
  });

  it("another learner cannot read, answer, flag, close or open a task of your attempt: 404", async () => {
    const view = open(await service.startAttempt(ids.ana, EXAM));
    const [item] = questionItems(view);
    const task = view.paper.sections[0]?.items[0];
    const calls = [
      () => service.getAttempt(ids.ben, view.attemptId),
      () => service.saveAnswer(ids.ben, view.attemptId, { itemKey: item?.key ?? "", response: { text: "x" }, submissionId: uuid() }),
      () => service.setFlag(ids.ben, view.attemptId, item?.key ?? "", true),
      () => service.saveNotepad(ids.ben, view.attemptId, "mine now"),
      () => service.submitAttempt(ids.ben, view.attemptId),
      () => service.getReport(ids.ben, view.attemptId),
      () => service.openTask(ids.ben, view.attemptId, task?.key ?? ""),
      () => service.runTaskCommand(ids.ben, view.attemptId, task?.key ?? "", "kubectl get pods"),
    ];
    for (const call of calls) await expect(call()).rejects.toMatchObject({ status: 404 });
    expect(open(await service.getAttempt(ids.ana, view.attemptId)).notepad).not.toBe("mine now");
  });

  it("runs a task in its own instance with no checks or why in the answer", async () => {
    const view = open(await service.startAttempt(ids.ana, EXAM));
    const task = view.paper.sections.flatMap((section) => section.items).find((item) => item.kind === "task");
    if (!task) throw new Error("no task");
    const snapshot = await service.openTask(ids.ana, view.attemptId, task.key);
    expect(snapshot.prompt).toMatch(/\$ $/);
    const output = await service.runTaskCommand(ids.ana, view.attemptId, task.key, "kubectl auth whoami");
    expect(Object.keys(output).sort()).toEqual(["exitCode", "output", "prompt", "why"]);
    expect(output.why).toEqual([]);
    const run = await database.db.examTaskRun.findUniqueOrThrow({
      where: { attemptId_itemKey: { attemptId: view.attemptId, itemKey: task.key } },
    });
    expect(run).toMatchObject({ commandCount: 1, checks: null });
    expect(open(await service.getAttempt(ids.ana, view.attemptId)).itemStatus[task.key]).toBe("attempted");
  });

  it("gives a control-plane exam's task the scenario's kubeadm node in a fresh instance", async () => {
    // The task is drawn from the module's scenarios, and one of them (pod-token-audience) has no
    // node: learners start until a paper draws one that has (each draw misses with p = 1/6).
    const drawn = async (index: number) => {
      const learner = (await database.db.user.create({ data: { email: `dora${index}@example.com`, name: "dora" } })).id;
      const paper = open(await service.startAttempt(learner, "control-plane-quick-check"));
      const item = paper.paper.sections.flatMap((section) => section.items).find((candidate) => candidate.kind === "task");
      if (!item) throw new Error("no task");
      return { learner, paper, item };
    };
    let { learner: dora, paper: view, item: task } = await drawn(0);
    for (let index = 1; getScenarioDefinition(task.key.replace(/^scenario:/, ""))?.cluster.node !== "kubeadm"; index += 1) {
      if (index > 40) throw new Error("no paper drew a scenario with a kubeadm node");
      ({ learner: dora, paper: view, item: task } = await drawn(index));
    }
    await service.openTask(dora, view.attemptId, task.key);
    expect((await service.runTaskCommand(dora, view.attemptId, task.key, "ssh controlplane")).prompt).toBe("student@controlplane:~$ ");
    const listed = await service.runTaskCommand(dora, view.attemptId, task.key, "sudo crictl ps -a --name kube-apiserver");
    expect(listed.output).toMatch(/kube-apiserver/);
    const closed = await service.submitAttempt(dora, view.attemptId);
    expect(closed.status).toBe("closed");
  });

  it("closes once, scores as scorePaper does, and then refuses answers with the closing time", async () => {
    const view = open(await service.startAttempt(ids.ana, EXAM));
    const items = questionItems(view);
    for (const [index, item] of items.entries()) {
      const question = questions.get(item.question.id);
      if (!question) throw new Error("unknown question");
      const response = index % 2 === 0 ? correctResponse(question) : wrongResponse(question);
      await service.saveAnswer(ids.ana, view.attemptId, { itemKey: item.key, response, submissionId: uuid() });
    }
    const [first, second] = await Promise.all([
      service.submitAttempt(ids.ana, view.attemptId),
      service.submitAttempt(ids.ana, view.attemptId),
    ]);
    expect(first).toEqual(second);
    expect(first.status).toBe("closed");
    const row = await database.db.examAttempt.findUniqueOrThrow({ where: { id: view.attemptId } });
    const paper = JSON.parse(row.paper) as Paper;
    const answers = await database.db.examAnswer.findMany({ where: { attemptId: view.attemptId } });
    const runs = await database.db.examTaskRun.findMany({ where: { attemptId: view.attemptId } });
    const expected = scorePaper(paper, {
      questions: Object.fromEntries(answers.map((answer) => [answer.itemKey, answer.score])),
      checks: Object.fromEntries(runs.map((run) => [run.itemKey, JSON.parse(run.checks ?? "{}") as Record<string, boolean>])),
    });
    expect(JSON.parse(row.score ?? "null")).toEqual(expected);
    expect(row).toMatchObject({ closedBy: "submitted", percent: expected.percent, passed: expected.passed });
    expect(runs.every((run) => run.checks !== null)).toBe(true);

    // What was missed goes to spaced review: the questions not fully right, the opened task's failing checks.
    const cards = await database.db.reviewCard.findMany({ where: { userId: ids.ana }, select: { itemKey: true, source: true } });
    const missedQuestions = answers.filter((answer) => answer.score < 1).map((answer) => `question:${answer.questionId}`);
    const failedChecks = runs.flatMap((run) =>
      Object.entries(JSON.parse(run.checks ?? "{}") as Record<string, boolean>)
        .filter(([, passed]) => !passed)
        .map(([check]) => `check:${run.itemKey}:${check}`),
    );
    expect(missedQuestions.length).toBeGreaterThan(0);
    expect(failedChecks.length).toBeGreaterThan(0);
    expect(cards.map((card) => card.itemKey).sort()).toEqual([...missedQuestions, ...failedChecks].sort());
    expect(cards.every((card) => card.source === "exam")).toBe(true);

    const refused = service.saveAnswer(ids.ana, view.attemptId, {
      itemKey: items[0]?.key ?? "",
      response: { text: "late" },
      submissionId: uuid(),
    });
    await expect(refused).rejects.toMatchObject({
      status: 409,
      message: expect.stringMatching(/^The exam closed at \d{4}-\d\d-\d\d \d\d:\d\d:\d\d UTC/),
    });
    // A new start is a new attempt, number 2.
    const next = await service.startAttempt(ids.ana, EXAM);
    expect(next.attemptId).not.toBe(view.attemptId);
    const report = await service.getReport(ids.ana, view.attemptId);
    expect(report.percent).toBe(expected.percent);
    expect(report.items.filter((item) => item.kind === "question").every((item) => item.feedback.explanation.length > 0)).toBe(true);
    const task = report.items.find((item) => item.kind === "task");
    expect(task?.kind === "task" && task.solution.length > 0 && task.checks.every((check) => check.description.length > 0)).toBe(true);
    await service.submitAttempt(ids.ana, next.attemptId);
  });

  it("refuses an answer past the deadline and closes the attempt on the learner's next request", async () => {
    const view = open(await service.startAttempt(ids.cleo, EXAM));
    const [item] = questionItems(view);
    const question = questions.get(item?.question.id ?? "");
    if (!item || !question) throw new Error("no question");
    await service.saveAnswer(ids.cleo, view.attemptId, { itemKey: item.key, response: correctResponse(question), submissionId: uuid() });
    await expire(view.attemptId);
    await expect(
      service.saveAnswer(ids.cleo, view.attemptId, { itemKey: item.key, response: wrongResponse(question), submissionId: uuid() }),
    ).rejects.toMatchObject({ status: 409, message: expect.stringContaining("The exam closed at") });
    const row = await database.db.examAttempt.findUniqueOrThrow({ where: { id: view.attemptId } });
    expect(row).toMatchObject({ closedBy: "deadline" });
    expect(row.closedAt?.getTime()).toBe(row.deadline.getTime());
    expect(row.percent).toBeGreaterThan(0);
    expect((await database.db.examAnswer.findFirstOrThrow({ where: { attemptId: view.attemptId } })).correct).toBe(true);
  });

  it("closes an offline learner's attempt when they come back (any request, e.g. the history)", async () => {
    const view = open(await service.startAttempt(ids.ben, EXAM));
    await expire(view.attemptId, 60 * 60_000);
    const history = await service.listAttempts(ids.ben);
    expect(history.find((attempt) => attempt.attemptId === view.attemptId)).toMatchObject({
      open: false,
      closedBy: "deadline",
      percent: 0,
    });
    expect(await service.getAttempt(ids.ben, view.attemptId)).toMatchObject({ status: "closed", closedBy: "deadline", passed: false });
  });

  it("shows the report only after the close", async () => {
    const view = open(await service.startAttempt(ids.ben, EXAM));
    await expect(service.getReport(ids.ben, view.attemptId)).rejects.toMatchObject({ status: 409 });
    await service.submitAttempt(ids.ben, view.attemptId);
    expect((await service.getReport(ids.ben, view.attemptId)).closedBy).toBe("submitted");
  });

  it("keeps the cohort's exam item totals equal to a recomputation from the rows: closes, a re-timed window, a student leaving", async () => {
    // Facility: a sum of unit scores (totals) against a sum of float scores (reference).
    const rounded = (exams: ExamItems[]) =>
      exams.map((exam) => ({ ...exam, questions: exam.questions.map((q) => ({ ...q, facility: Number(q.facility.toFixed(12)) })) }));
    const same = async (label: string) => {
      const { exams } = await itemAnalysis(database.db, instructor, cohortId, { fresh: true });
      expect(rounded(exams), label).toEqual(rounded(await referenceExamItems(database.db, cohortId)));
      return exams[0];
    };
    const kept = await same("after the closes");
    // Everyone's first sitting, each closed through the service (submitted, or at the deadline).
    expect(kept?.sittings).toBe(3);
    expect(kept?.questions.length).toBeGreaterThan(0);
    // Ana opened a task in her first sitting: its checks were evaluated at the close.
    expect(kept?.checks.length).toBeGreaterThan(0);

    const [assignment] = (await listAssignments(database.db, instructor, cohortId)).assignments;
    const assignmentId = assignment?.id ?? "";
    await updateAssignmentWindow(database.db, instructor, {
      cohortId,
      assignmentId,
      opensAt: new Date(Date.now() + 86_400_000),
      closesAt: null,
    });
    expect((await same("a window opening tomorrow"))?.sittings).toBe(0);
    await updateAssignmentWindow(database.db, instructor, { cohortId, assignmentId, opensAt: null, closesAt: null });
    expect(await same("the window open again")).toEqual(kept);
    await removeMember(database.db, instructor, cohortId, ids.ben);
    expect((await same("Ben left"))?.sittings).toBe(2);

    // Exactly the totals a fill from scratch builds.
    const totals = async () =>
      (await database.db.cohortItemTotal.findMany({ where: { cohortId, kind: { in: ["es", "eq", "ek"] }, n: { not: 0 } } }))
        .map((row) => [row.kind, row.item, row.detail, row.n, row.nCorrect, row.sx].join("|"))
        .sort();
    const before = await totals();
    await database.db.cohortMember.updateMany({ where: { cohortId }, data: { statsAt: null } });
    await database.db.cohortItemTotal.deleteMany({ where: { cohortId } });
    await fillMissingSummaries(database.db, cohortId);
    expect(await totals()).toEqual(before);
  });
});
