// What a visitor who is not signed in sees of a scenario: the story, the objectives and the steps,
// read-only. No terminal, no hints, no checks, no solution: those need an account, and the server
// sends them only to the learner working on the scenario.
import Link from "next/link";
import { findLessonBySlug } from "@/lib/content/load";
import type { PublicScenario } from "@/lib/scenarios/catalog";
import { Badge, ButtonLink, Card } from "../../../_components/ui";
import { Markdown } from "../markdown";

export function ScenarioPreview({ scenario }: { scenario: PublicScenario }) {
  const lessons = scenario.lessons.flatMap((slug) => {
    const lesson = findLessonBySlug(slug);
    return lesson ? [{ title: lesson.frontmatter.title, href: `/learn/${lesson.moduleId}/${lesson.slug}` }] : [];
  });
  const signIn = `/signin?callbackUrl=${encodeURIComponent(`/scenarios/${scenario.id}`)}`;
  return (
    <div className="flex flex-col gap-6" data-scenario-preview={scenario.id}>
      <div>
        <Link href="/learn" className="text-sm font-medium text-brand-700 hover:underline">
          ← Course overview
        </Link>
        <h1 className="mt-2 text-2xl font-semibold tracking-tight text-slate-900 sm:text-3xl">{scenario.title}</h1>
        <p className="mt-2 max-w-3xl text-slate-700">{scenario.summary}</p>
        <div className="mt-3 flex flex-wrap gap-2">
          <Badge className="capitalize">{scenario.difficulty}</Badge>
          <Badge>About {scenario.estimatedMinutes} minutes</Badge>
          <Badge>Preview</Badge>
        </div>
      </div>

      <section
        aria-label="Sign up to start"
        className="flex flex-col gap-3 rounded-xl border border-brand-100 bg-brand-50 p-5 sm:flex-row sm:items-center sm:justify-between"
      >
        <div className="min-w-0">
          <p className="font-semibold text-slate-900">Work this scenario in a browser terminal</p>
          <p className="text-sm text-slate-700">
            With a free account you get your own simulated cluster with real certificates and tokens, hints when you are stuck, and checks
            that tell you when you are done. Your progress is saved.
          </p>
        </div>
        <div className="flex shrink-0 flex-wrap items-center gap-3">
          <ButtonLink href="/signup">Sign up to start</ButtonLink>
          <ButtonLink href={signIn} variant="secondary">
            Sign in
          </ButtonLink>
        </div>
      </section>

      <Card className="grid gap-6 p-5 md:grid-cols-[minmax(0,1fr)_18rem]">
        <div className="min-w-0">
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
          {lessons.length > 0 ? (
            <>
              <h2 className="mt-4 text-base font-semibold text-slate-900">Builds on</h2>
              <ul className="mt-2 flex flex-col gap-1 text-sm">
                {lessons.map((lesson) => (
                  <li key={lesson.href}>
                    <Link href={lesson.href} className="text-brand-700 underline">
                      {lesson.title}
                    </Link>
                  </li>
                ))}
              </ul>
            </>
          ) : null}
        </div>
      </Card>

      <Card className="p-5">
        <h2 className="text-base font-semibold text-slate-900">Steps</h2>
        <ol className="mt-3 flex list-decimal flex-col gap-4 pl-5">
          {scenario.steps.map((step) => (
            <li key={step.title} className="min-w-0">
              <h3 className="font-medium text-slate-900">{step.title}</h3>
              <Markdown source={step.text} className="lesson-prose text-[0.95rem] [&>p]:my-1" />
            </li>
          ))}
        </ol>
      </Card>
    </div>
  );
}
