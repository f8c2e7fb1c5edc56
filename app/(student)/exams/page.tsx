import type { Metadata } from "next";
import Link from "next/link";
import { requirePageUser } from "@/lib/auth/guard";
import type { AttemptSummary } from "@/lib/exams/api-types";
import { listAttempts, listExams } from "@/lib/exams/service";
import { Badge, Card, PageHeader, cn } from "../../_components/ui";
import { formatPercent } from "./format";
import { StartExamButton } from "./start-button";

export const metadata: Metadata = { title: "Mock exams" };

/** The trend of an exam's closed attempts, oldest first, in words. */
function trendOf(attempts: AttemptSummary[]): string | undefined {
  const scores = attempts
    .filter((attempt) => !attempt.open && attempt.percent !== null)
    .reverse()
    .map((attempt) => attempt.percent ?? 0);
  if (scores.length < 2) return undefined;
  const first = scores[0] ?? 0;
  const last = scores[scores.length - 1] ?? 0;
  const change = Math.round((last - first) * 10) / 10;
  const direction = change > 0 ? `up ${change} points` : change < 0 ? `down ${-change} points` : "unchanged";
  return `${scores.map(formatPercent).join(" → ")} (${direction} since the first)`;
}

export default async function ExamsPage() {
  const user = await requirePageUser("student");
  const exams = listExams();
  const attempts = await listAttempts(user.id);
  return (
    <>
      <PageHeader
        title="Mock exams"
        description="Timed papers under exam conditions: hands-on tasks in fresh clusters and questions, no hints and no feedback until you finish. The clock runs on the server, so closing the tab does not stop it."
      />
      <ol className="mb-10 grid gap-4 md:grid-cols-2">
        {exams.map((exam) => {
          const mine = attempts.filter((attempt) => attempt.examId === exam.id);
          const open = mine.find((attempt) => attempt.open);
          const best = mine.reduce<number | null>(
            (top, attempt) => (attempt.percent !== null && (top === null || attempt.percent > top) ? attempt.percent : top),
            null,
          );
          const trend = trendOf(mine);
          return (
            <li key={exam.id} id={`exam-${exam.id}`}>
              <Card className="flex h-full flex-col gap-3 p-5" aria-labelledby={`exam-${exam.id}-title`}>
                <h2 id={`exam-${exam.id}-title`} className="text-lg font-semibold text-slate-900">
                  {exam.title}
                </h2>
                <p className="text-sm text-slate-700">{exam.summary}</p>
                <div className="flex flex-wrap gap-2">
                  <Badge>
                    {exam.durationMinutes >= 1 ? `${exam.durationMinutes} minutes` : `${Math.round(exam.durationMinutes * 60)} seconds`}
                  </Badge>
                  <Badge>
                    {exam.taskCount} {exam.taskCount === 1 ? "task" : "tasks"} · {exam.questionCount}{" "}
                    {exam.questionCount === 1 ? "question" : "questions"}
                  </Badge>
                  <Badge>Pass mark {exam.passMark}%</Badge>
                  {best !== null ? <Badge className="bg-brand-50 text-brand-900">Best {formatPercent(best)}</Badge> : null}
                </div>
                {trend ? <p className="text-sm text-slate-700">Trend: {trend}</p> : null}
                <div className="mt-auto pt-2">
                  {open ? (
                    <Link href={`/exams/attempts/${open.attemptId}`} className="font-medium text-brand-700 hover:underline">
                      Resume attempt {open.number} →
                    </Link>
                  ) : (
                    <StartExamButton examId={exam.id} label={mine.length > 0 ? "Start a new attempt" : "Start exam"} />
                  )}
                </div>
              </Card>
            </li>
          );
        })}
      </ol>
      <section aria-labelledby="history-heading">
        <h2 id="history-heading" className="mb-3 text-lg font-semibold text-slate-900">
          Your attempts
        </h2>
        {attempts.length === 0 ? (
          <Card>
            <p className="text-slate-700">No attempts yet. Each attempt draws its own paper, so you can take an exam more than once.</p>
          </Card>
        ) : (
          <ul className="flex flex-col gap-2">
            {attempts.map((attempt) => (
              <li key={attempt.attemptId}>
                <Card className="flex flex-wrap items-center justify-between gap-3 p-4">
                  <div className="min-w-0">
                    <p className="font-medium text-slate-900">
                      {attempt.title} · attempt {attempt.number}
                    </p>
                    <p className="text-sm text-slate-600">Started {attempt.startedAt.slice(0, 16).replace("T", " ")} UTC</p>
                  </div>
                  <div className="flex flex-wrap items-center gap-3">
                    {attempt.open ? (
                      <Badge className="bg-brand-50 text-brand-900">In progress</Badge>
                    ) : (
                      <Badge className={cn(attempt.passed ? "bg-green-100 text-green-900" : "bg-amber-100 text-amber-900")}>
                        {formatPercent(attempt.percent ?? 0)} · {attempt.passed ? "passed" : "not passed"}
                      </Badge>
                    )}
                    <Link
                      href={attempt.open ? `/exams/attempts/${attempt.attemptId}` : `/exams/attempts/${attempt.attemptId}/report`}
                      className="text-sm font-medium text-brand-700 hover:underline"
                    >
                      {attempt.open ? "Resume" : "Report"}
                      <span className="sr-only">
                        {" "}
                        of {attempt.title}, attempt {attempt.number}
                      </span>
                    </Link>
                  </div>
                </Card>
              </li>
            ))}
          </ul>
        )}
      </section>
    </>
  );
}
