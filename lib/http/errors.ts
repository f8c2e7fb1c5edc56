import { z } from "zod";

export type ErrorStatus = 400 | 401 | 403 | 404 | 409 | 413 | 415 | 422 | 429 | 503;

const DOMAIN_ERROR = Symbol.for("kubeprep.DomainError");

/**
 * An error meant for the person who caused it, carrying the HTTP status that says what kind it
 * is. Route handlers, `lib/` domains (EmailTakenError, LastAdminError, RateLimitedError,
 * LearnerJobStopped …) throw it or a subclass; `jsonError` (route handlers) and `guardedAction`
 * (server actions) are the only places that turn it into an answer.
 */
export class DomainError extends Error {
  override name = "DomainError";
  readonly [DOMAIN_ERROR] = true;
  constructor(
    readonly status: ErrorStatus,
    message: string,
    readonly details?: unknown,
    readonly headers?: Record<string, string>,
  ) {
    super(message);
  }

  /**
   * `instanceof DomainError` across module copies: under `npm start` the learner pool (whose
   * LearnerJobStopped is a DomainError) belongs to the tsx-loaded copy of the modules, and route
   * handlers check with the copy inside Next's bundle. Subclasses keep the ordinary check.
   */
  static override [Symbol.hasInstance](value: unknown): boolean {
    if (this !== DomainError) return Function.prototype[Symbol.hasInstance].call(this, value);
    return typeof value === "object" && value !== null && DOMAIN_ERROR in value;
  }
}

/** Maps any error to a JSON response: domain errors to their status, everything else to 500. */
export function jsonError(error: unknown): Response {
  if (error instanceof DomainError) {
    return Response.json(
      { error: error.message, ...(error.details ? { details: error.details } : {}) },
      { status: error.status, headers: error.headers },
    );
  }
  if (error instanceof z.ZodError) {
    return Response.json({ error: "Invalid input.", details: z.flattenError(error).fieldErrors }, { status: 422 });
  }
  console.error(error);
  return Response.json({ error: "Something went wrong on our side." }, { status: 500 });
}
