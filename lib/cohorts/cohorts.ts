import "server-only";
import crypto from "node:crypto";
import type { Db } from "../db/client";
import type { PublicUser } from "../accounts/users";
import { isUniqueViolation } from "../db/errors";
import { HttpError } from "../http/errors";
import { invalidateCohortReports } from "./report-cache";
import { cohortSelect, requireCohort, visibleCohortsWhere, type CohortSummary } from "./access";
import type { z } from "zod";
import type { createCohortSchema } from "./schemas";

type Actor = Pick<PublicUser, "id" | "role">;

/** 12 url-safe characters (72 bits): unguessable, short enough to read out in a classroom. */
export function newJoinCode(): string {
  return crypto.randomBytes(9).toString("base64url");
}

export async function createCohort(database: Db, actor: Actor, input: z.output<typeof createCohortSchema>): Promise<CohortSummary> {
  if (actor.role !== "INSTRUCTOR" && actor.role !== "ADMIN") throw new HttpError(403, "Only instructors create cohorts.");
  for (let tries = 0; ; tries++) {
    try {
      return await database.cohort.create({
        data: { ...input, joinCode: newJoinCode(), members: { create: { userId: actor.id, role: "INSTRUCTOR" } } },
        select: cohortSelect,
      });
    } catch (error) {
      if (!isUniqueViolation(error) || tries >= 3) throw error;
    }
  }
}

export interface CohortListItem extends CohortSummary {
  students: number;
  instructors: number;
}

export async function listCohorts(database: Db, actor: Actor): Promise<CohortListItem[]> {
  const cohorts = await database.cohort.findMany({
    where: visibleCohortsWhere(actor),
    select: cohortSelect,
    orderBy: [{ createdAt: "desc" }, { id: "asc" }],
  });
  if (cohorts.length === 0) return [];
  const counts = await database.cohortMember.groupBy({
    by: ["cohortId", "role"],
    where: { cohortId: { in: cohorts.map((c) => c.id) } },
    _count: { _all: true },
  });
  const count = (cohortId: string, role: "STUDENT" | "INSTRUCTOR") =>
    counts.find((row) => row.cohortId === cohortId && row.role === role)?._count._all ?? 0;
  return cohorts.map((cohort) => ({ ...cohort, students: count(cohort.id, "STUDENT"), instructors: count(cohort.id, "INSTRUCTOR") }));
}

export interface CohortMemberRow {
  userId: string;
  name: string;
  email: string;
  role: "STUDENT" | "INSTRUCTOR";
  joinedAt: Date;
}

export async function listInstructors(database: Db, actor: Actor, cohortId: string): Promise<CohortMemberRow[]> {
  await requireCohort(database, actor, cohortId);
  const rows = await database.cohortMember.findMany({
    where: { cohortId, role: "INSTRUCTOR" },
    select: { role: true, joinedAt: true, user: { select: { id: true, name: true, email: true } } },
    orderBy: { joinedAt: "asc" },
  });
  return rows.map((row) => ({ userId: row.user.id, name: row.user.name, email: row.user.email, role: row.role, joinedAt: row.joinedAt }));
}

async function addMember(database: Db, cohortId: string, userId: string, role: "STUDENT" | "INSTRUCTOR"): Promise<"added" | "already"> {
  const existing = await database.cohortMember.findUnique({ where: { cohortId_userId: { cohortId, userId } }, select: { role: true } });
  if (existing) {
    if (existing.role === role) return "already";
    throw new HttpError(409, existing.role === "INSTRUCTOR" ? "This person is an instructor of the cohort." : "This person is a student of the cohort.");
  }
  try {
    await database.cohortMember.create({ data: { cohortId, userId, role } });
    invalidateCohortReports(cohortId);
    return "added";
  } catch (error) {
    if (isUniqueViolation(error)) return "already";
    throw error;
  }
}

