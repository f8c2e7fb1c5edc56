import { withUser } from "@/lib/auth/guard";
import { db } from "@/lib/db/client";
import { readJson } from "@/lib/http/body";
import { addQuestionToReview, addToReviewSchema, MAX_REVIEW_BODY_BYTES } from "@/lib/review/service";

/** "Add to review" on a lesson question: a card due now. */
export const POST = withUser("student", async (request, user) => {
  const { questionId } = await readJson(request, addToReviewSchema, MAX_REVIEW_BODY_BYTES);
  return Response.json(await addQuestionToReview(db(), user.id, questionId), { headers: { "Cache-Control": "no-store" } });
});
