import type { Metadata } from "next";
import { requirePageUser } from "@/lib/auth/guard";
import { Card, PageHeader } from "../../_components/ui";

export const metadata: Metadata = { title: "Instructor" };

export default async function InstructorHomePage() {
  await requirePageUser("instructor");
  return (
    <>
      <PageHeader title="Instructor" description="Cohorts, student progress, item analysis and exports." />
      <Card>
        <p className="text-slate-700">Cohort management opens here. You have instructor access.</p>
      </Card>
    </>
  );
}
