import { withUser } from "@/lib/auth/guard";
import { readJson } from "@/lib/http/body";
import { fileSaveSchema, MAX_FILE_BODY_BYTES } from "@/lib/scenarios/api-types";
import { saveFile } from "@/lib/scenarios/service";
import { scenarioIdFrom } from "@/lib/scenarios/route-params";

export const PUT = withUser("student", async (request, user, context) => {
  const id = await scenarioIdFrom(context);
  const { path, content } = await readJson(request, fileSaveSchema, MAX_FILE_BODY_BYTES);
  await saveFile(user.id, id, path, content);
  return Response.json({ ok: true });
});
