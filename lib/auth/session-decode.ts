/**
 * The session cookie's claims, decrypted as next-auth's `decode` does (a JWE, "dir" + A256GCM,
 * under a key derived from the secret by HKDF-SHA256, 15 s of clock tolerance), with the derived
 * key kept per secret. next-auth derives it again on every call, and every signed-in request
 * decodes twice (proxy.ts, lib/auth/session.ts): under load that was a measurable share of each
 * request (one HKDF on libuv's thread pool, twice per request).
 *
 * The claims of a token decrypted lately are kept too, by secret and token, until the token
 * expires: a signed-in browser sends the same cookie with every request, and each decryption is
 * an AES-GCM job on libuv's thread pool (a hop there and back, twice per request, and a share of
 * a terminal command's round trip). Only a token that decrypted is kept, the expiry is checked on
 * every use as jose checks it, and what the session means (the user's session version, role)
 * is still read from the database by the caller on every request.
 */
import crypto from "node:crypto";
import { jwtDecrypt } from "jose";
import type { JWT, JWTDecodeParams } from "next-auth/jwt";

const keys = new Map<string, Uint8Array>();
/** Seconds of clock tolerance on `exp` and `nbf`, as next-auth's decode allows. */
const CLOCK_TOLERANCE = 15;
/** Decrypted claims by secret and token; cleared when full (a few hundred bytes each). */
const decoded = new Map<string, JWT>();
const MAX_DECODED = 2000;

function secretId(secret: string | Buffer): string {
  return typeof secret === "string" ? `s:${secret}` : `b:${secret.toString("base64")}`;
}

/** Whether claims are within their validity now (jose's rule for `exp` and `nbf` with the tolerance). */
function current(claims: JWT): boolean {
  const now = Math.floor(Date.now() / 1000);
  if (typeof claims.exp === "number" && claims.exp <= now - CLOCK_TOLERANCE) return false;
  if (typeof claims.nbf === "number" && claims.nbf > now + CLOCK_TOLERANCE) return false;
  return true;
}

function derivedKey(secret: string | Buffer): Uint8Array {
  const id = secretId(secret);
  let key = keys.get(id);
  if (!key) {
    // next-auth's getDerivedEncryptionKey with its default (empty) salt.
    key = new Uint8Array(crypto.hkdfSync("sha256", secret, "", "NextAuth.js Generated Encryption Key", 32));
    if (keys.size >= 8) keys.clear();
    keys.set(id, key);
  }
  return key;
}

/** Drop-in for next-auth's `decode` (also as getToken's `decode`): the claims, or null without a token; throws on a bad token. */
export async function decodeSession(params: JWTDecodeParams): Promise<JWT | null> {
  if (!params.token) return null;
  if (params.salt) throw new Error("decodeSession supports next-auth's default salt only");
  const id = `${secretId(params.secret)}\n${params.token}`;
  const known = decoded.get(id);
  if (known !== undefined) {
    if (current(known)) return { ...known };
    decoded.delete(id);
  }
  const { payload } = await jwtDecrypt(params.token, derivedKey(params.secret), { clockTolerance: CLOCK_TOLERANCE });
  if (decoded.size >= MAX_DECODED) decoded.clear();
  decoded.set(id, { ...(payload as JWT) });
  return payload as JWT;
}
