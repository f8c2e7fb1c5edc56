// "Continue where you left off" and the recommendation, over lessons and scenarios alike.
import type { NextSteps } from "@/lib/progress/types";
import { ButtonLink } from "../../_components/ui";

const KIND = { lesson: "Lesson", scenario: "Scenario" } as const;

export function NextStepsPanel({ steps, summary }: { steps: NextSteps; summary: string }) {
  const { continueWith, recommended } = steps;
  if (!continueWith && !recommended) {
    return (
      <section aria-label="Continue learning" className="mb-8 rounded-xl border border-green-200 bg-green-50 p-5">
        <p className="font-semibold text-green-900">You have finished every lesson and scenario.</p>
        <p className="text-sm text-slate-700">{summary}</p>
      </section>
    );
  }
  const recommendedLabel =
    recommended?.reason === "weak-topic"
      ? `Recommended: practise ${recommended.topic ?? "a weak topic"}`
      : recommended?.reason === "start"
        ? "Start here"
        : "Up next";
  return (
    <section aria-label="Continue learning" className="mb-8 grid gap-4 md:grid-cols-2">
      {continueWith ? (
        <div className="flex flex-col gap-3 rounded-xl border border-brand-100 bg-brand-50 p-5">
          <div className="min-w-0">
            <p className="text-sm font-semibold text-brand-800">Continue where you left off</p>
            <p className="break-words text-lg font-semibold text-slate-900">{continueWith.title}</p>
            <p className="text-sm text-slate-700">
              {KIND[continueWith.kind]} · {summary}
            </p>
          </div>
          <ButtonLink href={continueWith.href} className="self-start">
            Continue<span className="sr-only">: {continueWith.title}</span>
          </ButtonLink>
        </div>
      ) : null}
      {recommended ? (
        <div className="flex flex-col gap-3 rounded-xl border border-slate-200 bg-white p-5">
          <div className="min-w-0">
            <p className="text-sm font-semibold text-brand-800">{recommendedLabel}</p>
            <p className="break-words text-lg font-semibold text-slate-900">{recommended.title}</p>
            <p className="text-sm text-slate-700">
              {KIND[recommended.kind]}
              {continueWith ? "" : ` · ${summary}`}
            </p>
          </div>
          <ButtonLink href={recommended.href} variant={continueWith ? "secondary" : "primary"} className="self-start">
            {recommended.kind === "scenario" ? "Open scenario" : "Open lesson"}
            <span className="sr-only">: {recommended.title}</span>
          </ButtonLink>
        </div>
      ) : null}
    </section>
  );
}