/** Adds an existing account as a student; the person must have signed up first. */
export async function addStudentByEmail(database: Db, actor: Actor, cohortId: string, email: string) {
  await requireCohort(database, actor, cohortId);
  const user = await database.user.findUnique({ where: { email: email.toLowerCase() }, select: { id: true, name: true, email: true } });
  if (!user) throw new HttpError(404, "No account uses this email. Ask the student to sign up, or send them the join link.");
  return { user, result: await addMember(database, cohortId, user.id, "STUDENT") };
}

/** Adds a co-instructor; the account must have the INSTRUCTOR (or ADMIN) role. */
export async function addInstructorByEmail(database: Db, actor: Actor, cohortId: string, email: string) {
  await requireCohort(database, actor, cohortId);
  const user = await database.user.findUnique({ where: { email: email.toLowerCase() }, select: { id: true, name: true, email: true, role: true } });
  if (!user) throw new HttpError(404, "No account uses this email.");
  if (user.role !== "INSTRUCTOR" && user.role !== "ADMIN") {
    throw new HttpError(422, "This account is not an instructor. An administrator can give it the instructor role first.");
  }
  return { user: { id: user.id, name: user.name, email: user.email }, result: await addMember(database, cohortId, user.id, "INSTRUCTOR") };
}

/** Removes a student or a co-instructor; the last instructor stays so the cohort is never orphaned. */
export async function removeMember(database: Db, actor: Actor, cohortId: string, userId: string): Promise<void> {
  await requireCohort(database, actor, cohortId);
  const member = await database.cohortMember.findUnique({ where: { cohortId_userId: { cohortId, userId } }, select: { id: true, role: true } });
  if (!member) throw new HttpError(404, "This person is not a member of the cohort.");
  if (member.role === "INSTRUCTOR" && (await database.cohortMember.count({ where: { cohortId, role: "INSTRUCTOR" } })) <= 1) {
    throw new HttpError(409, "A cohort keeps at least one instructor.");
  }
  await database.cohortMember.delete({ where: { id: member.id } });
  invalidateCohortReports(cohortId);
}

/** The cohort a join code opens (name only: anyone signed in with the link may see it). */
export async function findCohortByCode(database: Db, code: string): Promise<{ id: string; name: string; description: string } | undefined> {
  const cohort = await database.cohort.findUnique({ where: { joinCode: code }, select: { id: true, name: true, description: true } });
  return cohort ?? undefined;
}

/** A signed-in user joins with a code: as a student (instructors of the cohort stay instructors). */
export async function joinCohort(database: Db, user: Actor, code: string): Promise<{ cohortId: string; name: string; result: "added" | "already" }> {
  const cohort = await findCohortByCode(database, code);
  if (!cohort) throw new HttpError(404, "This join link is not valid. Ask your instructor for a new one.");
  const existing = await database.cohortMember.findUnique({ where: { cohortId_userId: { cohortId: cohort.id, userId: user.id } }, select: { role: true } });
  if (existing) return { cohortId: cohort.id, name: cohort.name, result: "already" };
  return { cohortId: cohort.id, name: cohort.name, result: await addMember(database, cohort.id, user.id, "STUDENT") };
}

/** A new join code; the old link stops working. */
export async function rotateJoinCode(database: Db, actor: Actor, cohortId: string): Promise<string> {
  await requireCohort(database, actor, cohortId);
  const joinCode = newJoinCode();
  await database.cohort.update({ where: { id: cohortId }, data: { joinCode } });
  return joinCode;
}

/** The cohorts a student belongs to (shown on the join page after joining). */
export async function cohortsOfStudent(database: Db, userId: string) {
  return database.cohortMember.findMany({
    where: { userId, role: "STUDENT" },
    select: { joinedAt: true, cohort: { select: { id: true, name: true } } },
    orderBy: { joinedAt: "desc" },
  });
}

/** The members page: the cohort, its instructors and how many students it has. */
export async function cohortMembers(database: Db, actor: Actor, cohortId: string) {
  const cohort = await requireCohort(database, actor, cohortId);
  const [instructors, students] = await Promise.all([
    listInstructors(database, actor, cohort.id),
    database.cohortMember.count({ where: { cohortId: cohort.id, role: "STUDENT" } }),
  ]);
  return { cohort, instructors, students };
}
