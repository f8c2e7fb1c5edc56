import "server-only";
import crypto from "node:crypto";
import type { Db } from "../db/client";
import type { DatabaseConfig } from "../env";
import { openBulkInserter, type Row } from "./bulk";
import { hashPassword } from "../auth/password";
import { loadCourse } from "../content/load";
import { loadScenarios } from "../scenarios/catalog";
import { gradeAnswer } from "../quiz/grade";
import type { Question } from "../content/schema";
import type { QuizResponse } from "../quiz/response";
import { newJoinCode } from "./cohorts";
import { fillMissingSummaries } from "../summaries/student-summary";
import { loadExamCatalog } from "../exams/catalog";
import { drawPaper, paperItems } from "../exams/paper";
import { scorePaper } from "../exams/score";

/** The exam the demo cohort is assigned (for the whole cohort's span); the other exams have sittings but no assignment. */
const DEMO_ASSIGNED_EXAM = "authentication-quick-check";

// Synthetic cohorts for demos and benchmarks. Each student has a latent ability (normal) and an
// engagement level correlated with it; each question and scenario check has a difficulty, and
// a correct first answer has the logistic (2PL) probability of ability minus difficulty. One
// question per run is "miskeyed" (strong students miss it more often) so the negative
// discrimination flag has something to show. Engaged students also sit mock exams (real papers,
// graded and scored as the exam service does; the quick check is assigned to the cohort) and
// review some questions in spaced review.

export interface DemoOptions {
  students: number;
  cohortName?: string;
  /** Seed for the pseudo-random generator: the same seed gives the same cohort shape. */
  seed?: number;
  now?: Date;
  /** Skip the argon2 hash (benchmarks): accounts then cannot sign in with a password. */
  withPasswords?: boolean;
  log?: (line: string) => void;
}

export interface DemoResult {
  cohortId: string;
  joinCode: string;
  instructor: { email: string; password: string | null };
  studentPassword: string | null;
  sampleStudentEmail: string | null;
  rows: {
    users: number;
    questionAttempts: number;
    lessonProgress: number;
    scenarioAttempts: number;
    scenarioEvents: number;
    checkResults: number;
    examAttempts: number;
    reviewLogs: number;
  };
}

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

const FIRST_NAMES = [
  "Ada",
  "Ben",
  "Chen",
  "Dana",
  "Eli",
  "Fatima",
  "Goran",
  "Hana",
  "Ivan",
  "Jun",
  "Kofi",
  "Lena",
  "Mateo",
  "Nia",
  "Omar",
  "Priya",
  "Quinn",
  "Rosa",
  "Sven",
  "Tariq",
  "Uma",
  "Vera",
  "Wei",
  "Xenia",
  "Yusuf",
  "Zoe",
];
const LAST_NAMES = [
  "Abara",
  "Berg",
  "Costa",
  "Dubois",
  "Eriksen",
  "Fischer",
  "García",
  "Haddad",
  "Ito",
  "Jensen",
  "Kowalski",
  "López",
  "Müller",
  "Nakamura",
  "Okafor",
  "Petrov",
  "Rossi",
  "Silva",
  "Tanaka",
  "Umarov",
  "Virtanen",
  "Wójcik",
  "Yilmaz",
  "Zhang",
];
const DIFFICULTY = { easy: -1.2, medium: 0, hard: 1.1 } as const;
const BATCH = 1000;

const id = () => crypto.randomUUID();

