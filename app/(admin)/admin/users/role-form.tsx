"use client";
import { useState, type FormEvent } from "react";
import { ROLES, type RoleName } from "@/lib/accounts/schemas";
import { Button } from "../../../_components/ui";
import { changeRoleAction } from "./actions";

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
