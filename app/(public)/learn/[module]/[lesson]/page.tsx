import type { Metadata } from "next";
import Link from "next/link";
import { notFound } from "next/navigation";
import { getLesson, getModule, lessonNeighbours, listLessonRoutes } from "@/lib/content/load";
import { listScenarios } from "@/lib/scenarios/catalog";
import { scenariosForLesson } from "@/lib/scenarios/order";
import { LessonBody } from "../../_components/lesson-body";
import { LessonCompletion, LessonProgressProvider } from "../../_components/lesson-progress";

type Params = { params: Promise<{ module: string; lesson: string }> };

// One page per lesson and no other; personal data is fetched by the browser. Rendered per request
// (the CSP nonce, see proxy.ts) from MDX compiled once per process (lesson-body.tsx).
export const dynamicParams = false;

export function generateStaticParams(): { module: string; lesson: string }[] {
  return listLessonRoutes();
}

export async function generateMetadata({ params }: Params): Promise<Metadata> {
  const { module: moduleId, lesson: slug } = await params;
  const lesson = getLesson(moduleId, slug);
  return { title: lesson?.frontmatter.title ?? "Lesson", description: lesson?.frontmatter.summary };
}

export default async function LessonPage({ params }: Params) {
  const { module: moduleId, lesson: slug } = await params;
  const lesson = getLesson(moduleId, slug);
  const courseModule = getModule(moduleId);
  if (!lesson || !courseModule) notFound();
  const { previous, next } = lessonNeighbours(moduleId, slug);
  const position = courseModule.lessons.indexOf(lesson) + 1;
  const sections = lesson.headings.filter((heading) => heading.depth === 2);
  const practice = scenariosForLesson(listScenarios(), lesson.slug);

  return (
    <LessonProgressProvider moduleId={moduleId} lessonSlug={slug}>
      <nav aria-label="Breadcrumb" className="mb-4 text-sm">
        <ol className="flex flex-wrap gap-2 text-slate-600">
          <li>
            <Link href="/learn" className="text-brand-700 hover:underline">
              Learn
            </Link>
            <span aria-hidden="true"> /</span>
          </li>
          <li>
            <Link href={`/learn/${moduleId}`} className="text-brand-700 hover:underline">
              {courseModule.title}
            </Link>
          </li>
        </ol>
      </nav>
      <div className="grid gap-10 lg:grid-cols-[minmax(0,1fr)_14rem]">
        <article className="min-w-0 max-w-3xl">
          <header className="mb-8">
            <p className="text-sm font-medium text-slate-600">
              Lesson {position} of {courseModule.lessons.length} · {lesson.frontmatter.estimatedMinutes} min read ·{" "}
              {lesson.questionIds.length} questions
            </p>
            <h1 className="mt-2 text-3xl font-bold tracking-tight text-slate-900">{lesson.frontmatter.title}</h1>
            <p className="mt-3 text-lg text-slate-700">{lesson.frontmatter.summary}</p>
            <section aria-labelledby="objectives" className="mt-6 rounded-xl border border-slate-200 bg-white p-5">
              <h2 id="objectives" className="text-sm font-semibold uppercase tracking-wide text-slate-700">
                After this lesson you can
              </h2>
              <ul className="mt-3 list-disc space-y-1 pl-5 text-slate-800">
                {lesson.frontmatter.objectives.map((objective) => (
                  <li key={objective}>{objective}</li>
                ))}
              </ul>
            </section>
          </header>
          <LessonBody source={lesson.body} />
          {practice.length > 0 ? (
            <section aria-labelledby="practice-heading" className="mt-10 rounded-xl border border-slate-200 bg-white p-5">
              <h2 id="practice-heading" className="text-lg font-semibold text-slate-900">
                Practise it hands-on
              </h2>
              <ul className="mt-3 flex flex-col gap-3">
                {practice.map((scenario) => (
                  <li key={scenario.id}>
                    <Link href={`/scenarios/${scenario.id}`} className="font-medium text-brand-800 hover:underline">
                      {scenario.title}
                    </Link>
                    <p className="text-sm text-slate-700">
                      {scenario.summary}{" "}
                      <span className="text-slate-600">
                        (<span className="capitalize">{scenario.difficulty}</span>, about {scenario.estimatedMinutes} min)
                      </span>
                    </p>
                  </li>
                ))}
              </ul>
            </section>
          ) : null}
          <footer className="mt-10 rounded-xl border border-slate-200 bg-white p-5">
            <LessonCompletion questionCount={lesson.questionIds.length} />
          </footer>
          <nav aria-label="Previous and next lesson" className="mt-8 grid gap-4 sm:grid-cols-2">
            {previous ? (
              <Link
                href={`/learn/${moduleId}/${previous.slug}`}
                rel="prev"
                className="rounded-xl border border-slate-200 bg-white p-4 hover:border-brand-600"
              >
                <span className="block text-sm text-slate-600">← Previous</span>
                <span className="font-medium text-slate-900">{previous.frontmatter.title}</span>
              </Link>
            ) : (
              <span />
            )}
            {next ? (
              <Link
                href={`/learn/${moduleId}/${next.slug}`}
                rel="next"
                className="rounded-xl border border-slate-200 bg-white p-4 text-right hover:border-brand-600"
              >
                <span className="block text-sm text-slate-600">Next →</span>
                <span className="font-medium text-slate-900">{next.frontmatter.title}</span>
              </Link>
            ) : null}
          </nav>
        </article>
        <aside className="hidden lg:block">
          <nav aria-label="On this page" className="sticky top-6 text-sm">
            <p className="font-semibold text-slate-900">On this page</p>
            <ul className="mt-3 space-y-2 border-l border-slate-200 pl-3">
              {sections.map((heading) => (
                <li key={heading.anchor}>
                  <a href={`#${heading.anchor}`} className="text-slate-700 hover:text-brand-700">
                    {heading.text}
                  </a>
                </li>
              ))}
            </ul>
          </nav>
        </aside>
      </div>
    </LessonProgressProvider>
  );
}
