"use client";
// One embedded question. Before answering the browser knows only the public question; the
// verdict, the correct answer and every explanation arrive from the server after submitting.
import { useEffect, useId, useMemo, useRef, useState, type FormEvent, type ReactNode } from "react";
import { usePathname } from "next/navigation";
import type { GradingFeedback, PublicQuestion } from "@/lib/quiz/public";
import type { SelfRating } from "@/lib/quiz/response";
import type { QuestionState } from "@/lib/progress/types";
import { clsx } from "clsx";
import { Button, ButtonLink } from "../../../_components/button";
import { RichText } from "./rich-text";
import { useLessonProgress } from "./lesson-progress";
import { AddToReview } from "./add-to-review";
import { AnswerInputs } from "./answer-inputs";

type Phase =
  | { name: "answering" }
  | { name: "submitting" }
  /** `restored`: brought back from the server after a reload, so focus is not moved to it. */
  | { name: "rating"; submissionId: string; modelAnswer: string; explanation: string; restored?: boolean }
  | { name: "feedback"; feedback: GradingFeedback; stored: boolean };

interface AnswerOutcome {
  feedback: GradingFeedback;
  stored: boolean;
  isFirst?: boolean;
  lessonCompleted?: boolean;
}

const RATINGS: { value: SelfRating; label: string }[] = [
  { value: "got-it", label: "Got it" },
  { value: "partly", label: "Partly" },
  { value: "missed", label: "Missed it" },
];

export async function post<T>(url: string, body: unknown): Promise<{ ok: true; data: T } | { ok: false; error: string }> {
  try {
    const response = await fetch(url, { method: "POST", headers: { "Content-Type": "application/json" }, body: JSON.stringify(body) });
    const data = (await response.json()) as unknown;
    if (response.ok) return { ok: true, data: data as T };
    const message =
      typeof data === "object" && data !== null && "error" in data && typeof data.error === "string" ? data.error : "That did not work.";
    return { ok: false, error: message };
  } catch {
    return { ok: false, error: "Could not reach the server. Check your connection and try again." };
  }
}

/** A uniformly random order (Fisher-Yates), for visitors who have no personal order. */
function shuffled<T>(items: readonly T[]): T[] {
  const result = [...items];
  for (let i = result.length - 1; i > 0; i--) {
    const j = crypto.getRandomValues(new Uint32Array(1))[0] ?? 0;
    const k = j % (i + 1);
    [result[i], result[k]] = [result[k] as T, result[i] as T];
  }
  return result;
}

/** The personal order when it names exactly these options (a page older than the content may not). */
function validOrder(order: readonly string[] | undefined, ids: readonly string[]): string[] | null {
  if (!order || order.length !== ids.length) return null;
  const known = new Set(ids);
  return order.every((id) => known.has(id)) && new Set(order).size === ids.length ? [...order] : null;
}

/**
 * The order to show the options in: the learner's own (from the server) when signed in, a
 * random one otherwise. Null while it is not known yet; the options stay hidden meanwhile, so
 * the canonical order of the static page is never what a learner answers from.
 */
function useOptionOrder(question: PublicQuestion): string[] | null {
  const progress = useLessonProgress();
  const [randomOrder, setRandomOrder] = useState<string[] | null>(null);
  const ids = useMemo(() => (question.options ?? []).map((option) => option.id), [question.options]);
  const personal = validOrder(progress?.state?.optionOrder[question.id], ids);
  const waiting =
    progress !== null && (progress.signedIn === undefined || (progress.signedIn && progress.state === null && !progress.loadFailed));
  const needsRandom = personal === null && !waiting;
  useEffect(() => {
    if (needsRandom) setRandomOrder((current) => current ?? shuffled(ids));
  }, [needsRandom, ids]);
  return personal ?? (needsRandom ? randomOrder : null);
}

function percent(score: number): string {
  return `${Math.round(score * 100)}%`;
}

