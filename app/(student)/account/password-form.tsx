"use client";
import { useState, type FormEvent } from "react";
import { useRouter } from "next/navigation";
import { Button, Field, FormAlert } from "../../_components/ui";
import { fieldErrors, passwordChangeSchema, type FieldErrors } from "@/lib/accounts/schemas";
import { changePasswordAction } from "./actions";

/** `next`: where to go after a successful change (the forced change continues to the dashboard). */
export function PasswordForm({ next }: { next?: string } = {}) {
  const router = useRouter();
  const [errors, setErrors] = useState<FieldErrors>({});
  const [message, setMessage] = useState<{ tone: "error" | "success"; text: string } | undefined>();
  const [pending, setPending] = useState(false);

  async function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const form = event.currentTarget;
    const data = new FormData(form);
    const input = { currentPassword: data.get("currentPassword"), newPassword: data.get("newPassword") };
    const parsed = passwordChangeSchema.safeParse(input);
    if (!parsed.success) {
      setErrors(fieldErrors(parsed.error));
      return;
    }
    setErrors({});
    setMessage(undefined);
    setPending(true);
    const result = await changePasswordAction(parsed.data);
    setPending(false);
    setErrors(result.ok ? {} : (result.fieldErrors ?? {}));
    setMessage(result.ok ? { tone: "success", text: "Password changed." } : { tone: "error", text: result.error });
    if (result.ok) form.reset();
    if (result.ok && next) {
      router.push(next);
      router.refresh();
    }
  }

  return (
    <form onSubmit={onSubmit} noValidate className="mt-4 flex flex-col gap-4" aria-label="Change password">
      {message ? <FormAlert tone={message.tone}>{message.text}</FormAlert> : null}
      <Field
        id="currentPassword"
        name="currentPassword"
        type="password"
        label="Current password"
        autoComplete="current-password"
        error={errors.currentPassword}
      />
      <Field
        id="newPassword"
        name="newPassword"
        type="password"
        label="New password"
        autoComplete="new-password"
        error={errors.newPassword}
        hint="At least 12 characters."
      />
      <Button type="submit" disabled={pending}>
        {pending ? "Saving…" : "Change password"}
      </Button>
    </form>
  );
}
