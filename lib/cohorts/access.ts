import "server-only";
import type { Db } from "../db/client";
import type { PublicUser } from "../accounts/users";
import { DomainError } from "../http/errors";

/**
 * The one rule for who may see a cohort's instructor pages, routes and actions:
 * administrators see every cohort, instructors the cohorts where they are an INSTRUCTOR member,
 * everyone else none. A cohort the actor may not see answers 404, never 403, so ids cannot be probed.
 */
export function visibleCohortsWhere(actor: Pick<PublicUser, "id" | "role">) {
  if (actor.role === "ADMIN") return {};
  if (actor.role === "INSTRUCTOR") return { members: { some: { userId: actor.id, role: "INSTRUCTOR" as const } } };
  return { id: { in: [] as string[] } };
}

export const cohortSelect = {
  id: true,
  name: true,
  description: true,
  startsAt: true,
  endsAt: true,
  joinCode: true,
  createdAt: true,
} as const;

export interface CohortSummary {
  id: string;
  name: string;
  description: string;
  startsAt: Date | null;
  endsAt: Date | null;
  joinCode: string;
  createdAt: Date;
}

export const COHORT_NOT_FOUND = "No such cohort.";

/** The cohort when `actor` may manage it; otherwise an DomainError 404. */
export async function requireCohort(database: Db, actor: Pick<PublicUser, "id" | "role">, cohortId: string): Promise<CohortSummary> {
  if (typeof cohortId !== "string" || cohortId.length === 0 || cohortId.length > 64) throw new DomainError(404, COHORT_NOT_FOUND);
  const cohort = await database.cohort.findFirst({ where: { id: cohortId, ...visibleCohortsWhere(actor) }, select: cohortSelect });
  if (!cohort) throw new DomainError(404, COHORT_NOT_FOUND);
  return cohort;
}

/** A student of this cohort (the drill-down page); 404 for anyone else, including its instructors. */
export async function requireCohortStudent(
  database: Db,
  cohortId: string,
  userId: string,
): Promise<{ id: string; name: string; email: string; joinedAt: Date }> {
  const member = await database.cohortMember.findFirst({
    where: { cohortId, userId, role: "STUDENT" },
    select: { joinedAt: true, user: { select: { id: true, name: true, email: true } } },
  });
  if (!member) throw new DomainError(404, "No such student in this cohort.");
  return { ...member.user, joinedAt: member.joinedAt };
}
