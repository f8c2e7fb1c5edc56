/**
 * Compact JWS parsing and signature verification shared by the ServiceAccount and OIDC
 * authenticators.
 *
 * Verification deliberately uses node:crypto's synchronous `verify` with KeyObjects imported
 * once (jose's verify goes through WebCrypto, which is async and several times slower per call).
 * jose is still used to sign (see issue.ts and the identity provider). Nothing here throws.
 */
import { createPublicKey, constants, verify as cryptoVerify, type KeyObject, type JsonWebKey } from "node:crypto";

export type JwsAlgorithm = "RS256" | "RS384" | "RS512" | "PS256" | "PS384" | "PS512" | "ES256" | "ES384" | "ES512";

/** A public key ready for verification: imported once, reused for every request. */
export interface VerificationKey {
  kid: string;
  key: KeyObject;
  kind: "rsa" | "ec";
  /** EC only: the curve, which fixes the only ES alg go-jose accepts for it. */
  curve?: "P-256" | "P-384" | "P-521";
}

export interface ParsedCompactJws {
  header: Record<string, unknown>;
  payload: Record<string, unknown>;
  /** The exact bytes the signature covers: `<b64 header>.<b64 payload>`. */
  signingInput: string;
  signature: Buffer;
}

const BASE64URL_RAW = /^[A-Za-z0-9_-]*$/;

/** base64.RawURLEncoding.DecodeString: no padding, no foreign characters, no impossible lengths. */
export function decodeBase64UrlStrict(segment: string): Buffer | undefined {
  if (!BASE64URL_RAW.test(segment) || segment.length % 4 === 1) return undefined;
  return Buffer.from(segment, "base64url");
}

/** encoding/json refuses documents nested deeper than 10000; mirror it before JSON.parse. */
const GO_JSON_MAX_DEPTH = 10_000;

function exceedsGoJsonDepth(text: string): boolean {
  if (text.length <= GO_JSON_MAX_DEPTH) return false; // cannot nest deeper than its length
  let depth = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (inString) {
      if (c === 0x5c) i++;
      else if (c === 0x22) inString = false;
    } else if (c === 0x22) inString = true;
    else if (c === 0x7b || c === 0x5b) {
      if (++depth > GO_JSON_MAX_DEPTH) return true;
    } else if (c === 0x7d || c === 0x5d) depth--;
  }
  return false;
}

/** Parses JSON the way Go would accept it, or returns undefined. */
export function parseJsonSafely(text: string): { value: unknown } | undefined {
  if (exceedsGoJsonDepth(text)) return undefined;
  try {
    return { value: JSON.parse(text) as unknown };
  } catch {
    return undefined;
  }
}

export function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/**
 * Decodes the middle segment without verifying anything, as `hasCorrectIssuer` /
 * `untrustedIssuer` do in the apiserver. Undefined means "not a JWT we recognise".
 */
export function decodeUntrustedPayload(token: string): Record<string, unknown> | null | undefined {
  if (token.trimStart().startsWith("{")) return undefined;
  const parts = token.split(".");
  if (parts.length !== 3) return undefined;
  const bytes = decodeBase64UrlStrict(parts[1] ?? "");
  if (!bytes) return undefined;
  const parsed = parseJsonSafely(bytes.toString("utf8"));
  if (!parsed) return undefined;
  if (parsed.value === null) return null;
  return isPlainObject(parsed.value) ? parsed.value : undefined;
}

/** The unverified `iss`, or undefined when Go's struct decoding would fail or no string is there. */
export function untrustedIssuerOf(payload: Record<string, unknown> | null): string | undefined {
  if (payload === null) return "";
  const iss = payload.iss;
  if (iss === undefined || iss === null) return "";
  return typeof iss === "string" ? iss : undefined;
}

/**
 * Splits and decodes a compact JWS the way go-jose's ParseSigned does. Returns a reason
 * string on failure so OIDC can report `oidc: malformed jwt: ...`.
 */
export function parseCompactJws(
  token: string,
  /** The payload already decoded by decodeUntrustedPayload, to avoid decoding it twice per request. */
  knownPayload?: Record<string, unknown> | null,
): ParsedCompactJws | { malformed: string } {
  const parts = token.split(".");
  if (parts.length !== 3) return { malformed: "square/go-jose: compact JWS format must have three parts" };
  const [headerPart = "", payloadPart = "", signaturePart = ""] = parts;
  const headerBytes = decodeBase64UrlStrict(headerPart);
  const payloadBytes = knownPayload === undefined ? decodeBase64UrlStrict(payloadPart) : Buffer.alloc(0);
  const signature = decodeBase64UrlStrict(signaturePart);
  // UNVERIFIED in spec: chose go's base64 wording because go-jose returns the decoder error verbatim.
  if (!headerBytes || !payloadBytes || !signature) return { malformed: "illegal base64 data at input byte 0" };
  const header = parseJsonSafely(headerBytes.toString("utf8"));
  if (!header || !isPlainObject(header.value)) {
    return { malformed: "square/go-jose: invalid protected header" };
  }
  const { alg, kid } = header.value;
  if ((alg !== undefined && typeof alg !== "string") || (kid !== undefined && typeof kid !== "string")) {
    return { malformed: "square/go-jose: invalid protected header" };
  }
  let payloadObject: Record<string, unknown> = knownPayload ?? {};
  if (knownPayload === undefined) {
    const payload = parseJsonSafely(payloadBytes.toString("utf8"));
    payloadObject = payload && isPlainObject(payload.value) ? payload.value : {};
  }
  return { header: header.value, payload: payloadObject, signingInput: `${headerPart}.${payloadPart}`, signature };
}

