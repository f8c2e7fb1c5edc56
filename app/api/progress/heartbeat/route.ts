import { withUser } from "@/lib/auth/guard";
import { db } from "@/lib/db/client";
import { readJson } from "@/lib/http/body";
import { lessonOr404, recordHeartbeat } from "@/lib/progress/lessons";
import { heartbeatRequestSchema } from "@/lib/progress/requests";

export const POST = withUser("student", async (request, user) => {
  const body = await readJson(request, heartbeatRequestSchema, 1024);
  const counted = await recordHeartbeat(db(), user.id, lessonOr404(body), body.seconds);
  return Response.json({ counted });
});
