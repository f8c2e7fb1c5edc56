import type { Metadata } from "next";
import Link from "next/link";
import { cohortOverview, type OverviewRow, type StudentSummary } from "@/lib/cohorts/overview";
import type { ExamResult } from "@/lib/cohorts/exam-results";
import { overviewQuerySchema, STUDENT_STATUSES, type OverviewQuery, type OverviewSort, type StudentStatus } from "@/lib/cohorts/schemas";
import { Badge, Button, Card } from "../../../../_components/ui";
import { Pagination, Table, type Column } from "../../../../_components/table";
import { instructorPageData } from "../../_components/page-data";
import { CohortHeader } from "../../_components/cohort-header";
import { BarChart, ProgressBar } from "../../_components/charts";
import { dateTime, duration, pct, relative } from "../../_components/format";

export const metadata: Metadata = { title: "Cohort students" };

const STATUS_LABELS: Record<StudentStatus, string> = {
  "not-started": "Not started",
  active: "Active",
  inactive: "Inactive 14+ days",
  completed: "Completed",
};
const STATUS_STYLES: Record<StudentStatus, string> = {
  "not-started": "bg-slate-100 text-slate-800",
  active: "bg-green-100 text-green-900",
  inactive: "bg-amber-100 text-amber-900",
  completed: "bg-brand-100 text-brand-800",
};

const COLUMNS: { sort: OverviewSort; label: string; numeric?: boolean }[] = [
  { sort: "name", label: "Student" },
  { sort: "lastActive", label: "Last active" },
  { sort: "lessons", label: "Lessons", numeric: true },
  { sort: "quizScore", label: "Knowledge score (first attempts)", numeric: true },
  { sort: "scenarios", label: "Scenarios passed", numeric: true },
  { sort: "time", label: "Time spent", numeric: true },
  { sort: "hints", label: "Hints", numeric: true },
];

type SearchParams = Promise<Record<string, string | string[] | undefined>>;

function Outcome({ passed }: { passed: boolean }) {
  return passed ? <span className="font-medium text-green-800">pass</span> : <span className="font-medium text-red-800">fail</span>;
}

/** One assigned exam's cell: the best counted sitting, and the latest with the number of sittings. */
function ExamCell({ result }: { result: ExamResult | undefined }) {
  if (!result) return <span className="text-slate-600">not sat</span>;
  return (
    <>
      <div className="whitespace-nowrap tabular-nums">
        best {result.best.percent.toFixed(1)}% <Outcome passed={result.best.passed} />
      </div>
      <div className="text-xs text-slate-700 tabular-nums">
        latest {result.latest.percent.toFixed(1)}% <Outcome passed={result.latest.passed} /> · {result.attempts}{" "}
        {result.attempts === 1 ? "sitting" : "sittings"}
      </div>
    </>
  );
}

function first(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value[0] : value;
}

