import "server-only";
import type { Db } from "../db/client";
import { verifyPassword } from "./password";
import { chargeSignIn, limiters } from "./rate-limit";
import { createUser, publicUserSelect, type PublicUser } from "../accounts/users";

export const INVALID_CREDENTIALS = "Invalid email or password";

/**
 * Checks an email and password. Throws an Error whose message is what the sign-in form shows:
 * the same text for an unknown email and a wrong password, or the rate-limit message.
 */
export async function signInWithPassword(database: Db, email: string, password: string, ip: string): Promise<PublicUser> {
  // Charged before the check and forgiven on success, so parallel guesses all pay.
  const charge = await chargeSignIn(await limiters(), email, ip);
  const found = await database.user.findUnique({ where: { email }, select: { ...publicUserSelect, passwordHash: true } });
  const ok = await verifyPassword(found?.passwordHash, password);
  if (!found || !ok) throw new Error(INVALID_CREDENTIALS);
  await charge.succeeded();
  const { passwordHash: _omitted, ...user } = found;
  await database.user.update({ where: { id: user.id }, data: { lastActiveAt: new Date() } });
  return user;
}

/**
 * Single sign-on: finds the user linked to this provider account, or links by a verified
 * email, or creates a student. Returns undefined when the provider gave no usable email.
 */
export async function signInWithSso(
  database: Db,
  identity: { provider: string; subject: string; email?: string; emailVerified: boolean; name?: string },
): Promise<PublicUser | undefined> {
  const linked = await database.account.findUnique({
    where: { provider_providerAccountId: { provider: identity.provider, providerAccountId: identity.subject } },
    select: { user: { select: publicUserSelect } },
  });
  if (linked) return linked.user;
  if (!identity.email || !identity.emailVerified) return undefined;
  const email = identity.email.toLowerCase();
  const user =
    (await database.user.findUnique({ where: { email }, select: publicUserSelect })) ??
    (await createUser(database, { email, name: identity.name ?? email, password: null }));
  await database.account.create({ data: { userId: user.id, provider: identity.provider, providerAccountId: identity.subject } });
  return user;
}
