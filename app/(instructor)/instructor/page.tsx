import type { Metadata } from "next";
import Link from "next/link";
import { listCohorts } from "@/lib/cohorts/cohorts";
import { Card, PageHeader } from "../../_components/ui";
import { instructorPageData } from "./_components/page-data";
import { CreateCohortForm } from "./_components/forms";
import { day } from "./_components/format";

export const metadata: Metadata = { title: "Instructor" };

export default async function InstructorHomePage() {
  const { cohorts, isAdmin } = await instructorPageData(async (database, user) => ({ cohorts: await listCohorts(database, user), isAdmin: user.role === "ADMIN" }));
  return (
    <>
      <PageHeader
        title="Cohorts"
        description={isAdmin ? "As an administrator you see every cohort." : "The cohorts you teach: progress, scores, item analysis and exports."}
      />
      <div className="grid gap-6 lg:grid-cols-[2fr_1fr]">
        <Card className="p-0">
          <div className="overflow-x-auto">
            <table className="w-full text-left text-sm">
              <caption className="p-4 text-left text-base font-semibold text-slate-900">
                {cohorts.length} cohort{cohorts.length === 1 ? "" : "s"}
              </caption>
              <thead className="bg-slate-50 text-slate-800">
                <tr>
                  <th scope="col" className="px-4 py-2 font-medium">Cohort</th>
                  <th scope="col" className="px-4 py-2 font-medium">Students</th>
                  <th scope="col" className="px-4 py-2 font-medium">Instructors</th>
                  <th scope="col" className="px-4 py-2 font-medium">Dates</th>
                </tr>
              </thead>
              <tbody>
                {cohorts.map((cohort) => (
                  <tr key={cohort.id} className="border-t border-slate-100">
                    <th scope="row" className="px-4 py-3 font-normal">
                      <Link href={`/instructor/cohorts/${cohort.id}`} className="font-medium text-brand-800 underline">
                        {cohort.name}
                      </Link>
                      {cohort.description ? <div className="line-clamp-1 text-xs text-slate-700">{cohort.description}</div> : null}
                    </th>
                    <td className="px-4 py-3 tabular-nums">{cohort.students}</td>
                    <td className="px-4 py-3 tabular-nums">{cohort.instructors}</td>
                    <td className="px-4 py-3 whitespace-nowrap">
                      {cohort.startsAt || cohort.endsAt ? `${day(cohort.startsAt)} → ${day(cohort.endsAt)}` : "–"}
                    </td>
                  </tr>
                ))}
                {cohorts.length === 0 ? (
                  <tr>
                    <td colSpan={4} className="px-4 py-6 text-center text-slate-700">
                      No cohorts yet. Create one to get a join link for your students.
                    </td>
                  </tr>
                ) : null}
              </tbody>
            </table>
          </div>
        </Card>
        <Card>
          <h2 className="mb-4 text-lg font-semibold text-slate-900">New cohort</h2>
          <CreateCohortForm />
        </Card>
      </div>
    </>
  );
}
