import { jsonError } from "@/lib/http/errors";
import { readJson } from "@/lib/http/body";
import { revealModelAnswer } from "@/lib/quiz/submit";
import { MAX_ANSWER_BODY_BYTES, revealRequestSchema } from "@/lib/quiz/submission";

export const dynamic = "force-dynamic";

/** Open questions: the model answer, once the learner has written an attempt to compare. */
export async function POST(request: Request): Promise<Response> {
  try {
    const body = await readJson(request, revealRequestSchema, MAX_ANSWER_BODY_BYTES);
    return Response.json(revealModelAnswer(body.questionId), { headers: { "Cache-Control": "no-store" } });
  } catch (error) {
    return jsonError(error);
  }
}
