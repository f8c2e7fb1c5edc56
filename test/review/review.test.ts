// Spaced review against real databases: cards from missed quiz answers, review submits graded on
// the server and scheduled with FSRS once per request id, and one learner's cards closed to others.
import crypto from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { Rating } from "ts-fsrs";
import { createTestDatabase, providers, type TestDatabase } from "../helpers/database";
import { getQuestion } from "@/lib/content/load";
import type { Question } from "@/lib/content/schema";
import { submitAnswer } from "@/lib/quiz/submit";
import { toPublicOptionId } from "@/lib/quiz/options";
import { enterReview, reviewWrite } from "@/lib/review/cards";
import { addQuestionToReview, reviewAnswerSchema, reviewItem, reviewOverview, submitReview } from "@/lib/review/service";

const MINUTE = 60_000;
const lesson = { moduleId: "authentication", lessonSlug: "how-kubernetes-authenticates" };

function question(id: string): Question {
  const found = getQuestion(id);
  if (!found) throw new Error(`content fixture ${id} changed`);
  return found;
}
const single = question("x509-username-source");
const multiple = question("sa-groups");
const open = question("why-no-user-objects-open");
if (single.type !== "single" || multiple.type !== "multiple" || open.type !== "open") throw new Error("content fixtures changed");

function choose(q: Question, authored: string[]) {
  if (q.type !== "single" && q.type !== "multiple") throw new Error("not a choice question");
  return { optionIds: authored.map((id) => toPublicOptionId(q, id) ?? id) };
}
const wrongOf = (q: Question) => (q.type === "single" ? (q.options.find((option) => option.id !== q.answer)?.id ?? "") : "");

