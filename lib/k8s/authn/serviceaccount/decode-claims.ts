/**
 * go-jose's `tok.Claims(key, &public, &private)` unmarshalling, with its type errors. A token with
 * a valid signature but (say) a string `exp` fails here, and the error joins the signature errors.
 */
import { goJsonTypeName } from "../../go";
import { isPlainObject } from "./jws";

export interface PublicClaims {
  iss: string;
  sub: string;
  aud: string[];
  exp?: number;
  nbf?: number;
  iat?: number;
  jti: string;
}

export interface RefClaim {
  name: string;
  uid: string;
}

export interface BoundPrivateClaims {
  namespace: string;
  serviceaccount: RefClaim;
  pod?: RefClaim;
  secret?: RefClaim;
  node?: RefClaim;
  warnafter?: number;
}

export interface LegacyPrivateClaims {
  namespace: string;
  secretName: string;
  serviceAccountName: string;
  serviceAccountUid: string;
}

// UNVERIFIED in spec: chose Go 1.2x encoding/json UnmarshalTypeError wording ("Go struct field
// <Struct>.<json path>") because that is what the apiserver's log line would contain.
class ClaimTypeError extends Error {}

const NUMERIC_DATE_ERROR = "square/go-jose/jwt: expected number value to unmarshal into NumericDate";
const AUDIENCE_ERROR = "square/go-jose/jwt: expected string or array value to unmarshal to Audience";

function typeError(value: unknown, struct: string, path: string, goType: string): ClaimTypeError {
  return new ClaimTypeError(`json: cannot unmarshal ${goJsonTypeName(value)} into Go struct field ${struct}.${path} of type ${goType}`);
}

/** A Go `string` field: null leaves it empty, anything but a string is a type error. */
function stringField(object: Record<string, unknown>, key: string, struct: string, path: string): string {
  const value = object[key];
  if (value === undefined || value === null) return "";
  if (typeof value !== "string") throw typeError(value, struct, path, "string");
  return value;
}

/** A `*jwt.NumericDate` field. */
function numericDate(object: Record<string, unknown>, key: string): number | undefined {
  const value = object[key];
  if (value === undefined || value === null) return undefined;
  if (typeof value !== "number") throw new ClaimTypeError(NUMERIC_DATE_ERROR);
  return Math.trunc(value);
}

function audience(value: unknown): string[] {
  if (value === undefined) return [];
  if (typeof value === "string") return [value];
  if (Array.isArray(value) && value.every((entry): entry is string => typeof entry === "string")) return value;
  throw new ClaimTypeError(AUDIENCE_ERROR);
}

function refField(object: Record<string, unknown>, key: string, path: string): RefClaim | undefined {
  const value = object[key];
  if (value === undefined || value === null) return undefined;
  if (!isPlainObject(value)) throw typeError(value, "privateClaims", path, "serviceaccount.ref");
  return {
    name: stringField(value, "name", "privateClaims", `${path}.name`),
    uid: stringField(value, "uid", "privateClaims", `${path}.uid`),
  };
}

type Decoded<T> = { ok: true; value: T } | { ok: false; error: string };

function decode<T>(build: () => T): Decoded<T> {
  try {
    return { ok: true, value: build() };
  } catch (error) {
    if (error instanceof ClaimTypeError) return { ok: false, error: error.message };
    return { ok: false, error: "square/go-jose: error in cryptographic primitive" };
  }
}

export function decodePublicClaims(payload: Record<string, unknown>): Decoded<PublicClaims> {
  return decode(() => ({
    iss: stringField(payload, "iss", "Claims", "iss"),
    sub: stringField(payload, "sub", "Claims", "sub"),
    aud: audience(payload.aud),
    exp: numericDate(payload, "exp"),
    nbf: numericDate(payload, "nbf"),
    iat: numericDate(payload, "iat"),
    jti: stringField(payload, "jti", "Claims", "jti"),
  }));
}

export function decodeBoundPrivateClaims(payload: Record<string, unknown>): Decoded<BoundPrivateClaims> {
  return decode(() => {
    const raw = payload["kubernetes.io"];
    if (raw !== undefined && raw !== null && !isPlainObject(raw)) {
      throw typeError(raw, "privateClaims", "kubernetes.io", "serviceaccount.kubernetes");
    }
    const k = isPlainObject(raw) ? raw : {};
    const claims: BoundPrivateClaims = {
      namespace: stringField(k, "namespace", "privateClaims", "kubernetes.io.namespace"),
      serviceaccount: refField(k, "serviceaccount", "kubernetes.io.serviceaccount") ?? { name: "", uid: "" },
    };
    const pod = refField(k, "pod", "kubernetes.io.pod");
    const secret = refField(k, "secret", "kubernetes.io.secret");
    const node = refField(k, "node", "kubernetes.io.node");
    const warnafter = numericDate(k, "warnafter");
    if (pod) claims.pod = pod;
    if (secret) claims.secret = secret;
    if (node) claims.node = node;
    if (warnafter !== undefined) claims.warnafter = warnafter;
    return claims;
  });
}

export function decodeLegacyPrivateClaims(payload: Record<string, unknown>): Decoded<LegacyPrivateClaims> {
  const struct = "legacyPrivateClaims";
  return decode(() => ({
    namespace: stringField(payload, "kubernetes.io/serviceaccount/namespace", struct, "kubernetes.io/serviceaccount/namespace"),
    secretName: stringField(payload, "kubernetes.io/serviceaccount/secret.name", struct, "kubernetes.io/serviceaccount/secret.name"),
    serviceAccountName: stringField(
      payload,
      "kubernetes.io/serviceaccount/service-account.name",
      struct,
      "kubernetes.io/serviceaccount/service-account.name",
    ),
    serviceAccountUid: stringField(
      payload,
      "kubernetes.io/serviceaccount/service-account.uid",
      struct,
      "kubernetes.io/serviceaccount/service-account.uid",
    ),
  }));
}
