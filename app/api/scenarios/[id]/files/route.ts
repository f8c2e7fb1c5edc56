import { z } from "zod";
import { withUser } from "@/lib/auth/guard";
import { readJson } from "@/lib/http/body";
import { saveFile } from "@/lib/scenarios/service";
import { scenarioIdFrom } from "@/lib/scenarios/route-params";

const bodySchema = z.object({ path: z.string().min(1).max(1024), content: z.string().max(512 * 1024, "A file may be at most 512 KB.") });

export const PUT = withUser("student", async (request, user, context) => {
  const id = await scenarioIdFrom(context);
  const { path, content } = await readJson(request, bodySchema, 1024 * 1024 + 2048);
  await saveFile(user.id, id, path, content);
  return Response.json({ ok: true });
});
