import { z } from "zod";
import { withUser } from "@/lib/auth/guard";
import { ROLES } from "@/lib/accounts/schemas";
import { setUserRole } from "@/lib/accounts/admin";
import { readJson } from "@/lib/http/body";

const bodySchema = z.object({ role: z.enum(ROLES) });

export const PATCH = withUser("admin", async (request, actor, context) => {
  const { id } = await context.params;
  const { role } = await readJson(request, bodySchema, 1024);
  const user = await setUserRole(actor, String(id), role);
  return Response.json({ user });
});
