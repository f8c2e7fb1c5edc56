import { withUser } from "@/lib/auth/guard";
import { db } from "@/lib/db/client";
import { lessonOr404 } from "@/lib/progress/lessons";
import { lessonState } from "@/lib/progress/summary";

export const GET = withUser("student", async (_request, user, context) => {
  const params = await context.params;
  const lesson = lessonOr404({ moduleId: String(params["module"]), lessonSlug: String(params["lesson"]) });
  return Response.json(await lessonState(db(), user.id, lesson), { headers: { "Cache-Control": "private, no-store" } });
});
