"use server";
import { headers } from "next/headers";
import { signUpSchema, fieldErrors } from "@/lib/accounts/schemas";
import { createUser, EmailTakenError } from "@/lib/accounts/users";
import { limiters, limitSignUp, RateLimitedError } from "@/lib/auth/rate-limit";
import { clientIpFrom } from "@/lib/auth/client-ip";
import { db } from "@/lib/db/client";
import type { ActionResult } from "@/lib/auth/guard";

export async function signUpAction(input: unknown): Promise<ActionResult> {
  const parsed = signUpSchema.safeParse(input);
  if (!parsed.success) return { ok: false, error: "Check the highlighted fields.", fieldErrors: fieldErrors(parsed.error) };
  try {
    await limitSignUp(await limiters(), clientIpFrom(await headers()));
    await createUser(db(), { ...parsed.data, password: parsed.data.password });
    return { ok: true, data: undefined };
  } catch (error) {
    if (error instanceof EmailTakenError) return { ok: false, error: error.message, fieldErrors: { email: error.message } };
    if (error instanceof RateLimitedError) return { ok: false, error: error.message };
    throw error;
  }
}
