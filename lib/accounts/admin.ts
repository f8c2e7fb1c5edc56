import "server-only";
import { db } from "../db/client";
import { changeRole, listUsers, resetPassword, type PublicUser } from "./users";
import type { RoleName } from "./schemas";
import { DomainError } from "../http/errors";

/** Role change as an administrator does it; refuses to demote oneself or the last admin. */
export async function setUserRole(actor: PublicUser, userId: string, role: RoleName): Promise<PublicUser> {
  if (actor.id === userId && role !== "ADMIN") {
    throw new DomainError(409, "You cannot remove your own administrator role; ask another administrator.");
  }
  const updated = await changeRole(db(), userId, role);
  if (!updated) throw new DomainError(404, "No such user.");
  return updated;
}

/** An administrator resets another user's password (their own they change under Account). */
export async function resetUserPassword(actor: PublicUser, userId: string): Promise<string> {
  if (actor.id === userId) throw new DomainError(409, "Change your own password under Account.");
  const password = await resetPassword(db(), userId);
  if (!password) throw new DomainError(404, "No such user.");
  return password;
}

export function searchUsers(q: string, page: number) {
  return listUsers(db(), { q, page });
}
