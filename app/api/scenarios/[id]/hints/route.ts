import { withUser } from "@/lib/auth/guard";
import { readJson } from "@/lib/http/body";
import { hintRequestSchema } from "@/lib/scenarios/hints";
import { revealHint } from "@/lib/scenarios/service";
import { scenarioIdFrom } from "@/lib/scenarios/route-params";

/** Body `{ step, hint }`, both 0-based: hint `hint` of step `step`. */
export const POST = withUser("student", async (request, user, context) => {
  const id = await scenarioIdFrom(context);
  const body = await readJson(request, hintRequestSchema, 1024);
  return Response.json(await revealHint(user.id, id, body));
});
