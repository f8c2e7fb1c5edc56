"use server";
import { z } from "zod";
import { guardedAction } from "@/lib/auth/guard";
import { DomainError } from "@/lib/http/errors";
import { passwordChangeSchema } from "@/lib/accounts/schemas";
import { changePassword, endAllSessions, forgetInitialAdminPassword } from "@/lib/accounts/users";
import { reissueSession } from "@/lib/auth/session";
import { db } from "@/lib/db/client";
import { cookies } from "next/headers";
import { getEnv, resolveAuthSecret } from "@/lib/env";
import { sealLinkIntent, SSO_LINK_COOKIE, SSO_LINK_TTL_SECONDS } from "@/lib/auth/sso-link";

const change = guardedAction(
  "student",
  passwordChangeSchema,
  async (input, user) => {
    const sessionVersion = await changePassword(db(), user.id, input.currentPassword, input.newPassword);
    // Every other session has ended; this one carries on at the new version.
    await reissueSession(user, sessionVersion);
    forgetInitialAdminPassword(getEnv().dataDir, user.email);
  },
  { pendingPasswordChange: true },
);

export async function changePasswordAction(input: unknown) {
  return change(input);
}

// "Link SSO": a sealed, 10-minute request naming this user; the OIDC callback links the identity
// it returns to this account only while the same user is signed in (lib/auth/sso-link.ts).
const startSsoLink = guardedAction("student", z.object({}), async (_input, user) => {
  const env = getEnv();
  if (!env.oidc) throw new DomainError(409, "Single sign-on is not configured.");
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

const endAll = guardedAction(
  "student",
  z.object({}),
  async (_input, user) => {
    await endAllSessions(db(), user.id);
  },
  { pendingPasswordChange: true },
);

/** "Sign out of all devices": every session of this user ends, this one too. */
export async function signOutEverywhereAction(input: unknown) {
  return endAll(input);
}
