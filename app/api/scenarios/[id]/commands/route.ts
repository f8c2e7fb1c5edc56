import { withUser } from "@/lib/auth/guard";
import { readJson } from "@/lib/http/body";
import { commandRequestSchema, MAX_COMMAND_BYTES } from "@/lib/scenarios/api-types";
import { runCommand } from "@/lib/scenarios/service";
import { scenarioIdFrom } from "@/lib/scenarios/route-params";

export const POST = withUser("student", async (request, user, context) => {
  const id = await scenarioIdFrom(context);
  const { input, requestId } = await readJson(request, commandRequestSchema, MAX_COMMAND_BYTES * 2 + 1024);
  // A terminal round trip is latency-bound and its JSON a few KiB: not gzipped on the server's
  // event loop (Next's compression skips no-transform responses).
  return Response.json(await runCommand(user.id, id, input, requestId), { headers: { "Cache-Control": "no-store, no-transform" } });
});
