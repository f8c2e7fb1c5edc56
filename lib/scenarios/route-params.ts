import { z } from "zod";
import { DomainError } from "../http/errors";
import { SCENARIO_ROUTE_ID } from "../review/items";

const scenarioId = z.string().regex(SCENARIO_ROUTE_ID);

/** The `[id]` segment of a scenario route (a scenario's id, or a review drill's), validated. */
export async function scenarioIdFrom(context: { params: Promise<Record<string, string | string[]>> }): Promise<string> {
  const parsed = scenarioId.safeParse((await context.params).id);
  if (!parsed.success) throw new DomainError(404, "No such scenario.");
  return parsed.data;
}
