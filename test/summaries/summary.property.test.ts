// The report summaries (lib/summaries) against an independent recomputation from the raw rows
// (the previous read-time SQL, test/helpers/report-reference.ts), after random sequences of what
// learners and instructors do, through the app's own write paths: answers (first, practice,
// open answers rated afterwards), lesson visits, heartbeats and completions, scenario sessions,
// commands, hints, resets and giving up, mock exam sittings (started, answered and submitted through
// the exam service) and their cohort assignments re-timed, students joining, leaving and joining
// again. Then the
// same for rows as the migration leaves them (no summary yet): the one-time fill.
import crypto from "node:crypto";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { createTestDatabase, providers, type TestDatabase } from "../helpers/database";
import { referenceExamItems, referenceItems, referenceLessonsPerWeek, referenceStudentSummaries } from "../helpers/report-reference";
import { publicUserSelect, type PublicUser } from "@/lib/accounts/users";
import { createCohort, joinCohort, removeMember } from "@/lib/cohorts/cohorts";
import { lessonsPerWeek, studentSummaries } from "@/lib/cohorts/overview";
import { itemAnalysis } from "@/lib/cohorts/items";
import { assignExam, listAssignments, updateAssignmentWindow } from "@/lib/cohorts/exam-assignments";
import { answerQuestion } from "@/lib/progress/answers";
import { markLessonComplete, recordHeartbeat, recordVisit } from "@/lib/progress/lessons";
import { loadCourse } from "@/lib/content/load";
import type { Question } from "@/lib/content/schema";
import type { QuizResponse } from "@/lib/quiz/response";
import { publicOptionId } from "@/lib/quiz/options";
import { fillMissingSummaries } from "@/lib/summaries/student-summary";

function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Deep equality with numbers compared to 9 decimals (sums added in another order) and dates by instant. */
function expectSame(actual: unknown, expected: unknown, path = "$"): void {
  if (typeof expected === "number" && typeof actual === "number") {
    expect(actual, path).toBeCloseTo(expected, 9);
  } else if (expected instanceof Date || actual instanceof Date) {
    expect(actual instanceof Date ? actual.getTime() : actual, path).toBe(expected instanceof Date ? expected.getTime() : expected);
  } else if (Array.isArray(expected) && Array.isArray(actual)) {
    expect(actual.length, path).toBe(expected.length);
    expected.forEach((item, index) => expectSame(actual[index], item, `${path}[${index}]`));
  } else if (expected && actual && typeof expected === "object" && typeof actual === "object") {
    expect(Object.keys(actual).sort(), path).toEqual(Object.keys(expected).sort());
    for (const [key, value] of Object.entries(expected)) expectSame((actual as Record<string, unknown>)[key], value, `${path}.${key}`);
  } else {
    expect(actual, path).toEqual(expected);
  }
}

const QUICK = "authentication-quick-check";
const COMMAND_SCENARIO = "unauthorized-or-forbidden";
const FULL = "authentication-exam";
const SEEDS = (process.env.SUMMARY_SEEDS ?? "1,2").split(",").map(Number);
const STEPS = Number(process.env.SUMMARY_STEPS ?? 70);

