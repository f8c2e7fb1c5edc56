import type { Metadata } from "next";
import Link from "next/link";
import { requirePageUser } from "@/lib/auth/guard";
import { mayEnter } from "@/lib/auth/policy";
import { db } from "@/lib/db/client";
import { courseProgress } from "@/lib/progress/summary";
import { pendingInvitations } from "@/lib/cohorts/cohorts";
import { InstructorVisibility } from "../../_components/instructor-visibility";
import { InvitationAnswer } from "./invitations";
import { Card, PageHeader, Badge, ButtonLink } from "../../_components/ui";

export const metadata: Metadata = { title: "Dashboard" };

export default async function DashboardPage() {
  const user = await requirePageUser("student");
  const [progress, invitations] = await Promise.all([courseProgress(db(), user.id), pendingInvitations(db(), user)]);
  const target = progress.continueWith;
  const areas = [
    { href: "/learn", title: "Learn", body: "Lessons and quizzes on how the API server establishes identity." },
    { href: "/scenarios", title: "Scenarios", body: "Hands-on problems in a browser terminal against a simulated cluster." },
    { href: "/progress", title: "Progress", body: "What you have completed, your scores, and the topics to revisit." },
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
              <p className="text-sm text-slate-600">Until you answer, its instructors see only that your email was invited. Open until {invitation.expiresAt.toISOString().slice(0, 10)}.</p>
              <InvitationAnswer invitationId={invitation.id} cohortName={invitation.cohort.name} />
            </Card>
          ))}
        </section>
      ) : null}
      {target ? (
        <section aria-label="Continue learning" className="mb-8 flex flex-col gap-3 rounded-xl border border-brand-100 bg-brand-50 p-5 sm:flex-row sm:items-center sm:justify-between">
          <div>
            <p className="text-sm font-semibold text-brand-800">
              {target.reason === "continue" ? "Continue where you left off" : target.reason === "next" ? "Up next" : "Start here"}
            </p>
            <p className="text-lg font-semibold text-slate-900">{target.lesson.title}</p>
            <p className="text-sm text-slate-700">
              {progress.completedLessons} of {progress.totalLessons} lessons complete ({progress.percent}%)
            </p>
          </div>
          <ButtonLink href={target.lesson.href}>{target.reason === "continue" ? "Continue" : "Open lesson"}</ButtonLink>
        </section>
      ) : null}
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
