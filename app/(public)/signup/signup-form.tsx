"use client";
import { useState, type FormEvent } from "react";
import { useRouter } from "next/navigation";
import { signIn } from "next-auth/react";
import { Button, Field, FormAlert } from "../../_components/ui";
import { signUpSchema, fieldErrors, type FieldErrors } from "@/lib/accounts/schemas";

export function SignUpForm() {
  const router = useRouter();
  const [errors, setErrors] = useState<FieldErrors>({});
  const [formError, setFormError] = useState<string | undefined>();
  const [pending, setPending] = useState(false);

  async function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const data = new FormData(event.currentTarget);
    const input = { email: data.get("email"), name: data.get("name"), password: data.get("password") };
    const parsed = signUpSchema.safeParse(input);
    if (!parsed.success) {
      setErrors(fieldErrors(parsed.error));
      setFormError(undefined);
      return;
    }
    // The earlier attempt's messages go while this one is sent (a fixed password no longer shows as wrong).
    setErrors({});
    setFormError(undefined);
    setPending(true);
    try {
      const response = await fetch("/api/signup", {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify(parsed.data),
      });
      if (!response.ok) {
        const result = (await response.json().catch(() => ({}))) as { error?: string; details?: FieldErrors };
        setErrors(response.status === 422 || response.status === 409 ? (result.details ?? {}) : {});
        setFormError(response.status === 422 || response.status === 409 ? undefined : (result.error ?? "Something went wrong. Try again."));
        return;
      }
      const signedIn = await signIn("credentials", { email: parsed.data.email, password: parsed.data.password, redirect: false });
      if (!signedIn || signedIn.error) {
        router.push("/signin");
        return;
      }
      router.push("/dashboard");
      router.refresh();
    } finally {
      setPending(false);
    }
  }

  return (
    <form onSubmit={onSubmit} noValidate className="mt-6 flex flex-col gap-4" aria-label="Create account">
      {formError ? <FormAlert>{formError}</FormAlert> : null}
      <Field id="email" name="email" type="email" label="Email" autoComplete="email" required error={errors.email} />
      <Field
        id="name"
        name="name"
        label="Display name"
        autoComplete="nickname"
        required
        error={errors.name}
        hint="Shown to your instructors."
      />
      <Field
        id="password"
        name="password"
        type="password"
        label="Password"
        autoComplete="new-password"
        required
        error={errors.password}
        hint="At least 12 characters."
      />
      <Button type="submit" disabled={pending} className="mt-2">
        {pending ? "Creating account…" : "Create account"}
      </Button>
    </form>
  );
}
