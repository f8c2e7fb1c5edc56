import { withUser } from "@/lib/auth/guard";
import { db } from "@/lib/db/client";
import { courseProgress } from "@/lib/progress/summary";

export const GET = withUser("student", async (_request, user) =>
  Response.json(await courseProgress(db(), user.id), { headers: { "Cache-Control": "private, no-store" } }),
);
