"use server";
import { revalidatePath } from "next/cache";
import { z } from "zod";
import { guardedAction } from "@/lib/auth/guard";
import { db } from "@/lib/db/client";
import { respondToInvitation } from "@/lib/cohorts/cohorts";

const respond = guardedAction("student", z.object({ invitationId: z.string().min(1).max(64), accept: z.boolean() }), async (input, user) => {
  const outcome = await respondToInvitation(db(), user, input.invitationId, input.accept);
  revalidatePath("/dashboard");
  return outcome;
});

export async function respondToInvitationAction(input: unknown) {
  return respond(input);
}
