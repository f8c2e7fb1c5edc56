import type { Metadata } from "next";
import Link from "next/link";
import { requirePageUser } from "@/lib/auth/guard";
import { db } from "@/lib/db/client";
import { learnerOverview } from "@/lib/progress/overview";
import type { LessonSummary, ScenarioSummary, WeakTopic } from "@/lib/progress/types";
import { Badge, Card, PageHeader, cn } from "../../_components/ui";
import { Table, type Column } from "../../_components/table";
import { ProgressBar } from "../../(public)/learn/_components/course-progress";
import { NextStepsPanel } from "../_components/next-steps";
import { ScenarioStatusBadge, minutes, score } from "../_components/progress-format";

export const metadata: Metadata = { title: "Progress" };

const STATUS_LABEL = { "not-started": "Not started", "in-progress": "In progress", completed: "Completed" } as const;

const LESSON_STATUS_STYLE = {
  "not-started": undefined,
  "in-progress": "bg-amber-100 text-amber-900",
  completed: "bg-green-100 text-green-900",
} as const;

/** One row per lesson; on a phone each lesson becomes a card (the shared Table's stacked mode). */
const LESSON_COLUMNS: Column<LessonSummary>[] = [
  {
    header: "Lesson",
    rowHeader: true,
    className: "font-medium",
    cell: (lesson) => (
      <Link href={lesson.href} className="text-brand-800 hover:underline">
        {lesson.title}
      </Link>
    ),
  },
  { header: "Status", cell: (lesson) => <Badge className={cn(LESSON_STATUS_STYLE[lesson.status])}>{STATUS_LABEL[lesson.status]}</Badge> },
  { header: "Answered", className: "tabular-nums", cell: (lesson) => `${lesson.answeredCount}/${lesson.questionCount}` },
  {
    header: "Score (first tries)",
    className: "tabular-nums",
    cell: (lesson) => (
      <>
        {score(lesson.averageFirstScore)}
        {lesson.selfRatedCount > 0 ? <div className="text-xs text-slate-600">+ {lesson.selfRatedCount} self-rated</div> : null}
      </>
    ),
  },
  { header: "Best (practice)", className: "tabular-nums", cell: (lesson) => score(lesson.averageBestScore) },
  { header: "Time", className: "whitespace-nowrap tabular-nums", cell: (lesson) => minutes(lesson.timeSpentSeconds) },
];

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
              {progress.completedLessons} of {progress.totalLessons} lessons complete · {progress.questionsAnswered} of{" "}
              {progress.totalQuestions} questions answered · {scenariosPassed} of {scenarios.length} scenarios passed
            </p>
          </Card>
          {progress.modules.map((courseModule) => (
            <Card key={courseModule.id}>
              <h2 className="text-lg font-semibold">{courseModule.title}</h2>
              <div className="mt-3">
                <ProgressBar percent={courseModule.percent} label={`${courseModule.title} progress`} />
              </div>
              <Table
                label={`Lessons of ${courseModule.title}`}
                captionHidden
                stack
                className="mt-4"
                rows={courseModule.lessons}
                rowKey={(lesson) => lesson.slug}
                columns={LESSON_COLUMNS}
              />
            </Card>
          ))}
          <Card aria-labelledby="scenarios-heading">
            <h2 id="scenarios-heading" className="text-lg font-semibold">
              Scenarios
            </h2>
            <p className="mt-1 text-sm text-slate-700">
              Score is the share of checks passed: your best passed attempt, else the current one.
            </p>
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
              {progress.questionsAnswered === 0
                ? "Answer some questions and your weakest topics show up here."
                : "Nothing to revisit: every topic you answered is at full marks."}
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
