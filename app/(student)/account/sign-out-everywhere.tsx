"use client";
import { useState } from "react";
import { signOut } from "next-auth/react";
import { Button, FormAlert } from "../../_components/ui";
import { signOutEverywhereAction } from "./actions";

export function SignOutEverywhere() {
  const [error, setError] = useState<string | undefined>();
  const [pending, setPending] = useState(false);

  async function onClick() {
    setPending(true);
    const result = await signOutEverywhereAction({});
    if (!result.ok) {
      setPending(false);
      setError(result.error);
      return;
    }
    await signOut({ callbackUrl: "/signin" });
  }

  return (
    <div className="mt-4 flex flex-col gap-3">
      {error ? <FormAlert>{error}</FormAlert> : null}
      <Button type="button" variant="secondary" disabled={pending} onClick={onClick}>
        {pending ? "Signing out…" : "Sign out of all devices"}
      </Button>
    </div>
  );
}
