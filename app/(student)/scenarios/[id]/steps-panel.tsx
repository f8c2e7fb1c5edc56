"use client";
// The scenario's steps; any step's hints are revealed one at a time by the server, which records each for its step.
import type { ReactNode } from "react";
import { Button } from "../../../_components/ui";

export interface StepView {
  title: string;
  hintCount: number;
  /** The step's text, rendered from markdown on the server. */
  body: ReactNode;
}

/** Hint text with `code` spans shown as code. */
function HintText({ text }: { text: string }) {
  const parts = text.split(/`([^`]+)`/);
  return (
    <>
      {parts.map((part, index) =>
        index % 2 === 1 ? (
          <code key={index} className="rounded bg-amber-100 px-1 font-mono text-[0.9em] break-all">
            {part}
          </code>
        ) : (
          part
        ),
      )}
    </>
  );
}

export function StepsPanel({
  steps,
  hints,
  pendingStep,
  disabled,
  error,
  onHint,
}: {
  steps: StepView[];
  hints: { step: number; hint: string }[];
  pendingStep: number | null;
  disabled: boolean;
  error?: string;
  onHint: (step: number) => void;
}) {
  return (
    <section aria-labelledby="steps-heading" className="rounded-xl border border-slate-200 bg-white p-5 shadow-sm">
      <h2 id="steps-heading" className="text-base font-semibold text-slate-900">
        Steps
      </h2>
      {error ? (
        <p role="alert" className="mt-2 text-sm text-red-800">
          {error}
        </p>
      ) : null}
      <ol className="mt-3 flex flex-col gap-5">
        {steps.map((step, index) => {
          const revealed = hints.filter((hint) => hint.step === index);
          return (
            <li key={index} className="border-t border-slate-100 pt-4 first:border-0 first:pt-0">
              <h3 className="font-medium text-slate-900">
                <span className="text-slate-600">{index + 1}.</span> {step.title}
              </h3>
              <div className="lesson-prose mt-1 text-sm">{step.body}</div>
              {revealed.length > 0 ? (
                <ol className="mt-3 flex flex-col gap-2" aria-label={`Hints for step ${index + 1}`}>
                  {revealed.map((hint, hintIndex) => (
                    <li key={hintIndex} className="rounded-md border border-amber-300 bg-amber-50 px-3 py-2 text-sm text-amber-950">
                      <span className="font-semibold">Hint {hintIndex + 1}:</span> <HintText text={hint.hint} />
                    </li>
                  ))}
                </ol>
              ) : null}
              {step.hintCount > 0 ? (
                <div className="mt-3 flex flex-wrap items-center gap-3">
                  {revealed.length < step.hintCount ? (
                    <Button
                      variant="secondary"
                      size="sm"
                      disabled={disabled || pendingStep !== null}
                      onClick={() => onHint(index)}
                      aria-describedby={`hint-count-${index}`}
                    >
                      {pendingStep === index ? "Revealing…" : "Show hint"}
                      <span className="sr-only"> for step {index + 1}</span>
                    </Button>
                  ) : null}
                  <span id={`hint-count-${index}`} className="text-xs text-slate-600">
                    {revealed.length} of {step.hintCount} {step.hintCount === 1 ? "hint" : "hints"} used · each hint you open is recorded
                  </span>
                </div>
              ) : null}
            </li>
          );
        })}
      </ol>
    </section>
  );
}
