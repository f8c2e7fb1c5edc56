import type { Metadata } from "next";
import Link from "next/link";
import { requirePageUser } from "@/lib/auth/guard";
import { db } from "@/lib/db/client";
import { learnerOverview } from "@/lib/progress/overview";
import type { LessonSummary, ScenarioSummary, WeakTopic } from "@/lib/progress/types";
import { Badge, Card, PageHeader, cn } from "../../_components/ui";
import { ProgressBar } from "../../(public)/learn/_components/course-progress";
import { NextStepsPanel } from "../_components/next-steps";
import { ScenarioStatusBadge, minutes, score } from "../_components/progress-format";

export const metadata: Metadata = { title: "Progress" };

const STATUS_LABEL = { "not-started": "Not started", "in-progress": "In progress", completed: "Completed" } as const;

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

/** One scenario as a list entry rather than a table row, so it fits a phone without scrolling sideways. */
function ScenarioItem({ scenario }: { scenario: ScenarioSummary }) {
  const facts =
    scenario.status === "not-started"
      ? [`${scenario.difficulty}`, `about ${scenario.estimatedMinutes} min`]
      : [
          `Score ${score(scenario.score)}`,
          `${scenario.attempts} ${scenario.attempts === 1 ? "attempt" : "attempts"}`,
          `time ${minutes(scenario.timeSpentSeconds)}`,
          ...(scenario.hintsUsed > 0 ? [`${scenario.hintsUsed} ${scenario.hintsUsed === 1 ? "hint" : "hints"}`] : []),
        ];
  return (
    <li className="flex flex-col gap-1 border-t border-slate-100 py-3 first:border-t-0" data-scenario-id={scenario.id}>
      <div className="flex items-start justify-between gap-3">
        <Link href={scenario.href} className="min-w-0 break-words font-medium text-brand-800 hover:underline">
          {scenario.title}
        </Link>
        <ScenarioStatusBadge status={scenario.status} />
      </div>
      <p className="text-sm text-slate-700">{facts.join(" · ")}</p>
    </li>
  );
}

function TopicItem({ topic }: { topic: WeakTopic }) {
  return (
    <li>
      <p className="flex flex-wrap items-baseline justify-between gap-x-2">
        <span className="font-medium text-slate-900">{topic.title}</span>
        <span className="text-sm tabular-nums text-slate-700">
          {score(topic.averageBestScore)} over {topic.answered} {topic.answered === 1 ? "question" : "questions"}
        </span>
      </p>
      <ul className="mt-1 flex flex-col gap-0.5 text-sm">
        {topic.lesson ? (
          <li>
            <Link href={topic.lesson.href} className="text-brand-700 underline">
              Read: {topic.lesson.title}
            </Link>
          </li>
        ) : null}
        {topic.scenarios.map((scenario) => (
          <li key={scenario.href}>
            <Link href={scenario.href} className="text-brand-700 underline">
              Practise: {scenario.title}
            </Link>
            {scenario.status === "passed" ? <span className="text-slate-600"> (passed)</span> : null}
          </li>
        ))}
      </ul>
    </li>
  );
}

export default async function ProgressPage() {
  const user = await requirePageUser("student");
  const { course: progress, scenarios, scenariosPassed, topics, steps } = await learnerOverview(db(), user.id);
  const summary = `${progress.completedLessons} of ${progress.totalLessons} lessons complete · ${scenariosPassed} of ${scenarios.length} scenarios passed`;
  return (
    <>
      <PageHeader title="Progress" description="Lessons, scenarios, quiz scores and the topics to revisit." />
      <NextStepsPanel steps={steps} summary={summary} />
      <div className="grid grid-cols-1 gap-6 lg:grid-cols-[minmax(0,2fr)_minmax(0,1fr)]">
        <div className="flex min-w-0 flex-col gap-6">
          <Card>
            <h2 className="text-lg font-semibold">Course</h2>
            <div className="mt-3">
              <ProgressBar percent={progress.percent} label="Course progress" />
            </div>
            <p className="mt-2 text-sm text-slate-700">
              {progress.completedLessons} of {progress.totalLessons} lessons complete · {progress.questionsAnswered} of {progress.totalQuestions} questions answered ·{" "}
              {scenariosPassed} of {scenarios.length} scenarios passed
            </p>
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
          <Card aria-labelledby="scenarios-heading">
            <h2 id="scenarios-heading" className="text-lg font-semibold">
              Scenarios
            </h2>
            <p className="mt-1 text-sm text-slate-700">Score is the share of checks passed: your best passed attempt, else the current one.</p>
            <ul className="mt-3">
              {scenarios.map((scenario) => (
                <ScenarioItem key={scenario.id} scenario={scenario} />
              ))}
            </ul>
          </Card>
        </div>
        <Card className="h-fit min-w-0" aria-labelledby="topics-heading">
          <h2 id="topics-heading" className="text-lg font-semibold">
            Topics to revisit
          </h2>
          {topics.length === 0 ? (
            <p className="mt-2 text-sm text-slate-700">
              {progress.questionsAnswered === 0 ? "Answer some questions and your weakest topics show up here." : "Nothing to revisit: every topic you answered is at full marks."}
            </p>
          ) : (
            <ul className="mt-3 flex flex-col gap-4">
              {topics.map((topic) => (
                <TopicItem key={topic.tag} topic={topic} />
              ))}
            </ul>
          )}
        </Card>
      </div>
    </>
  );
}
