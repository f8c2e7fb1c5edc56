import { z } from "zod";
import { DomainError } from "../http/errors";

const scenarioId = z.string().regex(/^[a-z0-9-]{1,64}$/);

/** The `[id]` segment of a scenario route, validated. */
export async function scenarioIdFrom(context: { params: Promise<Record<string, string | string[]>> }): Promise<string> {
  const parsed = scenarioId.safeParse((await context.params).id);
  if (!parsed.success) throw new DomainError(404, "No such scenario.");
  return parsed.data;
}
