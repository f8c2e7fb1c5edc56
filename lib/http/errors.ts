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
