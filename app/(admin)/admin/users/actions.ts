"use server";
import { revalidatePath } from "next/cache";
import { guardedAction } from "@/lib/auth/guard";
import { roleChangeSchema } from "@/lib/accounts/schemas";
import { setUserRole } from "@/lib/accounts/admin";

const change = guardedAction("admin", roleChangeSchema, async (input, actor) => {
  const user = await setUserRole(actor, input.userId, input.role);
  revalidatePath("/admin/users");
  return { id: user.id, role: user.role };
});

export async function changeRoleAction(input: unknown) {
  return change(input);
}
