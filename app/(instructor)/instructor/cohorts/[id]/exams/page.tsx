import type { Metadata } from "next";
import { assignableExams, listAssignments, windowText } from "@/lib/cohorts/exam-assignments";
import { Card } from "../../../../../_components/ui";
import { instructorPageData } from "../../../_components/page-data";
import { CohortHeader } from "../../../_components/cohort-header";
import { AssignExamForm, AssignmentWindowForm, RemoveAssignmentButton } from "../../../_components/forms";
import { dateTime } from "../../../_components/format";

export const metadata: Metadata = { title: "Cohort exams" };

/** A datetime-local field's value for a UTC instant. */
const field = (date: Date | null) => (date ? date.toISOString().slice(0, 16) : "");

export default async function CohortExamsPage({ params }: { params: Promise<{ id: string }> }) {
  const { id } = await params;
  const { cohort, assignments } = await instructorPageData((database, user) => listAssignments(database, user, id));
  const assigned = new Set(assignments.map((assignment) => assignment.examId));
  const now = new Date();
  return (
    <>
      <CohortHeader cohort={cohort} current="exams" />
      <div className="grid grid-cols-1 gap-6 lg:grid-cols-[minmax(0,2fr)_minmax(0,3fr)]">
        <Card className="self-start">
          <h2 className="mb-2 text-lg font-semibold text-slate-900">Assign an exam</h2>
          <p className="mb-4 text-sm text-slate-700">
            Students see it on their dashboard with its window. A sitting counts for the cohort when it started inside the window (and after
            the student joined); the Students tab and the gradebook show the best and latest of those.
          </p>
          <AssignExamForm
            cohortId={cohort.id}
            exams={assignableExams()
              .filter((exam) => !assigned.has(exam.id))
              .map((exam) => ({ id: exam.id, title: exam.title, detail: `${exam.durationMinutes} min, pass ${exam.passMark}%` }))}
          />
        </Card>
        <section aria-labelledby="assigned-heading" className="flex min-w-0 flex-col gap-4">
          <h2 id="assigned-heading" className="text-lg font-semibold text-slate-900">
            Assigned exams ({assignments.length})
          </h2>
          {assignments.length === 0 ? <p className="text-sm text-slate-700">No exam assigned yet.</p> : null}
          {assignments.map((assignment) => (
            <Card key={assignment.id} aria-label={assignment.title} className="flex flex-col gap-3">
              <div className="flex flex-col gap-2 sm:flex-row sm:items-start sm:justify-between">
                <div className="min-w-0">
                  <h3 className="font-semibold break-words text-slate-900">{assignment.title}</h3>
                  <p className="text-sm text-slate-700">
                    {assignment.durationMinutes !== null ? `${assignment.durationMinutes} min · pass ${assignment.passMark}% · ` : ""}
                    assigned {dateTime(assignment.createdAt)} UTC
                  </p>
                  <p className="text-sm font-medium text-slate-800">{windowText(assignment, now)}</p>
                </div>
                <RemoveAssignmentButton cohortId={cohort.id} assignmentId={assignment.id} title={assignment.title} />
              </div>
              <AssignmentWindowForm
                cohortId={cohort.id}
                assignmentId={assignment.id}
                title={assignment.title}
                opensAt={field(assignment.opensAt)}
                closesAt={field(assignment.closesAt)}
              />
            </Card>
          ))}
        </section>
      </div>
    </>
  );
}
