import { withUser } from "@/lib/auth/guard";
import { db } from "@/lib/db/client";
import { gradebookCsv } from "@/lib/cohorts/export";
import { csvResponse } from "@/lib/cohorts/csv-response";
import { cohortIdSchema } from "@/lib/cohorts/schemas";

export const GET = withUser("instructor", async (_request, user, context) => {
  const { id } = await context.params;
  const { stream, filename } = await gradebookCsv(db(), user, cohortIdSchema.catch("").parse(id));
  return csvResponse(stream, filename);
});
