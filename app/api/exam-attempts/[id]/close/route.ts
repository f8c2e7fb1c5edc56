import { withUser } from "@/lib/auth/guard";
import { attemptIdFrom } from "@/lib/exams/route-params";
import { submitAttempt } from "@/lib/exams/service";

/** "Finish exam" (and the browser's submission at the deadline): closes and scores once. */
export const POST = withUser("student", async (_request, user, context) =>
  Response.json(await submitAttempt(user.id, await attemptIdFrom(context))),
);
