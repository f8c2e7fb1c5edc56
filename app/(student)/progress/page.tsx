import type { Metadata } from "next";
import { requirePageUser } from "@/lib/auth/guard";
import { Card, PageHeader } from "../../_components/ui";

export const metadata: Metadata = { title: "Progress" };

export default async function ProgressPage() {
  await requirePageUser("student");
  return (
    <>
      <PageHeader title="Progress" description="Lessons completed, quiz scores and topics to revisit." />
      <Card>
        <p className="text-slate-700">Your progress appears here once you have answered questions in the lessons.</p>
      </Card>
    </>
  );
}
