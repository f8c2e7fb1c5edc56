import { withUser } from "@/lib/auth/guard";
import { attemptIdFrom } from "@/lib/exams/route-params";
import { getAttempt } from "@/lib/exams/service";

export const GET = withUser("student", async (_request, user, context) =>
  Response.json(await getAttempt(user.id, await attemptIdFrom(context)), { headers: { "Cache-Control": "no-store" } }),
);
