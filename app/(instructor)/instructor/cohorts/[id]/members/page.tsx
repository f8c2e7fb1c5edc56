import type { Metadata } from "next";
import { cohortMembers, listInvitations, recentStudents } from "@/lib/cohorts/cohorts";
import { Card } from "../../../../../_components/ui";
import { Table } from "../../../../../_components/table";
import { instructorPageData } from "../../../_components/page-data";
import { CohortHeader } from "../../../_components/cohort-header";
import { AddByEmailForm, JoinLink, RemoveMemberButton, RevokeInvitationButton } from "../../../_components/forms";
import { day } from "../../../_components/format";

export const metadata: Metadata = { title: "Cohort members" };

export default async function CohortMembersPage({ params }: { params: Promise<{ id: string }> }) {
  const { id } = await params;
  const { cohort, instructors, students, invitations, joined, me } = await instructorPageData(async (database, user) => {
    const [members, invitations, joined] = await Promise.all([
      cohortMembers(database, user, id),
      listInvitations(database, user, id),
      recentStudents(database, user, id),
    ]);
    return { ...members, invitations, joined, me: user.id };
  });
  const studentRows = [
    ...invitations.map((invitation) => ({
      key: `invitation-${invitation.id}`,
      email: invitation.email,
      name: null,
      status: `invited (until ${day(invitation.expiresAt)})`,
      since: invitation.createdAt,
      action: <RevokeInvitationButton cohortId={cohort.id} invitationId={invitation.id} email={invitation.email} />,
    })),
    ...joined.map((member) => ({
      key: `member-${member.userId}`,
      email: member.email,
      name: member.name,
      status: "joined",
      since: member.joinedAt,
      action: null,
    })),
  ];
  return (
    <>
      <CohortHeader cohort={cohort} current="members" students={students} />
      <div className="grid grid-cols-1 gap-6 lg:grid-cols-2">
        <Card>
          <h2 className="mb-2 text-lg font-semibold text-slate-900">Invite students</h2>
          <p className="mb-4 text-sm text-slate-700">
            Students open the link while signed in (or sign in, then come back to it) and join with one click. A student can be in several
            cohorts.
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
          <Table
            label={`Invited and recently joined students of ${cohort.name}`}
            captionHidden
            stack
            rows={studentRows}
            rowKey={(row) => row.key}
            empty="No student invited or joined yet."
            columns={[
              { header: "Email", rowHeader: true, className: "break-all", cell: (row) => row.email },
              { header: "Name", cell: (row) => row.name ?? <span className="text-slate-600">—</span> },
              { header: "Status", cell: (row) => row.status },
              { header: "Since", className: "whitespace-nowrap", cell: (row) => day(row.since) },
              { header: <span className="sr-only">Actions</span>, label: "", cell: (row) => row.action },
            ]}
          />
          <p className="mt-3 text-sm text-slate-700">
            {invitations.length} open invitation{invitations.length === 1 ? "" : "s"}; {students} joined student{students === 1 ? "" : "s"}
            {students > joined.length ? ` (the ${joined.length} most recent shown; all are on the Students tab)` : ""}.
          </p>
        </Card>
        <Card className="lg:col-span-2">
          <h2 className="mb-4 text-lg font-semibold text-slate-900">Instructors</h2>
          <Table
            label={`Instructors of ${cohort.name}`}
            captionHidden
            stack
            className="mb-6"
            rows={instructors}
            rowKey={(member) => member.userId}
            columns={[
              { header: "Name", rowHeader: true, cell: (member) => `${member.name}${member.userId === me ? " (you)" : ""}` },
              { header: "Email", className: "break-all", cell: (member) => member.email },
              { header: "Since", className: "whitespace-nowrap", cell: (member) => day(member.joinedAt) },
              {
                header: <span className="sr-only">Actions</span>,
                label: "",
                cell: (member) =>
                  instructors.length > 1 ? <RemoveMemberButton cohortId={cohort.id} userId={member.userId} name={member.name} /> : null,
              },
            ]}
          />
          <div className="max-w-md">
            <AddByEmailForm cohortId={cohort.id} kind="instructor" />
          </div>
        </Card>
      </div>
    </>
  );
}
