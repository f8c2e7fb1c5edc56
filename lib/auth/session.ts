import "server-only";
import { cache } from "react";
import { cookies } from "next/headers";
import { encode } from "next-auth/jwt";
import { db } from "../db/client";
import { z } from "zod";
import { type PublicUser } from "../accounts/users";
import { bool, timestamp } from "../db/raw";
import { authOptions, sessionClaims, sessionCookie } from "./options";
import { decodeSession } from "./session-decode";

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
  // The cookie is decrypted and checked (signature, expiry) here, and the user read once: the
  // same rule as the session callback in options.ts, without its second query and the re-encoded
  // cookie that getServerSession would add to every request. The browser's session provider
  // keeps the cookie rolling through /api/auth/session.
  const token = await decodeSession({ token: sessionToken(await cookies()), secret: authOptions().secret ?? "" }).catch(() => null);
  if (typeof token?.sub !== "string") return undefined;
  const rows = await db().$queryRaw<unknown[]>`
    SELECT "id", "email", "name", "role", "createdAt", "lastActiveAt", "mustChangePassword", "sessionVersion"
    FROM "User" WHERE "id" = ${token.sub}`;
  if (rows.length === 0) return undefined;
  const { sessionVersion, ...current } = sessionUserRow.parse(rows[0]);
  return sessionVersion === (token.sv ?? 0) ? current : undefined;
});

/**
 * The user row a session stands for, read with one raw statement: every signed-in request reads it,
 * and a model query costs it about twice as much (the same columns as publicUserSelect and more).
 */
const sessionUserRow = z.object({
  id: z.string(),
  email: z.string(),
  name: z.string(),
  role: z.enum(["STUDENT", "INSTRUCTOR", "ADMIN"]),
  createdAt: timestamp.pipe(z.date()),
  lastActiveAt: timestamp,
  mustChangePassword: bool,
  // No fallback value here (unlike raw.ts's `int`): a session must match the version itself.
  sessionVersion: z.union([z.number().int(), z.bigint()]).transform(Number),
}) satisfies z.ZodType<SessionUser & { sessionVersion: number }>;

/** The session cookie's value, joined again if next-auth split it into `<name>.0`, `<name>.1`, …. */
function sessionToken(jar: Awaited<ReturnType<typeof cookies>>): string | undefined {
  const { name } = sessionCookie();
  const whole = jar.get(name)?.value;
  if (whole !== undefined) return whole;
  const chunks = jar
    .getAll()
    .filter((cookie) => cookie.name.startsWith(`${name}.`))
    .sort((a, b) => Number(a.name.slice(name.length + 1)) - Number(b.name.slice(name.length + 1)));
  return chunks.length > 0 ? chunks.map((cookie) => cookie.value).join("") : undefined;
}

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
