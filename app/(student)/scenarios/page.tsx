import type { Metadata } from "next";
import { requirePageUser } from "@/lib/auth/guard";
import { Card, PageHeader } from "../../_components/ui";

export const metadata: Metadata = { title: "Scenarios" };

export default async function ScenariosPage() {
  await requirePageUser("student");
  return (
    <>
      <PageHeader title="Scenarios" description="Hands-on identity problems in a browser terminal." />
      <Card>
        <p className="text-slate-700">The scenario terminal is being built. Until it opens, the lessons cover the same ground.</p>
      </Card>
    </>
  );
}
