"use server";
import { guardedAction, UserFacingError } from "@/lib/auth/guard";
import { passwordChangeSchema } from "@/lib/accounts/schemas";
import { changePassword, WrongPasswordError } from "@/lib/accounts/users";
import { db } from "@/lib/db/client";
import { cookies } from "next/headers";
import { z } from "zod";
import { getEnv, resolveAuthSecret } from "@/lib/env";
import { sealLinkIntent, SSO_LINK_COOKIE, SSO_LINK_TTL_SECONDS } from "@/lib/auth/sso-link";

const change = guardedAction("student", passwordChangeSchema, async (input, user) => {
  try {
    await changePassword(db(), user.id, input.currentPassword, input.newPassword);
  } catch (error) {
    if (error instanceof WrongPasswordError) throw new UserFacingError(error.message);
    throw error;
  }
});

export async function changePasswordAction(input: unknown) {
  return change(input);
}

// "Link SSO": a sealed, 10-minute request naming this user; the OIDC callback links the identity
// it returns to this account only while the same user is signed in (lib/auth/sso-link.ts).
const startSsoLink = guardedAction("student", z.object({}), async (_input, user) => {
  const env = getEnv();
  if (!env.oidc) throw new UserFacingError("Single sign-on is not configured.");
  (await cookies()).set(SSO_LINK_COOKIE, sealLinkIntent(resolveAuthSecret(env), user.id), {
    httpOnly: true,
    sameSite: "lax",
    secure: env.authUrl?.startsWith("https:") ?? false,
    path: "/",
    maxAge: SSO_LINK_TTL_SECONDS,
  });
});

export async function startSsoLinkAction(input: unknown) {
  return startSsoLink(input);
}
