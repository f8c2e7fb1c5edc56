import "server-only";
import { forbidden, redirect } from "next/navigation";
import { headers } from "next/headers";
import { z } from "zod";
import { getCurrentUser } from "./session";
import { mayEnter, type Area } from "./policy";
import type { PublicUser } from "../accounts/users";
import { fieldErrors, type FieldErrors } from "../accounts/schemas";
import { DomainError, jsonError } from "../http/errors";

/** Where a user with a generated or reset password is sent until they choose their own. */
export const CHANGE_PASSWORD_PATH = "/account/password";
const MUST_CHANGE_PASSWORD = "Choose a new password first (Account → Change password).";

/**
 * Pages: the signed-in user allowed into `area`; otherwise sign-in redirect or the 403 page.
 * A user who must change their password is sent to that page first (`pendingPasswordChange`
 * lets that one page in).
 */
export async function requirePageUser(area: Area = "student", options: { pendingPasswordChange?: boolean } = {}): Promise<PublicUser> {
  const user = await getCurrentUser();
  if (!user) {
    const path = (await headers()).get("x-kubeprep-path") ?? "/dashboard";
    redirect(`/signin?callbackUrl=${encodeURIComponent(path)}`);
  }
  if (user.mustChangePassword && !options.pendingPasswordChange) redirect(CHANGE_PASSWORD_PATH);
  if (!mayEnter(user.role, area)) forbidden();
  return user;
}

type RouteContext = { params: Promise<Record<string, string | string[]>> };

/** Route handlers: 401 when signed out, 403 outside the area; errors mapped in one place. */
export function withUser(
  area: Area,
  handler: (request: Request, user: PublicUser, context: RouteContext) => Promise<Response>,
): (request: Request, context: RouteContext) => Promise<Response> {
  return async (request, context) => {
    try {
      const user = await getCurrentUser();
      if (!user) throw new DomainError(401, "Sign in first.");
      if (user.mustChangePassword) throw new DomainError(403, MUST_CHANGE_PASSWORD);
      if (!mayEnter(user.role, area)) throw new DomainError(403, "You are not allowed to do this.");
      return await handler(request, user, context);
    } catch (error) {
      return jsonError(error);
    }
  };
}

export type ActionResult<T = undefined> = { ok: true; data: T; message?: string } | { ok: false; error: string; fieldErrors?: FieldErrors };

/**
 * Server actions: validates the input with `schema`, checks the user may enter `area`, and
 * turns known errors into a typed result for the form. Authorization lives here, not in actions.
 */
export function guardedAction<S extends z.ZodType, T>(
  area: Area,
  schema: S,
  run: (input: z.output<S>, user: PublicUser) => Promise<T>,
  options: { pendingPasswordChange?: boolean } = {},
): (input: unknown) => Promise<ActionResult<T>> {
  return async (input) => {
    const user = await getCurrentUser();
    if (!user) return { ok: false, error: "Your session has ended. Sign in again." };
    if (user.mustChangePassword && !options.pendingPasswordChange) return { ok: false, error: MUST_CHANGE_PASSWORD };
    if (!mayEnter(user.role, area)) return { ok: false, error: "You are not allowed to do this." };
    const parsed = schema.safeParse(input);
    if (!parsed.success) return { ok: false, error: "Check the highlighted fields.", fieldErrors: fieldErrors(parsed.error) };
    try {
      return { ok: true, data: await run(parsed.data, user) };
    } catch (error) {
      if (error instanceof DomainError) return { ok: false, error: error.message };
      throw error;
    }
  };
}
