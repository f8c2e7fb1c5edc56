import { withUser } from "@/lib/auth/guard";
import { attemptIdFrom, taskKeyFrom } from "@/lib/exams/route-params";
import { openTask } from "@/lib/exams/service";

/** Opens a task: its own fresh instance on first use, then its terminal as left. */
export const POST = withUser("student", async (_request, user, context) =>
  Response.json(await openTask(user.id, await attemptIdFrom(context), await taskKeyFrom(context))),
);
