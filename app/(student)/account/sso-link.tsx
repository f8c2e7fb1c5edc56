"use client";
import { useState } from "react";
import { signIn } from "next-auth/react";
import { Button, FormAlert } from "../../_components/ui";
import { startSsoLinkAction } from "./actions";

export function SsoLinkButton({ providerName }: { providerName: string }) {
  const [pending, setPending] = useState(false);
  const [error, setError] = useState<string | undefined>();
  return (
    <div className="flex flex-col items-start gap-3">
      <Button
        variant="secondary"
        disabled={pending}
        onClick={async () => {
          setPending(true);
          const result = await startSsoLinkAction({});
          if (!result.ok) {
            setPending(false);
            setError(result.error);
            return;
          }
          await signIn("oidc", { callbackUrl: "/account?sso=linked" });
        }}
      >
        {pending ? "Opening…" : `Link ${providerName}`}
      </Button>
      {error ? <FormAlert>{error}</FormAlert> : null}
    </div>
  );
}
