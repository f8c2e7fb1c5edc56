import "server-only";
import fs from "node:fs";
import path from "node:path";
import crypto from "node:crypto";
import type { Db } from "../db/client";
import { isUniqueViolation } from "../db/errors";
import { hashPassword, verifyPassword } from "../auth/password";
import type { RoleName } from "./schemas";
import { DomainError } from "../http/errors";

/** What any caller may see of a user: never the password hash. */
export const publicUserSelect = {
  id: true,
  email: true,
  name: true,
  role: true,
  createdAt: true,
  lastActiveAt: true,
} as const;

export interface PublicUser {
  id: string;
  email: string;
  name: string;
  role: RoleName;
  createdAt: Date;
  lastActiveAt: Date | null;
}

export class EmailTakenError extends DomainError {
  override name = "EmailTakenError";
  constructor() {
    const message = "An account with this email already exists. Sign in instead.";
    super(409, message, { email: message });
  }
}

export async function createUser(
  database: Db,
  input: { email: string; name: string; password: string | null; role?: RoleName },
): Promise<PublicUser> {
  const passwordHash = input.password === null ? null : await hashPassword(input.password);
  try {
    return await database.user.create({
      data: { email: input.email, name: input.name, passwordHash, role: input.role ?? "STUDENT" },
      select: publicUserSelect,
    });
  } catch (error) {
    if (isUniqueViolation(error)) throw new EmailTakenError();
    throw error;
  }
}

export const PAGE_SIZE = 20;

export async function listUsers(database: Db, { q, page }: { q: string; page: number }) {
  const where = q ? { OR: [{ email: { contains: q.toLowerCase() } }, { name: { contains: q } }] } : {};
  const [total, users] = await Promise.all([
    database.user.count({ where }),
    database.user.findMany({
      where,
      select: publicUserSelect,
      orderBy: [{ createdAt: "asc" }, { id: "asc" }],
      skip: (page - 1) * PAGE_SIZE,
      take: PAGE_SIZE,
    }),
  ]);
  return { total, users, page, pageCount: Math.max(1, Math.ceil(total / PAGE_SIZE)) };
}

export class LastAdminError extends DomainError {
  override name = "LastAdminError";
  constructor() {
    super(409, "This is the last administrator; make someone else an administrator first.");
  }
}

const ROLE_RANK: Record<RoleName, number> = { STUDENT: 0, INSTRUCTOR: 1, ADMIN: 2 };

export async function changeRole(database: Db, userId: string, role: RoleName): Promise<PublicUser | undefined> {
  return database.$transaction(async (tx) => {
    // Lock the administrators' rows before counting them: a no-op UPDATE takes row locks on
    // PostgreSQL (a concurrent demotion waits here, then re-reads which rows are still ADMIN and
    // counts what the first one committed) and the write lock on SQLite. Without it two admins
    // demoting each other at once both count 2 and both succeed, leaving no administrator.
    await tx.$executeRaw`UPDATE "User" SET "role" = "role" WHERE "role" = 'ADMIN'`;
    const user = await tx.user.findUnique({ where: { id: userId }, select: publicUserSelect });
    if (!user) return undefined;
    if (user.role === "ADMIN" && role !== "ADMIN" && (await tx.user.count({ where: { role: "ADMIN" } })) <= 1) {
      throw new LastAdminError();
    }
    // A demotion ends the user's sessions (a promotion needs no new sign-in: the role is read
    // fresh on every request anyway).
    const sessionVersion = ROLE_RANK[role] < ROLE_RANK[user.role] ? { increment: 1 } : undefined;
    return tx.user.update({ where: { id: userId }, data: { role, sessionVersion }, select: publicUserSelect });
  });
}

export const INITIAL_ADMIN_FILE = "initial-admin-password";

/**
 * On an empty database, creates the first administrator: from ADMIN_EMAIL/ADMIN_PASSWORD when
 * set, otherwise admin@kubeprep.local with a generated one-time password written only to
 * data/initial-admin-password (mode 0600; the password alone, so the file can be pasted; the log
 * names the email and the file, never the password). The generated password must be
 * changed at first sign-in, and the file is deleted then. There is no fixed default credential.
 */
