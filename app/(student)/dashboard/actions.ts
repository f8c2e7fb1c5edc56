"use server";
import { z } from "zod";
import { guardedAction } from "@/lib/auth/guard";
import { db } from "@/lib/db/client";
import { respondToInvitation } from "@/lib/cohorts/cohorts";

const respond = guardedAction(
  "student",
  z.object({ invitationId: z.string().min(1).max(64), accept: z.boolean() }),
  async (input, user) => {
    // No revalidatePath: the card keeps showing the answer; the dashboard is rendered per request.
    return respondToInvitation(db(), user, input.invitationId, input.accept);
  },
);

export async function respondToInvitationAction(input: unknown) {
  return respond(input);
}
