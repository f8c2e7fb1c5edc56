// Runs before every page and route (Next's Proxy, on the Node.js runtime):
// - a Content-Security-Policy with a fresh nonce per request (Next reads the policy from the
//   request headers and puts the nonce on its scripts; pages therefore render per request);
// - HSTS when the public URL is HTTPS;
// - a session cookie issued more than a day ago is reissued with a fresh expiry (rolling sessions);
// - a session issued with a generated or reset password reaches only the change-password page
//   (pages are redirected there, API routes answer 403). The pages and routes check it again
//   from the database (lib/auth/guard.ts).
import { NextResponse, type NextRequest } from "next/server";
import { getToken } from "next-auth/jwt";
import { getEnv, publicUrl, resolveAuthSecret } from "./lib/env";
import { rolledSessionToken, SESSION_MAX_AGE } from "./lib/auth/session-roll";
import { decodeSession } from "./lib/auth/session-decode";
import { contentSecurityPolicy, STRICT_TRANSPORT_SECURITY } from "./lib/http/security-headers";

const CHANGE_PASSWORD_PATH = "/account/password";

/** What a session that must change its password may still reach. */
function allowedWhilePasswordPending(pathname: string): boolean {
  return pathname === CHANGE_PASSWORD_PATH || pathname.startsWith("/api/auth/") || pathname === "/api/health";
}

export async function proxy(request: NextRequest): Promise<NextResponse> {
  const env = getEnv();
  const https = publicUrl(env).protocol === "https:";
  const { pathname } = request.nextUrl;

  // next-auth reads and writes its own cookie under /api/auth/.
  const secret = request.cookies.size > 0 && !pathname.startsWith("/api/auth/") ? resolveAuthSecret(env) : undefined;
  const token = secret === undefined ? null : await getToken({ req: request, secret, secureCookie: https, decode: decodeSession });
  if (!allowedWhilePasswordPending(pathname)) {
    if (token?.pw) {
      if (pathname.startsWith("/api/")) {
        return NextResponse.json({ error: "Choose a new password first (Account → Change password)." }, { status: 403 });
      }
      return NextResponse.redirect(new URL(CHANGE_PASSWORD_PATH, request.url));
    }
  }

  const nonce = Buffer.from(crypto.getRandomValues(new Uint8Array(16))).toString("base64");
  const policy = contentSecurityPolicy(nonce, { https, dev: env.nodeEnv === "development" });
  const requestHeaders = new Headers(request.headers);
  requestHeaders.set("x-nonce", nonce);
  requestHeaders.set("Content-Security-Policy", policy);
  const response = NextResponse.next({ request: { headers: requestHeaders } });
  response.headers.set("Content-Security-Policy", policy);
  if (https) response.headers.set("Strict-Transport-Security", STRICT_TRANSPORT_SECURITY);
  const rolled = token && secret !== undefined ? await rolledSessionToken(token, secret) : undefined;
  if (rolled !== undefined) {
    const name = `${https ? "__Secure-" : ""}next-auth.session-token`;
    response.cookies.set(name, rolled, { httpOnly: true, sameSite: "lax", path: "/", secure: https, maxAge: SESSION_MAX_AGE });
  }
  return response;
}

export const config = {
  matcher: [{ source: "/((?!_next/static|_next/image|favicon.ico).*)" }],
};