const HASH_OF: Record<JwsAlgorithm, "sha256" | "sha384" | "sha512"> = {
  RS256: "sha256",
  RS384: "sha384",
  RS512: "sha512",
  PS256: "sha256",
  PS384: "sha384",
  PS512: "sha512",
  ES256: "sha256",
  ES384: "sha384",
  ES512: "sha512",
};

const CURVE_OF_ES: Record<string, VerificationKey["curve"]> = { ES256: "P-256", ES384: "P-384", ES512: "P-521" };
const EC_SIGNATURE_BYTES: Record<string, number> = { "P-256": 64, "P-384": 96, "P-521": 132 };

export function isJwsAlgorithm(alg: unknown): alg is JwsAlgorithm {
  return typeof alg === "string" && Object.prototype.hasOwnProperty.call(HASH_OF, alg);
}

/**
 * Verifies one signature with one key, refusing algorithms that do not fit the key type
 * (go-jose: `none`, HS256 "signed with the public key", ES256 against an RSA key all fail).
 */
export function verifyJwsSignature(alg: unknown, key: VerificationKey, signingInput: string, signature: Buffer): boolean {
  if (!isJwsAlgorithm(alg)) return false;
  const hash = HASH_OF[alg];
  try {
    if (key.kind === "rsa") {
      if (alg.startsWith("RS")) return cryptoVerify(hash, Buffer.from(signingInput), key.key, signature);
      if (alg.startsWith("PS")) {
        return cryptoVerify(
          hash,
          Buffer.from(signingInput),
          { key: key.key, padding: constants.RSA_PKCS1_PSS_PADDING, saltLength: constants.RSA_PSS_SALTLEN_AUTO },
          signature,
        );
      }
      return false;
    }
    if (CURVE_OF_ES[alg] !== key.curve || !key.curve) return false;
    if (signature.length !== EC_SIGNATURE_BYTES[key.curve]) return false;
    return cryptoVerify(hash, Buffer.from(signingInput), { key: key.key, dsaEncoding: "ieee-p1363" }, signature);
  } catch {
    return false;
  }
}

/** Imported KeyObjects by key material, so rebuilding an authenticator never re-imports a key. */
const importedKeys = new Map<string, KeyObject>();
const MAX_CACHED_KEYS = 1_000;

function remember(material: string, key: KeyObject): KeyObject {
  if (importedKeys.size >= MAX_CACHED_KEYS) importedKeys.clear();
  importedKeys.set(material, key);
  return key;
}

/** Imports a PEM (public or private key) once; returns the public KeyObject or undefined. */
export function importPublicKeyFromPem(pem: string): KeyObject | undefined {
  const cached = importedKeys.get(pem);
  if (cached) return cached;
  try {
    return remember(pem, createPublicKey(pem));
  } catch {
    return undefined;
  }
}

/** Imports a public JWK (RSA or EC) once; returns undefined for anything else. */
export function importPublicKeyFromJwk(jwk: JsonWebKey): KeyObject | undefined {
  if (jwk.kty !== "RSA" && jwk.kty !== "EC") return undefined;
  const publicPart: JsonWebKey = jwk.kty === "RSA" ? { kty: "RSA", n: jwk.n, e: jwk.e } : { kty: "EC", crv: jwk.crv, x: jwk.x, y: jwk.y };
  const material = JSON.stringify(publicPart);
  const cached = importedKeys.get(material);
  if (cached) return cached;
  try {
    return remember(material, createPublicKey({ key: publicPart, format: "jwk" }));
  } catch {
    return undefined;
  }
}

/** Describes a KeyObject for alg checks; undefined for key types JWS here does not support. */
export function describeKey(kid: string, key: KeyObject): VerificationKey | undefined {
  if (key.asymmetricKeyType === "rsa") return { kid, key, kind: "rsa" };
  if (key.asymmetricKeyType === "ec") {
    const curveName = key.asymmetricKeyDetails?.namedCurve;
    const curve =
      curveName === "prime256v1" ? "P-256" : curveName === "secp384r1" ? "P-384" : curveName === "secp521r1" ? "P-521" : undefined;
    return curve ? { kid, key, kind: "ec", curve } : undefined;
  }
  return undefined;
}
