import { withUser } from "@/lib/auth/guard";
import { db } from "@/lib/db/client";
import { readJson } from "@/lib/http/body";
import { lessonOr404, recordVisit } from "@/lib/progress/lessons";
import { visitRequestSchema } from "@/lib/progress/requests";

export const POST = withUser("student", async (request, user) => {
  const lesson = lessonOr404(await readJson(request, visitRequestSchema, 1024));
  const row = await recordVisit(db(), user.id, lesson);
  return Response.json({ firstVisitedAt: row.firstVisitedAt, lastVisitedAt: row.lastVisitedAt, completedAt: row.completedAt });
});
