import type { Metadata } from "next";
import Link from "next/link";
import { notFound } from "next/navigation";
import { getModule, loadCourse } from "@/lib/content/load";
import { Card, PageHeader } from "../../../_components/ui";
import { CourseProgressProvider, LessonStatusBadge, ModuleProgress } from "../_components/course-progress";

type Params = { params: Promise<{ module: string }> };

export const dynamicParams = false;

export function generateStaticParams(): { module: string }[] {
  return loadCourse().modules.map((courseModule) => ({ module: courseModule.id }));
}

export async function generateMetadata({ params }: Params): Promise<Metadata> {
  const courseModule = getModule((await params).module);
  return { title: courseModule?.title ?? "Module", description: courseModule?.summary };
}

export default async function ModulePage({ params }: Params) {
  const courseModule = getModule((await params).module);
  if (!courseModule) notFound();
  return (
    <CourseProgressProvider>
      <nav aria-label="Breadcrumb" className="mb-4 text-sm">
        <Link href="/learn" className="text-brand-700 hover:underline">
          Learn
        </Link>
      </nav>
      <PageHeader title={courseModule.title} description={courseModule.summary} />
      <ModuleProgress moduleId={courseModule.id} title={courseModule.title} />
      <ol className="mt-6 flex flex-col gap-4">
        {courseModule.lessons.map((lesson, index) => (
          <li key={lesson.slug}>
            <Card className="p-5">
              <div className="flex flex-col gap-2 sm:flex-row sm:items-start sm:justify-between">
                <h2 className="text-lg font-semibold">
                  <Link href={`/learn/${courseModule.id}/${lesson.slug}`} className="text-slate-900 hover:underline">
                    <span className="text-slate-600">{index + 1}.</span> {lesson.frontmatter.title}
                  </Link>
                </h2>
                <LessonStatusBadge moduleId={courseModule.id} slug={lesson.slug} />
              </div>
              <p className="mt-2 text-slate-700">{lesson.frontmatter.summary}</p>
              <p className="mt-2 text-sm text-slate-600">
                {lesson.frontmatter.estimatedMinutes} min · {lesson.questionIds.length} questions
              </p>
            </Card>
          </li>
        ))}
      </ol>
    </CourseProgressProvider>
  );
}
