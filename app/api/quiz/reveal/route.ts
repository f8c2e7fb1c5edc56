import { clientIpFrom } from "@/lib/auth/client-ip";
import { limitAnswer, limiters } from "@/lib/auth/rate-limit";
import { getCurrentUser } from "@/lib/auth/session";
import { db } from "@/lib/db/client";
import { jsonError } from "@/lib/http/errors";
import { readJson } from "@/lib/http/body";
import { revealModelAnswer } from "@/lib/quiz/submit";
import { MAX_ANSWER_BODY_BYTES, revealRequestSchema } from "@/lib/quiz/submission";

export const dynamic = "force-dynamic";

/** Open questions: the model answer, once the signed-in learner's written answer is stored. */
export async function POST(request: Request): Promise<Response> {
  try {
    const body = await readJson(request, revealRequestSchema, MAX_ANSWER_BODY_BYTES);
    const user = await getCurrentUser();
    await limitAnswer(await limiters(), user ? { userId: user.id } : { ip: clientIpFrom(request.headers) });
    return Response.json(await revealModelAnswer(db(), user?.id, body.questionId), { headers: { "Cache-Control": "no-store" } });
  } catch (error) {
    return jsonError(error);
  }
}
