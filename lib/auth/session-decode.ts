/**
 * The session cookie's claims, decrypted as next-auth's `decode` does (a JWE, "dir" + A256GCM,
 * under a key derived from the secret by HKDF-SHA256, 15 s of clock tolerance), with the derived
 * key kept per secret. next-auth derives it again on every call, and every signed-in request
 * decodes twice (proxy.ts, lib/auth/session.ts): under load that was a measurable share of each
 * request (one HKDF on libuv's thread pool, twice per request).
 */
import crypto from "node:crypto";
import { jwtDecrypt } from "jose";
import type { JWT, JWTDecodeParams } from "next-auth/jwt";

const keys = new Map<string, Uint8Array>();

function derivedKey(secret: string | Buffer): Uint8Array {
  const id = typeof secret === "string" ? `s:${secret}` : `b:${secret.toString("base64")}`;
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
  const { payload } = await jwtDecrypt(params.token, derivedKey(params.secret), { clockTolerance: 15 });
  return payload as JWT;
}