describe.each(providers)("report summaries on %s", (provider) => {
  let database: TestDatabase;
  let service: typeof import("@/lib/scenarios/service");
  let exams: typeof import("@/lib/exams/service");
  let instructor: PublicUser;
  const cohorts: { id: string; joinCode: string }[] = [];
  const students: PublicUser[] = [];

  beforeAll(async () => {
    database = await createTestDatabase(provider);
    // The scenario service reaches the database through db(): point it at this one.
    vi.stubEnv("DATABASE_URL", database.config.url);
    vi.stubEnv("PRACTICE_API_PORT", "0");
    vi.stubEnv("TERMINAL_RATE_LIMIT", "100000");
    vi.stubEnv("ANSWER_RATE_LIMIT", "100000");
    vi.stubEnv("RATE_LIMIT_STORE", "memory");
    vi.resetModules();
    delete (globalThis as { kubeprepDb?: unknown }).kubeprepDb;
    service = await import("@/lib/scenarios/service");
    exams = await import("@/lib/exams/service");
    const tag = crypto.randomBytes(3).toString("hex");
    instructor = await database.db.user.create({
      data: { email: `teacher-${tag}@example.com`, name: "Teacher", role: "INSTRUCTOR" },
      select: publicUserSelect,
    });
    for (const name of ["Ana", "Ben", "Chloé"]) {
      students.push(
        await database.db.user.create({
          data: { email: `${name.toLowerCase()}-${tag}@example.com`, name, role: "STUDENT" },
          select: publicUserSelect,
        }),
      );
    }
    for (const name of ["Spring", "Autumn"]) {
      const cohort = await createCohort(database.db, instructor, { name, description: "", startsAt: null, endsAt: null });
      const row = await database.db.cohort.findUniqueOrThrow({ where: { id: cohort.id }, select: { joinCode: true } });
      cohorts.push({ id: cohort.id, joinCode: row.joinCode });
      // The quick check set for both cohorts, the full exam for the second (windows re-timed below).
      for (const examId of name === "Spring" ? [QUICK] : [QUICK, FULL])
        await assignExam(database.db, instructor, { cohortId: cohort.id, examId, opensAt: null, closesAt: null });
    }
  });

  afterAll(async () => {
    const global = globalThis as { kubeprepDb?: { $disconnect(): Promise<void> } };
    await global.kubeprepDb?.$disconnect();
    delete global.kubeprepDb;
    vi.unstubAllEnvs();
    await database.drop();
  });

  async function expectSummariesMatchRawRows(label: string): Promise<void> {
    const now = new Date();
    for (const cohort of cohorts) {
      const byUser = (rows: { userId: string }[]) => [...rows].sort((a, b) => (a.userId < b.userId ? -1 : 1));
      expectSame(
        byUser(await studentSummaries(database.db, cohort.id, now)),
        byUser(await referenceStudentSummaries(database.db, cohort.id, now)),
        `${label} ${cohort.id} students`,
      );
      expectSame(await lessonsPerWeek(database.db, cohort.id), await referenceLessonsPerWeek(database.db, cohort.id), `${label} weeks`);
      const { students: count, questions, checks, exams } = await itemAnalysis(database.db, instructor, cohort.id, { fresh: true });
      expectSame({ students: count, questions, checks }, await referenceItems(database.db, cohort.id), `${label} ${cohort.id} items`);
      expectSame(exams, await referenceExamItems(database.db, cohort.id), `${label} ${cohort.id} exam items`);
    }
  }

  /** The item totals that count something, exact (integer units: no tolerance). */
  async function itemTotalRows(): Promise<string[]> {
    const rows = await database.db.cohortItemTotal.findMany();
    return rows
      .filter((row) => row.n !== 0 || row.nCorrect !== 0 || [row.sx, row.sy, row.sxx, row.syy, row.sxy].some((sum) => sum !== 0n))
      .map((row) =>
        [row.cohortId, row.kind, row.item, row.detail, row.n, row.nCorrect, row.sx, row.sy, row.sxx, row.syy, row.sxy].join("|"),
      )
      .sort();
  }

  /** The totals built from scratch by the fill (every summary recomputed, no totals before). */
  async function rebuiltItemTotalRows(): Promise<string[]> {
    await database.db.cohortMember.updateMany({ where: { role: "STUDENT" }, data: { statsAt: null } });
    await database.db.cohortItemTotal.deleteMany();
    for (const cohort of cohorts) await fillMissingSummaries(database.db, cohort.id);
    return itemTotalRows();
  }

  it.each(SEEDS)(
    "equal a recomputation from the raw rows after a random sequence of writes (seed %i)",
    async (seed) => {
      const random = mulberry32(seed);
      const pick = <T>(items: readonly T[]): T => {
        const item = items[Math.floor(random() * items.length)];
        if (item === undefined) throw new Error("empty choice");
        return item;
      };
      const course = loadCourse();
      const lessons = course.modules
        .flatMap((m) => m.lessons)
        .filter((lesson) => lesson.questionIds.length > 0)
        .slice(0, 3);
      const questions = lessons
        .flatMap((lesson) => lesson.questionIds.map((id) => course.questions.get(id)))
        .filter((q): q is Question => q !== undefined);
      const byType = (type: Question["type"]) => [...course.questions.values()].find((q) => q.type === type);
      // At least one question of each type, wherever it is taught.
      for (const type of ["single", "multiple", "short", "open"] as const) {
        const question = byType(type);
        if (question && !questions.includes(question)) questions.push(question);
      }
      const scenarios = ["whoami", "expired-cert"];
      const openAnswers: { user: PublicUser; questionId: string; submissionId: string; text: string }[] = [];
      /** When each step began (Date.now()). */
      const stepStarts: number[] = [];

      const response = (question: Question): QuizResponse => {
        switch (question.type) {
          // The browser sends public option ids (lib/quiz/options.ts); the server stores authored ones.
          case "single":
            return { optionIds: [publicOptionId(question.id, pick(question.options).text)] };
          case "multiple": {
            // At least one option: an empty choice is refused (422) before anything is stored.
            const chosen = question.options.filter(() => random() < 0.5);
            return {
              optionIds: (chosen.length > 0 ? chosen : [pick(question.options)])
                .map((o) => publicOptionId(question.id, o.text))
                .slice(0, 4),
            };
          }
          case "short":
            // Never empty: an empty answer is refused (422) before anything is stored.
            return { text: random() < 0.5 ? (question.accepted[0] ?? "x") : pick(["  No   IDEA ", "kubectl get", "401"]) };
          case "open":
            return { text: `my answer ${Math.floor(random() * 1000)}` };
        }
      };

      const actions: [number, (user: PublicUser) => Promise<unknown>][] = [
        [
          6,
          async (user) => {
            const question = pick(questions);
            const submissionId = crypto.randomUUID();
            const answer = response(question);
            await answerQuestion(database.db, user.id, { questionId: question.id, response: answer, submissionId });
            if (question.type === "open" && "text" in answer)
              openAnswers.push({ user, questionId: question.id, submissionId, text: answer.text });
          },
        ],
        [
          2,
          async (user) => {
            // The self-rating of an open answer: the same submission again, with the rating.
            const mine = openAnswers.filter((answer) => answer.user.id === user.id);
            if (mine.length === 0) return;
            const answer = pick(mine);
            const selfRating = pick(["got-it", "partly", "missed"] as const);
            await answerQuestion(database.db, user.id, {
              questionId: answer.questionId,
              response: { text: answer.text, selfRating },
              submissionId: answer.submissionId,
            });
          },
        ],
        [3, (user) => recordVisit(database.db, user.id, pick(lessons))],
        [3, (user) => recordHeartbeat(database.db, user.id, pick(lessons), 5 + Math.floor(random() * 40))],
        [1, (user) => markLessonComplete(database.db, user.id, pick(lessons), "manual")],
        [2, (user) => service.getSession(user.id, pick(scenarios))],
        [
          3,
          (user) =>
            service.runCommand(
              user.id,
              pick(scenarios),
              pick(["kubectl auth whoami", "kubectl get pods", "openssl x509 -in /etc/kubernetes/pki/apiserver.crt -noout -enddate", "ls"]),
              `req-${crypto.randomUUID()}`,
            ),
        ],
        [
          2,
          async (user) => {
            // A pause before a command: the attempt in progress was last active up to 3 minutes ago
            // (time counts up to 120 s of a gap), so the command adds seconds to the summaries.
            const scenarioId = pick(scenarios);
            const instance = await database.db.scenarioInstance.findUnique({
              where: { userId_scenarioId: { userId: user.id, scenarioId } },
            });
            if (instance)
              await database.db.scenarioAttempt.updateMany({
                where: { id: instance.attemptId, status: "IN_PROGRESS" },
                data: { lastActiveAt: new Date(Date.now() - Math.floor(random() * 180_000)) },
              });
            await service.runCommand(user.id, scenarioId, pick(["pwd", "kubectl get pods"]), `req-${crypto.randomUUID()}`);
          },
        ],
        [1, (user) => service.checkNow(user.id, pick(scenarios))],
        [1, (user) => service.revealHint(user.id, pick(scenarios), { step: 0, hint: Math.floor(random() * 2) }).catch(() => undefined)],
        [1, (user) => service.resetScenario(user.id, pick(scenarios))],
        [1, (user) => service.giveUp(user.id, pick(scenarios))],
        [
          3,
          async (user) => {
            // A mock exam sitting: some of its questions answered, then submitted (or left open).
            const view = await exams.startAttempt(user.id, pick([QUICK, FULL]));
            if (view.status !== "open") return;
            for (const section of view.paper.sections)
              for (const item of section.items) {
                const question = item.kind === "question" ? course.questions.get(item.question.id) : undefined;
                if (!question || random() < 0.3) continue;
                await exams.saveAnswer(user.id, view.attemptId, {
                  itemKey: item.key,
                  response: response(question),
                  submissionId: crypto.randomUUID(),
                });
              }
            if (random() < 0.85) await exams.submitAttempt(user.id, view.attemptId);
          },
        ],
        [
          1,
          async () => {
            // An instructor re-times an assignment: opening at the start of an earlier step (the
            // sittings before it stop counting), closing now (later ones do not count), or open
            // again. Cut at steps, not at a time ago, so which sittings count does not depend on
            // how fast the machine runs the steps.
            const cohort = pick(cohorts);
            const assignment = pick((await listAssignments(database.db, instructor, cohort.id)).assignments);
            const window = pick([
              { opensAt: null, closesAt: null },
              { opensAt: new Date(stepStarts[Math.floor(random() * stepStarts.length)] ?? 0), closesAt: null },
              { opensAt: null, closesAt: new Date(Date.now() + 1) },
            ]);
            await updateAssignmentWindow(database.db, instructor, { cohortId: cohort.id, assignmentId: assignment.id, ...window });
          },
        ],
        [
          2,
          async (user) => {
            const cohort = pick(cohorts);
            await joinCohort(database.db, user, cohort.joinCode);
          },
        ],
        [
          1,
          async (user) => {
            const cohort = pick(cohorts);
            await removeMember(database.db, instructor, cohort.id, user.id).catch(() => undefined);
          },
        ],
      ];
      // Work before joining stays out of a cohort's reports: everyone does something first.
      for (const user of students)
        await answerQuestion(database.db, user.id, {
          questionId: pick(questions).id,
          response: { optionIds: [] },
          submissionId: crypto.randomUUID(),
        }).catch(() => undefined);
      for (const user of students) await joinCohort(database.db, user, pick(cohorts).joinCode);
      const totalWeight = actions.reduce((sum, [weight]) => sum + weight, 0);
      for (let step = 0; step < STEPS; step++) {
        stepStarts.push(Date.now());
        let roll = random() * totalWeight;
        const action = actions.find(([weight]) => (roll -= weight) < 0) ?? actions[0];
        await action?.[1](pick(students));
        // Joins, leaves and writes a few milliseconds apart, so a join window has rows on both sides.
        if (random() < 0.3) await new Promise((resolve) => setTimeout(resolve, 2));
        if (step % 35 === 34) await expectSummariesMatchRawRows(`seed ${seed} step ${step}`);
      }
      await expectSummariesMatchRawRows(`seed ${seed} end`);
      // The item totals, moved by differences at every write, join and leave, are exactly the
      // totals a fill from scratch builds.
      const incremental = await itemTotalRows();
      expect(incremental.length).toBeGreaterThan(0);
      expect(incremental).toEqual(await rebuiltItemTotalRows());
      // The sequence left something to compare: answers, lessons and scenario work in some cohort.
      const totals = await database.db.cohortMember.aggregate({
        where: { role: "STUDENT" },
        _sum: { questionsAnswered: true, lessonSeconds: true, scenarioSeconds: true, hintsUsed: true },
      });
      expect(totals._sum.questionsAnswered ?? 0).toBeGreaterThan(0);
      expect((totals._sum.lessonSeconds ?? 0) + (totals._sum.scenarioSeconds ?? 0)).toBeGreaterThan(0);
      expect(await database.db.cohortMember.count({ where: { role: "STUDENT", statsAt: null } })).toBe(0);
      // And mock exam sittings counted for some cohort.
      expect(await database.db.cohortItemTotal.count({ where: { kind: "eq", n: { gt: 0 } } })).toBeGreaterThan(0);
    },
    600_000,
  );

  it("keeps the summaries and item totals exact under concurrent answers and terminal commands of several learners, a leave and a fill", async () => {
    const course = loadCourse();
    const questions = [...course.questions.values()].filter((question) => question.type === "single").slice(0, 6);
    for (const user of students) for (const cohort of cohorts) await joinCohort(database.db, user, cohort.joinCode);
    const [first, second] = cohorts;
    if (!first || !second) throw new Error("two cohorts expected");
    // Half of the first cohort's summaries missing, so a fill runs beside the learners' writes.
    await database.db.cohortMember.updateMany({ where: { cohortId: first.id, role: "STUDENT" }, data: { statsAt: null } });
    await database.db.cohortItemTotal.deleteMany({ where: { cohortId: first.id } });
    // Each learner's terminal open, so the commands below add only time and activity (one batch each).
    for (const user of students) await service.getSession(user.id, COMMAND_SCENARIO);
    await Promise.all([
      ...students.flatMap((user) =>
        ["pwd", "ls", "pwd"].map((input) => service.runCommand(user.id, COMMAND_SCENARIO, input, `req-${crypto.randomUUID()}`)),
      ),
      ...students.flatMap((user) =>
        questions.map((question) =>
          answerQuestion(database.db, user.id, {
            questionId: question.id,
            response: { optionIds: [publicOptionId(question.id, question.options[0]?.text ?? "")] },
            submissionId: crypto.randomUUID(),
          }),
        ),
      ),
      fillMissingSummaries(database.db, first.id),
      removeMember(database.db, instructor, second.id, students[0]?.id ?? ""),
    ]);
    await expectSummariesMatchRawRows("concurrent");
    expect(await itemTotalRows()).toEqual(await rebuiltItemTotalRows());
  }, 600_000);

  it("fills the summaries of rows from before the summary columns (as the migration leaves them) before the first report", async () => {
    // The migration adds the columns with their defaults and statsAt null.
    await database.db.cohortMember.updateMany({
      data: {
        statsAt: null,
        activityAt: null,
        questionsAnswered: 0,
        gradedAnswered: 0,
        firstScoreSum: 0,
        bestScoreSum: 0,
        latestScoreSum: 0,
        selfRatedAnswered: 0,
        selfRatedSum: 0,
        lessonsCompleted: 0,
        lessonSeconds: 0,
        completionDays: "[]",
        scenariosPassed: 0,
        hintsUsed: 0,
        scenarioSeconds: 0,
        firstAnswers: "[]",
        firstChecks: "[]",
      },
    });
    await database.db.cohortItemTotal.deleteMany();
    expect(await database.db.cohortMember.count({ where: { role: "STUDENT", statsAt: null } })).toBeGreaterThan(0);
    await expectSummariesMatchRawRows("after the upgrade");
    expect(await database.db.cohortMember.count({ where: { role: "STUDENT", statsAt: null } })).toBe(0);
  }, 600_000);
});
