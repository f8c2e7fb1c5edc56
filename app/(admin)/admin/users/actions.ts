"use server";
import { revalidatePath } from "next/cache";
import { guardedAction } from "@/lib/auth/guard";
import { z } from "zod";
import { roleChangeSchema } from "@/lib/accounts/schemas";
import { resetUserPassword, setUserRole } from "@/lib/accounts/admin";

const change = guardedAction("admin", roleChangeSchema, async (input, actor) => {
  const user = await setUserRole(actor, input.userId, input.role);
  revalidatePath("/admin/users");
  return { id: user.id, role: user.role };
});

export async function changeRoleAction(input: unknown) {
  return change(input);
}

const reset = guardedAction("admin", z.object({ userId: z.string().min(1).max(64) }), async (input, actor) => {
  return { password: await resetUserPassword(actor, input.userId) };
});

/** A one-time password for the user, shown once to the administrator; all their sessions end. */
export async function resetPasswordAction(input: unknown) {
  return reset(input);
}