function nextState(previous: QuestionState | undefined, outcome: AnswerOutcome): QuestionState {
  const score = outcome.feedback.score;
  return {
    attempts: (previous?.attempts ?? 0) + 1,
    firstScore: previous ? previous.firstScore : score,
    bestScore: Math.max(previous?.bestScore ?? 0, score),
    lastScore: score,
    lastAnsweredAt: new Date().toISOString(),
    lastFeedback: outcome.feedback,
  };
}

export function QuestionCard({ question, partialCredit }: { question: PublicQuestion; partialCredit: boolean }) {
  const progress = useLessonProgress();
  const pathname = usePathname();
  const uid = useId();
  const [phase, setPhase] = useState<Phase>({ name: "answering" });
  const [picked, setPicked] = useState<string[]>([]);
  const [text, setText] = useState("");
  const [error, setError] = useState<string | null>(null);
  const [showPrevious, setShowPrevious] = useState(false);
  const shownAt = useRef(0);
  const firstInput = useRef<HTMLInputElement & HTMLTextAreaElement>(null);
  const feedbackRef = useRef<HTMLDivElement>(null);
  const previous = progress?.state?.questions[question.id];
  const order = useOptionOrder(question);
  const byId = new Map((question.options ?? []).map((option) => [option.id, option]));
  const shownOptions = (order ?? (question.options ?? []).map((option) => option.id)).flatMap((id) => {
    const option = byId.get(id);
    return option ? [option] : [];
  });
  const ids = { prompt: `${uid}-prompt`, hint: `${uid}-hint`, error: `${uid}-error` };

  useEffect(() => {
    shownAt.current = Date.now();
  }, []);
  useEffect(() => {
    if (phase.name === "feedback" || (phase.name === "rating" && !phase.restored)) feedbackRef.current?.focus();
  }, [phase]);

  // An open answer stored and revealed but not rated yet (a reload, another device): bring back
  // the learner's text and the model answer, once per stored submission.
  const pending = previous?.pendingRating;
  const restoredSubmission = useRef<string | null>(null);
  useEffect(() => {
    if (!pending || restoredSubmission.current === pending.submissionId || phase.name !== "answering" || text !== "") return;
    restoredSubmission.current = pending.submissionId;
    setText(pending.text);
    setPhase({
      name: "rating",
      submissionId: pending.submissionId,
      modelAnswer: pending.modelAnswer,
      explanation: pending.explanation,
      restored: true,
    });
  }, [pending, phase.name, text]);

  const locked = phase.name !== "answering";
  const isChoice = question.type === "single" || question.type === "multiple";

  async function grade(response: unknown, submissionId: string = crypto.randomUUID()) {
    setError(null);
    const before = phase;
    setPhase({ name: "submitting" });
    const result = await post<AnswerOutcome>("/api/quiz/answers", {
      questionId: question.id,
      submissionId,
      response,
      ...(progress ? { lesson: progress.lesson } : {}),
      durationMs: Math.max(0, Date.now() - shownAt.current),
    });
    if (!result.ok) {
      setError(result.error);
      setPhase(before);
      return;
    }
    setPhase({ name: "feedback", feedback: result.data.feedback, stored: result.data.stored });
    if (result.data.stored && progress) {
      progress.recordAnswer(question.id, {
        question: nextState(previous, result.data),
        lessonCompleted: result.data.lessonCompleted === true,
      });
    }
  }

  async function onSubmit(event: FormEvent) {
    event.preventDefault();
    if (phase.name !== "answering") return;
    if (isChoice) {
      if (picked.length === 0) return setError(question.multiple ? "Choose at least one option." : "Choose an option.");
      return grade({ optionIds: picked });
    }
    if (question.type === "short") {
      if (text.trim() === "") return setError("Type an answer.");
      return grade({ text });
    }
    if (text.trim() === "") return setError("Write an answer first.");
    if (!progress) return setError("Sign in to save your answer and compare it with the model answer.");
    setError(null);
    setPhase({ name: "submitting" });
    // The written answer is stored first; the server reveals the model answer only after that,
    // and the rating then completes the same submission.
    const submissionId = crypto.randomUUID();
    const written = await post<AnswerOutcome>("/api/quiz/answers", {
      questionId: question.id,
      submissionId,
      response: { text },
      lesson: progress.lesson,
      durationMs: Math.max(0, Date.now() - shownAt.current),
    });
    if (!written.ok) {
      setError(written.error);
      setPhase({ name: "answering" });
      return;
    }
    const revealed = await post<{ modelAnswer: string; explanation: string }>("/api/quiz/reveal", { questionId: question.id });
    if (!revealed.ok) {
      setError(revealed.error);
      setPhase({ name: "answering" });
      return;
    }
    setPhase({ name: "rating", submissionId, modelAnswer: revealed.data.modelAnswer, explanation: revealed.data.explanation });
  }

  function tryAgain() {
    setPicked([]);
    setText("");
    setError(null);
    setPhase({ name: "answering" });
    shownAt.current = Date.now();
    requestAnimationFrame(() => firstInput.current?.focus());
  }

  const hint =
    question.type === "single"
      ? "Choose one answer."
      : question.type === "multiple"
        ? partialCredit
          ? "Select all that apply. Partial credit: each right choice counts, each wrong choice takes one away."
          : "Select all that apply. Only the exact set of right choices scores."
        : question.type === "short"
          ? "Type a short answer."
          : "Write your answer, then compare it with a model answer and rate yourself.";

  const feedback = phase.name === "feedback" ? phase.feedback : null;
  const optionFeedback = new Map((feedback?.options ?? []).map((option) => [option.id, option]));

  return (
    <section
      aria-labelledby={ids.prompt}
      className="my-6 rounded-xl border border-slate-300 bg-white p-4 shadow-sm sm:p-6"
      data-question-id={question.id}
    >
      <form onSubmit={(event) => void onSubmit(event)} noValidate>
        <fieldset aria-describedby={`${ids.hint}${error ? ` ${ids.error}` : ""}`} disabled={locked}>
          <legend id={ids.prompt} className="text-base font-semibold text-slate-900">
            <span className="mb-1 block text-xs font-semibold uppercase tracking-wide text-brand-700">Question</span>
            <RichText text={question.prompt} inline />
          </legend>
          <p id={ids.hint} className="mt-2 text-sm text-slate-600">
            {hint}
          </p>
          <AnswerInputs
            uid={uid}
            question={question}
            options={shownOptions}
            hidden={order === null}
            verdicts={optionFeedback}
            picked={picked}
            onPick={setPicked}
            text={text}
            onText={setText}
            invalid={error !== null}
            firstInput={firstInput}
          />
        </fieldset>
        {error ? (
          <p id={ids.error} role="alert" className="mt-3 text-sm text-red-700">
            {error}
          </p>
        ) : null}
        {phase.name === "answering" || phase.name === "submitting" ? (
          <div className="mt-4 flex flex-wrap items-center gap-3">
            <Button type="submit" disabled={phase.name === "submitting"}>
              {phase.name === "submitting" ? "Checking…" : question.type === "open" ? "Show model answer" : "Check answer"}
            </Button>
            {previous && phase.name === "answering" ? (
              <span className="text-sm text-slate-700">
                {question.type === "open"
                  ? `Answered before (self-rated, not scored; ${previous.attempts} ${previous.attempts === 1 ? "attempt" : "attempts"}).`
                  : `Answered before: first try ${previous.firstScore === null ? "–" : percent(previous.firstScore)} (your score); practice: best ${percent(previous.bestScore)}, last ${percent(previous.lastScore)} (${previous.attempts} ${previous.attempts === 1 ? "attempt" : "attempts"}).`}{" "}
                <button
                  type="button"
                  className="text-brand-700 underline"
                  aria-expanded={showPrevious}
                  onClick={() => setShowPrevious((v) => !v)}
                >
                  {showPrevious ? "Hide last feedback" : "Review last feedback"}
                </button>
              </span>
            ) : null}
          </div>
        ) : null}
      </form>

      <div ref={feedbackRef} tabIndex={-1} role="status" aria-live="polite" className="outline-none">
        {phase.name === "rating" ? (
          <SelfRatingStep
            modelAnswer={phase.modelAnswer}
            explanation={phase.explanation}
            onRate={(rating) => void grade({ text, selfRating: rating }, phase.submissionId)}
          />
        ) : null}
        {feedback ? (
          <Feedback feedback={feedback} response={text}>
            <div className="mt-4 flex flex-wrap items-center gap-3">
              <Button variant="secondary" onClick={tryAgain}>
                Try again
              </Button>
              {phase.name === "feedback" && phase.stored ? <AddToReview questionId={question.id} /> : null}
              {phase.name === "feedback" && !phase.stored && progress?.signedIn === false ? (
                <span className="text-sm text-slate-700">
                  Answers are not saved while you are signed out.{" "}
                  <ButtonLink href={`/signin?callbackUrl=${encodeURIComponent(pathname)}`} variant="ghost" size="sm" className="underline">
                    Sign in to keep your progress
                  </ButtonLink>
                </span>
              ) : null}
            </div>
          </Feedback>
        ) : null}
        {showPrevious && previous && phase.name === "answering" ? <Feedback feedback={previous.lastFeedback} previous /> : null}
      </div>
    </section>
  );
}

