import type { Metadata } from "next";
import Link from "next/link";
import { notFound } from "next/navigation";
import { requirePageUser } from "@/lib/auth/guard";
import { getScenario } from "@/lib/scenarios/catalog";
import { Badge, Card } from "../../../_components/ui";
import { Markdown } from "../markdown";
import { ScenarioWorkspace } from "./workspace";

type Params = { params: Promise<{ id: string }> };

export async function generateMetadata({ params }: Params): Promise<Metadata> {
  const scenario = getScenario((await params).id);
  return { title: scenario ? scenario.title : "Scenario not found" };
}

export default async function ScenarioPage({ params }: Params) {
  await requirePageUser("student");
  const scenario = getScenario((await params).id);
  if (!scenario) notFound();

  const steps = scenario.steps.map((step) => ({
    title: step.title,
    hintCount: step.hintCount,
    body: <Markdown source={step.text} className="lesson-prose [&>p]:my-1" />,
  }));

  return (
    <div className="flex flex-col gap-6">
      <div>
        <Link href="/scenarios" className="text-sm font-medium text-brand-700 hover:underline">
          ← All scenarios
        </Link>
        <h1 className="mt-2 text-2xl font-semibold tracking-tight text-slate-900 sm:text-3xl">{scenario.title}</h1>
        <p className="mt-2 max-w-3xl text-slate-700">{scenario.summary}</p>
        <div className="mt-3 flex flex-wrap gap-2">
          <Badge className="capitalize">{scenario.difficulty}</Badge>
          <Badge>About {scenario.estimatedMinutes} minutes</Badge>
        </div>
      </div>

      <Card className="grid gap-6 p-5 md:grid-cols-[minmax(0,1fr)_18rem]">
        <div>
          <h2 className="text-base font-semibold text-slate-900">The situation</h2>
          <Markdown source={scenario.story} className="lesson-prose text-[0.95rem] [&>p:first-child]:mt-2" />
        </div>
        <div className="md:border-l md:border-slate-200 md:pl-6">
          <h2 className="text-base font-semibold text-slate-900">Objectives</h2>
          <ul className="mt-2 flex list-disc flex-col gap-1.5 pl-5 text-sm text-slate-800">
            {scenario.objectives.map((objective) => (
              <li key={objective}>{objective}</li>
            ))}
          </ul>
        </div>
      </Card>

      <ScenarioWorkspace scenarioId={scenario.id} steps={steps} />
    </div>
  );
}
