import type { Metadata } from "next";
import { studentDetail, type QuestionAttemptView } from "@/lib/cohorts/student";
import { Badge, Card } from "../../../../../../_components/ui";
import { Table, type Column } from "../../../../../../_components/table";
import { RichText, renderInline } from "../../../../../../(public)/learn/_components/rich-text";
import { instructorPageData } from "../../../../_components/page-data";
import { CohortHeader } from "../../../../_components/cohort-header";
import { RemoveMemberButton } from "../../../../_components/forms";
import { dateTime, duration, pct } from "../../../../_components/format";
import { windowText } from "@/lib/cohorts/exam-assignments";

export const metadata: Metadata = { title: "Student" };

const STATUS_TEXT = { IN_PROGRESS: "In progress", PASSED: "Passed", GAVE_UP: "Gave up" } as const;

/** "3 hints (step 1: 1, step 3: 2)": the total, and the steps the student asked about. */
function hintText(total: number, byStep: number[]): string {
  const steps = byStep.flatMap((count, index) => (count > 0 ? [`step ${index + 1}: ${count}`] : []));
  return `${total} ${total === 1 ? "hint" : "hints"}${steps.length > 0 ? ` (${steps.join(", ")})` : ""}`;
}

const ATTEMPT_COLUMNS: Column<QuestionAttemptView>[] = [
  {
    header: "Question",
    rowHeader: true,
    className: "sm:w-[34%]",
    cell: (attempt) => (
      <>
        <RichText text={attempt.prompt} inline />
        <span className="font-mono text-xs break-all text-slate-700">{attempt.questionId}</span>
      </>
    ),
  },
  {
    header: "Answer given",
    className: "sm:w-[34%]",
    cell: (attempt) => (
      <>
        {/* Choice answers are option texts from the content (markdown, rendered); the learner's own words stay plain text. */}
        {!attempt.answer ? (
          <span className="text-slate-600">(blank)</span>
        ) : attempt.answerFromContent ? (
          <span className="break-words">{renderInline(attempt.answer, attempt.id)}</span>
        ) : (
          <span className="break-words whitespace-pre-wrap">{attempt.answer}</span>
        )}
        {attempt.selfRating ? <div className="text-xs text-slate-700">self-rated: {attempt.selfRating}</div> : null}
      </>
    ),
  },
  {
    header: "Score",
    className: "whitespace-nowrap tabular-nums",
    cell: (attempt) =>
      attempt.selfRating ? (
        <span className="text-slate-700">self-rated</span>
      ) : (
        <>
          {pct(attempt.score)}{" "}
          {attempt.correct ? (
            <span className="text-green-800">
              ✓<span className="sr-only"> correct</span>
            </span>
          ) : (
            <span className="text-red-800">
              ✗<span className="sr-only"> not correct</span>
            </span>
          )}
        </>
      ),
  },
  {
    header: "Kind",
    cell: (attempt) => (
      <Badge className={attempt.isFirst ? "bg-brand-100 text-brand-800" : undefined}>{attempt.isFirst ? "First" : "Practice"}</Badge>
    ),
  },
  { header: "When", className: "whitespace-nowrap", cell: (attempt) => dateTime(attempt.createdAt) },
];

