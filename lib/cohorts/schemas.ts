import "server-only";
import { z } from "zod";

const optionalDate = z
  .union([z.literal(""), z.iso.date()])
  .optional()
  .transform((value) => (value ? new Date(`${value}T00:00:00Z`) : null));

export const createCohortSchema = z
  .object({
    name: z.string().trim().min(2, "Give the cohort a name of at least 2 characters.").max(120),
    description: z.string().trim().max(1000).default(""),
    startsAt: optionalDate,
    endsAt: optionalDate,
  })
  .refine((input) => !input.startsAt || !input.endsAt || input.startsAt <= input.endsAt, {
    path: ["endsAt"],
    message: "The end date must not be before the start date.",
  });

export const cohortIdSchema = z.string().min(1).max(64);

export const addByEmailSchema = z.object({
  cohortId: cohortIdSchema,
  email: z.string().trim().toLowerCase().max(254, "That email address is too long.").pipe(z.email("Enter an email address.")),
});

export const removeMemberSchema = z.object({ cohortId: cohortIdSchema, userId: z.string().min(1).max(64) });

export const joinCodeSchema = z.string().regex(/^[A-Za-z0-9_-]{6,64}$/);

export const joinSchema = z.object({ code: joinCodeSchema });

export const OVERVIEW_SORTS = ["name", "email", "lastActive", "lessons", "quizScore", "scenarios", "time", "hints"] as const;
export type OverviewSort = (typeof OVERVIEW_SORTS)[number];
export const STUDENT_STATUSES = ["not-started", "active", "inactive", "completed"] as const;
export type StudentStatus = (typeof STUDENT_STATUSES)[number];

/** The overview's searchParams: anything unknown falls back to the default instead of failing. */
export const overviewQuerySchema = z.object({
  q: z.string().trim().max(100).catch("").default(""),
  status: z.enum(STUDENT_STATUSES).optional().catch(undefined),
  sort: z.enum(OVERVIEW_SORTS).catch("name").default("name"),
  dir: z.enum(["asc", "desc"]).catch("asc").default("asc"),
  page: z.coerce.number().int().min(1).max(100_000).catch(1).default(1),
});
export type OverviewQuery = z.output<typeof overviewQuerySchema>;

/**
 * An exam window's end of either side: `YYYY-MM-DDTHH:mm` as a datetime-local field sends it, read
 * as UTC (the forms say so), or empty for none; between 2000 and 2100, so a mistyped year is caught.
 */
const windowTime = z
  .union([z.literal(""), z.iso.datetime({ local: true, message: "Enter a date and time (UTC)." })])
  .optional()
  .transform((value) => (value ? new Date(`${value}Z`) : null))
  .refine((date) => date === null || (date.getUTCFullYear() >= 2000 && date.getUTCFullYear() <= 2100), {
    message: "Enter a date between the years 2000 and 2100.",
  });

const assignmentWindow = { opensAt: windowTime, closesAt: windowTime };
const closesAfterOpens = <T extends { opensAt: Date | null; closesAt: Date | null }>(input: T) =>
  !input.opensAt || !input.closesAt || input.closesAt > input.opensAt;
const CLOSES_AFTER_OPENS = { path: ["closesAt"], message: "The window must close after it opens." };

export const examIdSchema = z
  .string()
  .regex(/^[a-z0-9]+(?:-[a-z0-9]+)*$/, "Choose an exam.")
  .max(100);
export const assignmentIdSchema = z.string().min(1).max(64);

export const assignExamSchema = z
  .object({ cohortId: cohortIdSchema, examId: examIdSchema, ...assignmentWindow })
  .refine(closesAfterOpens, CLOSES_AFTER_OPENS);
export const updateAssignmentSchema = z
  .object({ cohortId: cohortIdSchema, assignmentId: assignmentIdSchema, ...assignmentWindow })
  .refine(closesAfterOpens, CLOSES_AFTER_OPENS);
export const removeAssignmentSchema = z.object({ cohortId: cohortIdSchema, assignmentId: assignmentIdSchema });
