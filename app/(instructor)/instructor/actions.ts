"use server";
import { revalidatePath } from "next/cache";
import { guardedAction } from "@/lib/auth/guard";
import { db } from "@/lib/db/client";
import {
  addByEmailSchema,
  assignExamSchema,
  cohortIdSchema,
  createCohortSchema,
  removeAssignmentSchema,
  removeMemberSchema,
  updateAssignmentSchema,
} from "@/lib/cohorts/schemas";
import { assignExam, removeAssignment, updateAssignmentWindow } from "@/lib/cohorts/exam-assignments";
import {
  addInstructorByEmail,
  createCohort,
  INVITATION_DAYS,
  inviteStudentByEmail,
  removeMember,
  revokeInvitation,
  rotateJoinCode,
} from "@/lib/cohorts/cohorts";
import { z } from "zod";

// Every action: the instructor area (guardedAction) and then the cohort rule inside lib/cohorts.

const create = guardedAction("instructor", createCohortSchema, async (input, user) => {
  const cohort = await createCohort(db(), user, input);
  revalidatePath("/instructor");
  return { id: cohort.id };
});

// The same answer whether or not an account uses the email (nothing to enumerate).
const addStudent = guardedAction("instructor", addByEmailSchema, async (input, user) => {
  const { email } = await inviteStudentByEmail(db(), user, input.cohortId, input.email);
  revalidatePath(`/instructor/cohorts/${input.cohortId}/members`);
  return {
    message: `Invited ${email}. They see the invitation on their dashboard when signed in with this email (also if they sign up later) and decide whether to join; it expires in ${INVITATION_DAYS} days.`,
  };
});

const revoke = guardedAction(
  "instructor",
  z.object({ cohortId: cohortIdSchema, invitationId: z.string().min(1).max(64) }),
  async (input, user) => {
    await revokeInvitation(db(), user, input.cohortId, input.invitationId);
    revalidatePath(`/instructor/cohorts/${input.cohortId}/members`);
    return { message: "Invitation revoked." };
  },
);

const addInstructor = guardedAction("instructor", addByEmailSchema, async (input, user) => {
  const { user: added, result } = await addInstructorByEmail(db(), user, input.cohortId, input.email);
  revalidatePath(`/instructor/cohorts/${input.cohortId}/members`);
  return {
    message: result === "added" ? `${added.name} is now a co-instructor.` : `${added.name} is already an instructor of this cohort.`,
  };
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

/** Every page that shows a cohort's exam assignments (the students' dashboards read them per request). */
function revalidateExams(cohortId: string) {
  revalidatePath(`/instructor/cohorts/${cohortId}`);
  revalidatePath(`/instructor/cohorts/${cohortId}/exams`);
  revalidatePath(`/instructor/cohorts/${cohortId}/items`);
}

const assign = guardedAction("instructor", assignExamSchema, async (input, user) => {
  const assignment = await assignExam(db(), user, input);
  revalidateExams(input.cohortId);
  return { message: `Assigned “${assignment.title}”.` };
});

const retime = guardedAction("instructor", updateAssignmentSchema, async (input, user) => {
  const assignment = await updateAssignmentWindow(db(), user, input);
  revalidateExams(input.cohortId);
  return { message: `Window of “${assignment.title}” saved.` };
});

const unassign = guardedAction("instructor", removeAssignmentSchema, async (input, user) => {
  await removeAssignment(db(), user, input);
  revalidateExams(input.cohortId);
  return { message: "Assignment removed; the students' sittings are kept." };
});

export async function assignExamAction(input: unknown) {
  return assign(input);
}
export async function updateAssignmentAction(input: unknown) {
  return retime(input);
}
export async function removeAssignmentAction(input: unknown) {
  return unassign(input);
}
export async function createCohortAction(input: unknown) {
  return create(input);
}
export async function addStudentAction(input: unknown) {
  return addStudent(input);
}
export async function addInstructorAction(input: unknown) {
  return addInstructor(input);
}
export async function revokeInvitationAction(input: unknown) {
  return revoke(input);
}
export async function removeMemberAction(input: unknown) {
  return remove(input);
}
export async function rotateJoinCodeAction(input: unknown) {
  return rotate(input);
}
