import crypto from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestDatabase, providers, type TestDatabase } from "../helpers/database";
import { getLesson, getQuestion, loadCourse, type Lesson } from "@/lib/content/load";
import { markLessonComplete, recordHeartbeat, recordVisit } from "@/lib/progress/lessons";
import { courseProgress, lessonState, weakTopics } from "@/lib/progress/summary";
import { scenarioProgress } from "@/lib/progress/scenarios";
import { nextScenarioFor } from "@/lib/scenarios/next";
import { answerQuestion } from "@/lib/progress/answers";
import { publicOptions, toPublicOptionId } from "@/lib/quiz/options";

function lesson(slug: string): Lesson {
  const found = getLesson("authentication", slug);
  if (!found) throw new Error(`no lesson ${slug}`);
  return found;
}

describe.each(providers)("learner progress on %s", (provider) => {
  let database: TestDatabase;
  let n = 0;
  const newUser = async () => (await database.db.user.create({ data: { email: `p${n++}-${provider}@example.com`, name: "P" } })).id;

  beforeAll(async () => {
    database = await createTestDatabase(provider);
  });
  afterAll(async () => {
    await database.drop();
  });

  it("records first and last visits", async () => {
    const userId = await newUser();
    const first = await recordVisit(database.db, userId, lesson("kubeconfig-anatomy"), new Date("2026-01-01T10:00:00Z"));
    const again = await recordVisit(database.db, userId, lesson("kubeconfig-anatomy"), new Date("2026-01-02T10:00:00Z"));
    expect(again.firstVisitedAt.getTime()).toBe(first.firstVisitedAt.getTime());
    expect(again.lastVisitedAt.toISOString()).toBe("2026-01-02T10:00:00.000Z");
    await Promise.all([
      recordVisit(database.db, userId, lesson("oidc-and-structured-authn")),
      recordVisit(database.db, userId, lesson("oidc-and-structured-authn")),
    ]);
    expect(await database.db.lessonProgress.count({ where: { userId } })).toBe(2);
  });

  it("bounds heartbeats by 60 s and by the real time since the previous beat", async () => {
    const userId = await newUser();
    const target = lesson("x509-client-certificates");
    const t0 = new Date("2026-01-01T10:00:00Z");
    expect(await recordHeartbeat(database.db, userId, target, 30, t0)).toBe(30);
    // 5 s later the browser claims 60 s: only the elapsed time (plus slack) counts.
    expect(await recordHeartbeat(database.db, userId, target, 60, new Date(t0.getTime() + 5_000))).toBe(7);
    // An hour later one beat still adds at most 60 s.
    expect(await recordHeartbeat(database.db, userId, target, 500, new Date(t0.getTime() + 3_600_000))).toBe(60);
    const state = await lessonState(database.db, userId, target);
    expect(state.timeSpentSeconds).toBe(97);
  });

  it("computes course, module and lesson progress and where to continue", async () => {
    const userId = await newUser();
    const course = loadCourse();
    const lessons = course.modules.flatMap((m) => m.lessons);
    const before = await courseProgress(database.db, userId);
    expect(before).toMatchObject({ percent: 0, completedLessons: 0, totalLessons: lessons.length, questionsAnswered: 0 });
    expect(before.continueWith).toMatchObject({ reason: "start", lesson: { slug: lessons[0]?.slug } });

    await recordVisit(database.db, userId, lesson("how-kubernetes-authenticates"), new Date("2026-01-01T10:00:00Z"));
    await markLessonComplete(database.db, userId, lesson("how-kubernetes-authenticates"), "manual");
    await recordVisit(database.db, userId, lesson("serviceaccount-tokens"), new Date("2026-01-01T11:00:00Z"));
    const question = lesson("serviceaccount-tokens")
      .questionIds.map((id) => getQuestion(id))
      .find((q) => q?.type === "single");
    if (question?.type !== "single") throw new Error("expected a single-choice question");
    await answerQuestion(database.db, userId, {
      questionId: question.id,
      submissionId: crypto.randomUUID(),
      response: { optionIds: [toPublicOptionId(question, question.answer) ?? ""] },
      lesson: { moduleId: "authentication", lessonSlug: "serviceaccount-tokens" },
    });

    const after = await courseProgress(database.db, userId);
    const authentication = after.modules.find((m) => m.id === "authentication");
    const moduleLessons = course.modules.find((m) => m.id === "authentication")?.lessons ?? [];
    expect(authentication?.completedLessons).toBe(1);
    // Each module has its own progress; the course's counts every module's lessons.
    expect(authentication?.percent).toBe(Math.round(100 / moduleLessons.length));
    expect(after.percent).toBe(Math.round(100 / lessons.length));
    expect(after.modules.filter((m) => m.id !== "authentication").every((m) => m.percent === 0 && m.completedLessons === 0)).toBe(true);
    expect(after.questionsAnswered).toBe(1);
    expect(after.continueWith).toMatchObject({
      reason: "continue",
      lesson: { slug: "serviceaccount-tokens", status: "in-progress", answeredCount: 1, averageFirstScore: 1, averageBestScore: 1 },
    });
    expect(authentication?.lessons.find((l) => l.slug === "how-kubernetes-authenticates")).toMatchObject({ status: "completed" });
    expect(authentication?.lessons.find((l) => l.slug === "kubeconfig-anatomy")).toMatchObject({ status: "not-started" });

    const state = await lessonState(database.db, userId, lesson("serviceaccount-tokens"));
    expect(state.questions[question.id]).toMatchObject({
      attempts: 1,
      firstScore: 1,
      bestScore: 1,
      lastScore: 1,
      lastFeedback: { correct: true },
    });

    // Each choice question comes with this learner's own option order: public ids, stable, not another learner's.
    const choices = lesson("serviceaccount-tokens").questionIds.flatMap((id) => {
      const q = getQuestion(id);
      return q?.type === "single" || q?.type === "multiple" ? [q] : [];
    });
    expect(Object.keys(state.optionOrder).sort()).toEqual(choices.map((q) => q.id).sort());
    for (const q of choices) expect([...(state.optionOrder[q.id] ?? [])].sort()).toEqual(publicOptions(q).map((o) => o.id));
    expect((await lessonState(database.db, userId, lesson("serviceaccount-tokens"))).optionOrder).toEqual(state.optionOrder);
    const other = await lessonState(database.db, await newUser(), lesson("serviceaccount-tokens"));
    expect(choices.some((q) => other.optionOrder[q.id]?.join() !== state.optionOrder[q.id]?.join())).toBe(true);
  });

  it("shows the learner the FIRST-attempt score, best apart as practice, and self-rated answers outside both", async () => {
    const userId = await newUser();
    const ref = { moduleId: "authentication", lessonSlug: "serviceaccount-tokens" };
    const questions = lesson("serviceaccount-tokens").questionIds.map((id) => getQuestion(id));
    const single = questions.find((q) => q?.type === "single");
    const open = questions.find((q) => q?.type === "open");
    if (single?.type !== "single" || open?.type !== "open") throw new Error("content fixture changed");
    const wrong = single.options.find((o) => o.id !== single.answer)?.id ?? "";
    await answerQuestion(database.db, userId, {
      questionId: single.id,
      submissionId: crypto.randomUUID(),
      response: { optionIds: [toPublicOptionId(single, wrong) ?? ""] },
      lesson: ref,
    });
    await answerQuestion(database.db, userId, {
      questionId: single.id,
      submissionId: crypto.randomUUID(),
      response: { optionIds: [toPublicOptionId(single, single.answer) ?? ""] },
      lesson: ref,
    });
    await answerQuestion(database.db, userId, {
      questionId: open.id,
      submissionId: crypto.randomUUID(),
      response: { text: "My answer.", selfRating: "got-it" },
      lesson: ref,
    });
    const summary = (await courseProgress(database.db, userId)).modules[0]?.lessons.find((l) => l.slug === "serviceaccount-tokens");
    expect(summary).toMatchObject({ answeredCount: 2, averageFirstScore: 0, averageBestScore: 1, selfRatedCount: 1 });
  });

  it("after finishing a lesson, continues with the next unfinished one", async () => {
    const userId = await newUser();
    await recordVisit(database.db, userId, lesson("kubeconfig-anatomy"));
    await markLessonComplete(database.db, userId, lesson("kubeconfig-anatomy"), "manual");
    expect((await courseProgress(database.db, userId)).continueWith).toMatchObject({
      reason: "next",
      lesson: { slug: "x509-client-certificates" },
    });
  });

  it("ranks weak topics by the lowest mean best score and links the lessons to revisit", async () => {
    const userId = await newUser();
    const wrong = getQuestion("x509-username-source");
    const right = getQuestion("no-user-objects");
    if (wrong?.type !== "single" || right?.type !== "multiple") throw new Error("content fixture changed");
    const ref = { moduleId: "authentication", lessonSlug: "how-kubernetes-authenticates" };
    const miss = wrong.options.find((o) => o.id !== wrong.answer)?.id ?? "";
    const shown = (q: typeof wrong | typeof right, ids: string[]) => ({ optionIds: ids.map((id) => toPublicOptionId(q, id) ?? "") });
    await answerQuestion(database.db, userId, {
      questionId: wrong.id,
      submissionId: crypto.randomUUID(),
      response: shown(wrong, [miss]),
      lesson: ref,
    });
    await answerQuestion(database.db, userId, {
      questionId: right.id,
      submissionId: crypto.randomUUID(),
      response: shown(right, right.answer),
      lesson: ref,
    });
    const topics = await weakTopics(database.db, userId);
    expect(topics[0]).toMatchObject({ averageBestScore: 0, lessons: [{ href: "/learn/authentication/how-kubernetes-authenticates" }] });
    // In words, with the lesson that teaches the topic and the scenarios that practise it.
    const x509 = topics.find((t) => t.tag === "x509");
    expect(x509).toMatchObject({ title: "X.509 client certificates", lesson: { href: "/learn/authentication/x509-client-certificates" } });
    expect(x509?.scenarios.map((s) => [s.href, s.status])).toEqual([
      ["/scenarios/whoami", "not-started"],
      ["/scenarios/expired-cert", "not-started"],
    ]);
    expect(topics.map((t) => t.tag)).toEqual(expect.arrayContaining(["x509"]));
    // "identity" has one miss and one full score: in the middle; "users" (only the right answer) is not weak.
    expect(topics.find((t) => t.tag === "identity")?.averageBestScore).toBe(0.5);
    expect(topics.find((t) => t.tag === "users")).toBeUndefined();
  });

  it("summarizes scenarios: status, score, attempts and time, passed staying passed after a reset", async () => {
    const userId = await newUser();
    const t = (minute: number) => new Date(Date.UTC(2026, 0, 3, 10, minute));
    const passed = await database.db.scenarioAttempt.create({
      data: {
        userId,
        scenarioId: "whoami",
        number: 1,
        isFirst: true,
        status: "PASSED",
        score: 1,
        timeSpentSeconds: 400,
        hintsUsed: 1,
        lastActiveAt: t(5),
        completedAt: t(5),
      },
    });
    const again = await database.db.scenarioAttempt.create({
      data: { userId, scenarioId: "whoami", number: 2, isFirst: false, score: 0, timeSpentSeconds: 20, lastActiveAt: t(9) },
    });
    await database.db.scenarioInstance.create({
      data: { id: `i-${userId}-1`, userId, scenarioId: "whoami", attemptId: again.id, state: "{}" },
    });
    const open = await database.db.scenarioAttempt.create({
      data: { userId, scenarioId: "oidc", number: 1, isFirst: true, score: 0.5, timeSpentSeconds: 60, lastActiveAt: t(7) },
    });
    await database.db.scenarioInstance.create({
      data: { id: `i-${userId}-2`, userId, scenarioId: "oidc", attemptId: open.id, state: "{}" },
    });
    // Someone else's attempts never show.
    const other = await newUser();
    await database.db.scenarioAttempt.create({
      data: { userId: other, scenarioId: "wrong-ca", number: 1, isFirst: true, status: "PASSED", score: 1 },
    });

    const summaries = await scenarioProgress(database.db, userId);
    const byId = new Map(summaries.map((s) => [s.id, s]));
    expect(byId.get("whoami")).toMatchObject({
      status: "passed",
      score: 1,
      attempts: 2,
      timeSpentSeconds: 420,
      hintsUsed: 1,
      lastActiveAt: t(9).toISOString(),
      passedAt: passed.completedAt?.toISOString(),
    });
    expect(byId.get("oidc")).toMatchObject({ status: "in-progress", score: 0.5, attempts: 1, timeSpentSeconds: 60 });
    expect(byId.get("wrong-ca")).toMatchObject({ status: "not-started", attempts: 0, score: null });
    expect(summaries.map((s) => s.order)).toEqual([...summaries.map((s) => s.order)].sort((a, b) => a - b));

    // "Next scenario" skips the passed ones, in course order, for this learner only.
    const next = await nextScenarioFor(database.db, userId, "oidc");
    expect(next?.id).toMatch(/^[a-z0-9-]+$/);
    expect(next?.id).not.toBe("whoami");
    expect(await nextScenarioFor(database.db, userId, "no-such-scenario")).toBeUndefined();
  });

  it("keeps an open answer's text and model answer until it is rated, for that learner only", async () => {
    const userId = await newUser();
    const target = lesson("how-kubernetes-authenticates");
    const ref = { moduleId: "authentication", lessonSlug: target.slug };
    const question = getQuestion("why-no-user-objects-open");
    if (question?.type !== "open") throw new Error("content fixture changed");
    const submissionId = crypto.randomUUID();
    const text = "Remove the bindings and let the certificate expire.";
    await answerQuestion(database.db, userId, { questionId: question.id, submissionId, response: { text }, lesson: ref });

    const pending = (await lessonState(database.db, userId, target)).questions[question.id]?.pendingRating;
    expect(pending).toEqual({ submissionId, text, modelAnswer: question.modelAnswer, explanation: question.explanation });
    expect((await lessonState(database.db, await newUser(), target)).questions[question.id]).toBeUndefined();

    const rated = await answerQuestion(database.db, userId, {
      questionId: question.id,
      submissionId,
      response: { text, selfRating: "partly" },
      lesson: ref,
    });
    expect(rated.feedback).toMatchObject({ selfRating: "partly", modelAnswer: question.modelAnswer });
    expect((await lessonState(database.db, userId, target)).questions[question.id]?.pendingRating).toBeUndefined();
  });
});
