import "server-only";
import { cache } from "react";
import { cookies } from "next/headers";
import { getServerSession } from "next-auth";
import { encode } from "next-auth/jwt";
import { db } from "../db/client";
import { publicUserSelect, type PublicUser } from "../accounts/users";
import { authOptions, sessionClaims, sessionCookie } from "./options";

export interface SessionUser extends PublicUser {
  /** A generated or reset password: every page and route asks for a new one first (guard.ts). */
  mustChangePassword: boolean;
}

/**
 * The signed-in user with their current role, or undefined. Read from the database on each
 * request (once per request thanks to React's cache), so role changes and deleted accounts
 * take effect immediately; a session issued before the user's session version was raised
 * (password change, reset, demotion, "sign out of all devices") is not signed in (options.ts).
 */
export const getCurrentUser = cache(async (): Promise<SessionUser | undefined> => {
  const session = await getServerSession(authOptions());
  if (!session?.userId) return undefined;
  const user = await db().user.findUnique({ where: { id: session.userId }, select: { ...publicUserSelect, mustChangePassword: true } });
  return user ?? undefined;
});

/**
 * Replaces this browser's session cookie with one at `sessionVersion`: after the user raised
 * their own version (a password change), this session stays signed in and all others end.
 * Only from server actions and route handlers (they may set cookies).
 */
export async function reissueSession(user: Pick<PublicUser, "id" | "name" | "email">, sessionVersion: number): Promise<void> {
  const options = authOptions();
  const cookie = sessionCookie();
  const token = { name: user.name, email: user.email, ...sessionClaims(user.id, sessionVersion, false) };
  const value = await encode({ token, secret: options.secret ?? "", maxAge: cookie.maxAge });
  (await cookies()).set(cookie.name, value, { httpOnly: true, sameSite: "lax", path: "/", secure: cookie.secure, maxAge: cookie.maxAge });
}
