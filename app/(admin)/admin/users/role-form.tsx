"use client";
import { useState, type FormEvent } from "react";
import { ROLES, type RoleName } from "@/lib/accounts/schemas";
import { Button } from "../../../_components/ui";
import { changeRoleAction, resetPasswordAction } from "./actions";

export function RoleForm({ userId, email, role }: { userId: string; email: string; role: RoleName }) {
  const [current, setCurrent] = useState(role);
  const [message, setMessage] = useState<{ tone: "error" | "success"; text: string } | undefined>();
  const [pending, setPending] = useState(false);

  async function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const next = new FormData(event.currentTarget).get("role");
    setPending(true);
    const result = await changeRoleAction({ userId, role: next });
    setPending(false);
    if (result.ok) {
      setCurrent(result.data.role);
      setMessage({ tone: "success", text: "Saved" });
    } else {
      setMessage({ tone: "error", text: result.error });
    }
  }

  const id = `role-${userId}`;
  return (
    <form onSubmit={onSubmit} className="flex flex-wrap items-center gap-2" aria-label={`Role of ${email}`}>
      <label htmlFor={id} className="sr-only">
        Role of {email}
      </label>
      <select id={id} name="role" defaultValue={current} className="h-8 rounded-md border border-slate-300 bg-white px-2 text-sm">
        {ROLES.map((name) => (
          <option key={name} value={name}>
            {name.toLowerCase()}
          </option>
        ))}
      </select>
      <Button type="submit" size="sm" variant="secondary" disabled={pending}>
        {pending ? "Saving…" : "Save"}
      </Button>
      <span role="status" className={message?.tone === "error" ? "text-sm text-red-700" : "text-sm text-green-800"}>
        {message?.text}
      </span>
    </form>
  );
}

/** Resets a user's password to a one-time one, shown here once; the user must change it. */
export function ResetPasswordButton({ userId, email }: { userId: string; email: string }) {
  const [message, setMessage] = useState<{ tone: "error" | "success"; text: string } | undefined>();
  const [pending, setPending] = useState(false);

  async function onClick() {
    setPending(true);
    const result = await resetPasswordAction({ userId });
    setPending(false);
    setMessage(
      result.ok
        ? {
            tone: "success",
            text: `One-time password for ${email}: ${result.data.password} (their sessions have ended; they choose a new one at sign-in)`,
          }
        : { tone: "error", text: result.error },
    );
  }

  return (
    <div className="mt-2 flex flex-wrap items-center gap-2">
      <Button type="button" size="sm" variant="secondary" disabled={pending} onClick={onClick} aria-label={`Reset password of ${email}`}>
        {pending ? "Resetting…" : "Reset password"}
      </Button>
      <span role="status" className={message?.tone === "error" ? "text-sm text-red-700" : "font-mono text-sm text-green-800"}>
        {message?.text}
      </span>
    </div>
  );
}
