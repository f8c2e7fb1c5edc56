import { clientIpFrom } from "@/lib/auth/client-ip";
import { limitAnswer, limiters } from "@/lib/auth/rate-limit";
import { getCurrentUser } from "@/lib/auth/session";
import { db } from "@/lib/db/client";
import { jsonError } from "@/lib/http/errors";
import { readJson } from "@/lib/http/body";
import { answerQuestion } from "@/lib/progress/answers";
import { answerRequestSchema, MAX_ANSWER_BODY_BYTES } from "@/lib/quiz/submission";

export const dynamic = "force-dynamic";

/** Open to anonymous visitors (graded, not stored); signed-in learners' attempts are stored. */
export async function POST(request: Request): Promise<Response> {
  try {
    const body = await readJson(request, answerRequestSchema, MAX_ANSWER_BODY_BYTES);
    const user = await getCurrentUser();
    await limitAnswer(await limiters(), user ? { userId: user.id } : { ip: clientIpFrom(request.headers) });
    const outcome = await answerQuestion(db(), user?.id, body);
    return Response.json(outcome, { headers: { "Cache-Control": "no-store" } });
  } catch (error) {
    return jsonError(error);
  }
}
