"use server";
import { z } from "zod";
import { guardedAction, UserFacingError } from "@/lib/auth/guard";
import { passwordChangeSchema } from "@/lib/accounts/schemas";
import { changePassword, endAllSessions, forgetInitialAdminPassword, WrongPasswordError } from "@/lib/accounts/users";
import { reissueSession } from "@/lib/auth/session";
import { db } from "@/lib/db/client";
import { getEnv } from "@/lib/env";

const change = guardedAction(
  "student",
  passwordChangeSchema,
  async (input, user) => {
    try {
      const sessionVersion = await changePassword(db(), user.id, input.currentPassword, input.newPassword);
      // Every other session has ended; this one carries on at the new version.
      await reissueSession(user, sessionVersion);
      forgetInitialAdminPassword(getEnv().dataDir, user.email);
    } catch (error) {
      if (error instanceof WrongPasswordError) throw new UserFacingError(error.message);
      throw error;
    }
  },
  { pendingPasswordChange: true },
);

export async function changePasswordAction(input: unknown) {
  return change(input);
}

const endAll = guardedAction(
  "student",
  z.object({}),
  async (_input, user) => {
    await endAllSessions(db(), user.id);
  },
  { pendingPasswordChange: true },
);

/** "Sign out of all devices": every session of this user ends, this one too. */
export async function signOutEverywhereAction(input: unknown) {
  return endAll(input);
}
