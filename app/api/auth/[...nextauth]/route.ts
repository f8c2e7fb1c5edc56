import { NextRequest } from "next/server";
import NextAuth from "next-auth";
import { authOptions, signInOutcome } from "@/lib/auth/options";
import { readBody, requireContentType } from "@/lib/http/body";
import { jsonError } from "@/lib/http/errors";

type Context = { params: Promise<{ nextauth: string[] }> };

/** Sign-in, sign-out and CSRF forms are a few hundred bytes; next-auth itself reads bodies unbounded. */
const MAX_AUTH_BODY_BYTES = 16 * 1024;

// Options are built on the first request, not at import, so `next build` needs no secret.
async function handler(request: NextRequest, context: Context): Promise<Response> {
  let bounded = request;
  if (request.method === "POST") {
    try {
      // The two body types next-auth reads (next-auth/next/utils getBody); anything else it ignores.
      requireContentType(request, ["application/x-www-form-urlencoded", "application/json"]);
      const body = await readBody(request, MAX_AUTH_BODY_BYTES);
      bounded = new NextRequest(request.url, { method: "POST", headers: request.headers, body });
    } catch (error) {
      return jsonError(error);
    }
  }
  const outcome: { retryAfterSeconds?: number } = {};
  const response = await signInOutcome.run(outcome, () => NextAuth(bounded, context, authOptions()));
  if (outcome.retryAfterSeconds === undefined) return response;
  // next-auth answers every failed credentials sign-in with 401; a rate limit is a 429 with
  // Retry-After (same body, so the sign-in form still shows the message).
  const headers = new Headers(response.headers);
  headers.set("Retry-After", String(outcome.retryAfterSeconds));
  return new Response(response.body, { status: 429, headers });
}

export { handler as GET, handler as POST };
