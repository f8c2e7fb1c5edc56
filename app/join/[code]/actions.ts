"use server";
import { guardedAction } from "@/lib/auth/guard";
import { db } from "@/lib/db/client";
import { joinCohort } from "@/lib/cohorts/cohorts";
import { joinSchema } from "@/lib/cohorts/schemas";

const join = guardedAction("student", joinSchema, async (input, user) => joinCohort(db(), user, input.code));

export async function joinCohortAction(input: unknown) {
  return join(input);
}
