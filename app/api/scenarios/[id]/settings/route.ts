import { z } from "zod";
import { withUser } from "@/lib/auth/guard";
import { readJson } from "@/lib/http/body";
import { setWhyEnabled } from "@/lib/scenarios/service";
import { scenarioIdFrom } from "@/lib/scenarios/route-params";

const bodySchema = z.object({ whyEnabled: z.boolean() });

export const PATCH = withUser("student", async (request, user, context) => {
  const id = await scenarioIdFrom(context);
  const { whyEnabled } = await readJson(request, bodySchema, 1024);
  return Response.json({ whyEnabled: await setWhyEnabled(user.id, id, whyEnabled) });
});