export function SelfRatingStep({
  modelAnswer,
  explanation,
  onRate,
}: {
  modelAnswer: string;
  explanation: string;
  onRate: (rating: SelfRating) => void;
}) {
  return (
    <div className="mt-4 rounded-lg border border-brand-600 bg-brand-50 p-4">
      <h3 className="font-semibold text-slate-900">Model answer</h3>
      <RichText text={modelAnswer} className="mt-2 text-slate-900" />
      <RichText text={explanation} className="mt-3 text-sm text-slate-800" />
      <p className="mt-4 font-medium text-slate-900">How did your answer compare?</p>
      <p className="text-sm text-slate-700">Your answer is saved; it stays here with the model answer until you rate it.</p>
      <div className="mt-2 flex flex-wrap gap-2" role="group" aria-label="Rate your answer">
        {RATINGS.map((rating) => (
          <Button key={rating.value} variant="secondary" onClick={() => onRate(rating.value)}>
            {rating.label}
          </Button>
        ))}
      </div>
    </div>
  );
}

const VERDICT = {
  correct: { title: "Correct", className: "border-green-700 bg-green-50 text-green-900" },
  partial: { title: "Partly right", className: "border-amber-600 bg-amber-50 text-amber-950" },
  incorrect: { title: "Not quite", className: "border-red-700 bg-red-50 text-red-900" },
} as const;

