"use client";
// A missed question asked again. The options come in the order the server shuffled for this review;
// the verdict, key and explanation arrive only with the answer, and the card is rescheduled then.
import Link from "next/link";
import { useRouter } from "next/navigation";
import { useEffect, useId, useRef, useState, type FormEvent } from "react";
import type { GradingFeedback, PublicQuestion } from "@/lib/quiz/public";
import type { SelfRating } from "@/lib/quiz/response";
import { Button, ButtonLink } from "../../../_components/button";
import { Feedback, post, SelfRatingStep } from "../../../(public)/learn/_components/question-card";
import { RichText } from "../../../(public)/learn/_components/rich-text";
import { AnswerInputs } from "../../../(public)/learn/_components/answer-inputs";

interface ReviewAnswerResult {
  feedback: GradingFeedback;
  awaitingRating?: boolean;
  rating?: number;
  nextDue?: string;
}

type Phase =
  | { name: "answering" | "submitting" }
  | { name: "rating"; modelAnswer: string; explanation: string }
  | { name: "done"; result: ReviewAnswerResult };

const RATING_WORDS: Record<number, string> = { 1: "again", 2: "hard", 3: "good", 4: "easy" };

function nextTime(iso: string): string {
  const days = (new Date(iso).getTime() - Date.now()) / (24 * 60 * 60 * 1000);
  if (days < 1 / 24) return "in a few minutes";
  if (days < 1) return `in about ${Math.max(1, Math.round(days * 24))} hours`;
  return `in ${Math.round(days)} ${Math.round(days) === 1 ? "day" : "days"}`;
}

export function ReviewQuestion({
  cardId,
  question,
  expectedSeconds,
}: {
  cardId: string;
  question: PublicQuestion;
  expectedSeconds: number;
}) {
  const uid = useId();
  const router = useRouter();
  const [phase, setPhase] = useState<Phase>({ name: "answering" });
  const [picked, setPicked] = useState<string[]>([]);
  const [text, setText] = useState("");
  const [error, setError] = useState<string | null>(null);
  const shownAt = useRef(0);
  const resultRef = useRef<HTMLDivElement>(null);
  const firstInput = useRef<HTMLInputElement & HTMLTextAreaElement>(null);
  const isChoice = question.type === "single" || question.type === "multiple";

  useEffect(() => {
    shownAt.current = Date.now();
    firstInput.current?.focus();
  }, []);
  useEffect(() => {
    if (phase.name === "done" || phase.name === "rating") resultRef.current?.focus();
  }, [phase.name]);

  async function send(response: unknown, requestId: string = crypto.randomUUID()) {
    setError(null);
    const before = phase;
    setPhase({ name: "submitting" });
    const result = await post<ReviewAnswerResult>(`/api/review/cards/${cardId}/answer`, {
      requestId,
      response,
      elapsedMs: Math.min(24 * 60 * 60 * 1000, Math.max(0, Date.now() - shownAt.current)),
    });
    if (!result.ok) {
      setError(result.error);
      setPhase(before.name === "rating" ? before : { name: "answering" });
      return;
    }
    if (result.data.awaitingRating)
      setPhase({ name: "rating", modelAnswer: result.data.feedback.modelAnswer ?? "", explanation: result.data.feedback.explanation });
    else {
      setPhase({ name: "done", result: result.data });
      // The header's due count (root layout) changed.
      router.refresh();
    }
  }

  function onSubmit(event: FormEvent) {
    event.preventDefault();
    if (phase.name !== "answering") return;
    if (isChoice) {
      if (picked.length === 0) return setError(question.multiple ? "Choose at least one option." : "Choose an option.");
      return void send({ optionIds: picked });
    }
    if (text.trim() === "") return setError(question.type === "open" ? "Write an answer first." : "Type an answer.");
    return void send({ text });
  }

  const done = phase.name === "done" ? phase.result : null;
  const verdicts = new Map((done?.feedback.options ?? []).map((option) => [option.id, option]));
  const hint =
    question.type === "single"
      ? "Choose one answer."
      : question.type === "multiple"
        ? "Select all that apply."
        : question.type === "short"
          ? "Type a short answer."
          : "Write your answer, then compare it with the model answer and rate yourself.";

  return (
    <section
      aria-labelledby={`${uid}-prompt`}
      className="rounded-xl border border-slate-300 bg-white p-4 shadow-sm sm:p-6"
      data-card-id={cardId}
    >
      <form onSubmit={onSubmit} noValidate>
        <fieldset disabled={phase.name !== "answering"} aria-describedby={`${uid}-hint`}>
          <legend id={`${uid}-prompt`} className="text-base font-semibold text-slate-900">
            <RichText text={question.prompt} inline />
          </legend>
          <p id={`${uid}-hint`} className="mt-2 text-sm text-slate-600">
            {hint} {question.type !== "open" ? `Someone who knows it answers in about ${expectedSeconds} seconds.` : null}
          </p>
          <AnswerInputs
            uid={uid}
            question={question}
            options={question.options ?? []}
            verdicts={verdicts}
            picked={picked}
            onPick={setPicked}
            text={text}
            onText={setText}
            invalid={error !== null}
            firstInput={firstInput}
          />
        </fieldset>
        {error ? (
          <p role="alert" className="mt-3 text-sm text-red-700">
            {error}
          </p>
        ) : null}
        {phase.name === "answering" || phase.name === "submitting" ? (
          <Button type="submit" className="mt-4" disabled={phase.name === "submitting"}>
            {phase.name === "submitting" ? "Checking…" : question.type === "open" ? "Show model answer" : "Check answer"}
          </Button>
        ) : null}
      </form>
      <div ref={resultRef} tabIndex={-1} role="status" aria-live="polite" className="outline-none">
        {phase.name === "rating" ? (
          <SelfRatingStep
            modelAnswer={phase.modelAnswer}
            explanation={phase.explanation}
            onRate={(rating: SelfRating) => void send({ text, selfRating: rating })}
          />
        ) : null}
        {done ? (
          <Feedback feedback={done.feedback} response={text}>
            <p className="mt-3 text-sm text-slate-900">
              Rated <strong>{RATING_WORDS[done.rating ?? 0] ?? "–"}</strong>
              {done.nextDue ? <>; this question comes back {nextTime(done.nextDue)}.</> : "."}
            </p>
            <div className="mt-4 flex flex-wrap items-center gap-3">
              <ButtonLink href="/review/next">Next due item</ButtonLink>
              <Link href="/review" className="text-sm font-medium text-brand-700 underline">
                Back to Review
              </Link>
            </div>
          </Feedback>
        ) : null}
      </div>
    </section>
  );
}
