import type { Metadata } from "next";
import Link from "next/link";
import { requirePageUser } from "@/lib/auth/guard";
import { db } from "@/lib/db/client";
import { courseProgress, weakTopics } from "@/lib/progress/summary";
import type { LessonSummary } from "@/lib/progress/types";
import { Badge, ButtonLink, Card, PageHeader, cn } from "../../_components/ui";
import { ProgressBar } from "../../(public)/learn/_components/course-progress";

export const metadata: Metadata = { title: "Progress" };

const STATUS_LABEL = { "not-started": "Not started", "in-progress": "In progress", completed: "Completed" } as const;

function minutes(seconds: number): string {
  if (seconds < 60) return seconds === 0 ? "–" : "< 1 min";
  return `${Math.round(seconds / 60)} min`;
}

function score(value: number | null): string {
  return value === null ? "–" : `${Math.round(value * 100)}%`;
}

function LessonRow({ lesson }: { lesson: LessonSummary }) {
  return (
    <tr className="border-t border-slate-100">
      <th scope="row" className="py-3 pr-4 text-left font-medium">
        <Link href={lesson.href} className="text-brand-800 hover:underline">
          {lesson.title}
        </Link>
      </th>
      <td className="py-3 pr-4">
        <Badge
          className={cn(
            lesson.status === "completed" && "bg-green-100 text-green-900",
            lesson.status === "in-progress" && "bg-amber-100 text-amber-900",
          )}
        >
          {STATUS_LABEL[lesson.status]}
        </Badge>
      </td>
      <td className="py-3 pr-4 tabular-nums">
        {lesson.answeredCount}/{lesson.questionCount}
      </td>
      <td className="py-3 pr-4 tabular-nums">
        {score(lesson.averageFirstScore)}
        {lesson.selfRatedCount > 0 ? <div className="text-xs text-slate-600">+ {lesson.selfRatedCount} self-rated</div> : null}
      </td>
      <td className="py-3 pr-4 tabular-nums">{score(lesson.averageBestScore)}</td>
      <td className="py-3 tabular-nums">{minutes(lesson.timeSpentSeconds)}</td>
    </tr>
  );
}

export default async function ProgressPage() {
  const user = await requirePageUser("student");
  const [progress, topics] = await Promise.all([courseProgress(db(), user.id), weakTopics(db(), user.id)]);
  return (
    <>
      <PageHeader title="Progress" description="Lessons completed, quiz scores and topics to revisit." />
      <div className="grid grid-cols-1 gap-6 lg:grid-cols-[minmax(0,2fr)_minmax(0,1fr)]">
        <div className="flex flex-col gap-6">
          <Card>
            <h2 className="text-lg font-semibold">Course</h2>
            <div className="mt-3">
              <ProgressBar percent={progress.percent} label="Course progress" />
            </div>
            <p className="mt-2 text-sm text-slate-700">
              {progress.completedLessons} of {progress.totalLessons} lessons complete · {progress.questionsAnswered} of {progress.totalQuestions} questions answered
            </p>
            {progress.continueWith ? (
              <ButtonLink href={progress.continueWith.lesson.href} className="mt-4">
                {progress.continueWith.reason === "continue" ? "Continue" : "Open"}: {progress.continueWith.lesson.title}
              </ButtonLink>
            ) : null}
          </Card>
          {progress.modules.map((courseModule) => (
            <Card key={courseModule.id}>
              <h2 className="text-lg font-semibold">{courseModule.title}</h2>
              <div className="mt-3">
                <ProgressBar percent={courseModule.percent} label={`${courseModule.title} progress`} />
              </div>
              <div role="region" aria-label={`Lessons of ${courseModule.title}`} tabIndex={0} className="data-table-region mt-4">
                <table className="w-full min-w-[32rem] text-sm">
                  <caption className="sr-only">Lessons of {courseModule.title}</caption>
                  <thead>
                    <tr className="text-left text-slate-600">
                      <th scope="col" className="pb-2 pr-4 font-medium">Lesson</th>
                      <th scope="col" className="pb-2 pr-4 font-medium">Status</th>
                      <th scope="col" className="pb-2 pr-4 font-medium">Answered</th>
                      <th scope="col" className="pb-2 pr-4 font-medium">Score (first tries)</th>
                      <th scope="col" className="pb-2 pr-4 font-medium">Best (practice)</th>
                      <th scope="col" className="pb-2 font-medium">Time</th>
                    </tr>
                  </thead>
                  <tbody>
                    {courseModule.lessons.map((lesson) => (
                      <LessonRow key={lesson.slug} lesson={lesson} />
                    ))}
                  </tbody>
                </table>
              </div>
            </Card>
          ))}
        </div>
        <Card className="h-fit">
          <h2 className="text-lg font-semibold">Topics to revisit</h2>
          {topics.length === 0 ? (
            <p className="mt-2 text-sm text-slate-700">
              {progress.questionsAnswered === 0 ? "Answer some questions and your weakest topics show up here." : "Nothing to revisit: every topic you answered is at full marks."}
            </p>
          ) : (
            <ul className="mt-3 flex flex-col gap-4">
              {topics.map((topic) => (
                <li key={topic.tag}>
                  <p className="flex items-center justify-between gap-2">
                    <span className="font-medium text-slate-900">{topic.tag}</span>
                    <span className="text-sm tabular-nums text-slate-700">
                      {score(topic.averageBestScore)} over {topic.answered} {topic.answered === 1 ? "question" : "questions"}
                    </span>
                  </p>
                  {topic.lessons.length > 0 ? (
                    <ul className="mt-1 text-sm">
                      {topic.lessons.map((lesson) => (
                        <li key={lesson.href}>
                          <Link href={lesson.href} className="text-brand-700 underline">
                            Revisit: {lesson.title}
                          </Link>
                        </li>
                      ))}
                    </ul>
                  ) : null}
                </li>
              ))}
            </ul>
          )}
        </Card>
      </div>
    </>
  );
}
