import type { Metadata } from "next";
import Link from "next/link";
import {
  itemAnalysis,
  type CheckItem,
  type ExamCheckItem,
  type ExamItems,
  type ExamQuestionItem,
  type QuestionItem,
} from "@/lib/cohorts/items";
import { FLAGS, type Flag } from "@/lib/cohorts/stats";
import { Badge, Card } from "../../../../../_components/ui";
import { Table, type Column } from "../../../../../_components/table";
import { RichText, renderInline } from "../../../../../(public)/learn/_components/rich-text";
import { instructorPageData } from "../../../_components/page-data";
import { CohortHeader } from "../../../_components/cohort-header";
import { dateTime, pct } from "../../../_components/format";

export const metadata: Metadata = { title: "Item analysis" };

const FLAG_STYLES: Record<Flag, string> = {
  tooEasy: "bg-sky-100 text-sky-900",
  tooHard: "bg-amber-100 text-amber-900",
  negative: "bg-red-100 text-red-900",
};

function Flags({ flags }: { flags: Flag[] }) {
  if (flags.length === 0) return <span className="text-slate-600">–</span>;
  return (
    <span className="flex flex-wrap gap-1">
      {flags.map((flag) => (
        <Badge key={flag} className={FLAG_STYLES[flag]} title={FLAGS[flag].text}>
          {FLAGS[flag].label}
        </Badge>
      ))}
    </span>
  );
}

const disc = (value: number | null) => (value === null ? "–" : value.toFixed(2));

function Explanations() {
  return (
    <Card className="mb-6 text-sm text-slate-800">
      <h2 className="mb-2 text-base font-semibold text-slate-900">What these statistics mean</h2>
      <p className="mb-3">
        Computed like Moodle&apos;s quiz statistics, from each student&apos;s <strong>first attempt</strong> only: practice re-answers come
        after the explanation and would make every item look easy.
      </p>
      <dl className="grid gap-2 sm:grid-cols-[12rem_1fr]">
        <dt className="font-medium">Attempts</dt>
        <dd>Students of this cohort who answered the question (or reached the scenario check) on their first try.</dd>
        <dt className="font-medium">Facility index</dt>
        <dd>
          The mean first-attempt score, 0–100%: how easy the item was for this cohort. Moodle considers 20–90% useful. For questions the
          share fully correct is shown beside it (they differ when partial credit is given).
        </dd>
        <dt className="font-medium">Discrimination index</dt>
        <dd>
          The correlation (−1 to 1) between the score on this item and the score on the rest of the test (the same student's other first
          attempts on auto-graded questions; self-rated open answers are not part of it): the point-biserial correlation for right/wrong
          items. Above 0.3 the item separates students who know the topic from those who do not; near 0 it does not;{" "}
          <strong>negative</strong> means students who do well elsewhere do worse here: check the answer key and the options. Shown as –
          with fewer than 3 attempts or when everyone scored the same.
        </dd>
        <dt className="font-medium">Flags</dt>
        <dd>
          {FLAGS.tooEasy.label}: facility above 90%. {FLAGS.tooHard.label}: facility below 20%. {FLAGS.negative.label}: discrimination below
          0.
        </dd>
      </dl>
    </Card>
  );
}

function AnswersChosen({ item }: { item: QuestionItem }) {
  if (item.options.length > 0) {
    return (
      <ul className="flex flex-col gap-1">
        {item.options.map((option) => (
          <li key={option.id} className="flex items-start gap-2">
            <span className="h-2 w-12 shrink-0 translate-y-1.5 overflow-hidden rounded-full bg-slate-200" aria-hidden="true">
              <span
                className={`block h-full ${option.correct ? "bg-green-700" : "bg-slate-500"}`}
                style={{ width: `${option.share * 100}%` }}
              />
            </span>
            <span className="min-w-0 break-words">
              <span className="tabular-nums">{pct(option.share)}</span> {option.correct ? <strong>(correct)</strong> : null}{" "}
              <span className="text-slate-800">{renderInline(option.text, option.id)}</span>
            </span>
          </li>
        ))}
      </ul>
    );
  }
  if (item.commonWrongAnswers.length > 0) {
    return (
      <>
        <p className="text-xs text-slate-700">Most common wrong answers</p>
        <ul className="list-disc pl-5">
          {item.commonWrongAnswers.map((answer) => (
            <li key={answer.text}>
              <code className="break-all">{answer.text}</code> <span className="tabular-nums text-slate-700">× {answer.count}</span>
            </li>
          ))}
        </ul>
      </>
    );
  }
  return <span className="text-slate-600">–</span>;
}

