import { withUser } from "@/lib/auth/guard";
import { readJson } from "@/lib/http/body";
import { examAnswerRequestSchema } from "@/lib/exams/api-types";
import { attemptIdFrom } from "@/lib/exams/route-params";
import { saveAnswer } from "@/lib/exams/service";
import { MAX_ANSWER_BODY_BYTES } from "@/lib/quiz/submission";

/** Saves an answer; nothing of its grade comes back before the exam closes. */
export const PUT = withUser("student", async (request, user, context) => {
  const id = await attemptIdFrom(context);
  const body = await readJson(request, examAnswerRequestSchema, MAX_ANSWER_BODY_BYTES);
  return Response.json(await saveAnswer(user.id, id, body));
});
