import { z } from "zod";
import { DomainError } from "../http/errors";
import { itemKeySchema } from "./api-types";

type Context = { params: Promise<Record<string, string | string[]>> };

const examId = z.string().regex(/^[a-z0-9-]{1,64}$/);
const attemptId = z.string().regex(/^[a-z0-9]{1,40}$/);

/** The `[examId]` segment of an exam route, validated. */
export async function examIdFrom(context: Context): Promise<string> {
  const parsed = examId.safeParse((await context.params).examId);
  if (!parsed.success) throw new DomainError(404, "No such exam.");
  return parsed.data;
}

/** The `[id]` segment of an exam attempt route, validated. */
export async function attemptIdFrom(context: Context): Promise<string> {
  const parsed = attemptId.safeParse((await context.params).id);
  if (!parsed.success) throw new DomainError(404, "No such exam attempt.");
  return parsed.data;
}

/** The `[key]` segment of a task route (`task:<id>`, URL-encoded or not), validated. */
export async function taskKeyFrom(context: Context): Promise<string> {
  const raw = (await context.params).key;
  let key: unknown = raw;
  try {
    if (typeof raw === "string") key = decodeURIComponent(raw);
  } catch {
    // Not valid percent-encoding: refused below.
  }
  const parsed = itemKeySchema.safeParse(key);
  if (!parsed.success || parsed.data.startsWith("question:")) throw new DomainError(404, "This paper has no such task.");
  return parsed.data;
}
