// The checks the learner has earned so far, as the server graded them after the last command or
// the last "Check my cluster" (work done with the learner's own kubectl).
import type { ScenarioProgressView } from "@/lib/scenarios/api-types";
import { Button, cn } from "../../../_components/ui";
import { percent } from "../score";

const STATUS_LABEL: Record<ScenarioProgressView["status"], string> = {
  "in-progress": "In progress",
  passed: "Passed",
  "gave-up": "Gave up",
};

export function ProgressPanel({ progress, checking, onCheck }: { progress: ScenarioProgressView; checking: boolean; onCheck: () => void }) {
  const score = percent(progress.score);
  const terminalChecks = progress.checks.some((check) => check.readsTerminal === true);
  return (
    <section aria-labelledby="progress-heading" className="rounded-xl border border-slate-200 bg-white p-5 shadow-sm">
      <div className="flex items-baseline justify-between gap-3">
        <h2 id="progress-heading" className="text-base font-semibold text-slate-900">
          Progress
        </h2>
        <span className="text-sm text-slate-700">{STATUS_LABEL[progress.status]}</span>
      </div>
      <p className="mt-3 text-3xl font-semibold text-slate-900">
        {score}
        <span className="text-base font-normal text-slate-600">%</span>
      </p>
      <div
        className="mt-2 h-2 overflow-hidden rounded-full bg-slate-200"
        role="progressbar"
        aria-label="Score"
        aria-valuemin={0}
        aria-valuemax={100}
        aria-valuenow={score}
      >
        <div
          className={cn("h-full rounded-full", progress.status === "passed" ? "bg-green-700" : "bg-brand-700")}
          style={{ width: `${score}%` }}
        />
      </div>
      <ul className="mt-4 flex flex-col gap-2" aria-label="Checks">
        {progress.checks.map((check) => (
          <li key={check.id} className="flex items-start gap-2 text-sm">
            <span
              aria-hidden="true"
              className={cn(
                "mt-0.5 grid h-5 w-5 shrink-0 place-items-center rounded-full text-xs font-bold",
                check.passed ? "bg-green-700 text-white" : "border border-slate-400 text-transparent",
              )}
            >
              ✓
            </span>
            <span className={check.passed ? "text-slate-900" : "text-slate-700"}>
              <span className="sr-only">{check.passed ? "Passed: " : "Not yet: "}</span>
              {check.description}
              {check.readsTerminal ? <span className="ml-1 text-xs text-slate-500">(reads the web terminal)</span> : null}
            </span>
          </li>
        ))}
      </ul>
      {progress.status === "in-progress" ? (
        <div className="mt-4 flex flex-col gap-2">
          <Button variant="secondary" size="sm" disabled={checking} onClick={onCheck}>
            {checking ? "Checking…" : "Check my cluster"}
          </Button>
          <p className="text-xs text-slate-600">
            Worked with kubectl on your own machine? The checks run again when you come back to this page, or with this button.
            {terminalChecks
              ? " Checks marked “reads the web terminal” look at the terminal's files (such as ~/.kube/config) or its history: upload your kubeconfig to the terminal, or do that part there."
              : null}
          </p>
        </div>
      ) : null}
    </section>
  );
}
