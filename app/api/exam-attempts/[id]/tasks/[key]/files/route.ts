import { withUser } from "@/lib/auth/guard";
import { readJson } from "@/lib/http/body";
import { attemptIdFrom, taskKeyFrom } from "@/lib/exams/route-params";
import { saveTaskFile } from "@/lib/exams/service";
import { fileSaveSchema, MAX_FILE_BODY_BYTES } from "@/lib/scenarios/api-types";

export const PUT = withUser("student", async (request, user, context) => {
  const id = await attemptIdFrom(context);
  const key = await taskKeyFrom(context);
  const { path, content } = await readJson(request, fileSaveSchema, MAX_FILE_BODY_BYTES);
  await saveTaskFile(user.id, id, key, path, content);
  return Response.json({ ok: true });
});
