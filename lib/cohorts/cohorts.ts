import "server-only";
import crypto from "node:crypto";
import type { Db } from "../db/client";
import type { PublicUser } from "../accounts/users";
import { isUniqueViolation } from "../db/errors";
import { DomainError } from "../http/errors";
import { invalidateCohortReports } from "./report-cache";
import { deleteMembership, writeWithSummaries } from "../summaries/student-summary";
import { cohortSelect, requireCohort, visibleCohortsWhere, type CohortSummary } from "./access";
import type { z } from "zod";
import type { createCohortSchema } from "./schemas";

type Actor = Pick<PublicUser, "id" | "role">;

/** 12 url-safe characters (72 bits): unguessable, short enough to read out in a classroom. */
export function newJoinCode(): string {
  return crypto.randomBytes(9).toString("base64url");
}

export async function createCohort(database: Db, actor: Actor, input: z.output<typeof createCohortSchema>): Promise<CohortSummary> {
  if (actor.role !== "INSTRUCTOR" && actor.role !== "ADMIN") throw new DomainError(403, "Only instructors create cohorts.");
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
    throw new DomainError(
      409,
      existing.role === "INSTRUCTOR" ? "This person is an instructor of the cohort." : "This person is a student of the cohort.",
    );
  }
  try {
    // joinedAt is set here, not by a column default: it is the consent date every report filters on.
    // With the new membership's (empty) report summary, in one transaction (lib/summaries).
    await writeWithSummaries(database, userId, (tx) => tx.cohortMember.create({ data: { cohortId, userId, role, joinedAt: new Date() } }));
    invalidateCohortReports(cohortId);
    return "added";
  } catch (error) {
    if (isUniqueViolation(error)) return "already";
    throw error;
  }
}

/** How long an invitation waits for the person to accept it. */
export const INVITATION_DAYS = 30;
/** Open invitations per cohort (a bound on what one instructor can make the server store). */
export const MAX_OPEN_INVITATIONS = 2000;

/**
 * What a cohort's instructors see of a student, shown where the student decides (the join page
 * and an invitation on the dashboard). Keep in step with lib/cohorts/visibility.ts.
 */
export const WHAT_INSTRUCTORS_SEE = [
  "your name and email address",
  "your quiz answers and their scores",
  "the lessons you complete, and the time you spend on lessons you first open after joining",
  "your scenario attempts: every command you type, the hints you reveal and the checks you pass",
  "the scores of the mock exams the cohort sets you (sittings started in its window)",
  "how much you use spaced review: reviews done, cards due and how many you recall",
  "when you were last active",
] as const;
export const ONLY_AFTER_JOINING =
  "Only what you do from the moment you join: nothing you did before joining, and nothing from other cohorts.";

/**
 * "Add a student by email" invites; it never enrols. The person sees the invitation on their
 * dashboard once signed in with that email (also if they sign up with it later) and accepts or
 * declines it; until then the instructor sees only "invited" and the email they typed. The answer
 * is the same whether an account uses the email or not, and whether the person is already a
 * member, so it reveals nothing about who has an account.
 */
export async function inviteStudentByEmail(
  database: Db,
  actor: Actor,
  cohortId: string,
  email: string,
  now = new Date(),
): Promise<{ email: string; expiresAt: Date }> {
  await requireCohort(database, actor, cohortId);
  const address = email.trim().toLowerCase();
  const expiresAt = new Date(now.getTime() + INVITATION_DAYS * 86_400_000);
  await database.cohortInvitation.deleteMany({ where: { cohortId, expiresAt: { lte: now } } });
  const member = await database.cohortMember.findFirst({ where: { cohortId, user: { email: address } }, select: { id: true } });
  if (member) return { email: address, expiresAt };
  const existing = await database.cohortInvitation.findUnique({
    where: { cohortId_email: { cohortId, email: address } },
    select: { id: true, declinedAt: true },
  });
  // A declined invitation is not renewed: the person said no (it lapses at its expiry).
  if (existing?.declinedAt) return { email: address, expiresAt };
  if (!existing && (await database.cohortInvitation.count({ where: { cohortId } })) >= MAX_OPEN_INVITATIONS) {
    throw new DomainError(409, `This cohort has ${MAX_OPEN_INVITATIONS} open invitations; revoke some or send the join link instead.`);
  }
  try {
    await database.cohortInvitation.upsert({
      where: { cohortId_email: { cohortId, email: address } },
      create: { cohortId, email: address, createdAt: now, expiresAt },
      update: { createdAt: now, expiresAt },
    });
  } catch (error) {
    if (!isUniqueViolation(error)) throw error; // the same invitation sent twice at once
  }
  return { email: address, expiresAt };
}

