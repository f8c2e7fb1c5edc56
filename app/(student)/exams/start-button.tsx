"use client";
import { useRouter } from "next/navigation";
import { useState } from "react";
import type { AttemptView } from "@/lib/exams/api-types";
import { Button, FormAlert } from "../../_components/ui";
import { callApi } from "../scenarios/[id]/api";

/** Starts an attempt (or finds the open one) and opens it. */
export function StartExamButton({ examId, label }: { examId: string; label: string }) {
  const router = useRouter();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string>();
  return (
    <div className="flex flex-col items-start gap-2">
      <Button
        disabled={busy}
        onClick={async () => {
          setBusy(true);
          setError(undefined);
          const result = await callApi<AttemptView>(`/api/exams/${encodeURIComponent(examId)}/attempts`, { method: "POST" });
          if (!result.ok) {
            setBusy(false);
            setError(result.error);
            return;
          }
          router.push(`/exams/attempts/${result.data.attemptId}`);
        }}
      >
        {busy ? "Starting…" : label}
      </Button>
      {error ? <FormAlert>{error}</FormAlert> : null}
    </div>
  );
}
