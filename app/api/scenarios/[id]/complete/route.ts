import { withUser } from "@/lib/auth/guard";
import { readJson } from "@/lib/http/body";
import { completeRequestSchema } from "@/lib/scenarios/api-types";
import { complete } from "@/lib/scenarios/service";
import { scenarioIdFrom } from "@/lib/scenarios/route-params";

export const POST = withUser("student", async (request, user, context) => {
  const id = await scenarioIdFrom(context);
  const { line, cursor } = await readJson(request, completeRequestSchema, 16 * 1024);
  return Response.json(await complete(user.id, id, line, Math.min(cursor, line.length)));
});
