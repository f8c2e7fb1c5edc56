import type { Metadata } from "next";
import { studentDetail } from "@/lib/cohorts/student";
import { Badge, Card } from "../../../../../../_components/ui";
import { instructorPageData } from "../../../../_components/page-data";
import { CohortHeader } from "../../../../_components/cohort-header";
import { RemoveMemberButton } from "../../../../_components/forms";
import { dateTime, duration, pct } from "../../../../_components/format";

export const metadata: Metadata = { title: "Student" };

const STATUS_TEXT = { IN_PROGRESS: "In progress", PASSED: "Passed", GAVE_UP: "Gave up" } as const;

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
        <RemoveMemberButton cohortId={data.cohort.id} userId={student.id} name={student.name} after={`/instructor/cohorts/${data.cohort.id}`} />
      </div>
      {summary ? (
        <dl className="mb-6 grid gap-4 sm:grid-cols-3 lg:grid-cols-4">
          {[
            ["Last active", dateTime(summary.lastActiveAt)],
            ["Lessons completed", String(summary.lessonsCompleted)],
            ["Knowledge score (first attempts)", `${pct(summary.quizScore)} (${summary.questionsAnswered} answered)`],
            ["Practice: best / latest", `${pct(summary.practiceBestScore)} / ${pct(summary.practiceLatestScore)}`],
            ["Self-rated (not scored)", summary.selfRatedScore === null ? "none yet" : `${pct(summary.selfRatedScore)} over ${summary.selfRatedAnswered}`],
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

      <Card className="mb-6 p-0">
        <div className="overflow-x-auto">
          <table className="w-full min-w-[48rem] text-left text-sm">
            <caption className="p-4 text-left text-base font-semibold text-slate-900">Question attempts ({data.questionAttempts.length}), oldest first</caption>
            <thead className="bg-slate-50 text-slate-800">
              <tr>
                <th scope="col" className="px-4 py-2 font-medium">Question</th>
                <th scope="col" className="px-4 py-2 font-medium">Answer given</th>
                <th scope="col" className="px-4 py-2 font-medium">Score</th>
                <th scope="col" className="px-4 py-2 font-medium">Kind</th>
                <th scope="col" className="px-4 py-2 font-medium">When</th>
              </tr>
            </thead>
            <tbody>
              {data.questionAttempts.map((attempt) => (
                <tr key={attempt.id} className="border-t border-slate-100 align-top">
                  <th scope="row" className="max-w-sm px-4 py-3 font-normal">
                    <span className="line-clamp-2">{attempt.prompt}</span>
                    <span className="font-mono text-xs text-slate-700">{attempt.questionId}</span>
                  </th>
                  <td className="max-w-sm px-4 py-3 break-words">
                    {attempt.answer || <span className="text-slate-600">(blank)</span>}
                    {attempt.selfRating ? <div className="text-xs text-slate-700">self-rated: {attempt.selfRating}</div> : null}
                  </td>
                  <td className="px-4 py-3 whitespace-nowrap tabular-nums">
                    {attempt.selfRating ? (
                      <span className="text-slate-700">self-rated</span>
                    ) : (
                      <>
                        {pct(attempt.score)} {attempt.correct ? <span className="text-green-800">✓<span className="sr-only"> correct</span></span> : <span className="text-red-800">✗<span className="sr-only"> not correct</span></span>}
                      </>
                    )}
                  </td>
                  <td className="px-4 py-3">
                    <Badge className={attempt.isFirst ? "bg-brand-100 text-brand-800" : undefined}>{attempt.isFirst ? "First" : "Practice"}</Badge>
                  </td>
                  <td className="px-4 py-3 whitespace-nowrap">{dateTime(attempt.createdAt)}</td>
                </tr>
              ))}
              {data.questionAttempts.length === 0 ? (
                <tr>
                  <td colSpan={5} className="px-4 py-6 text-center text-slate-700">No question answered yet.</td>
                </tr>
              ) : null}
            </tbody>
          </table>
        </div>
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
              {STATUS_TEXT[attempt.status]} · score {pct(attempt.score)} · {attempt.commandCount} commands · {attempt.hintsUsed} hints ·{" "}
              {duration(attempt.timeSpentSeconds)} · started {dateTime(attempt.startedAt)}
            </p>
            <div className="grid gap-4 lg:grid-cols-2">
              <div>
                <h4 className="mb-1 text-sm font-medium text-slate-800">Checks</h4>
                <ul className="flex flex-col gap-1 text-sm">
                  {attempt.checks.map((check) => (
                    <li key={check.checkId}>
                      <span className={check.passed ? "text-green-800" : "text-red-800"}>{check.passed ? "✓ passed" : "✗ not passed"}</span> {check.description}
                    </li>
                  ))}
                </ul>
              </div>
              <div>
                <h4 className="mb-1 text-sm font-medium text-slate-800">What they typed</h4>
                <ol className="max-h-64 overflow-y-auto rounded-md bg-slate-900 p-3 font-mono text-xs text-slate-100">
                  {attempt.events.map((event, index) => (
                    <li key={index} className={event.kind === "command" ? undefined : event.kind === "own-kubectl" ? "text-sky-200" : "text-amber-200"}>
                      {event.kind === "command"
                        ? `$ ${event.detail}`
                        : event.kind === "own-kubectl"
                          ? `⇢ own kubectl (practice API): ${event.detail}`
                          : `# ${event.kind}: ${event.detail}`}
                      {event.exitCode ? <span className="text-red-300"> (exit {event.exitCode})</span> : null}
                    </li>
                  ))}
                  {attempt.events.length === 0 ? <li>(nothing yet)</li> : null}
                </ol>
              </div>
            </div>
          </Card>
        ))}
      </div>
    </>
  );
}
