import { withUser } from "@/lib/auth/guard";
import { getSession } from "@/lib/scenarios/service";
import { scenarioIdFrom } from "@/lib/scenarios/route-params";

export const GET = withUser("student", async (_request, user, context) =>
  Response.json(await getSession(user.id, await scenarioIdFrom(context))),
);
