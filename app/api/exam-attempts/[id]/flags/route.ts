import { withUser } from "@/lib/auth/guard";
import { readJson } from "@/lib/http/body";
import { examFlagRequestSchema } from "@/lib/exams/api-types";
import { attemptIdFrom } from "@/lib/exams/route-params";
import { setFlag } from "@/lib/exams/service";

export const PUT = withUser("student", async (request, user, context) => {
  const id = await attemptIdFrom(context);
  const { itemKey, flagged } = await readJson(request, examFlagRequestSchema, 1024);
  return Response.json(await setFlag(user.id, id, itemKey, flagged));
});
