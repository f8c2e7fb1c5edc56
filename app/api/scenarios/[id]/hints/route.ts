import { withUser } from "@/lib/auth/guard";
import { revealHint } from "@/lib/scenarios/service";
import { scenarioIdFrom } from "@/lib/scenarios/route-params";

export const POST = withUser("student", async (_request, user, context) => Response.json(await revealHint(user.id, await scenarioIdFrom(context))));