export function Feedback({
  feedback,
  response,
  previous = false,
  children,
}: {
  feedback: GradingFeedback;
  response?: string;
  previous?: boolean;
  children?: ReactNode;
}) {
  const verdict = VERDICT[feedback.status];
  const title = feedback.selfAssessed
    ? `You rated your answer: ${feedback.selfRating === "got-it" ? "got it" : feedback.selfRating === "partly" ? "partly" : "missed it"}`
    : `${verdict.title}${feedback.status === "partial" ? ` (${percent(feedback.score)})` : ""}`;
  return (
    <div className={clsx("mt-4 rounded-lg border-l-4 p-4", verdict.className)}>
      <h3 className="font-semibold">
        {previous ? "Last time: " : ""}
        {title}
      </h3>
      {feedback.type === "short" && feedback.acceptedAnswer ? (
        <p className="mt-2 text-slate-900">
          {response ? (
            <>
              You answered <code className="rounded bg-white px-1 font-mono">{response}</code>.{" "}
            </>
          ) : null}
          Expected: <code className="rounded bg-white px-1 font-mono">{feedback.acceptedAnswer}</code>
        </p>
      ) : null}
      {feedback.type === "short" && feedback.note ? (
        <div className="mt-2 text-slate-900">
          <RichText text={feedback.note} />
        </div>
      ) : null}
      {feedback.type === "open" && feedback.modelAnswer ? (
        <div className="mt-2 text-slate-900">
          <p className="font-medium">Model answer</p>
          <RichText text={feedback.modelAnswer} />
        </div>
      ) : null}
      <RichText text={feedback.explanation} className="mt-2 text-slate-900" />
      {children}
    </div>
  );
}
