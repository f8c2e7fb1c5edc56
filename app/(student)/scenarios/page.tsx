import type { Metadata } from "next";
import Link from "next/link";
import { requirePageUser } from "@/lib/auth/guard";
import { getCurrentUser } from "@/lib/auth/session";
import { listScenarios } from "@/lib/scenarios/catalog";
import { Badge, ButtonLink, Card, PageHeader, cn } from "../../_components/ui";
import { percent } from "./score";
import { listScenarioStatuses, type ScenarioStatus } from "@/lib/scenarios/progress";

export const metadata: Metadata = { title: "Scenarios" };

const STATUS_STYLE: Record<ScenarioStatus["status"], { label: string; className: string; action: string }> = {
  "not-started": { label: "Not started", className: "bg-slate-100 text-slate-800", action: "Start" },
  "in-progress": { label: "In progress", className: "bg-brand-50 text-brand-800 ring-1 ring-brand-600/30", action: "Continue" },
  passed: { label: "Passed", className: "bg-green-100 text-green-900 ring-1 ring-green-700/30", action: "Review" },
  "gave-up": { label: "Gave up", className: "bg-amber-100 text-amber-900 ring-1 ring-amber-700/30", action: "Review" },
};

function statusText(status: ScenarioStatus): string {
  const { label } = STATUS_STYLE[status.status];
  return status.status === "in-progress" || status.status === "passed" ? `${label} · ${percent(status.score)}%` : label;
}

/** For visitors who are not signed in: the list stays readable, each card opens the read-only preview. */
function SignUpCall() {
  return (
    <section
      aria-label="Sign up to start"
      className="mb-6 flex flex-col gap-3 rounded-xl border border-brand-100 bg-brand-50 p-5 sm:flex-row sm:items-center sm:justify-between"
    >
      <div className="min-w-0">
        <p className="font-semibold text-slate-900">Work these scenarios in a browser terminal</p>
        <p className="text-sm text-slate-700">
          Read any scenario now. With a free account you get your own simulated cluster, hints when you are stuck, checks that tell you when
          you are done, and your progress saved.
        </p>
      </div>
      <div className="flex shrink-0 flex-wrap items-center gap-3">
        <ButtonLink href="/signup">Sign up to start</ButtonLink>
        <ButtonLink href={`/signin?callbackUrl=${encodeURIComponent("/scenarios")}`} variant="secondary">
          Sign in
        </ButtonLink>
      </div>
    </section>
  );
}

export default async function ScenariosPage() {
  // Visitors see the catalogue (public titles and summaries) and the previews; learners their statuses.
  const user = (await getCurrentUser()) ? await requirePageUser("student") : undefined;
  const scenarios = listScenarios();
  const statuses = new Map((user ? await listScenarioStatuses(user.id) : []).map((status) => [status.scenarioId, status]));

  return (
    <>
      <PageHeader
        title="Scenarios"
        description="Hands-on identity problems in a browser terminal. Each one gives you a small cluster, a kubeconfig and a reason to be rejected."
      />
      {user ? null : <SignUpCall />}
      {scenarios.length === 0 ? (
        <Card>
          <p className="text-slate-700">No scenarios are published yet. The lessons cover the same ground in the meantime.</p>
        </Card>
      ) : (
        <ol className="grid gap-4 md:grid-cols-2">
          {scenarios.map((scenario) => {
            const status = statuses.get(scenario.id) ?? { scenarioId: scenario.id, status: "not-started", score: 0 };
            const style = STATUS_STYLE[status.status];
            return (
              <li key={scenario.id}>
                <Card className="flex h-full flex-col gap-3 p-5">
                  <div className="flex items-start justify-between gap-3">
                    <h2 className="text-lg font-semibold text-slate-900">
                      <Link href={`/scenarios/${scenario.id}`} className="hover:underline">
                        {scenario.title}
                      </Link>
                    </h2>
                    {user ? <Badge className={cn("shrink-0", style.className)}>{statusText(status)}</Badge> : null}
                  </div>
                  <p className="text-sm text-slate-700">{scenario.summary}</p>
                  <div className="mt-auto flex flex-wrap items-center justify-between gap-3 pt-2">
                    <p className="text-xs text-slate-600">
                      <span className="capitalize">{scenario.difficulty}</span> · about {scenario.estimatedMinutes} minutes ·{" "}
                      {scenario.steps.length} {scenario.steps.length === 1 ? "step" : "steps"}
                    </p>
                    <ButtonLink
                      href={`/scenarios/${scenario.id}`}
                      size="sm"
                      variant={user && status.status === "not-started" ? "primary" : "secondary"}
                    >
                      {user ? style.action : "Preview"}
                      <span className="sr-only">: {scenario.title}</span>
                    </ButtonLink>
                  </div>
                </Card>
              </li>
            );
          })}
        </ol>
      )}
    </>
  );
}
