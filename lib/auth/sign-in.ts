import "server-only";
import type { Db } from "../db/client";
import { verifyPassword } from "./password";
import { chargeSignIn, limiters } from "./rate-limit";
import { createUser, publicUserSelect, type PublicUser } from "../accounts/users";
import { cleanDisplayName } from "../accounts/schemas";
import { isUniqueViolation } from "../db/errors";

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

export type SsoOutcome =
  | { ok: true; user: PublicUser; linked: boolean }
  /**
   * no-email: the provider gave no verified email; privileged: the email belongs to an
   * instructor or administrator, who link from the Account page; taken: this identity is already
   * linked to another account (when linking from the Account page).
   */
  | { ok: false; reason: "no-email" | "privileged" | "taken" };

/**
 * Single sign-on: finds the user linked to this provider account; otherwise, with `linkTo` (a
 * signed-in user who asked to link from the Account page), links it to that user; otherwise
 * links by a verified email, but only to a STUDENT account (an instructor's or administrator's
 * account is never taken over by whoever controls a matching identity-provider email), or
 * creates a student.
 */
export async function signInWithSso(
  database: Db,
  identity: { provider: string; subject: string; email?: string; emailVerified: boolean; name?: string },
  linkTo?: string,
): Promise<SsoOutcome> {
  const linked = await database.account.findUnique({
    where: { provider_providerAccountId: { provider: identity.provider, providerAccountId: identity.subject } },
    select: { user: { select: publicUserSelect } },
  });
  if (linked) return linkTo && linked.user.id !== linkTo ? { ok: false, reason: "taken" } : { ok: true, user: linked.user, linked: false };
  if (linkTo) {
    const user = await database.user.findUnique({ where: { id: linkTo }, select: publicUserSelect });
    if (!user) return { ok: false, reason: "taken" };
    return link(database, identity, user);
  }
  if (!identity.email || !identity.emailVerified) return { ok: false, reason: "no-email" };
  const email = identity.email.toLowerCase();
  const existing = await database.user.findUnique({ where: { email }, select: publicUserSelect });
  if (existing && existing.role !== "STUDENT") return { ok: false, reason: "privileged" };
  const user = existing ?? (await createUser(database, { email, name: cleanDisplayName(identity.name, email), password: null }));
  return link(database, identity, user);
}

async function link(database: Db, identity: { provider: string; subject: string }, user: PublicUser): Promise<SsoOutcome> {
  try {
    await database.account.create({ data: { userId: user.id, provider: identity.provider, providerAccountId: identity.subject } });
  } catch (error) {
    // Two callbacks for one identity at once: the other one linked it; answer with its owner.
    if (!isUniqueViolation(error)) throw error;
    const owner = await database.account.findUnique({
      where: { provider_providerAccountId: { provider: identity.provider, providerAccountId: identity.subject } },
      select: { userId: true },
    });
    if (owner?.userId !== user.id) return { ok: false, reason: "taken" };
  }
  return { ok: true, user, linked: true };
}
