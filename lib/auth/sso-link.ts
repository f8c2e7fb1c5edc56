import "server-only";
import crypto from "node:crypto";

/**
 * "Link SSO" on the Account page: the signed-in user's request to bind the next OIDC sign-in to
 * their account. The request is a short-lived, HMAC-sealed cookie naming the user; the OIDC
 * callback honours it only when the session cookie names the same user (lib/auth/options.ts).
 * Instructors and administrators can only get an SSO identity this way (never by email).
 */
export const SSO_LINK_COOKIE = "kubeprep.sso-link";
export const SSO_LINK_TTL_SECONDS = 10 * 60;

function mac(secret: string, payload: string): string {
  return crypto.createHmac("sha256", secret).update(`sso-link:${payload}`).digest("base64url");
}

export function sealLinkIntent(secret: string, userId: string, now = Date.now()): string {
  const payload = `${userId}.${now + SSO_LINK_TTL_SECONDS * 1000}`;
  return `${payload}.${mac(secret, payload)}`;
}

/** The user id the cookie names, when it is authentic and not expired. */
export function openLinkIntent(secret: string, value: string | undefined, now = Date.now()): string | undefined {
  if (!value || value.length > 200) return undefined;
  const [userId, expires, tag] = value.split(".");
  if (!userId || !expires || !tag || !/^\d+$/.test(expires)) return undefined;
  const expected = Buffer.from(mac(secret, `${userId}.${expires}`));
  const given = Buffer.from(tag);
  if (given.length !== expected.length || !crypto.timingSafeEqual(given, expected)) return undefined;
  return Number(expires) > now ? userId : undefined;
}
