import type { Metadata } from "next";
import { cohortMembers, listInvitations, recentStudents } from "@/lib/cohorts/cohorts";
import { Card } from "../../../../../_components/ui";
import { instructorPageData } from "../../../_components/page-data";
import { CohortHeader } from "../../../_components/cohort-header";
import { AddByEmailForm, JoinLink, RemoveMemberButton, RevokeInvitationButton } from "../../../_components/forms";
import { day } from "../../../_components/format";

export const metadata: Metadata = { title: "Cohort members" };

export default async function CohortMembersPage({ params }: { params: Promise<{ id: string }> }) {
  const { id } = await params;
  const { cohort, instructors, students, invitations, joined, me } = await instructorPageData(async (database, user) => ({
    ...(await cohortMembers(database, user, id)),
    invitations: await listInvitations(database, user, id),
    joined: await recentStudents(database, user, id),
    me: user.id,
  }));
  return (
    <>
      <CohortHeader cohort={cohort} current="members" students={students} />
      <div className="grid gap-6 lg:grid-cols-2">
        <Card>
          <h2 className="mb-2 text-lg font-semibold text-slate-900">Invite students</h2>
          <p className="mb-4 text-sm text-slate-700">
            Students open the link while signed in (or sign in, then come back to it) and join with one click. A student can be in several cohorts.
          </p>
          <JoinLink cohortId={cohort.id} code={cohort.joinCode} />
        </Card>
        <Card>
          <h2 className="mb-4 text-lg font-semibold text-slate-900">Invite a student by email</h2>
          <AddByEmailForm cohortId={cohort.id} kind="student" />
          <p className="mt-4 text-sm text-slate-700">
            You see a student&apos;s work from the moment they join, never before. To remove a student, open them from the Students tab.
          </p>
        </Card>
        <Card className="lg:col-span-2">
          <h2 className="mb-4 text-lg font-semibold text-slate-900">Students</h2>
          <div className="overflow-x-auto">
            <table className="w-full text-left text-sm">
              <caption className="sr-only">Invited and recently joined students of {cohort.name}</caption>
              <thead className="bg-slate-50 text-slate-800">
                <tr>
                  <th scope="col" className="px-4 py-2 font-medium">Email</th>
                  <th scope="col" className="px-4 py-2 font-medium">Name</th>
                  <th scope="col" className="px-4 py-2 font-medium">Status</th>
                  <th scope="col" className="px-4 py-2 font-medium">Since</th>
                  <th scope="col" className="px-4 py-2 font-medium"><span className="sr-only">Actions</span></th>
                </tr>
              </thead>
              <tbody>
                {invitations.map((invitation) => (
                  <tr key={invitation.id} className="border-t border-slate-100">
                    <th scope="row" className="px-4 py-3 font-normal">{invitation.email}</th>
                    <td className="px-4 py-3 text-slate-600">—</td>
                    <td className="px-4 py-3">invited (until {day(invitation.expiresAt)})</td>
                    <td className="px-4 py-3">{day(invitation.createdAt)}</td>
                    <td className="px-4 py-3">
                      <RevokeInvitationButton cohortId={cohort.id} invitationId={invitation.id} email={invitation.email} />
                    </td>
                  </tr>
                ))}
                {joined.map((member) => (
                  <tr key={member.userId} className="border-t border-slate-100">
                    <th scope="row" className="px-4 py-3 font-normal">{member.email}</th>
                    <td className="px-4 py-3">{member.name}</td>
                    <td className="px-4 py-3">joined</td>
                    <td className="px-4 py-3">{day(member.joinedAt)}</td>
                    <td className="px-4 py-3" />
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
          <p className="mt-3 text-sm text-slate-700">
            {invitations.length} open invitation{invitations.length === 1 ? "" : "s"}; {students} joined student{students === 1 ? "" : "s"}
            {students > joined.length ? ` (the ${joined.length} most recent shown; all are on the Students tab)` : ""}.
          </p>
        </Card>
        <Card className="lg:col-span-2">
          <h2 className="mb-4 text-lg font-semibold text-slate-900">Instructors</h2>
          <div className="overflow-x-auto">
            <table className="mb-6 w-full text-left text-sm">
              <caption className="sr-only">Instructors of {cohort.name}</caption>
              <thead className="bg-slate-50 text-slate-800">
                <tr>
                  <th scope="col" className="px-4 py-2 font-medium">Name</th>
                  <th scope="col" className="px-4 py-2 font-medium">Email</th>
                  <th scope="col" className="px-4 py-2 font-medium">Since</th>
                  <th scope="col" className="px-4 py-2 font-medium"><span className="sr-only">Actions</span></th>
                </tr>
              </thead>
              <tbody>
                {instructors.map((member) => (
                  <tr key={member.userId} className="border-t border-slate-100">
                    <th scope="row" className="px-4 py-3 font-normal">
                      {member.name}
                      {member.userId === me ? " (you)" : ""}
                    </th>
                    <td className="px-4 py-3">{member.email}</td>
                    <td className="px-4 py-3">{day(member.joinedAt)}</td>
                    <td className="px-4 py-3">
                      {instructors.length > 1 ? <RemoveMemberButton cohortId={cohort.id} userId={member.userId} name={member.name} /> : null}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
          <div className="max-w-md">
            <AddByEmailForm cohortId={cohort.id} kind="instructor" />
          </div>
        </Card>
      </div>
    </>
  );
}