export interface InvitationRow {
  id: string;
  email: string;
  createdAt: Date;
  expiresAt: Date;
}

/** The cohort's open invitations as its instructors see them: the email they typed, nothing else. */
export async function listInvitations(
  database: Db,
  actor: Actor,
  cohortId: string,
  now = new Date(),
  take = 200,
): Promise<InvitationRow[]> {
  await requireCohort(database, actor, cohortId);
  return database.cohortInvitation.findMany({
    where: { cohortId, expiresAt: { gt: now } },
    select: { id: true, email: true, createdAt: true, expiresAt: true },
    orderBy: [{ createdAt: "desc" }, { id: "asc" }],
    take,
  });
}

/** Takes an invitation back (pending or declined); the person no longer sees it. */
export async function revokeInvitation(database: Db, actor: Actor, cohortId: string, invitationId: string): Promise<void> {
  await requireCohort(database, actor, cohortId);
  const { count } = await database.cohortInvitation.deleteMany({ where: { id: invitationId, cohortId } });
  if (count === 0) throw new DomainError(404, "No such invitation.");
}

export interface PendingInvitation {
  id: string;
  cohort: { id: string; name: string; description: string };
  instructors: string[];
  expiresAt: Date;
}

/** Invitations waiting for this person (matched by their account's email), for the dashboard. */
export async function pendingInvitations(database: Db, user: Pick<PublicUser, "email">, now = new Date()): Promise<PendingInvitation[]> {
  const rows = await database.cohortInvitation.findMany({
    where: { email: user.email.toLowerCase(), declinedAt: null, expiresAt: { gt: now } },
    select: {
      id: true,
      expiresAt: true,
      cohort: {
        select: {
          id: true,
          name: true,
          description: true,
          members: { where: { role: "INSTRUCTOR" }, select: { user: { select: { name: true } } }, orderBy: { joinedAt: "asc" }, take: 10 },
        },
      },
    },
    orderBy: { createdAt: "desc" },
    take: 50,
  });
  return rows.map((row) => ({
    id: row.id,
    expiresAt: row.expiresAt,
    cohort: { id: row.cohort.id, name: row.cohort.name, description: row.cohort.description },
    instructors: row.cohort.members.map((m) => m.user.name),
  }));
}

/**
 * The invited person answers. Accepting makes them a student from now on (what they did before
 * stays out of the instructors' sight); declining hides the invitation from them. Anyone else,
 * or an expired or declined invitation: 404.
 */
export async function respondToInvitation(
  database: Db,
  user: Pick<PublicUser, "id" | "email">,
  invitationId: string,
  accept: boolean,
  now = new Date(),
): Promise<{ cohortId: string; name: string; result: "added" | "already" | "declined" }> {
  const invitation = await database.cohortInvitation.findFirst({
    where: { id: invitationId, email: user.email.toLowerCase(), declinedAt: null, expiresAt: { gt: now } },
    select: { id: true, cohortId: true, cohort: { select: { name: true } } },
  });
  if (!invitation) throw new DomainError(404, "This invitation is no longer open.");
  if (!accept) {
    await database.cohortInvitation.update({ where: { id: invitation.id }, data: { declinedAt: now } });
    return { cohortId: invitation.cohortId, name: invitation.cohort.name, result: "declined" };
  }
  const existing = await database.cohortMember.findUnique({
    where: { cohortId_userId: { cohortId: invitation.cohortId, userId: user.id } },
    select: { id: true },
  });
  const result = existing ? "already" : await addMember(database, invitation.cohortId, user.id, "STUDENT");
  await database.cohortInvitation.deleteMany({ where: { id: invitation.id } });
  return { cohortId: invitation.cohortId, name: invitation.cohort.name, result };
}