const QUESTION_COLUMNS: Column<QuestionItem>[] = [
  {
    header: "Question",
    rowHeader: true,
    className: "sm:w-[36%]",
    cell: (item) => (
      <>
        <span className="font-mono text-xs break-all text-slate-700">{item.questionId}</span>
        <RichText text={item.prompt} inline className="mt-1 text-slate-900" />
        <p className="mt-1 text-xs text-slate-700">
          {item.type === "open" ? "open · self-rated by the learner, not part of the knowledge score" : item.type} · {item.difficulty}
          {item.lessonSlug ? ` · ${item.lessonSlug}` : ""}
        </p>
      </>
    ),
  },
  { header: "Attempts", className: "tabular-nums", cell: (item) => item.attempts },
  {
    header: "Facility",
    className: "tabular-nums",
    cell: (item) => (
      <>
        {pct(item.facility)}
        <div className="text-xs text-slate-700">{item.correctShare === null ? "" : `${pct(item.correctShare)} correct`}</div>
      </>
    ),
  },
  { header: "Discrimination", className: "tabular-nums", cell: (item) => disc(item.discrimination) },
  { header: "Flags", cell: (item) => <Flags flags={item.flags} /> },
  { header: "Answers chosen", className: "sm:w-[34%]", cell: (item) => <AnswersChosen item={item} /> },
];

const CHECK_COLUMNS: Column<CheckItem>[] = [
  {
    header: "Check",
    rowHeader: true,
    cell: (item) => (
      <>
        <RichText text={item.description} inline className="text-slate-900" />
        <div className="text-xs text-slate-700">
          {item.scenarioTitle} · <span className="font-mono break-all">{item.checkId}</span>
        </div>
      </>
    ),
  },
  { header: "Attempts", className: "tabular-nums", cell: (item) => item.attempts },
  { header: "Facility (passed)", className: "tabular-nums", cell: (item) => pct(item.facility) },
  { header: "Discrimination", className: "tabular-nums", cell: (item) => disc(item.discrimination) },
  { header: "Flags", cell: (item) => <Flags flags={item.flags} /> },
];

const EXAM_QUESTION_COLUMNS: Column<ExamQuestionItem>[] = [
  {
    header: "Question",
    rowHeader: true,
    className: "sm:w-[55%]",
    cell: (item) => (
      <>
        <span className="font-mono text-xs break-all text-slate-700">{item.questionId}</span>
        <RichText text={item.prompt} inline className="mt-1 text-slate-900" />
        <p className="mt-1 text-xs text-slate-700">{item.type}</p>
      </>
    ),
  },
  { header: "Answered", className: "tabular-nums", cell: (item) => item.answered },
  { header: "Difficulty (share correct)", className: "tabular-nums", cell: (item) => pct(item.correctShare) },
  { header: "Mean score", className: "tabular-nums", cell: (item) => pct(item.facility) },
];

const EXAM_CHECK_COLUMNS: Column<ExamCheckItem>[] = [
  {
    header: "Check",
    rowHeader: true,
    className: "sm:w-[55%]",
    cell: (item) => (
      <>
        <RichText text={item.description} inline className="text-slate-900" />
        <div className="text-xs text-slate-700">
          {item.taskTitle} · <span className="font-mono break-all">{item.checkId}</span>
        </div>
      </>
    ),
  },
  { header: "Tasks opened", className: "tabular-nums", cell: (item) => item.runs },
  { header: "Pass rate", className: "tabular-nums", cell: (item) => pct(item.passRate) },
];

