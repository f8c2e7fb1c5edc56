import type { Metadata } from "next";
import Link from "next/link";
import { findLessonBySlug, loadCourse } from "@/lib/content/load";
import { listScenarios } from "@/lib/scenarios/catalog";
import { Card, PageHeader } from "../../_components/ui";
import { ContinueLearning, CourseProgressProvider, LessonStatusBadge, ModuleProgress } from "./_components/course-progress";

export const metadata: Metadata = { title: "Learn" };

export default function LearnPage() {
  const course = loadCourse();
  const scenarios = listScenarios();
  return (
    <CourseProgressProvider>
      <PageHeader title={course.title} description={course.summary} />
      <ContinueLearning />
      <ul className="flex flex-col gap-6">
        {course.modules.map((courseModule) => (
          <li key={courseModule.id}>
            <Card>
              <h2 className="text-xl font-semibold">
                <Link href={`/learn/${courseModule.id}`} className="text-slate-900 hover:underline">
                  {courseModule.title}
                </Link>
              </h2>
              <p className="mt-2 text-slate-700">{courseModule.summary}</p>
              <ModuleProgress moduleId={courseModule.id} title={courseModule.title} />
              <ol className="mt-4 divide-y divide-slate-100 border-t border-slate-100">
                {courseModule.lessons.map((lesson, index) => (
                  <li key={lesson.slug} className="flex flex-col gap-1 py-3 sm:flex-row sm:items-center sm:justify-between">
                    <Link href={`/learn/${courseModule.id}/${lesson.slug}`} className="font-medium text-brand-800 hover:underline">
                      {index + 1}. {lesson.frontmatter.title}
                    </Link>
                    <span className="flex items-center gap-3 text-sm text-slate-600">
                      <LessonStatusBadge moduleId={courseModule.id} slug={lesson.slug} />
                      {lesson.frontmatter.estimatedMinutes} min
                    </span>
                  </li>
                ))}
              </ol>
            </Card>
          </li>
        ))}
      </ul>
      {scenarios.length > 0 ? (
        <section aria-labelledby="scenarios-heading" className="mt-8">
          <Card>
            <h2 id="scenarios-heading" className="text-xl font-semibold text-slate-900">
              Hands-on scenarios
            </h2>
            <p className="mt-2 text-slate-700">
              Practise what the lessons teach in a browser terminal against a simulated cluster, with real certificates and tokens. Each
              scenario names the lessons it builds on.
            </p>
            <ol className="mt-4 divide-y divide-slate-100 border-t border-slate-100">
              {scenarios.map((scenario) => {
                const basis = scenario.lessons.flatMap((slug) => findLessonBySlug(slug)?.frontmatter.title ?? []);
                return (
                  <li key={scenario.id} className="flex flex-col gap-1 py-3" data-scenario-id={scenario.id}>
                    <div className="flex flex-col gap-1 sm:flex-row sm:items-center sm:justify-between">
                      <Link href={`/scenarios/${scenario.id}`} className="font-medium text-brand-800 hover:underline">
                        {scenario.title}
                      </Link>
                      <span className="text-sm text-slate-600">
                        <span className="capitalize">{scenario.difficulty}</span> · about {scenario.estimatedMinutes} min
                      </span>
                    </div>
                    <p className="text-sm text-slate-700">{scenario.summary}</p>
                    {basis.length > 0 ? <p className="text-xs text-slate-600">Builds on: {basis.join(", ")}</p> : null}
                  </li>
                );
              })}
            </ol>
          </Card>
        </section>
      ) : null}
    </CourseProgressProvider>
  );
}