export async function ensureInitialAdmin(
  database: Db,
  options: { dataDir: string; configured?: { email: string; password: string }; log?: (line: string) => void },
): Promise<"exists" | "created-from-env" | "created-generated"> {
  const log = options.log ?? console.log;
  if ((await database.user.count({ where: { role: "ADMIN" } })) > 0) return "exists";
  if (options.configured) {
    await createUser(database, {
      ...options.configured,
      email: options.configured.email.toLowerCase(),
      name: "Administrator",
      role: "ADMIN",
    });
    log(`Created the administrator ${options.configured.email} from ADMIN_EMAIL/ADMIN_PASSWORD.`);
    return "created-from-env";
  }
  const email = INITIAL_ADMIN_EMAIL;
  const password = crypto.randomBytes(18).toString("base64url");
  fs.mkdirSync(options.dataDir, { recursive: true, mode: 0o700 });
  const file = path.join(options.dataDir, INITIAL_ADMIN_FILE);
  fs.writeFileSync(file, `${password}\n`, { mode: 0o600 });
  fs.chmodSync(file, 0o600);
  const user = await createUser(database, { email, name: "Administrator", password, role: "ADMIN" });
  await database.user.update({ where: { id: user.id }, data: { mustChangePassword: true } });
  log(
    [
      "",
      `  First start: created the administrator ${email}.`,
      `  Its one-time password is the only line of ${file} (readable only by this user).`,
      "  Sign in with it; you will be asked to choose a new password, and the file is deleted then.",
      "",
    ].join("\n"),
  );
  return "created-generated";
}

export const INITIAL_ADMIN_EMAIL = "admin@kubeprep.local";

/** Deletes data/initial-admin-password once the generated administrator has a password of its own. */
export function forgetInitialAdminPassword(dataDir: string, email: string): void {
  if (email.toLowerCase() !== INITIAL_ADMIN_EMAIL) return;
  fs.rmSync(path.join(dataDir, INITIAL_ADMIN_FILE), { force: true });
}

export class WrongPasswordError extends DomainError {
  override name = "WrongPasswordError";
  constructor() {
    super(422, "The current password is not correct.");
  }
}

/**
 * Changes a password with the current one. Ends every session issued before (returns the new
 * session version, so the caller can keep its own session alive) and clears a pending
 * "change your password".
 */
export async function changePassword(database: Db, userId: string, currentPassword: string, newPassword: string): Promise<number> {
  const user = await database.user.findUnique({ where: { id: userId }, select: { passwordHash: true } });
  if (!user?.passwordHash || !(await verifyPassword(user.passwordHash, currentPassword))) throw new WrongPasswordError();
  const updated = await database.user.update({
    where: { id: userId },
    data: { passwordHash: await hashPassword(newPassword), mustChangePassword: false, sessionVersion: { increment: 1 } },
    select: { sessionVersion: true },
  });
  return updated.sessionVersion;
}

/** "Sign out of all devices": every session issued so far stops working on its next request. */
export async function endAllSessions(database: Db, userId: string): Promise<number> {
  const updated = await database.user.update({
    where: { id: userId },
    data: { sessionVersion: { increment: 1 } },
    select: { sessionVersion: true },
  });
  return updated.sessionVersion;
}

/**
 * An administrator resets a password: a generated one-time password (returned once, to show
 * the administrator), every session of the user ends, and the user must choose a new password
 * at the next sign-in. Undefined when there is no such user.
 */
export async function resetPassword(database: Db, userId: string): Promise<string | undefined> {
  const password = crypto.randomBytes(12).toString("base64url");
  const passwordHash = await hashPassword(password);
  const updated = await database.user.updateMany({
    where: { id: userId },
    data: { passwordHash, mustChangePassword: true, sessionVersion: { increment: 1 } },
  });
  return updated.count ? password : undefined;
}
