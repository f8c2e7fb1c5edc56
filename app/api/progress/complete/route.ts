import { withUser } from "@/lib/auth/guard";
import { db } from "@/lib/db/client";
import { readJson } from "@/lib/http/body";
import { lessonOr404, markLessonComplete } from "@/lib/progress/lessons";
import { completeRequestSchema } from "@/lib/progress/requests";

export const POST = withUser("student", async (request, user) => {
  const row = await markLessonComplete(db(), user.id, lessonOr404(await readJson(request, completeRequestSchema, 1024)), "manual");
  return Response.json({ completedAt: row.completedAt, completedBy: row.completedBy });
});
