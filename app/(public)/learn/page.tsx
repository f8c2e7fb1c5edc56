import type { Metadata } from "next";
import Link from "next/link";
import { loadCourse } from "@/lib/content/load";
import { Card, PageHeader } from "../../_components/ui";
import { ContinueLearning, CourseProgressProvider, LessonStatusBadge, ModuleProgress } from "./_components/course-progress";

export const metadata: Metadata = { title: "Learn" };

export default function LearnPage() {
  const course = loadCourse();
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
    </CourseProgressProvider>
  );
}
