import { withUser } from "@/lib/auth/guard";
import { limitAnswer, limiters } from "@/lib/auth/rate-limit";
import { db } from "@/lib/db/client";
import { readJson } from "@/lib/http/body";
import { DomainError } from "@/lib/http/errors";
import { cardIdSchema, MAX_REVIEW_BODY_BYTES, reviewAnswerSchema, submitReview } from "@/lib/review/service";

/** A review answer: graded on the server, the card rescheduled once per request id. */
export const POST = withUser("student", async (request, user, context) => {
  const cardId = cardIdSchema.safeParse((await context.params).id);
  if (!cardId.success) throw new DomainError(404, "There is no such review card.");
  const answer = await readJson(request, reviewAnswerSchema, MAX_REVIEW_BODY_BYTES);
  await limitAnswer(await limiters(), { userId: user.id });
  return Response.json(await submitReview(db(), user.id, cardId.data, answer), { headers: { "Cache-Control": "no-store" } });
});
