import { z } from "zod";

/** An error that carries its HTTP status; the one error type route handlers throw. */
export class HttpError extends Error {
  override name = "HttpError";
  constructor(
    readonly status: 400 | 401 | 403 | 404 | 409 | 413 | 415 | 422 | 429 | 503,
    message: string,
    readonly details?: unknown,
    readonly headers?: Record<string, string>,
  ) {
    super(message);
  }
}

/** Maps any error to a JSON response: known ones to their status, everything else to 500. */
export function jsonError(error: unknown): Response {
  if (error instanceof HttpError) {
    return Response.json({ error: error.message, ...(error.details ? { details: error.details } : {}) }, { status: error.status, headers: error.headers });
  }
  if (error instanceof z.ZodError) {
    return Response.json({ error: "Invalid input.", details: z.flattenError(error).fieldErrors }, { status: 422 });
  }
  console.error(error);
  return Response.json({ error: "Something went wrong on our side." }, { status: 500 });
}

/** Parses a JSON request body with a size cap and a schema; 413/400/422 on bad input. */
export async function readJson<S extends z.ZodType>(request: Request, schema: S, maxBytes = 64 * 1024): Promise<z.output<S>> {
  const length = Number(request.headers.get("content-length") ?? "0");
  if (length > maxBytes) throw new HttpError(413, `The request body is larger than ${maxBytes} bytes.`);
  const text = await request.text();
  if (Buffer.byteLength(text) > maxBytes) throw new HttpError(413, `The request body is larger than ${maxBytes} bytes.`);
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    throw new HttpError(400, "The request body is not valid JSON.");
  }
  const parsed = schema.safeParse(body);
  if (!parsed.success) throw new HttpError(422, "Invalid input.", z.flattenError(parsed.error).fieldErrors);
  return parsed.data;
}
