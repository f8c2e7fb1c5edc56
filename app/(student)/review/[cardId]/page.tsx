import type { Metadata } from "next";
import Link from "next/link";
import { notFound } from "next/navigation";
import { requirePageUser } from "@/lib/auth/guard";
import { db } from "@/lib/db/client";
import { DomainError } from "@/lib/http/errors";
import { drillScenario } from "@/lib/review/drills";
import { drillItem } from "@/lib/review/items";
import { cardIdSchema, reviewItem } from "@/lib/review/service";
import { toPublicScenario } from "@/lib/scenarios/catalog";
import { Badge, Card } from "../../../_components/ui";
import { Markdown } from "../../scenarios/markdown";
import { KeyboardHelp } from "../../scenarios/[id]/split-layout";
import { ScenarioWorkspace } from "../../scenarios/[id]/workspace";
import { ReviewQuestion } from "./review-question";

export const metadata: Metadata = { title: "Review" };

async function itemOr404(userId: string, cardId: string) {
  const parsed = cardIdSchema.safeParse(cardId);
  if (!parsed.success) notFound();
  try {
    return await reviewItem(db(), userId, parsed.data);
  } catch (error) {
    if (error instanceof DomainError && error.status === 404) notFound();
    throw error;
  }
}

const backLink = (
  <Link href="/review" className="text-sm font-medium text-brand-700 hover:underline">
    ← Review
  </Link>
);

/** One review card: a question asked again, or a failed check as a hands-on drill in a fresh instance. */
export default async function ReviewCardPage({ params }: { params: Promise<{ cardId: string }> }) {
  const user = await requirePageUser("student");
  const item = await itemOr404(user.id, (await params).cardId);
  if (item.kind === "question") {
    return (
      <div className="mx-auto flex max-w-3xl flex-col gap-2">
        {backLink}
        <h1 className="text-2xl font-semibold tracking-tight text-slate-900">Review: question</h1>
        <ReviewQuestion cardId={item.cardId} question={item.question} expectedSeconds={item.expectedSeconds} />
      </div>
    );
  }
  const drill = drillScenario(item.drillId);
  if (!drill) notFound();
  const scenario = toPublicScenario(drill);
  const target = drill.checks.find((check) => check.id === drillItem(item.drillId)?.checkId);
  const steps = scenario.steps.map((step) => ({
    title: step.title,
    hintCount: step.hintCount,
    body: <Markdown source={step.text} className="lesson-prose [&>p]:my-1" />,
  }));
  const header = (
    <div className="flex flex-wrap items-end justify-between gap-x-6 gap-y-2">
      <div className="min-w-0">
        {backLink}
        <div className="mt-1 flex flex-wrap items-center gap-x-3 gap-y-1">
          <h1 className="text-2xl font-semibold tracking-tight text-slate-900">{scenario.title}</h1>
          <Badge>Review drill</Badge>
          <Badge>About {scenario.estimatedMinutes} minutes</Badge>
        </div>
      </div>
      <KeyboardHelp />
    </div>
  );
  const intro = (
    <Card className="flex flex-col gap-4 p-5">
      <p className="text-slate-700">
        A fresh copy of the cluster you worked on, cut to the check you did not pass{target ? ": " : "."}
        {target ? <strong>{target.description}</strong> : null}. Make it pass in the terminal. When it passes, or if you give up, go back to{" "}
        <Link href="/review" className="font-medium text-brand-700 underline">
          Review
        </Link>
        : the result schedules the drill&apos;s next time.
      </p>
      <div>
        <h2 className="text-base font-semibold text-slate-900">The situation</h2>
        <Markdown source={scenario.story} className="lesson-prose text-[0.95rem] [&>p:first-child]:mt-2" />
      </div>
    </Card>
  );
  return (
    <ScenarioWorkspace
      scenarioId={item.drillId}
      steps={steps}
      header={header}
      intro={intro}
      ownKubectl={null}
      finish={{ title: "Drill passed", href: "/review", label: "Back to Review" }}
    />
  );
}
