import { withUser } from "@/lib/auth/guard";
import { checkNow } from "@/lib/scenarios/service";
import { scenarioIdFrom } from "@/lib/scenarios/route-params";

/** Grades the cluster as it is now (work done with the learner's own kubectl). */
export const POST = withUser("student", async (_request, user, context) =>
  Response.json(await checkNow(user.id, await scenarioIdFrom(context))),
);
