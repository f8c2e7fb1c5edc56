"use server";
import { guardedAction, UserFacingError } from "@/lib/auth/guard";
import { passwordChangeSchema } from "@/lib/accounts/schemas";
import { changePassword, WrongPasswordError } from "@/lib/accounts/users";
import { db } from "@/lib/db/client";

const change = guardedAction("student", passwordChangeSchema, async (input, user) => {
  try {
    await changePassword(db(), user.id, input.currentPassword, input.newPassword);
  } catch (error) {
    if (error instanceof WrongPasswordError) throw new UserFacingError(error.message);
    throw error;
  }
});

export async function changePasswordAction(input: unknown) {
  return change(input);
}
