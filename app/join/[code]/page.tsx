import type { Metadata } from "next";
import Link from "next/link";
import { requirePageUser } from "@/lib/auth/guard";
import { db } from "@/lib/db/client";
import { cohortsOfStudent, findCohortByCode } from "@/lib/cohorts/cohorts";
import { joinCodeSchema } from "@/lib/cohorts/schemas";
import { Card, PageHeader } from "../../_components/ui";
import { JoinButton } from "./join-button";
import { InstructorVisibility } from "../../_components/instructor-visibility";

export const metadata: Metadata = { title: "Join a cohort" };

// Signed out: requirePageUser sends the visitor to sign in (or sign up) and back to this link.
export default async function JoinPage({ params }: { params: Promise<{ code: string }> }) {
  const user = await requirePageUser("student");
  const { code } = await params;
  const parsed = joinCodeSchema.safeParse(code);
  const cohort = parsed.success ? await findCohortByCode(db(), parsed.data) : undefined;
  const mine = await cohortsOfStudent(db(), user.id);
  const already = cohort ? mine.some((m) => m.cohort.id === cohort.id) : false;
  return (
    <>
      <PageHeader title="Join a cohort" />
      <Card className="max-w-xl">
        {cohort ? (
          <div className="flex flex-col gap-4">
            <p className="text-slate-800">
              <strong>{cohort.name}</strong>
              {cohort.description ? ` · ${cohort.description}` : ""}
            </p>
            <InstructorVisibility />
            {already ? (
              <p className="text-green-800">You are a member of this cohort.</p>
            ) : (
              <JoinButton code={parsed.data ?? ""} cohortName={cohort.name} />
            )}
            <Link href="/dashboard" className="text-sm text-brand-800 underline">
              Go to your dashboard
            </Link>
          </div>
        ) : (
          <p role="alert" className="text-slate-800">
            This join link is not valid. Ask your instructor for a new one.
          </p>
        )}
      </Card>
    </>
  );
}
