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
