import { withUser } from "@/lib/auth/guard";
import { examIdFrom } from "@/lib/exams/route-params";
import { startAttempt } from "@/lib/exams/service";

/** Starts an attempt, or returns the learner's open one of this exam. */
export const POST = withUser("student", async (_request, user, context) =>
  Response.json(await startAttempt(user.id, await examIdFrom(context))),
);
