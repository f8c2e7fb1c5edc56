import crypto from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestDatabase, providers, type TestDatabase } from "../helpers/database";
import { getLesson, getQuestion } from "@/lib/content/load";
import { revealModelAnswer, submitAnswer } from "@/lib/quiz/submit";
import { answerQuestion } from "@/lib/progress/answers";
import { jsonError } from "@/lib/http/errors";
import { questionStats } from "@/lib/quiz/attempts";
import { DomainError } from "@/lib/http/errors";
import type { Question } from "@/lib/content/schema";
import type { AnswerRequest } from "@/lib/quiz/submission";
import { toPublicOptionId } from "@/lib/quiz/options";

const lessonRef = { moduleId: "authentication", lessonSlug: "how-kubernetes-authenticates" };

function request(questionId: string, response: AnswerRequest["response"], submissionId: string = crypto.randomUUID()): AnswerRequest {
  return { questionId, response, submissionId, lesson: lessonRef };
}

/** The browser knows options by public ids; tests name them by authored id. */
function shown(question: Question, authoredIds: string[]): { optionIds: string[] } {
  if (question.type !== "single" && question.type !== "multiple") throw new Error("expected a choice question");
  return { optionIds: authoredIds.map((id) => toPublicOptionId(question, id) ?? id) };
}

function wrongChoice(question: Question): string {
  if (question.type !== "single") throw new Error("fixture must be single choice");
  return question.options.find((option) => option.id !== question.answer)?.id ?? "";
}

