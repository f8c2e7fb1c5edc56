"use server";
import { revalidatePath } from "next/cache";
import { guardedAction } from "@/lib/auth/guard";
import { db } from "@/lib/db/client";
import { addByEmailSchema, cohortIdSchema, createCohortSchema, removeMemberSchema } from "@/lib/cohorts/schemas";
import { addInstructorByEmail, addStudentByEmail, createCohort, removeMember, rotateJoinCode } from "@/lib/cohorts/cohorts";
import { z } from "zod";

// Every action: the instructor area (guardedAction) and then the cohort rule inside lib/cohorts.

const create = guardedAction("instructor", createCohortSchema, async (input, user) => {
  const cohort = await createCohort(db(), user, input);
  revalidatePath("/instructor");
  return { id: cohort.id };
});

const addStudent = guardedAction("instructor", addByEmailSchema, async (input, user) => {
  const { user: added, result } = await addStudentByEmail(db(), user, input.cohortId, input.email);
  revalidatePath(`/instructor/cohorts/${input.cohortId}`);
  return { message: result === "added" ? `${added.name} joined the cohort.` : `${added.name} is already a student of this cohort.` };
});

const addInstructor = guardedAction("instructor", addByEmailSchema, async (input, user) => {
  const { user: added, result } = await addInstructorByEmail(db(), user, input.cohortId, input.email);
  revalidatePath(`/instructor/cohorts/${input.cohortId}/members`);
  return { message: result === "added" ? `${added.name} is now a co-instructor.` : `${added.name} is already an instructor of this cohort.` };
});

const remove = guardedAction("instructor", removeMemberSchema, async (input, user) => {
  await removeMember(db(), user, input.cohortId, input.userId);
  revalidatePath(`/instructor/cohorts/${input.cohortId}`);
  revalidatePath(`/instructor/cohorts/${input.cohortId}/members`);
  return { message: "Removed from the cohort." };
});

const rotate = guardedAction("instructor", z.object({ cohortId: cohortIdSchema }), async (input, user) => {
  const joinCode = await rotateJoinCode(db(), user, input.cohortId);
  revalidatePath(`/instructor/cohorts/${input.cohortId}/members`);
  return { joinCode };
});

export async function createCohortAction(input: unknown) {
  return create(input);
}
export async function addStudentAction(input: unknown) {
  return addStudent(input);
}
export async function addInstructorAction(input: unknown) {
  return addInstructor(input);
}
export async function removeMemberAction(input: unknown) {
  return remove(input);
}
export async function rotateJoinCodeAction(input: unknown) {
  return rotate(input);
}