export default async function StudentPage({ params }: { params: Promise<{ id: string; userId: string }> }) {
  const { id, userId } = await params;
  const data = await instructorPageData((database, user) => studentDetail(database, user, id, userId));
  const { student, summary } = data;
  return (
    <>
      <CohortHeader cohort={data.cohort} current="student" />
      <div className="mb-6 flex flex-col gap-4 sm:flex-row sm:items-start sm:justify-between">
        <div>
          <h2 className="text-xl font-semibold text-slate-900">{student.name}</h2>
          <p className="text-sm text-slate-700">
            {student.email} · joined {dateTime(student.joinedAt)} · only what they did since joining is shown
          </p>
        </div>
        <RemoveMemberButton
          cohortId={data.cohort.id}
          userId={student.id}
          name={student.name}
          after={`/instructor/cohorts/${data.cohort.id}`}
        />
      </div>
      {summary ? (
        <dl className="mb-6 grid gap-4 sm:grid-cols-3 lg:grid-cols-4">
          {[
            ["Last active", dateTime(summary.lastActiveAt)],
            ["Lessons completed", String(summary.lessonsCompleted)],
            ["Knowledge score (first attempts)", `${pct(summary.quizScore)} (${summary.questionsAnswered} answered)`],
            ["Practice: best / latest", `${pct(summary.practiceBestScore)} / ${pct(summary.practiceLatestScore)}`],
            [
              "Self-rated (not scored)",
              summary.selfRatedScore === null ? "none yet" : `${pct(summary.selfRatedScore)} over ${summary.selfRatedAnswered}`,
            ],
            ["Scenarios passed", String(summary.scenariosPassed)],
            ["Time spent", duration(summary.timeSpentSeconds)],
            ["Hints used", String(summary.hintsUsed)],
          ].map(([label, value]) => (
            // A <div> (not a Card's <section>): the only element a <dl> may group its pairs in.
            <div key={label} className="rounded-xl border border-slate-200 bg-white p-4 shadow-sm">
              <dt className="text-sm text-slate-700">{label}</dt>
              <dd className="font-semibold text-slate-900">{value}</dd>
            </div>
          ))}
        </dl>
      ) : null}

      <div className="mb-6 grid grid-cols-1 gap-6 lg:grid-cols-2">
        <Card>
          <h2 className="mb-3 text-lg font-semibold text-slate-900">Spaced review</h2>
          <dl className="grid grid-cols-2 gap-3 text-sm">
            {[
              ["Reviews, last 7 days", String(data.reviews.reviewsLast7Days)],
              ["Reviews, last 30 days", String(data.reviews.reviewsLast30Days)],
              ["Cards due now", `${data.reviews.cardsDue} of ${data.reviews.cards}`],
              ["Retention (30 days)", data.reviews.retention === null ? "no reviews" : pct(data.reviews.retention)],
              ["Last review", data.reviews.lastReviewAt ? `${dateTime(data.reviews.lastReviewAt)} UTC` : "never"],
            ].map(([label, value]) => (
              <div key={label}>
                <dt className="text-slate-700">{label}</dt>
                <dd className="font-semibold text-slate-900 tabular-nums">{value}</dd>
              </div>
            ))}
          </dl>
          <p className="mt-3 text-xs text-slate-700">
            Retention: the share of reviews rated good or easy. Only reviews since joining, and cards that entered review since joining.
          </p>
        </Card>
        <Card>
          <h2 className="mb-3 text-lg font-semibold text-slate-900">Assigned exams</h2>
          {data.exams.length === 0 ? <p className="text-sm text-slate-700">No exam assigned to this cohort.</p> : null}
          <ul className="flex flex-col gap-3 text-sm">
            {data.exams.map(({ assignment, result }) => (
              <li key={assignment.id}>
                <p className="font-medium break-words text-slate-900">{assignment.title}</p>
                <p className="text-xs text-slate-700">{windowText(assignment)}</p>
                <p className="text-slate-800 tabular-nums">
                  {result
                    ? `Best ${result.best.percent.toFixed(1)}% (${result.best.passed ? "pass" : "fail"}) · latest ${result.latest.percent.toFixed(1)}% (${result.latest.passed ? "pass" : "fail"}) · ${result.attempts} ${result.attempts === 1 ? "sitting" : "sittings"}`
                    : "Not sat (no scored sitting counts yet)"}
                </p>
              </li>
            ))}
          </ul>
        </Card>
      </div>

      <Card className="mb-6 p-0">
        <Table
          label="Question attempts"
          caption={`Question attempts (${data.questionAttempts.length}), oldest first`}
          stack
          rows={data.questionAttempts}
          rowKey={(attempt) => attempt.id}
          empty="No question answered yet."
          columns={ATTEMPT_COLUMNS}
        />
      </Card>

      <h2 className="mb-3 text-lg font-semibold text-slate-900">Scenario attempts ({data.scenarioAttempts.length})</h2>
      {data.scenarioAttempts.length === 0 ? <p className="text-sm text-slate-700">No scenario started yet.</p> : null}
      <div className="flex flex-col gap-4">
        {data.scenarioAttempts.map((attempt) => (
          <Card key={attempt.id}>
            <h3 className="font-semibold text-slate-900">
              {attempt.title} · attempt {attempt.number} {attempt.isFirst ? "(first)" : ""}
            </h3>
            <p className="mb-3 text-sm text-slate-700">
              {STATUS_TEXT[attempt.status]} · score {pct(attempt.score)} · {attempt.commandCount} commands ·{" "}
              {hintText(attempt.hintsUsed, attempt.hintsByStep)} · {duration(attempt.timeSpentSeconds)} · started{" "}
              {dateTime(attempt.startedAt)}
            </p>
            <div className="grid grid-cols-1 gap-4 lg:grid-cols-2">
              <div>
                <h4 className="mb-1 text-sm font-medium text-slate-800">Checks</h4>
                <ul className="flex flex-col gap-1 text-sm">
                  {attempt.checks.map((check) => (
                    <li key={check.checkId}>
                      <span className={check.passed ? "text-green-800" : "text-red-800"}>{check.passed ? "✓ passed" : "✗ not passed"}</span>{" "}
                      {renderInline(check.description, check.checkId)}
                    </li>
                  ))}
                </ul>
              </div>
              <div>
                <h4 className="mb-1 text-sm font-medium text-slate-800">What they typed</h4>
                <div
                  role="region"
                  aria-label={`What they typed, ${attempt.title} attempt ${attempt.number}`}
                  tabIndex={0}
                  className="max-h-80 overflow-y-auto rounded-md bg-slate-900 p-3"
                >
                  <ol className="flex flex-col gap-1 font-mono text-xs text-slate-100">
                    {attempt.events.map((event, index) => (
                      <li
                        key={index}
                        className={event.kind === "command" ? undefined : event.kind === "own-kubectl" ? "text-sky-200" : "text-amber-200"}
                      >
                        {/* As typed: multi-line commands and heredocs keep their line breaks. */}
                        <pre className="font-mono break-words whitespace-pre-wrap">
                          <code>
                            {event.kind === "command"
                              ? `$ ${event.detail}`
                              : event.kind === "own-kubectl"
                                ? `⇢ own kubectl (practice API): ${event.detail}`
                                : `# ${event.kind}: ${event.detail}`}
                          </code>
                          {event.exitCode ? <span className="text-red-300"> (exit {event.exitCode})</span> : null}
                        </pre>
                      </li>
                    ))}
                    {attempt.events.length === 0 ? <li>(nothing yet)</li> : null}
                  </ol>
                </div>
              </div>
            </div>
          </Card>
        ))}
      </div>
    </>
  );
}