describe.each(providers)("quiz attempts on %s", (provider) => {
  let database: TestDatabase;
  let userId: string;
  const single = getQuestion("x509-username-source");
  if (single?.type !== "single") throw new Error("content fixture changed");

  beforeAll(async () => {
    database = await createTestDatabase(provider);
    userId = (await database.db.user.create({ data: { email: `quiz-${provider}@example.com`, name: "Quinn" } })).id;
  });
  afterAll(async () => {
    await database.drop();
  });

  it("grades anonymous answers without storing anything", async () => {
    const outcome = await submitAnswer(database.db, undefined, request(single.id, shown(single, [single.answer])));
    expect(outcome).toMatchObject({
      stored: false,
      feedback: { correct: true, correctOptionIds: [toPublicOptionId(single, single.answer)] },
    });
    expect(outcome.feedback.explanation).toBe(single.explanation);
    expect(await database.db.questionAttempt.count()).toBe(0);
  });

  it("answers 404 for an unknown question and 422 with a readable message for a wrong shape", async () => {
    await expect(submitAnswer(database.db, userId, request("no-such-question", { optionIds: ["a"] }))).rejects.toMatchObject({
      status: 404,
    });
    const wrongShape = submitAnswer(database.db, userId, request(single.id, { text: "CN" }));
    await expect(wrongShape).rejects.toBeInstanceOf(DomainError);
    await expect(wrongShape).rejects.toMatchObject({ status: 422 });
    await expect(submitAnswer(database.db, userId, request(single.id, shown(single, ["a", "b"])))).rejects.toThrowError(
      "choose exactly one option",
    );
    // Authored ids are not what the browser sees, so they are refused rather than graded.
    await expect(submitAnswer(database.db, userId, request(single.id, { optionIds: [single.answer] }))).rejects.toThrowError(
      `unknown option "${single.answer}"`,
    );
    expect(await database.db.questionAttempt.count()).toBe(0);
  });

  it("stores every submit, marks only the first, and keeps first, best and last scores", async () => {
    const first = await submitAnswer(database.db, userId, request(single.id, shown(single, [wrongChoice(single)])));
    expect(first).toMatchObject({ stored: true, isFirst: true, duplicate: false, feedback: { correct: false, score: 0 } });
    const second = await submitAnswer(database.db, userId, request(single.id, shown(single, [single.answer])));
    expect(second).toMatchObject({ stored: true, isFirst: false, feedback: { correct: true } });
    const third = await submitAnswer(database.db, userId, request(single.id, shown(single, [wrongChoice(single)])));
    expect(third.isFirst).toBe(false);
    const stats = (await questionStats(database.db, userId)).get(single.id);
    expect(stats).toMatchObject({ attempts: 3, firstScore: 0, bestScore: 1, lastScore: 0 });
    const row = await database.db.questionAttempt.findFirstOrThrow({ where: { userId, isFirst: true } });
    expect(row).toMatchObject({
      moduleId: "authentication",
      lessonSlug: "how-kubernetes-authenticates",
      response: { optionIds: [wrongChoice(single)] },
    });
  });

  it("stores a repeated submissionId once and answers it with the original grading", async () => {
    const submissionId = crypto.randomUUID();
    const question = getQuestion("failed-authn-status-code");
    if (!question) throw new Error("content fixture changed");
    const body =
      question.type === "short" ? { text: question.accepted[0] ?? "" } : { optionIds: [question.type === "single" ? question.answer : ""] };
    const results = await Promise.all(
      Array.from({ length: 5 }, () => submitAnswer(database.db, userId, request(question.id, body, submissionId))),
    );
    expect(await database.db.questionAttempt.count({ where: { userId, submissionId } })).toBe(1);
    expect(results.filter((r) => !r.duplicate)).toHaveLength(1);
    expect(results.every((r) => r.feedback.correct)).toBe(true);
    // A replay with a different body still gets the stored verdict, not a new grading.
    const replay = await submitAnswer(
      database.db,
      userId,
      request(question.id, question.type === "short" ? { text: "nope" } : { optionIds: ["zz"] }, submissionId),
    );
    expect(replay).toMatchObject({ duplicate: true, feedback: { correct: true } });
  });

  it("marks exactly one first attempt when submissions race", async () => {
    const raced = await database.db.user.create({ data: { email: `race-${provider}@example.com`, name: "Racer" } });
    const outcomes = await Promise.all(
      Array.from({ length: 8 }, (_, n) =>
        submitAnswer(database.db, raced.id, request(single.id, shown(single, [n % 2 ? single.answer : wrongChoice(single)]))),
      ),
    );
    expect(outcomes.filter((o) => o.isFirst)).toHaveLength(1);
    expect(await database.db.questionAttempt.count({ where: { userId: raced.id } })).toBe(8);
    expect(await database.db.questionAttempt.count({ where: { userId: raced.id, isFirst: true } })).toBe(1);
  });

  it("stores the self-rating of an open question as the graded answer", async () => {
    const open = getQuestion("why-no-user-objects-open");
    expect(open?.type).toBe("open");
    const outcome = await submitAnswer(
      database.db,
      userId,
      request("why-no-user-objects-open", { text: "Remove bindings; wait for expiry.", selfRating: "partly" }),
    );
    expect(outcome.feedback).toMatchObject({ score: 0.5, selfAssessed: true, selfRating: "partly" });
    expect(outcome.feedback.modelAnswer).toBe(open?.type === "open" ? open.modelAnswer : undefined);
    const row = await database.db.questionAttempt.findFirstOrThrow({ where: { userId, questionId: "why-no-user-objects-open" } });
    expect(row).toMatchObject({ selfRating: "partly", score: 0.5, correct: false });
  });

  describe("revealing an open question's model answer", () => {
    const openId = "why-no-user-objects-open";
    const modelAnswer = (() => {
      const open = getQuestion(openId);
      if (open?.type !== "open") throw new Error("content fixture changed");
      return open.modelAnswer;
    })();
    async function revealBody(actor: string | undefined): Promise<{ status: number; body: string }> {
      try {
        const value = await revealModelAnswer(database.db, actor, openId);
        return { status: 200, body: JSON.stringify(value) };
      } catch (error) {
        const response = jsonError(error);
        return { status: response.status, body: await response.text() };
      }
    }

    it("needs a stored, non-empty written answer by this learner: otherwise 4xx and no model answer", async () => {
      const learner = (await database.db.user.create({ data: { email: `reveal-${provider}@example.com`, name: "Rae" } })).id;
      const other = (await database.db.user.create({ data: { email: `reveal-other-${provider}@example.com`, name: "Otto" } })).id;
      for (const actor of [undefined, learner]) {
        const { status, body } = await revealBody(actor);
        expect(status, String(actor)).toBeGreaterThanOrEqual(400);
        expect(status).toBeLessThan(500);
        expect(body).not.toContain(modelAnswer.slice(0, 40));
      }
      // An empty (or blank) text is refused outright, as a written answer and as a rated one.
      await expect(submitAnswer(database.db, learner, request(openId, { text: "   " }))).rejects.toMatchObject({ status: 422 });
      await expect(submitAnswer(database.db, learner, request(openId, { text: "", selfRating: "got-it" }))).rejects.toMatchObject({
        status: 422,
      });
      expect((await revealBody(learner)).status).toBe(409);
      // Another learner's stored answer does not count.
      await submitAnswer(database.db, other, request(openId, { text: "Mine, not yours." }));
      expect((await revealBody(learner)).status).toBe(409);

      const submissionId = crypto.randomUUID();
      const written = await submitAnswer(database.db, learner, request(openId, { text: "IdPs already store users." }, submissionId));
      expect(written).toMatchObject({ stored: true, isFirst: true, feedback: { awaitingRating: true, explanation: "" } });
      expect(JSON.stringify(written)).not.toContain(modelAnswer.slice(0, 40));
      const revealed = await revealBody(learner);
      expect(revealed.status).toBe(200);
      expect(revealed.body).toContain(JSON.stringify(modelAnswer).slice(1, 40));

      // The rating completes the same submission: one row, rated.
      const rated = await submitAnswer(
        database.db,
        learner,
        request(openId, { text: "IdPs already store users.", selfRating: "got-it" }, submissionId),
      );
      expect(rated).toMatchObject({ duplicate: false, feedback: { selfRating: "got-it", score: 1, modelAnswer } });
      const rows = await database.db.questionAttempt.findMany({ where: { userId: learner, questionId: openId } });
      expect(rows).toHaveLength(1);
      expect(rows[0]).toMatchObject({ selfRating: "got-it", score: 1, isFirst: true });
      // A second rating of the same submission changes nothing.
      const again = await submitAnswer(
        database.db,
        learner,
        request(openId, { text: "IdPs already store users.", selfRating: "missed" }, submissionId),
      );
      expect(again).toMatchObject({ duplicate: true, feedback: { selfRating: "got-it" } });
      expect(await database.db.questionAttempt.findFirstOrThrow({ where: { userId: learner, questionId: openId } })).toMatchObject({
        selfRating: "got-it",
      });
    });
  });

  it("completes the lesson once every embedded question has been answered (through lib/progress, as the route answers)", async () => {
    const learner = await database.db.user.create({ data: { email: `complete-${provider}@example.com`, name: "Finisher" } });
    const lesson = getLesson(lessonRef.moduleId, lessonRef.lessonSlug);
    if (!lesson) throw new Error("content fixture changed");
    const answers = lesson.questionIds.map((id) => {
      const question = getQuestion(id);
      if (!question) throw new Error(`missing ${id}`);
      if (question.type === "single") return request(id, shown(question, [question.answer]));
      if (question.type === "multiple") return request(id, shown(question, question.answer));
      if (question.type === "short") return request(id, { text: question.accepted[0] ?? "" });
      return request(id, { text: "I do not know.", selfRating: "missed" });
    });
    const outcomes = [];
    for (const answer of answers) outcomes.push(await answerQuestion(database.db, learner.id, answer));
    expect(outcomes.slice(0, -1).every((o) => o.lessonCompleted === false)).toBe(true);
    expect(outcomes.at(-1)?.lessonCompleted).toBe(true);
    const progress = await database.db.lessonProgress.findFirstOrThrow({ where: { userId: learner.id } });
    expect(progress.completedBy).toBe("questions");
  });
});
