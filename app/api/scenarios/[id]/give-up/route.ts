import { withUser } from "@/lib/auth/guard";
import { giveUp } from "@/lib/scenarios/service";
import { scenarioIdFrom } from "@/lib/scenarios/route-params";

export const POST = withUser("student", async (_request, user, context) =>
  Response.json(await giveUp(user.id, await scenarioIdFrom(context))),
);
