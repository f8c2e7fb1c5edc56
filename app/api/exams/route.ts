import { withUser } from "@/lib/auth/guard";
import { listAttempts, listExams } from "@/lib/exams/service";

export const GET = withUser("student", async (_request, user) =>
  Response.json({ exams: listExams(), attempts: await listAttempts(user.id) }),
);
