import { withUser } from "@/lib/auth/guard";
import { readJson } from "@/lib/http/body";
import { attemptIdFrom, taskKeyFrom } from "@/lib/exams/route-params";
import { runTaskCommand } from "@/lib/exams/service";
import { commandRequestSchema, MAX_COMMAND_BYTES } from "@/lib/scenarios/api-types";

export const POST = withUser("student", async (request, user, context) => {
  const id = await attemptIdFrom(context);
  const key = await taskKeyFrom(context);
  const { input } = await readJson(request, commandRequestSchema, MAX_COMMAND_BYTES * 2 + 1024);
  return Response.json(await runTaskCommand(user.id, id, key, input));
});