function ExamSection({ exam }: { exam: ExamItems }) {
  return (
    <section aria-labelledby={`exam-${exam.examId}`} className="mb-6">
      <h3 id={`exam-${exam.examId}`} className="mb-2 font-semibold text-slate-900">
        {exam.title}{" "}
        <span className="text-sm font-normal text-slate-700">
          · {exam.sittings} first {exam.sittings === 1 ? "sitting" : "sittings"}
        </span>
      </h3>
      {exam.sittings === 0 ? (
        <p className="text-sm text-slate-700">No student has a counted sitting of this exam yet.</p>
      ) : (
        <div className="flex flex-col gap-4">
          <Card className="p-0">
            <Table
              label={`${exam.title}: questions (first sittings)`}
              stack
              rows={exam.questions}
              rowKey={(item) => item.questionId}
              empty="No question answered."
              columns={EXAM_QUESTION_COLUMNS}
            />
          </Card>
          <Card className="p-0">
            <Table
              label={`${exam.title}: task checks (first sittings)`}
              stack
              rows={exam.checks}
              rowKey={(item) => `${item.taskKey}/${item.checkId}`}
              empty="No task opened."
              columns={EXAM_CHECK_COLUMNS}
            />
          </Card>
        </div>
      )}
    </section>
  );
}

export default async function ItemAnalysisPage({
  params,
  searchParams,
}: {
  params: Promise<{ id: string }>;
  searchParams: Promise<Record<string, string | string[] | undefined>>;
}) {
  const { id } = await params;
  const fresh = (await searchParams).fresh === "1";
  const data = await instructorPageData((database, user) => itemAnalysis(database, user, id, { fresh }));
  const flagged = data.questions.filter((q) => q.flags.length > 0).length + data.checks.filter((c) => c.flags.length > 0).length;
  return (
    <>
      <CohortHeader cohort={data.cohort} current="items" students={data.students} />
      <Explanations />
      <p className="mb-2 text-sm text-slate-700">
        Calculated at {dateTime(data.computedAt)} UTC (kept for a minute).{" "}
        <Link href={`/instructor/cohorts/${data.cohort.id}/items?fresh=1`} className="text-brand-800 underline" prefetch={false}>
          Recalculate now
        </Link>
      </p>
      <p className="mb-4 text-sm text-slate-800" role="status">
        {flagged} flagged item{flagged === 1 ? "" : "s"} out of {data.questions.length} questions and {data.checks.length} scenario checks.
      </p>
      <Card className="mb-6 p-0">
        <Table
          label="Questions (first attempts)"
          stack
          rows={data.questions}
          rowKey={(item) => item.questionId}
          columns={QUESTION_COLUMNS}
        />
      </Card>
      <Card className="p-0">
        <Table
          label="Scenario checks (first attempts)"
          stack
          rows={data.checks}
          rowKey={(item) => `${item.scenarioId}/${item.checkId}`}
          columns={CHECK_COLUMNS}
        />
      </Card>
      <section aria-labelledby="exam-items-heading" className="mt-8">
        <h2 id="exam-items-heading" className="mb-2 text-xl font-semibold text-slate-900">
          Exam items
        </h2>
        <p className="mb-4 text-sm text-slate-700">
          For each exam assigned to this cohort, from each student&apos;s <strong>first counted sitting</strong> of it (started after
          joining and inside the assignment&apos;s window, then scored): later sittings come after the score report with its keys and
          explanations. Papers are drawn from pools, so each question was on only some students&apos; papers. Difficulty is the share of the
          students who answered the question that got it fully right (a question left unanswered is not counted); a check&apos;s pass rate
          is over the students who opened that task. Hardest first. Not part of the course statistics above.
        </p>
        {data.exams.length === 0 ? <p className="text-sm text-slate-700">No exam is assigned to this cohort (see the Exams tab).</p> : null}
        {data.exams.map((exam) => (
          <ExamSection key={exam.examId} exam={exam} />
        ))}
      </section>
    </>
  );
}
