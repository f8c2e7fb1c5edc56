import { z } from "zod";
import { fieldErrors, signUpSchema } from "@/lib/accounts/schemas";
import { createUser } from "@/lib/accounts/users";
import { clientIpFrom } from "@/lib/auth/client-ip";
import { limiters, limitSignUp } from "@/lib/auth/rate-limit";
import { db } from "@/lib/db/client";
import { readJson } from "@/lib/http/body";
import { DomainError, jsonError } from "@/lib/http/errors";

export const dynamic = "force-dynamic";

/** An email, a name and a password: a few hundred bytes. */
const MAX_SIGN_UP_BODY_BYTES = 4 * 1024;

/**
 * Sign-up as a route (not a server action), so its limit answers like every other: 429 with
 * Retry-After. 201 on success (the browser then signs in), 422 with per-field messages, 409 for an
 * email in use.
 */
export async function POST(request: Request): Promise<Response> {
  try {
    const body = await readJson(request, z.unknown(), MAX_SIGN_UP_BODY_BYTES);
    const parsed = signUpSchema.safeParse(body);
    if (!parsed.success) throw new DomainError(422, "Check the highlighted fields.", fieldErrors(parsed.error));
    await limitSignUp(await limiters(), clientIpFrom(request.headers));
    await createUser(db(), parsed.data);
    return Response.json({ ok: true }, { status: 201 });
  } catch (error) {
    return jsonError(error);
  }
}