describe.each(providers)("spaced review on %s", (provider) => {
  let database: TestDatabase;
  let ana: string;
  let ben: string;
  const answer = (userId: string, questionId: string, response: unknown, lessonRef = lesson) =>
    submitAnswer(database.db, userId, {
      questionId,
      response: response as { optionIds: string[] },
      submissionId: crypto.randomUUID(),
      lesson: lessonRef,
    });
  const cardOf = (userId: string, questionId: string) =>
    database.db.reviewCard.findUnique({ where: { userId_itemKey: { userId, itemKey: `question:${questionId}` } } });

  beforeAll(async () => {
    database = await createTestDatabase(provider);
    ana = (await database.db.user.create({ data: { email: `ana-${provider}@example.com`, name: "Ana" } })).id;
    ben = (await database.db.user.create({ data: { email: `ben-${provider}@example.com`, name: "Ben" } })).id;
  });
  afterAll(async () => {
    await database.drop();
  });

  it("a wrong or partly right answer makes a card due now; a right one does not", async () => {
    await answer(ana, single.id, choose(single, [single.answer]));
    expect(await cardOf(ana, single.id)).toBeNull();
    const before = Date.now();
    await answer(ana, single.id, choose(single, [wrongOf(single)]));
    const card = await cardOf(ana, single.id);
    expect(card).toMatchObject({ kind: "question", source: "quiz", reps: 0, state: 0 });
    expect(card?.due.getTime()).toBeLessThanOrEqual(Date.now());
    expect(card?.due.getTime()).toBeGreaterThanOrEqual(before - 1000);
    if (multiple.type !== "multiple") throw new Error();
    const partial = await answer(ana, multiple.id, choose(multiple, [multiple.answer[0] ?? ""]), {
      moduleId: "authentication",
      lessonSlug: "serviceaccount-tokens",
    });
    expect(partial.feedback.status).toBe("partial");
    expect(await cardOf(ana, multiple.id)).toMatchObject({ source: "quiz" });
  });

  it("an open answer enters review only once it is rated partly or missed", async () => {
    const submissionId = crypto.randomUUID();
    const ref = { moduleId: "authentication", lessonSlug: "how-kubernetes-authenticates" };
    await submitAnswer(database.db, ana, { questionId: open.id, response: { text: "Users live outside." }, submissionId, lesson: ref });
    expect(await cardOf(ana, open.id)).toBeNull();
    await submitAnswer(database.db, ana, {
      questionId: open.id,
      response: { text: "Users live outside.", selfRating: "partly" },
      submissionId,
      lesson: ref,
    });
    expect(await cardOf(ana, open.id)).toMatchObject({ source: "quiz" });
  });

  it("a new miss keeps an existing card's memory and only brings its due date forward", async () => {
    const item = { kind: "question" as const, questionId: single.id };
    const later = new Date(Date.now() + 10 * 24 * 60 * MINUTE);
    await database.db.reviewCard.update({
      where: { userId_itemKey: { userId: ana, itemKey: `question:${single.id}` } },
      data: { due: later, lapses: 2 },
    });
    const created = await reviewWrite(database.db, ana, (tx) => enterReview(tx, ana, [item, item], "exam"));
    expect(created).toBe(0);
    const card = await cardOf(ana, single.id);
    expect(card).toMatchObject({ lapses: 2, source: "quiz" });
    expect(card?.due.getTime()).toBeLessThanOrEqual(Date.now());
  });

  it("re-asks a question with its options shuffled per review and no key, answer or explanation", async () => {
    const card = await cardOf(ana, single.id);
    if (!card || single.type !== "single") throw new Error("no card");
    const orders = new Set<string>();
    for (let run = 0; run < 12; run += 1) {
      const view = await reviewItem(database.db, ana, card.id);
      if (view.kind !== "question") throw new Error("expected a question");
      const payload = JSON.stringify(view);
      expect(payload).not.toContain(single.explanation);
      expect(payload).not.toMatch(/"(answer|correct|explanation|accepted|modelAnswer)"/);
      for (const option of single.options) expect(payload).not.toContain(`"id":"${option.id}"`);
      expect(new Set(view.question.options?.map((option) => option.id))).toEqual(
        new Set(single.options.map((option) => toPublicOptionId(single, option.id))),
      );
      orders.add(view.question.options?.map((option) => option.id).join(",") ?? "");
    }
    expect(orders.size).toBeGreaterThan(1);
  });

  it("grades on the server, rates by correctness and time, moves the due date forward, and counts a double submit once", async () => {
    const card = await cardOf(ana, single.id);
    if (!card) throw new Error("no card");
    const now = new Date();
    const requestId = crypto.randomUUID();
    const body = { requestId, response: choose(single, [single.type === "single" ? single.answer : ""]), elapsedMs: 5_000 };
    const first = await submitReview(database.db, ana, card.id, body, now);
    expect(first).toMatchObject({ rating: Rating.Easy, duplicate: false, feedback: { correct: true, explanation: single.explanation } });
    const again = await submitReview(database.db, ana, card.id, body, new Date(now.getTime() + 1000));
    expect(again).toMatchObject({ rating: Rating.Easy, duplicate: true, nextDue: first.nextDue });
    expect(await database.db.reviewLog.count({ where: { cardId: card.id } })).toBe(1);
    const after = await cardOf(ana, single.id);
    expect(after?.reps).toBe(card.reps + 1);
    expect(after?.due.getTime()).toBeGreaterThan(now.getTime() + 24 * 60 * MINUTE);

    // Wrong, then slow but right: again, then hard.
    const wrong = await submitReview(
      database.db,
      ana,
      card.id,
      { requestId: crypto.randomUUID(), response: choose(single, [wrongOf(single)]), elapsedMs: 1_000 },
      now,
    );
    expect(wrong).toMatchObject({ rating: Rating.Again, feedback: { correct: false } });
    expect(new Date(wrong.nextDue ?? 0).getTime() - now.getTime()).toBeLessThanOrEqual(10 * MINUTE);
    const slow = await submitReview(
      database.db,
      ana,
      card.id,
      { requestId: crypto.randomUUID(), response: choose(single, [single.type === "single" ? single.answer : ""]), elapsedMs: 5 * MINUTE },
      now,
    );
    expect(slow.rating).toBe(Rating.Hard);
    // A request id is one review: used for another card it is refused.
    const other = await cardOf(ana, multiple.id);
    if (multiple.type !== "multiple") throw new Error();
    await expect(
      submitReview(database.db, ana, other?.id ?? "", { ...body, response: choose(multiple, multiple.answer) }, now),
    ).rejects.toMatchObject({ status: 409 });
  });

  it("open questions: the model answer only after a written answer, scheduled by the self-rating", async () => {
    const card = await cardOf(ana, open.id);
    if (!card || open.type !== "open") throw new Error("no card");
    await expect(
      submitReview(database.db, ana, card.id, { requestId: crypto.randomUUID(), response: { text: "  " }, elapsedMs: 1 }),
    ).rejects.toMatchObject({ status: 422 });
    const revealed = await submitReview(database.db, ana, card.id, {
      requestId: crypto.randomUUID(),
      response: { text: "They come from the authenticator." },
      elapsedMs: 1,
    });
    expect(revealed).toMatchObject({ awaitingRating: true, feedback: { modelAnswer: open.modelAnswer } });
    expect(await database.db.reviewLog.count({ where: { cardId: card.id } })).toBe(0);
    const rated = await submitReview(database.db, ana, card.id, {
      requestId: crypto.randomUUID(),
      response: { text: "They come from the authenticator.", selfRating: "got-it" },
      elapsedMs: 1,
    });
    expect(rated.rating).toBe(Rating.Good);
  });

  it("another learner's card is a 404, to view and to review", async () => {
    const card = await cardOf(ana, single.id);
    if (!card) throw new Error("no card");
    await expect(reviewItem(database.db, ben, card.id)).rejects.toMatchObject({ status: 404 });
    await expect(
      submitReview(database.db, ben, card.id, { requestId: crypto.randomUUID(), response: { optionIds: [] }, elapsedMs: 1 }),
    ).rejects.toMatchObject({ status: 404 });
    expect((await reviewOverview(database.db, ben)).totalCards).toBe(0);
  });

  it("bounds review input: time, sizes and shapes", () => {
    const base = { requestId: crypto.randomUUID(), response: { optionIds: ["x"] }, elapsedMs: 1 };
    expect(reviewAnswerSchema.safeParse(base).success).toBe(true);
    expect(reviewAnswerSchema.safeParse({ ...base, elapsedMs: 24 * 60 * MINUTE + 1 }).success).toBe(false);
    expect(reviewAnswerSchema.safeParse({ ...base, elapsedMs: -1 }).success).toBe(false);
    expect(reviewAnswerSchema.safeParse({ ...base, requestId: "x".repeat(100) }).success).toBe(false);
    expect(reviewAnswerSchema.safeParse({ ...base, response: { text: "a".repeat(10_000) } }).success).toBe(false);
    expect(reviewAnswerSchema.safeParse({ ...base, response: { optionIds: Array.from({ length: 100 }, () => "x") } }).success).toBe(false);
    expect(reviewAnswerSchema.safeParse({ ...base, extra: 1 }).success).toBe(false);
  });

  it("unknown options are a 422; an unknown question cannot be added", async () => {
    const card = await cardOf(ana, single.id);
    await expect(
      submitReview(database.db, ana, card?.id ?? "", { requestId: crypto.randomUUID(), response: { optionIds: ["a"] }, elapsedMs: 1 }),
    ).rejects.toMatchObject({ status: 422 });
    await expect(addQuestionToReview(database.db, ana, "no-such-question")).rejects.toMatchObject({ status: 404 });
  });

  it("Add to review makes a card due now for a question answered right", async () => {
    const short = question("x509-username-short");
    const { cardId } = await addQuestionToReview(database.db, ben, short.id);
    expect(await database.db.reviewCard.findUnique({ where: { id: cardId } })).toMatchObject({ userId: ben, source: "manual" });
    expect((await addQuestionToReview(database.db, ben, short.id)).cardId).toBe(cardId);
  });

  it("the overview lists due cards most overdue first and reports retention", async () => {
    const overview = await reviewOverview(database.db, ana);
    expect(overview.totalCards).toBe(3);
    expect(overview.reviews30d).toBe(4);
    expect(overview.retention30d).toBeCloseTo(2 / 4);
    expect(overview.averageRecall).toBeGreaterThan(0);
    const dues = overview.due.map((entry) => Date.parse(entry.due));
    expect([...dues].sort((a, b) => a - b)).toEqual(dues);
    expect(JSON.stringify(overview)).not.toContain(single.explanation);
  });
});
