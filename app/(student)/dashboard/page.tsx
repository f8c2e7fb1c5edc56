import type { Metadata } from "next";
import Link from "next/link";
import { requirePageUser } from "@/lib/auth/guard";
import { mayEnter } from "@/lib/auth/policy";
import { db } from "@/lib/db/client";
import { learnerOverview } from "@/lib/progress/overview";
import { pendingInvitations } from "@/lib/cohorts/cohorts";
import { studentAssignedExams, windowText } from "@/lib/cohorts/exam-assignments";
import { dueCount } from "@/lib/review/cards";
import { settleDrills } from "@/lib/review/service";
import { InstructorVisibility } from "../../_components/instructor-visibility";
import { InvitationAnswer } from "./invitations";
import { Card, PageHeader, Badge } from "../../_components/ui";
import { NextStepsPanel } from "../_components/next-steps";
import { ScenarioStatusBadge, score } from "../_components/progress-format";

export const metadata: Metadata = { title: "Dashboard" };

export default async function DashboardPage() {
  const user = await requirePageUser("student");
  const [overview, invitations, assignedExams, reviewDue] = await Promise.all([
    learnerOverview(db(), user.id),
    pendingInvitations(db(), user),
    studentAssignedExams(db(), user.id),
    // A drill finished without going back to Review is recorded first, so the count is current.
    settleDrills(db(), user.id).then(() => dueCount(db(), user.id)),
  ]);
  const now = new Date();
  const { course: progress, scenarios, scenariosPassed, steps } = overview;
  const areas = [
    { href: "/learn", title: "Learn", body: "Lessons and quizzes on how the API server establishes identity." },
    { href: "/exams", title: "Mock exams", body: "Timed papers of hands-on tasks and questions, scored like the CKA and CKS." },
    { href: "/progress", title: "Progress", body: "Lessons and scenarios completed, your scores, and the topics to revisit." },
  ];
  if (mayEnter(user.role, "instructor")) {
    areas.push({ href: "/instructor", title: "Instructor", body: "Your cohorts, their progress and item statistics." });
  }
  if (mayEnter(user.role, "admin")) {
    areas.push({ href: "/admin/users", title: "Administration", body: "Accounts and roles." });
  }
  return (
    <>
      <PageHeader title={`Welcome, ${user.name}`} description="Pick up where you left off, or start with the first lesson.">
        <Badge aria-label={`Role: ${user.role.toLowerCase()}`}>{user.role.toLowerCase()}</Badge>
      </PageHeader>
      {invitations.length > 0 ? (
        <section aria-labelledby="invitations-heading" className="mb-8 flex flex-col gap-4">
          <h2 id="invitations-heading" className="text-lg font-semibold text-slate-900">
            Cohort invitations
          </h2>
          {invitations.map((invitation) => (
            <Card key={invitation.id} aria-label={`Invitation to ${invitation.cohort.name}`} className="flex flex-col gap-3">
              <p className="text-slate-800">
                <strong>{invitation.cohort.name}</strong>
                {invitation.cohort.description ? ` · ${invitation.cohort.description}` : ""}
                {invitation.instructors.length > 0 ? ` · instructors: ${invitation.instructors.join(", ")}` : ""}
              </p>
              <InstructorVisibility />
              <p className="text-sm text-slate-600">
                Until you answer, its instructors see only that your email was invited. Open until{" "}
                {invitation.expiresAt.toISOString().slice(0, 10)}.
              </p>
              <InvitationAnswer invitationId={invitation.id} cohortName={invitation.cohort.name} />
            </Card>
          ))}
        </section>
      ) : null}
      {assignedExams.length > 0 ? (
        <section aria-labelledby="assigned-exams-heading" className="mb-8">
          <h2 id="assigned-exams-heading" className="mb-3 text-lg font-semibold text-slate-900">
            Exams set by your cohorts
          </h2>
          <ul className="grid gap-3 sm:grid-cols-2">
            {assignedExams.map((exam) => (
              <li key={exam.id}>
                <Card className="flex h-full flex-col gap-1 p-4">
                  {/* Not prefetched: the exam page is the exam service's, and only a click may open it. */}
                  <Link href={`/exams/${exam.examId}`} prefetch={false} className="font-medium break-words text-brand-800 hover:underline">
                    {exam.title}
                  </Link>
                  <p className="text-xs text-slate-600">
                    {exam.cohortName}
                    {exam.durationMinutes !== null ? ` · ${exam.durationMinutes} min · pass ${exam.passMark}%` : ""}
                  </p>
                  <p className="text-sm text-slate-800">{windowText(exam, now)}</p>
                </Card>
              </li>
            ))}
          </ul>
        </section>
      ) : null}
      <Card aria-labelledby="review-heading" className="mb-8 flex flex-wrap items-center justify-between gap-3 p-4">
        <div>
          <h2 id="review-heading" className="text-lg font-semibold text-slate-900">
            Spaced review
          </h2>
          <p className="text-sm text-slate-700">
            {reviewDue > 0
              ? "Questions you missed and checks you did not pass, back when they are about to slip."
              : "Nothing due now. Missed questions and failed checks come back here on schedule."}
          </p>
        </div>
        <Link href="/review" className="font-medium text-brand-700 hover:underline" data-review-due={reviewDue}>
          {reviewDue === 1 ? "1 item due" : `${reviewDue} items due`} →
        </Link>
      </Card>
      <NextStepsPanel
        steps={steps}
        summary={`${progress.completedLessons} of ${progress.totalLessons} lessons complete, ${scenariosPassed} of ${scenarios.length} scenarios passed`}
      />
      <section aria-labelledby="scenarios-heading" className="mb-8">
        <div className="mb-3 flex flex-wrap items-baseline justify-between gap-2">
          <h2 id="scenarios-heading" className="text-lg font-semibold text-slate-900">
            Hands-on scenarios
          </h2>
          <Link href="/scenarios" className="text-sm font-medium text-brand-700 hover:underline">
            All scenarios
          </Link>
        </div>
        <ul className="grid gap-3 sm:grid-cols-2 lg:grid-cols-4">
          {scenarios.map((scenario) => (
            <li key={scenario.id} data-scenario-id={scenario.id}>
              <Card className="flex h-full flex-col gap-2 p-4">
                <div className="flex items-start justify-between gap-2">
                  <Link href={scenario.href} className="min-w-0 break-words font-medium text-brand-800 hover:underline">
                    {scenario.title}
                  </Link>
                  <ScenarioStatusBadge status={scenario.status} />
                </div>
                <p className="mt-auto text-xs text-slate-600">
                  {scenario.status === "not-started"
                    ? `${scenario.difficulty} · about ${scenario.estimatedMinutes} min`
                    : `Score ${score(scenario.score)} · ${scenario.attempts} ${scenario.attempts === 1 ? "attempt" : "attempts"}`}
                </p>
              </Card>
            </li>
          ))}
        </ul>
      </section>
      <ul className="grid gap-4 sm:grid-cols-2 lg:grid-cols-3">
        {areas.map((area) => (
          <li key={area.href}>
            <Card className="h-full transition-shadow hover:shadow-md">
              <h2 className="text-lg font-semibold">
                <Link href={area.href} className="text-slate-900 hover:underline">
                  {area.title}
                </Link>
              </h2>
              <p className="mt-2 text-sm text-slate-700">{area.body}</p>
            </Card>
          </li>
        ))}
      </ul>
    </>
  );
}