export default async function CohortOverviewPage({
  params,
  searchParams,
}: {
  params: Promise<{ id: string }>;
  searchParams: SearchParams;
}) {
  const { id } = await params;
  const raw = await searchParams;
  const query = overviewQuerySchema.parse({
    q: first(raw.q),
    status: first(raw.status),
    sort: first(raw.sort),
    dir: first(raw.dir),
    page: first(raw.page),
  });
  const fresh = first(raw.fresh) === "1";
  const data = await instructorPageData((database, user) => cohortOverview(database, user, id, query, { fresh }));
  const base = `/instructor/cohorts/${data.cohort.id}`;
  const href = (change: Partial<OverviewQuery>) => {
    const next = { ...query, ...change };
    const search = new URLSearchParams();
    if (next.q) search.set("q", next.q);
    if (next.status) search.set("status", next.status);
    if (next.sort !== "name") search.set("sort", next.sort);
    if (next.dir !== "asc") search.set("dir", next.dir);
    if (next.page > 1) search.set("page", String(next.page));
    const text = search.toString();
    return text ? `${base}?${text}` : base;
  };
  const { totals } = data;
  const now = new Date();
  const CELLS: Record<OverviewSort, Pick<Column<StudentSummary>, "cell" | "className">> = {
    name: {
      cell: (row) => (
        <>
          <Link href={`${base}/students/${row.userId}`} prefetch={false} className="font-medium text-brand-800 underline">
            {row.name}
          </Link>
          <div className="text-xs break-all text-slate-700">{row.email}</div>
        </>
      ),
    },
    email: { cell: (row) => row.email },
    lastActive: { className: "whitespace-nowrap", cell: (row) => relative(row.lastActiveAt, now) },
    lessons: {
      cell: (row) => (
        <ProgressBar
          value={totals.lessons ? row.lessonsCompleted / totals.lessons : 0}
          label={`${row.lessonsCompleted}/${totals.lessons}`}
        />
      ),
    },
    quizScore: {
      cell: (row) => (
        <>
          <ProgressBar value={row.quizScore} label={pct(row.quizScore)} />
          <div className="text-xs text-slate-700">
            {row.questionsAnswered}/{totals.questions} answered
            {row.answeredScore !== null ? `, ${pct(row.answeredScore)} on those at first try` : ""}
          </div>
          <div className="text-xs text-slate-700">
            Practice: best {pct(row.practiceBestScore)}, latest {pct(row.practiceLatestScore)}
          </div>
          {row.selfRatedAnswered > 0 ? (
            <div className="text-xs text-slate-700">
              Self-rated (not scored): {row.selfRatedAnswered}/{totals.selfRatedQuestions}, {pct(row.selfRatedScore ?? 0)}
            </div>
          ) : null}
        </>
      ),
    },
    scenarios: { className: "tabular-nums", cell: (row) => `${row.scenariosPassed}/${totals.scenarios}` },
    time: { className: "whitespace-nowrap tabular-nums", cell: (row) => duration(row.timeSpentSeconds) },
    hints: { className: "tabular-nums", cell: (row) => row.hintsUsed },
  };

  return (
    <>
      <CohortHeader cohort={data.cohort} current="overview" students={data.studentCount} />

      <p className="mb-4 text-sm text-slate-700">
        Figures as of {dateTime(data.computedAt)} UTC (kept for a minute).{" "}
        <Link href={`${href({})}${href({}).includes("?") ? "&" : "?"}fresh=1`} className="text-brand-800 underline" prefetch={false}>
          Recalculate now
        </Link>
      </p>
      <div className="mb-6 grid grid-cols-2 gap-4 lg:grid-cols-4">
        {STUDENT_STATUSES.map((status) => (
          <Card key={status} className="p-4">
            <p className="text-sm text-slate-700">{STATUS_LABELS[status]}</p>
            <p className="text-2xl font-semibold tabular-nums text-slate-900">{data.statusCounts[status]}</p>
          </Card>
        ))}
      </div>

      <Card className="mb-6 p-0">
        <form
          role="search"
          aria-label="Filter students"
          action={base}
          className="flex flex-wrap items-end gap-3 border-b border-slate-200 p-4"
        >
          <div className="flex flex-col gap-1">
            <label htmlFor="q" className="text-sm font-medium text-slate-800">
              Name or email
            </label>
            <input id="q" name="q" defaultValue={query.q} className="h-10 w-64 max-w-full rounded-md border border-slate-300 px-3" />
          </div>
          <div className="flex flex-col gap-1">
            <label htmlFor="status" className="text-sm font-medium text-slate-800">
              Status
            </label>
            <select
              id="status"
              name="status"
              defaultValue={query.status ?? ""}
              className="h-10 rounded-md border border-slate-300 bg-white px-2"
            >
              <option value="">Any status</option>
              {STUDENT_STATUSES.map((status) => (
                <option key={status} value={status}>
                  {STATUS_LABELS[status]}
                </option>
              ))}
            </select>
          </div>
          {query.sort !== "name" ? <input type="hidden" name="sort" value={query.sort} /> : null}
          {query.dir !== "asc" ? <input type="hidden" name="dir" value={query.dir} /> : null}
          <Button type="submit" variant="secondary">
            Filter
          </Button>
          {query.q || query.status ? (
            <Link href={href({ q: "", status: undefined, page: 1 })} className="py-2 text-sm text-brand-800 underline">
              Clear filters
            </Link>
          ) : null}
        </form>
        <Table
          label="Students"
          caption={`${data.filteredCount} of ${data.studentCount} students, page ${data.page} of ${data.pageCount}. Select a column heading to sort.`}
          captionClassName="text-sm font-normal text-slate-700"
          stack
          minWidth={`${56 + 9 * data.exams.length}rem`}
          rows={data.rows}
          rowKey={(row) => row.userId}
          empty={
            data.studentCount === 0 ? "No students yet. Share the join link from Members & join link." : "No student matches these filters."
          }
          columns={[
            ...COLUMNS.map((column): Column<OverviewRow> => {
              const active = query.sort === column.sort;
              const nextDir =
                active && query.dir === "asc" ? "desc" : active ? "asc" : column.numeric || column.sort === "lastActive" ? "desc" : "asc";
              return {
                label: column.label,
                sort: active ? (query.dir === "asc" ? "ascending" : "descending") : "none",
                rowHeader: column.sort === "name",
                header: (
                  <Link
                    href={href({ sort: column.sort, dir: nextDir, page: 1 })}
                    prefetch={false}
                    className="inline-flex items-center gap-1 rounded px-1 py-1 hover:bg-slate-200"
                    role="button"
                  >
                    {column.label}
                    <span aria-hidden="true" className="text-xs">
                      {active ? (query.dir === "asc" ? "▲" : "▼") : "↕"}
                    </span>
                    <span className="sr-only">, sort {nextDir === "asc" ? "ascending" : "descending"}</span>
                  </Link>
                ),
                ...CELLS[column.sort],
              };
            }),
            ...data.exams.map((exam): Column<OverviewRow> => ({
              header: `Exam: ${exam.title}`,
              cell: (row) => <ExamCell result={row.exams.get(exam.examId)} />,
            })),
            { header: "Reviews (7 days)", className: "tabular-nums", cell: (row) => row.reviewsLast7Days },
            { header: "Status", cell: (row) => <Badge className={STATUS_STYLES[row.status]}>{STATUS_LABELS[row.status]}</Badge> },
          ]}
        />
        <Pagination page={data.page} pageCount={data.pageCount} href={(page) => href({ page })} />
      </Card>

      <div className="grid grid-cols-1 gap-6 lg:grid-cols-2">
        <Card>
          <BarChart
            id="score-distribution"
            title="Quiz score distribution"
            description={`Number of students per 10-point band of quiz score; mean ${pct(data.meanQuizScore)}.`}
            unit="Quiz score band"
            bars={data.histogram.map((bin) => ({ label: bin.label, value: bin.count, text: String(bin.count) }))}
          />
        </Card>
        <Card>
          <BarChart
            id="lessons-per-week"
            title="Lessons completed, cumulative by week"
            description="Total lessons completed by the cohort's students at the end of each week (weeks start on Monday)."
            unit="Week of"
            bars={data.weeks.map((week) => ({
              label: week.week.slice(5),
              value: week.cumulative,
              text: `${week.cumulative} (+${week.completed})`,
            }))}
          />
          {data.weeks.length === 0 ? <p className="text-sm text-slate-700">No lesson completed yet.</p> : null}
        </Card>
      </div>

      <Card className="mt-6 text-sm text-slate-800">
        <h2 className="mb-2 text-base font-semibold text-slate-900">What these numbers mean</h2>
        <dl className="grid gap-2 sm:grid-cols-[12rem_1fr]">
          <dt className="font-medium">Quiz score</dt>
          <dd>
            The mean, over all {totals.questions} questions of the course, of the student&apos;s best score on each question (first try or
            practice); a question not answered yet counts 0. It grows as the student covers the course. The smaller figure is the same mean
            over the answered questions only.
          </dd>
          <dt className="font-medium">Lessons</dt>
          <dd>Lessons marked complete (every embedded question answered, or “Mark as complete”).</dd>
          <dt className="font-medium">Time spent</dt>
          <dd>Reading time counted on lesson pages plus active time in scenarios.</dd>
          <dt className="font-medium">Exams</dt>
          <dd>
            One column per exam assigned on the Exams tab: the best and the latest scored sitting, pass or fail against the exam&apos;s pass
            mark, and how many sittings count. A sitting counts when it started after the student joined and, when the assignment has a
            window, inside it; sittings still open are not counted.
          </dd>
          <dt className="font-medium">Reviews (7 days)</dt>
          <dd>Spaced-review cards the student reviewed in the last 7 days (since joining).</dd>
          <dt className="font-medium">Status</dt>
          <dd>Not started: no activity; Completed: every lesson complete; Inactive: no activity for 14 days; otherwise Active.</dd>
        </dl>
      </Card>
    </>
  );
}
