"use client";
import { useState } from "react";
import { Button, FormAlert } from "../../_components/ui";
import { joinCohortAction } from "./actions";

export function JoinButton({ code, cohortName }: { code: string; cohortName: string }) {
  const [pending, setPending] = useState(false);
  const [message, setMessage] = useState<{ tone: "error" | "success"; text: string } | undefined>();
  return (
    <div className="flex flex-col items-start gap-3">
      <Button
        disabled={pending || message?.tone === "success"}
        onClick={async () => {
          setPending(true);
          const result = await joinCohortAction({ code });
          setPending(false);
          if (result.ok)
            setMessage({
              tone: "success",
              text: result.data.result === "added" ? `You joined ${result.data.name}.` : `You are already in ${result.data.name}.`,
            });
          else setMessage({ tone: "error", text: result.error });
        }}
      >
        {pending ? "Joining…" : `Join ${cohortName}`}
      </Button>
      {message ? <FormAlert tone={message.tone}>{message.text}</FormAlert> : null}
    </div>
  );
}
