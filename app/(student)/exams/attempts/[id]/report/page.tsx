import type { Metadata } from "next";
import Link from "next/link";
import { notFound, redirect } from "next/navigation";
import { requirePageUser } from "@/lib/auth/guard";
import { DomainError } from "@/lib/http/errors";
import type { ExamReport, PartPercent, ReportQuestion, ReportTask } from "@/lib/exams/api-types";
import { getReport } from "@/lib/exams/service";
import { Badge, ButtonLink, Card, cn } from "../../../../../_components/ui";
import { RichText } from "../../../../../(public)/learn/_components/rich-text";
import { formatMinutes, formatPercent } from "../../../format";

export const metadata: Metadata = { title: "Exam report" };

type Params = { params: Promise<{ id: string }> };

async function reportOf(userId: string, id: string): Promise<ExamReport> {
  try {
    return await getReport(userId, id);
  } catch (error) {
    if (error instanceof DomainError && error.status === 404) notFound();
    // Still open: back to the exam.
    if (error instanceof DomainError && error.status === 409) redirect(`/exams/attempts/${id}`);
    throw error;
  }
}

function Bars({ title, parts, passMark }: { title: string; parts: PartPercent[]; passMark: number }) {
  return (
    <Card className="flex flex-col gap-3 p-5">
      <h2 className="text-lg font-semibold text-slate-900">{title}</h2>
      <ul className="flex flex-col gap-2">
        {parts.map((part) => (
          <li key={part.id} className="grid grid-cols-[minmax(0,1fr)_4rem] items-center gap-x-3 gap-y-1 text-sm">
            <span className="min-w-0 text-slate-800">{part.title}</span>
            <span className="text-right font-semibold tabular-nums text-slate-900">{formatPercent(part.percent)}</span>
            <span className="col-span-2 h-2 overflow-hidden rounded-full bg-slate-100" aria-hidden="true">
              <span
                className={cn("block h-full rounded-full", part.percent >= passMark ? "bg-green-600" : "bg-amber-500")}
                style={{ width: `${Math.min(100, part.percent)}%` }}
              />
            </span>
          </li>
        ))}
      </ul>
    </Card>
  );
}

function TaskResult({ task, index }: { task: ReportTask; index: number }) {
  return (
    <Card className="flex flex-col gap-3 p-5" aria-labelledby={`${task.key}-title`}>
      <div className="flex flex-wrap items-start justify-between gap-2">
        <h3 id={`${task.key}-title`} className="text-base font-semibold text-slate-900">
          Task {index}: {task.title}
        </h3>
        <Badge>
          {task.earned.toFixed(1)} of {task.possible.toFixed(1)} points
        </Badge>
      </div>
      <p className="text-sm text-slate-600">
        {task.opened
          ? `${task.commandCount} ${task.commandCount === 1 ? "command" : "commands"} · ${formatMinutes(task.timeSpentSeconds)} of terminal work`
          : "Not opened during the exam."}
      </p>
      <ul className="flex flex-col gap-1.5 text-sm">
        {task.checks.map((check) => (
          <li key={check.id} className="flex items-start gap-2">
            <span className={cn("mt-0.5 shrink-0 font-semibold", check.credited ? "text-green-700" : "text-red-700")} aria-hidden="true">
              {check.credited ? "✓" : "✗"}
            </span>
            <span className="text-slate-800">
              <span className="sr-only">
                {check.credited ? "Passed: " : check.passed ? "Passed, not credited (a check it depends on failed): " : "Failed: "}
              </span>
              {check.description}
              <span className="text-slate-500"> · weight {check.weight}</span>
            </span>
          </li>
        ))}
      </ul>
      <details className="rounded-lg border border-slate-200 px-3 py-2">
        <summary className="cursor-pointer text-sm font-semibold text-slate-900">Reference solution</summary>
        <pre
          className="mt-2 overflow-x-auto rounded-md bg-slate-900 p-3 font-mono text-xs text-slate-100"
          tabIndex={0}
          aria-label={`Reference solution of task ${index}`}
        >
          <code>{task.solution.join("\n")}</code>
        </pre>
      </details>
    </Card>
  );
}

