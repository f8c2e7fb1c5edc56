import "server-only";
import fs from "node:fs";
import path from "node:path";
import crypto from "node:crypto";
import type { Db } from "../db/client";
import { isUniqueViolation } from "../db/errors";
import { hashPassword, verifyPassword } from "../auth/password";
import type { RoleName } from "./schemas";

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

export class EmailTakenError extends Error {
  override name = "EmailTakenError";
  constructor() {
    super("An account with this email already exists. Sign in instead.");
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
  const where = q
    ? { OR: [{ email: { contains: q.toLowerCase() } }, { name: { contains: q } }] }
    : {};
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

export class LastAdminError extends Error {
  override name = "LastAdminError";
  constructor() {
    super("This is the last administrator; make someone else an administrator first.");
  }
}

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
    return tx.user.update({ where: { id: userId }, data: { role }, select: publicUserSelect });
  });
}

export const INITIAL_ADMIN_FILE = "initial-admin-password";

/**
 * On an empty database, creates the first administrator: from ADMIN_EMAIL/ADMIN_PASSWORD when
 * set, otherwise admin@localhost with a generated one-time password that is printed once and
 * written to data/initial-admin-password (mode 0600). There is no fixed default credential.
 */
export async function ensureInitialAdmin(
  database: Db,
  options: { dataDir: string; configured?: { email: string; password: string }; log?: (line: string) => void },
): Promise<"exists" | "created-from-env" | "created-generated"> {
  const log = options.log ?? console.log;
  if ((await database.user.count({ where: { role: "ADMIN" } })) > 0) return "exists";
  if (options.configured) {
    await createUser(database, { ...options.configured, email: options.configured.email.toLowerCase(), name: "Administrator", role: "ADMIN" });
    log(`Created the administrator ${options.configured.email} from ADMIN_EMAIL/ADMIN_PASSWORD.`);
    return "created-from-env";
  }
  const email = "admin@kubeprep.local";
  const password = crypto.randomBytes(18).toString("base64url");
  await createUser(database, { email, name: "Administrator", password, role: "ADMIN" });
  fs.mkdirSync(options.dataDir, { recursive: true });
  const file = path.join(options.dataDir, INITIAL_ADMIN_FILE);
  fs.writeFileSync(file, `${email}\n${password}\n`, { mode: 0o600 });
  fs.chmodSync(file, 0o600);
  log(
    [
      "",
      "  First start: created the administrator account",
      `    email:    ${email}`,
      `    password: ${password}`,
      `  (also saved to ${file}; sign in and change it, then delete that file)`,
      "",
    ].join("\n"),
  );
  return "created-generated";
}

export class WrongPasswordError extends Error {
  override name = "WrongPasswordError";
  constructor() {
    super("The current password is not correct.");
  }
}

export async function changePassword(database: Db, userId: string, currentPassword: string, newPassword: string): Promise<void> {
  const user = await database.user.findUnique({ where: { id: userId }, select: { passwordHash: true } });
  if (!user?.passwordHash || !(await verifyPassword(user.passwordHash, currentPassword))) throw new WrongPasswordError();
  await database.user.update({ where: { id: userId }, data: { passwordHash: await hashPassword(newPassword) } });
}
