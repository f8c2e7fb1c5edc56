"use client";
import { useState } from "react";
import { Button, FormAlert } from "../../_components/ui";
import { respondToInvitationAction } from "./actions";

export function InvitationAnswer({ invitationId, cohortName }: { invitationId: string; cohortName: string }) {
  const [pending, setPending] = useState(false);
  const [message, setMessage] = useState<{ tone: "error" | "success"; text: string } | undefined>();
  const answer = async (accept: boolean) => {
    setPending(true);
    const result = await respondToInvitationAction({ invitationId, accept });
    setPending(false);
    if (!result.ok) {
      setMessage({ tone: "error", text: result.error });
      return;
    }
    // No refresh: the card stays with its answer until the next visit, so the confirmation is read.
    setMessage({
      tone: "success",
      text: result.data.result === "declined" ? `You declined ${result.data.name}.` : `You joined ${result.data.name}.`,
    });
  };
  return (
    <div className="flex flex-col items-start gap-3">
      <div className="flex flex-wrap gap-2">
        <Button disabled={pending || message?.tone === "success"} onClick={() => answer(true)}>
          Join {cohortName}
        </Button>
        <Button variant="secondary" disabled={pending || message?.tone === "success"} onClick={() => answer(false)}>
          Decline
        </Button>
      </div>
      {message ? <FormAlert tone={message.tone}>{message.text}</FormAlert> : null}
    </div>
  );
}
