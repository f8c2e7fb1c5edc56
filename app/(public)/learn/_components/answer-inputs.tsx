"use client";
// The answer controls a question shows wherever it is asked (lessons, review): the choice list,
// with each option's verdict once the server has graded, or the text box of a short or open answer.
import type { Ref } from "react";
import { clsx } from "clsx";
import type { GradingFeedback, PublicQuestion } from "@/lib/quiz/public";
import { RichText } from "./rich-text";

type Option = NonNullable<PublicQuestion["options"]>[number];
type OptionVerdict = NonNullable<GradingFeedback["options"]>[number];

export function AnswerInputs({
  uid,
  question,
  options,
  hidden = false,
  verdicts,
  picked,
  onPick,
  text,
  onText,
  invalid,
  firstInput,
}: {
  uid: string;
  question: PublicQuestion;
  /** The choice options in the order to show them. */
  options: Option[];
  /** While the learner's option order is not known yet, the list keeps its place but is not shown. */
  hidden?: boolean;
  verdicts: Map<string, OptionVerdict>;
  picked: string[];
  onPick: (picked: string[]) => void;
  text: string;
  onText: (text: string) => void;
  invalid: boolean;
  firstInput: Ref<HTMLInputElement & HTMLTextAreaElement>;
}) {
  if (question.type === "single" || question.type === "multiple") {
    return (
      <ul className={clsx("mt-4 flex flex-col gap-2", hidden && "invisible")} aria-busy={hidden}>
        {options.map((option, index) => {
          const inputId = `${uid}-${option.id}`;
          const verdict = verdicts.get(option.id);
          return (
            <li key={option.id}>
              <label
                htmlFor={inputId}
                className={clsx(
                  "flex cursor-pointer items-start gap-3 rounded-lg border px-3 py-2.5 text-slate-900 has-[:focus-visible]:outline-3 has-[:focus-visible]:outline-brand-600",
                  verdict?.correct
                    ? "border-green-700 bg-green-50"
                    : verdict?.picked
                      ? "border-red-700 bg-red-50"
                      : "border-slate-300 hover:bg-slate-50",
                )}
              >
                <input
                  ref={index === 0 ? firstInput : undefined}
                  id={inputId}
                  type={question.multiple ? "checkbox" : "radio"}
                  name={`${uid}-choice`}
                  value={option.id}
                  checked={picked.includes(option.id)}
                  onChange={(event) =>
                    onPick(
                      question.multiple
                        ? event.target.checked
                          ? [...picked, option.id]
                          : picked.filter((id) => id !== option.id)
                        : [option.id],
                    )
                  }
                  className="mt-1 h-4 w-4 shrink-0 accent-brand-700"
                />
                <span className="flex flex-1 flex-col gap-1">
                  <RichText text={option.text} inline />
                  {verdict ? (
                    <span className="flex flex-col gap-1 text-sm">
                      <span className={clsx("font-semibold", verdict.correct ? "text-green-800" : "text-red-800")}>
                        {verdict.correct
                          ? verdict.picked
                            ? "✓ Right answer, you chose it"
                            : "✓ Right answer, you did not choose it"
                          : verdict.picked
                            ? "✗ Your choice, not right"
                            : "Not right"}
                      </span>
                      {verdict.explanation ? <RichText text={verdict.explanation} inline className="text-slate-800" /> : null}
                    </span>
                  ) : null}
                </span>
              </label>
            </li>
          );
        })}
      </ul>
    );
  }
  return (
    <div className="mt-4 flex flex-col gap-1.5">
      <label htmlFor={`${uid}-text`} className="text-sm font-medium text-slate-800">
        Your answer
      </label>
      {question.type === "short" ? (
        <input
          ref={firstInput}
          id={`${uid}-text`}
          value={text}
          onChange={(event) => onText(event.target.value)}
          maxLength={2000}
          autoComplete="off"
          spellCheck={false}
          aria-invalid={invalid ? true : undefined}
          className="h-10 rounded-md border border-slate-400 bg-white px-3 font-mono text-slate-900"
        />
      ) : (
        <textarea
          ref={firstInput}
          id={`${uid}-text`}
          value={text}
          onChange={(event) => onText(event.target.value)}
          maxLength={2000}
          rows={5}
          className="rounded-md border border-slate-400 bg-white px-3 py-2 text-slate-900"
        />
      )}
    </div>
  );
}
