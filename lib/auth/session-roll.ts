import { encode, type JWT } from "next-auth/jwt";

/** How long a session lasts without activity. */
export const SESSION_MAX_AGE = 7 * 24 * 60 * 60;
/** A session cookie older than this is reissued on the next request (next-auth's own `updateAge` default). */
export const SESSION_ROLL_AFTER = 24 * 60 * 60;

/**
 * The session cookie's new value when it is due to be reissued (issued more than a day ago), else
 * undefined: the same claims with a fresh expiry, so a learner who keeps working stays signed in.
 * It decides nothing about validity: pages and routes still check the user and the session
 * version (lib/auth/session.ts), so a session ended elsewhere stays ended.
 */
export async function rolledSessionToken(
  token: JWT,
  secret: string,
  nowSeconds = Math.floor(Date.now() / 1000),
): Promise<string | undefined> {
  const issuedAt = typeof token.iat === "number" ? token.iat : undefined;
  if (issuedAt === undefined || nowSeconds - issuedAt < SESSION_ROLL_AFTER) return undefined;
  const { iat: _iat, exp: _exp, jti: _jti, ...claims } = token;
  return encode({ token: claims, secret, maxAge: SESSION_MAX_AGE });
}
