import { withUser } from "@/lib/auth/guard";
import { readJson } from "@/lib/http/body";
import { examNotepadRequestSchema, MAX_EXAM_BODY_BYTES } from "@/lib/exams/api-types";
import { attemptIdFrom } from "@/lib/exams/route-params";
import { saveNotepad } from "@/lib/exams/service";

export const PUT = withUser("student", async (request, user, context) => {
  const id = await attemptIdFrom(context);
  const { text } = await readJson(request, examNotepadRequestSchema, MAX_EXAM_BODY_BYTES);
  return Response.json(await saveNotepad(user.id, id, text));
});
