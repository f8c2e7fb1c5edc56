import { withUser } from "@/lib/auth/guard";
import { db } from "@/lib/db/client";
import { scenariosCsv } from "@/lib/cohorts/scenario-export";
import { csvResponse } from "@/lib/cohorts/csv-response";
import { cohortIdSchema } from "@/lib/cohorts/schemas";

export const GET = withUser("instructor", async (_request, user, context) => {
  const { id } = await context.params;
  const { stream, filename } = await scenariosCsv(db(), user, cohortIdSchema.catch("").parse(id));
  return csvResponse(stream, filename);
});
