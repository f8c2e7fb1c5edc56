import { withUser } from "@/lib/auth/guard";
import { readJson } from "@/lib/http/body";
import { attemptIdFrom, taskKeyFrom } from "@/lib/exams/route-params";
import { completeTaskLine } from "@/lib/exams/service";
import { completeRequestSchema } from "@/lib/scenarios/api-types";

export const POST = withUser("student", async (request, user, context) => {
  const id = await attemptIdFrom(context);
  const key = await taskKeyFrom(context);
  const { line, cursor } = await readJson(request, completeRequestSchema, 16 * 1024);
  return Response.json(await completeTaskLine(user.id, id, key, line, Math.min(cursor, line.length)));
});
