import "server-only";
import { cache } from "react";
import { getServerSession } from "next-auth";
import { db } from "../db/client";
import { publicUserSelect, type PublicUser } from "../accounts/users";
import { authOptions } from "./options";

/**
 * The signed-in user with their current role, or undefined. Read from the database on each
 * request (once per request thanks to React's cache), so role changes and deleted accounts
 * take effect immediately.
 */
export const getCurrentUser = cache(async (): Promise<PublicUser | undefined> => {
  const session = await getServerSession(authOptions());
  if (!session?.userId) return undefined;
  const user = await db().user.findUnique({ where: { id: session.userId }, select: publicUserSelect });
  return user ?? undefined;
});
