import type { NextRequest } from "next/server";
import NextAuth from "next-auth";
import { authOptions, signInOutcome } from "@/lib/auth/options";

type Context = { params: Promise<{ nextauth: string[] }> };

// Options are built on the first request, not at import, so `next build` needs no secret.
async function handler(request: NextRequest, context: Context): Promise<Response> {
  const outcome: { retryAfterSeconds?: number } = {};
  const response = await signInOutcome.run(outcome, () => NextAuth(request, context, authOptions()));
  if (outcome.retryAfterSeconds === undefined) return response;
  // next-auth answers every failed credentials sign-in with 401; a rate limit is a 429 with
  // Retry-After (same body, so the sign-in form still shows the message).
  const headers = new Headers(response.headers);
  headers.set("Retry-After", String(outcome.retryAfterSeconds));
  return new Response(response.body, { status: 429, headers });
}

export { handler as GET, handler as POST };