function QuestionResult({ question, index }: { question: ReportQuestion; index: number }) {
  const { feedback } = question;
  const verdict = !question.answered
    ? "Not answered"
    : feedback.status === "correct"
      ? "Correct"
      : feedback.status === "partial"
        ? "Partly right"
        : "Incorrect";
  return (
    <Card className="flex flex-col gap-3 p-5" aria-labelledby={`${question.key}-title`}>
      <div className="flex flex-wrap items-start justify-between gap-2">
        <h3 id={`${question.key}-title`} className="text-base font-semibold text-slate-900">
          Question {index}
        </h3>
        <Badge
          className={cn(feedback.status === "correct" && question.answered ? "bg-green-100 text-green-900" : "bg-amber-100 text-amber-900")}
        >
          {verdict} · {question.earned.toFixed(1)} of {question.possible.toFixed(1)}
        </Badge>
      </div>
      <RichText text={question.prompt} className="text-slate-900" />
      {feedback.options ? (
        <ul className="flex flex-col gap-1.5 text-sm">
          {feedback.options.map((option) => (
            <li
              key={option.id}
              className={cn(
                "rounded-md border px-3 py-2",
                option.correct ? "border-green-300 bg-green-50" : option.picked ? "border-red-300 bg-red-50" : "border-slate-200",
              )}
            >
              <span className="font-medium">
                {option.picked ? "Your answer" : ""}
                {option.picked && option.correct ? " · " : ""}
                {option.correct ? "Correct answer" : ""}
                {option.picked || option.correct ? ": " : ""}
              </span>
              <RichText text={option.text} inline />
              {option.explanation ? (
                <span className="mt-1 block text-slate-700">
                  <RichText text={option.explanation} inline />
                </span>
              ) : null}
            </li>
          ))}
        </ul>
      ) : (
        <dl className="grid gap-1 text-sm sm:grid-cols-[10rem_minmax(0,1fr)]">
          <dt className="font-medium text-slate-700">Your answer</dt>
          <dd className="font-mono break-words text-slate-900">{question.answered ? question.answerText : "—"}</dd>
          <dt className="font-medium text-slate-700">Expected</dt>
          <dd className="font-mono break-words text-slate-900">{feedback.acceptedAnswer ?? "—"}</dd>
        </dl>
      )}
      {feedback.note ? <p className="text-sm text-slate-700">{feedback.note}</p> : null}
      <div className="rounded-md bg-slate-50 px-3 py-2 text-sm text-slate-800">
        <p className="font-semibold text-slate-900">Explanation</p>
        <RichText text={feedback.explanation} />
      </div>
    </Card>
  );
}

export default async function ExamReportPage({ params }: Params) {
  const user = await requirePageUser("student");
  const { id } = await params;
  if (!/^[a-z0-9]{1,40}$/.test(id)) notFound();
  const report = await reportOf(user.id, id);
  const tasks = report.items.filter((item): item is ReportTask => item.kind === "task");
  const questions = report.items.filter((item): item is ReportQuestion => item.kind === "question");
  const totalTaskTime = tasks.reduce((sum, task) => sum + task.timeSpentSeconds, 0);
  return (
    <div className="flex flex-col gap-6">
      <div>
        <Link href="/exams" className="text-sm font-medium text-brand-700 hover:underline">
          ← Exams and history
        </Link>
        <h1 className="mt-1 text-2xl font-semibold tracking-tight text-slate-900 sm:text-3xl">Report: {report.title}</h1>
        <p className="mt-1 text-slate-600">
          Attempt {report.number} · {report.closedBy === "deadline" ? "submitted automatically at the deadline" : "finished by you"} on{" "}
          {report.closedAt.slice(0, 16).replace("T", " ")} UTC
        </p>
      </div>
      <Card
        className={cn(
          "flex flex-wrap items-center justify-between gap-4 p-5",
          report.passed ? "border-green-300 bg-green-50" : "border-amber-300 bg-amber-50",
        )}
      >
        <div role="status">
          <p className="text-3xl font-semibold tabular-nums text-slate-900">{formatPercent(report.percent)}</p>
          <p className="font-medium text-slate-900">
            {report.passed ? "Passed" : "Not passed"} · pass mark {report.passMark}%
          </p>
        </div>
        <div className="text-sm text-slate-700">
          <p>
            {tasks.length} {tasks.length === 1 ? "task" : "tasks"} ({formatMinutes(totalTaskTime)} of terminal work), {questions.length}{" "}
            {questions.length === 1 ? "question" : "questions"}
          </p>
          <ButtonLink href={`/exams#exam-${report.examId}`} variant="secondary" size="sm" className="mt-2">
            Take it again
          </ButtonLink>
        </div>
      </Card>
      <div className="grid items-start gap-4 md:grid-cols-2">
        <Bars title="By section" parts={report.sections} passMark={report.passMark} />
        <Bars title="By topic" parts={report.topics} passMark={report.passMark} />
      </div>
      {tasks.length > 0 ? (
        <section aria-labelledby="tasks-heading" className="flex flex-col gap-3">
          <h2 id="tasks-heading" className="text-xl font-semibold text-slate-900">
            Hands-on tasks
          </h2>
          {tasks.map((task, index) => (
            <TaskResult key={task.key} task={task} index={index + 1} />
          ))}
        </section>
      ) : null}
      <section aria-labelledby="questions-heading" className="flex flex-col gap-3">
        <h2 id="questions-heading" className="text-xl font-semibold text-slate-900">
          Questions
        </h2>
        {questions.map((question, index) => (
          <QuestionResult key={question.key} question={question} index={index + 1} />
        ))}
      </section>
    </div>
  );
}
