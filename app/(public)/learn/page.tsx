import type { Metadata } from "next";
import { Card, PageHeader } from "../../_components/ui";

export const metadata: Metadata = { title: "Learn" };

export default function LearnPage() {
  return (
    <>
      <PageHeader title="Learn" description="How the Kubernetes API server establishes identity." />
      <Card>
        <p className="text-slate-700">The Authentication module is being written.</p>
      </Card>
    </>
  );
}