/** Seeds through `database` for the few single rows and the driver (`config`) for the bulk. */
export async function seedDemo(database: Db, config: DatabaseConfig, options: DemoOptions): Promise<DemoResult> {
  const random = mulberry32(options.seed ?? 20_261_129);
  const normal = () => Math.sqrt(-2 * Math.log(1 - random())) * Math.cos(2 * Math.PI * random());
  const pickWith = <T>(rng: () => number, items: readonly T[]): T => items[Math.floor(rng() * items.length) % items.length] as T;
  const pick = <T>(items: readonly T[]): T => pickWith(random, items);
  // Exams and reviews draw from a stream of their own, so adding them left every other row of a
  // seed as it was (e2e specs pick students by what they did).
  const extraRandom = mulberry32((options.seed ?? 20_261_129) ^ 0x5eed_e8a3);
  const log = options.log ?? (() => undefined);
  const now = options.now ?? new Date();
  const run = crypto.randomBytes(3).toString("hex");
  const course = loadCourse();
  const lessons = course.modules.flatMap((m) => m.lessons);
  const questions = [...course.questions.values()];
  const scenarios = [...loadScenarios().values()];
  const questionDifficulty = new Map(questions.map((q) => [q.id, DIFFICULTY[q.difficulty] + normal() * 0.5]));
  const miskeyed = questions.find((q) => q.type === "single" && q.difficulty === "medium")?.id;
  const checkDifficulty = new Map(
    scenarios.flatMap((s) => s.checks.map((c) => [`${s.id}/${c.id}`, DIFFICULTY[s.difficulty] - 0.3 + normal() * 0.6] as const)),
  );
  const shortAnswers = questions.flatMap((q) => (q.type === "short" ? q.accepted : []));

  const withPasswords = options.withPasswords ?? true;
  const instructorPassword = withPasswords ? crypto.randomBytes(12).toString("base64url") : null;
  const studentPassword = withPasswords ? crypto.randomBytes(9).toString("base64url") : null;
  const instructorHash = instructorPassword ? await hashPassword(instructorPassword) : null;
  const studentHash = studentPassword ? await hashPassword(studentPassword) : null;
  const instructorEmail = `instructor-${run}@demo.kubeprep.local`;
  const instructorId = id();
  await database.user.create({
    data: { id: instructorId, email: instructorEmail, name: "Demo Instructor", role: "INSTRUCTOR", passwordHash: instructorHash },
  });
  const cohortId = id();
  const joinCode = newJoinCode();
  const startsAt = new Date(now.getTime() - 56 * 86_400_000);
  await database.cohort.create({
    data: {
      id: cohortId,
      name: options.cohortName ?? `Demo cohort ${run}`,
      description: `${options.students} synthetic students for trying the instructor reports.`,
      joinCode,
      startsAt,
      endsAt: new Date(now.getTime() + 28 * 86_400_000),
      members: { create: { userId: instructorId, role: "INSTRUCTOR" } },
    },
  });

  const rows = {
    users: 1,
    questionAttempts: 0,
    lessonProgress: 0,
    scenarioAttempts: 0,
    scenarioEvents: 0,
    checkResults: 0,
    examAttempts: 0,
    reviewLogs: 0,
  };
  const examCatalog = loadExamCatalog();
  await database.examAssignment.create({
    data: { id: id(), cohortId, examId: DEMO_ASSIGNED_EXAM, opensAt: startsAt, closesAt: null, createdById: instructorId },
  });
  const answer = (question: Question, correct: boolean, rng: () => number = random): QuizResponse => {
    switch (question.type) {
      case "single": {
        if (correct) return { optionIds: [question.answer] };
        const wrong = question.options.filter((o) => o.id !== question.answer);
        // The first distractor is the popular misconception.
        return { optionIds: [rng() < 0.55 ? (wrong[0]?.id ?? question.answer) : pickWith(rng, wrong).id] };
      }
      case "multiple": {
        if (correct) return { optionIds: [...question.answer] };
        const extra = question.options.find((o) => !question.answer.includes(o.id));
        const kept = question.answer.slice(0, Math.max(1, question.answer.length - 1));
        return { optionIds: rng() < 0.5 && extra ? [...question.answer, extra.id] : kept };
      }
      case "short":
        if (correct) return { text: question.accepted[0] ?? "" };
        return {
          text:
            rng() < 0.5
              ? (question.accepted[0] ?? "x").split("").reverse().join("").slice(0, 12)
              : (pickWith(
                  rng,
                  shortAnswers.filter((a) => !question.accepted.includes(a)),
                ) ?? "no idea"),
        };
      case "open":
        return { text: "My explanation of the answer.", selfRating: correct ? "got-it" : rng() < 0.5 ? "partly" : "missed" };
    }
  };

  let users: Row[] = [];
  let members: Row[] = [];
  let attempts: Row[] = [];
  let progress: {
    userId: string;
    moduleId: string;
    lessonSlug: string;
    firstVisitedAt: Date;
    lastVisitedAt: Date;
    timeSpentSeconds: number;
    completedAt: Date | null;
    completedBy: string | null;
  }[] = [];
  let scenarioAttempts: {
    id: string;
    userId: string;
    scenarioId: string;
    number: number;
    isFirst: boolean;
    status: "IN_PROGRESS" | "PASSED" | "GAVE_UP";
    score: number;
    hintsUsed: number;
    commandCount: number;
    timeSpentSeconds: number;
    startedAt: Date;
    lastActiveAt: Date;
    completedAt: Date | null;
  }[] = [];
  let events: { attemptId: string; kind: string; detail: string; exitCode: number | null; createdAt: Date }[] = [];
  let checks: { attemptId: string; scenarioId: string; checkId: string; passed: boolean }[] = [];
  let examAttempts: Row[] = [];
  let examAnswers: Row[] = [];
  let examTasks: Row[] = [];
  let reviewCards: Row[] = [];
  let reviewLogs: Row[] = [];

  const bulk = await openBulkInserter(config);
  const withIds = <T extends object>(items: T[]): Row[] => items.map((item) => ({ id: id(), ...item }));
  // Parents before children (foreign keys): users, memberships, then their records.
  const flush = async () => {
    await bulk.insert("User", users);
    await bulk.insert("CohortMember", members);
    await bulk.insert("QuestionAttempt", attempts);
    await bulk.insert("LessonProgress", withIds(progress));
    await bulk.insert("ScenarioAttempt", scenarioAttempts);
    await bulk.insert("ScenarioEvent", withIds(events));
    await bulk.insert("ScenarioCheckResult", withIds(checks.map((check) => ({ ...check, updatedAt: now }))));
    await bulk.insert("ExamAttempt", examAttempts);
    await bulk.insert("ExamAnswer", examAnswers);
    await bulk.insert("ExamTaskRun", examTasks);
    await bulk.insert("ReviewCard", reviewCards);
    await bulk.insert("ReviewLog", reviewLogs);
    rows.examAttempts += examAttempts.length;
    rows.reviewLogs += reviewLogs.length;
    examAttempts = [];
    examAnswers = [];
    examTasks = [];
    reviewCards = [];
    reviewLogs = [];
    rows.users += users.length;
    rows.questionAttempts += attempts.length;
    rows.lessonProgress += progress.length;
    rows.scenarioAttempts += scenarioAttempts.length;
    rows.scenarioEvents += events.length;
    rows.checkResults += checks.length;
    users = [];
    members = [];
    attempts = [];
    progress = [];
    scenarioAttempts = [];
    events = [];
    checks = [];
  };

  let sampleStudentEmail: string | null = null;
  for (let s = 0; s < options.students; s++) {
    const ability = normal();
    const engagement = Math.max(0, Math.min(1, 0.55 + 0.25 * ability + 0.3 * normal()));
    const userId = id();
    const name = `${pick(FIRST_NAMES)} ${pick(LAST_NAMES)}`;
    const email = `${name.split(" ")[0]?.toLowerCase() ?? "student"}.${s + 1}-${run}@demo.kubeprep.local`;
    sampleStudentEmail ??= email;
    const joinedAt = new Date(startsAt.getTime() + random() * 7 * 86_400_000);
    // Active students keep going until recently; the less engaged stopped some weeks ago.
    const span = Math.max(0.05, engagement) * (now.getTime() - joinedAt.getTime());
    const at = (fraction: number) => new Date(joinedAt.getTime() + Math.min(1, Math.max(0, fraction)) * span);
    const lessonsReached =
      engagement < 0.08 ? 0 : Math.min(lessons.length, Math.ceil(engagement * lessons.length * (0.8 + random() * 0.4)));
    let lastActive: Date | null = null;

    lessons.slice(0, lessonsReached).forEach((lesson, index) => {
      const start = at((index + random() * 0.5) / Math.max(1, lessonsReached));
      let when = start.getTime();
      let answeredAll = true;
      for (const questionId of lesson.questionIds) {
        const question = course.questions.get(questionId);
        if (!question) continue;
        if (random() > 0.85 + engagement * 0.15) {
          answeredAll = false;
          continue;
        }
        const b = questionDifficulty.get(questionId) ?? 0;
        const logit = questionId === miskeyed ? -1.2 * (ability - 0.2) : 1.7 * (ability - b);
        let correct = random() < 1 / (1 + Math.exp(-logit));
        for (let attempt = 0; attempt < 3; attempt++) {
          when += (20 + random() * 90) * 1000;
          const response = answer(question, correct);
          const result = gradeAnswer(question, response);
          const first = attempt === 0;
          attempts.push({
            id: id(),
            userId,
            questionId,
            moduleId: lesson.moduleId,
            lessonSlug: lesson.slug,
            submissionId: id(),
            response,
            score: result.score,
            correct: result.correct,
            isFirst: first,
            firstQuestionId: first ? questionId : null,
            selfRating: "selfRating" in response ? response.selfRating : null,
            durationMs: Math.round(5_000 + random() * 60_000),
            createdAt: new Date(when),
          });
          // Practice: a wrong answer is often retried, and the retry usually lands.
          if (result.correct || random() > 0.6) break;
          correct = random() < 0.75;
        }
      }
      const seconds = Math.round(lesson.frontmatter.estimatedMinutes * 60 * (0.5 + random()));
      const completed = answeredAll || random() < 0.5;
      const end = new Date(Math.max(when, start.getTime() + seconds * 1000));
      progress.push({
        userId,
        moduleId: lesson.moduleId,
        lessonSlug: lesson.slug,
        firstVisitedAt: start,
        lastVisitedAt: end,
        timeSpentSeconds: seconds,
        completedAt: completed ? end : null,
        completedBy: completed ? (answeredAll ? "questions" : "manual") : null,
      });
      lastActive = end;
    });

    const scenariosReached = Math.min(scenarios.length, Math.floor(engagement * scenarios.length * (0.7 + random() * 0.5)));
    scenarios.slice(0, scenariosReached).forEach((scenario, index) => {
      let startedAt = at((index + 0.5 + random() * 0.5) / Math.max(1, scenariosReached));
      for (let number = 1; number <= 2; number++) {
        const attemptId = id();
        const weights = scenario.checks.map((c) => c.weight);
        const total = weights.reduce((a, b) => a + b, 0);
        let passedWeight = 0;
        const outcomes = scenario.checks.map((check) => {
          const b = checkDifficulty.get(`${scenario.id}/${check.id}`) ?? 0;
          const passed = random() < 1 / (1 + Math.exp(-1.6 * (ability + (number - 1) * 0.8 - b)));
          if (passed) passedWeight += check.weight;
          return { check, passed };
        });
        const allPassed = outcomes.every((o) => o.passed);
        const hintsUsed = Math.max(0, Math.round((0.5 - ability) * 1.5 + random() * 2));
        const commandCount = 4 + Math.floor(random() * 10 + Math.max(0, -ability) * 6);
        const minutes = scenario.estimatedMinutes * (0.6 + random() * 0.9 - ability * 0.15);
        let t = startedAt.getTime();
        for (let c = 0; c < Math.min(commandCount, 8); c++) {
          t += (15 + random() * 60) * 1000;
          const solutionLine = scenario.solution[c % scenario.solution.length] ?? "kubectl get pods";
          const ok = random() < 0.75;
          events.push({
            attemptId,
            kind: "command",
            detail: ok ? solutionLine : "kubectl get pods",
            exitCode: ok ? 0 : 1,
            createdAt: new Date(t),
          });
        }
        for (let h = 0; h < hintsUsed; h++)
          events.push({
            attemptId,
            kind: "hint",
            detail: `step ${Math.min(scenario.steps.length, h + 1)}, hint ${h + 1}`,
            exitCode: null,
            createdAt: new Date(t - 30_000),
          });
        const status = allPassed ? "PASSED" : number === 1 && random() < 0.6 ? "GAVE_UP" : "IN_PROGRESS";
        if (status === "PASSED")
          events.push({ attemptId, kind: "passed", detail: "all checks passed", exitCode: null, createdAt: new Date(t) });
        if (status === "GAVE_UP")
          events.push({ attemptId, kind: "give-up", detail: "showed the solution", exitCode: null, createdAt: new Date(t) });
        const end = new Date(Math.max(t, startedAt.getTime() + minutes * 60_000));
        scenarioAttempts.push({
          id: attemptId,
          userId,
          scenarioId: scenario.id,
          number,
          isFirst: number === 1,
          status,
          score: total > 0 ? passedWeight / total : 0,
          hintsUsed,
          commandCount,
          timeSpentSeconds: Math.round(minutes * 60),
          startedAt,
          lastActiveAt: end,
          completedAt: status === "IN_PROGRESS" ? null : end,
        });
        for (const { check, passed } of outcomes) checks.push({ attemptId, scenarioId: scenario.id, checkId: check.id, passed });
        if (lastActive === null || end > lastActive) lastActive = end;
        if (status !== "GAVE_UP") break;
        startedAt = new Date(end.getTime() + 3_600_000);
      }
    });

    // Mock exams: engaged students sit the quick check (once or twice) and some the full paper,
    // late in their span; each sitting a real paper, graded and scored as the exam scores it.
    for (const [examId, share] of [
      [DEMO_ASSIGNED_EXAM, 0.75],
      ["authentication-exam", 0.3],
    ] as const) {
      const exam = examCatalog.exams.get(examId);
      if (!exam || engagement < 0.2 || extraRandom() > share + engagement * 0.2) continue;
      const sittings = extraRandom() < 0.35 ? 2 : 1;
      for (let number = 1; number <= sittings; number++) {
        const attemptId = id();
        const seed = crypto.randomBytes(8).toString("hex");
        const paper = drawPaper(exam, examCatalog, seed);
        const startedAt = at(0.7 + number * 0.1 + extraRandom() * 0.1);
        const outcomes: { checks: Record<string, Record<string, boolean>>; questions: Record<string, number> } = {
          checks: {},
          questions: {},
        };
        let t = startedAt.getTime();
        for (const item of paperItems(paper)) {
          t += (30 + extraRandom() * 240) * 1000;
          if (item.kind === "question") {
            const question = course.questions.get(item.questionId);
            if (!question || extraRandom() < 0.05) continue; // left unanswered
            const b = questionDifficulty.get(item.questionId) ?? 0;
            const response = answer(question, extraRandom() < 1 / (1 + Math.exp(-1.7 * (ability + (number - 1) * 0.4 - b))), extraRandom);
            const graded = gradeAnswer(question, response);
            outcomes.questions[item.key] = graded.score;
            examAnswers.push({
              id: id(),
              attemptId,
              itemKey: item.key,
              questionId: item.questionId,
              response,
              score: graded.score,
              correct: graded.correct,
              submissionId: id(),
              timeSpentSeconds: Math.round(20 + extraRandom() * 120),
              answeredAt: new Date(t),
            });
          } else {
            if (extraRandom() < 0.08) continue; // never opened
            const results = Object.fromEntries(
              item.checks.map((check) => [check.id, extraRandom() < 1 / (1 + Math.exp(-1.6 * (ability + 0.2 + (number - 1) * 0.4)))]),
            );
            outcomes.checks[item.key] = results;
            examTasks.push({
              id: id(),
              attemptId,
              itemKey: item.key,
              state: "{}",
              commandCount: 3 + Math.floor(extraRandom() * 12),
              timeSpentSeconds: Math.round(180 + extraRandom() * 600),
              openedAt: new Date(t - 600_000),
              lastActiveAt: new Date(t),
              checks: results,
            });
          }
        }
        const score = scorePaper(paper, outcomes);
        const closedAt = new Date(
          Math.min(t, startedAt.getTime() + exam.durationMinutes * 60_000, Math.max(now.getTime(), startedAt.getTime())),
        );
        examAttempts.push({
          id: attemptId,
          userId,
          examId,
          number,
          seed,
          paper,
          startedAt,
          deadline: new Date(startedAt.getTime() + exam.durationMinutes * 60_000),
          closedAt,
          closedBy: "submitted",
          percent: score.percent,
          passed: score.passed,
          score,
          notepad: "",
          flags: "[]",
          assignmentId: null,
        });
        if (lastActive === null || closedAt > lastActive) lastActive = closedAt;
      }
    }

    // Spaced review: the more engaged review more, over the last month; some cards are due.
    if (engagement > 0.35) {
      const reviewed = questions.slice(0, 3 + Math.floor(extraRandom() * 8));
      for (const question of reviewed) {
        const cardId = id();
        const createdAt = at(0.3 + extraRandom() * 0.4);
        const due = new Date(now.getTime() + (extraRandom() * 10 - 3) * 86_400_000);
        reviewCards.push({
          id: cardId,
          userId,
          itemKey: `question:${question.id}`,
          kind: "question",
          source: "quiz",
          due,
          stability: 1 + extraRandom() * 10,
          difficulty: 3 + extraRandom() * 5,
          reps: 1,
          state: 2,
          lastReview: null,
          createdAt,
        });
        const reviews = Math.floor(extraRandom() * 3 * engagement + 0.5);
        for (let r = 0; r < reviews; r++) {
          const recalled = extraRandom() < 1 / (1 + Math.exp(-(ability + 0.8)));
          const rating = recalled ? (extraRandom() < 0.8 ? 3 : 4) : extraRandom() < 0.6 ? 1 : 2;
          reviewLogs.push({
            id: id(),
            cardId,
            userId,
            rating,
            outcome: recalled ? "correct" : "incorrect",
            elapsedMs: Math.round(4_000 + extraRandom() * 30_000),
            requestId: id(),
            reviewedAt: new Date(Math.max(createdAt.getTime(), now.getTime() - extraRandom() * 30 * 86_400_000)),
          });
        }
      }
    }

    users.push({
      id: userId,
      email,
      name,
      role: "STUDENT",
      passwordHash: studentHash,
      createdAt: joinedAt,
      updatedAt: joinedAt,
      lastActiveAt: lastActive,
    });
    members.push({ id: id(), cohortId, userId, role: "STUDENT", joinedAt });
    if (users.length >= BATCH) {
      await flush();
      log(`  ${s + 1} / ${options.students} students`);
    }
  }
  await flush();
  await bulk.close();
  // The bulk rows bypass the app's writers: compute the report summaries as an upgrade would.
  await fillMissingSummaries(database, cohortId);
  return {
    cohortId,
    joinCode,
    instructor: { email: instructorEmail, password: instructorPassword },
    studentPassword,
    sampleStudentEmail,
    rows,
  };
}
