import type { Metadata } from "next";
import Link from "next/link";
import { listCohorts } from "@/lib/cohorts/cohorts";
import { Card, PageHeader } from "../../_components/ui";
import { Table } from "../../_components/table";
import { instructorPageData } from "./_components/page-data";
import { CreateCohortForm } from "./_components/forms";
import { day } from "./_components/format";

export const metadata: Metadata = { title: "Instructor" };

export default async function InstructorHomePage() {
  const { cohorts, isAdmin } = await instructorPageData(async (database, user) => ({
    cohorts: await listCohorts(database, user),
    isAdmin: user.role === "ADMIN",
  }));
  return (
    <>
      <PageHeader
        title="Cohorts"
        description={
          isAdmin ? "As an administrator you see every cohort." : "The cohorts you teach: progress, scores, item analysis and exports."
        }
      />
      <div className="grid grid-cols-1 gap-6 lg:grid-cols-[minmax(0,2fr)_minmax(0,1fr)]">
        <Card className="p-0">
          <Table
            label="Cohorts"
            caption={`${cohorts.length} cohort${cohorts.length === 1 ? "" : "s"}`}
            stack
            rows={cohorts}
            rowKey={(cohort) => cohort.id}
            empty="No cohorts yet. Create one to get a join link for your students."
            columns={[
              {
                header: "Cohort",
                rowHeader: true,
                cell: (cohort) => (
                  <>
                    <Link href={`/instructor/cohorts/${cohort.id}`} className="font-medium text-brand-800 underline">
                      {cohort.name}
                    </Link>
                    {cohort.description ? <div className="line-clamp-1 text-xs text-slate-700">{cohort.description}</div> : null}
                  </>
                ),
              },
              { header: "Students", className: "tabular-nums", cell: (cohort) => cohort.students },
              { header: "Instructors", className: "tabular-nums", cell: (cohort) => cohort.instructors },
              {
                header: "Dates",
                className: "whitespace-nowrap",
                cell: (cohort) => (cohort.startsAt || cohort.endsAt ? `${day(cohort.startsAt)} → ${day(cohort.endsAt)}` : "–"),
              },
            ]}
          />
        </Card>
        <Card>
          <h2 className="mb-4 text-lg font-semibold text-slate-900">New cohort</h2>
          <CreateCohortForm />
        </Card>
      </div>
    </>
  );
}