/**
 * Adds a co-instructor; the account must have the INSTRUCTOR (or ADMIN) role. No account and a
 * student's account get the same answer, so an instructor cannot probe which emails study here.
 */
export async function addInstructorByEmail(database: Db, actor: Actor, cohortId: string, email: string) {
  await requireCohort(database, actor, cohortId);
  const user = await database.user.findUnique({
    where: { email: email.toLowerCase() },
    select: { id: true, name: true, email: true, role: true },
  });
  if (!user || (user.role !== "INSTRUCTOR" && user.role !== "ADMIN")) {
    throw new DomainError(
      422,
      "No instructor account uses this email. An administrator can create one, or give an existing account the instructor role.",
    );
  }
  return { user: { id: user.id, name: user.name, email: user.email }, result: await addMember(database, cohortId, user.id, "INSTRUCTOR") };
}

/** Removes a student or a co-instructor; the last instructor stays so the cohort is never orphaned. */
export async function removeMember(database: Db, actor: Actor, cohortId: string, userId: string): Promise<void> {
  await requireCohort(database, actor, cohortId);
  const member = await database.cohortMember.findUnique({
    where: { cohortId_userId: { cohortId, userId } },
    select: { id: true, role: true },
  });
  if (!member) throw new DomainError(404, "This person is not a member of the cohort.");
  if (member.role === "INSTRUCTOR" && (await database.cohortMember.count({ where: { cohortId, role: "INSTRUCTOR" } })) <= 1) {
    throw new DomainError(409, "A cohort keeps at least one instructor.");
  }
  await deleteMembership(database, { id: member.id, userId });
  invalidateCohortReports(cohortId);
}

/** The cohort a join code opens (name only: anyone signed in with the link may see it). */
export async function findCohortByCode(database: Db, code: string): Promise<{ id: string; name: string; description: string } | undefined> {
  const cohort = await database.cohort.findUnique({ where: { joinCode: code }, select: { id: true, name: true, description: true } });
  return cohort ?? undefined;
}

/** A signed-in user joins with a code: as a student (instructors of the cohort stay instructors). */
export async function joinCohort(
  database: Db,
  user: Actor & Pick<PublicUser, "email">,
  code: string,
): Promise<{ cohortId: string; name: string; result: "added" | "already" }> {
  const cohort = await findCohortByCode(database, code);
  if (!cohort) throw new DomainError(404, "This join link is not valid. Ask your instructor for a new one.");
  const existing = await database.cohortMember.findUnique({
    where: { cohortId_userId: { cohortId: cohort.id, userId: user.id } },
    select: { role: true },
  });
  // Joining with the link also answers an invitation to this cohort.
  await database.cohortInvitation.deleteMany({ where: { cohortId: cohort.id, email: user.email.toLowerCase() } });
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

/** The students who joined most recently (the members page; the overview lists them all). */
export async function recentStudents(database: Db, actor: Actor, cohortId: string, take = 50): Promise<CohortMemberRow[]> {
  await requireCohort(database, actor, cohortId);
  const rows = await database.cohortMember.findMany({
    where: { cohortId, role: "STUDENT" },
    select: { role: true, joinedAt: true, user: { select: { id: true, name: true, email: true } } },
    orderBy: [{ joinedAt: "desc" }, { userId: "asc" }],
    take,
  });
  return rows.map((row) => ({ userId: row.user.id, name: row.user.name, email: row.user.email, role: row.role, joinedAt: row.joinedAt }));
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
