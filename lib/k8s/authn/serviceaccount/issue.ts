/**
 * Issuing ServiceAccount tokens the way kube-controller-manager / the TokenRequest REST handler do.
 */
import { createPrivateKey, type KeyObject } from "node:crypto";
import { CompactSign } from "jose";
import {
  buildBoundClaims,
  buildLegacyClaims,
  randomUuid,
  type BoundObject,
  type BoundTokenClaims,
  type LegacyTokenClaims,
  type RandomBytes,
  type ServiceAccountRef,
} from "./claims";
import type { ServiceAccountSigningKey } from "./keys";

type SigningKeyData = Pick<ServiceAccountSigningKey, "alg" | "kid" | "privateKeyPem">;

const privateKeys = new Map<string, KeyObject>();

function privateKeyObject(pem: string): KeyObject {
  const cached = privateKeys.get(pem);
  if (cached) return cached;
  const key = createPrivateKey(pem);
  if (privateKeys.size > 100) privateKeys.clear();
  privateKeys.set(pem, key);
  return key;
}

/** Go's json.Marshal escapes these for HTML safety; go-jose payloads therefore carry them escaped. */
export function goJsonMarshal(value: unknown): string {
  return JSON.stringify(value).replace(/[<>&\u2028\u2029]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, "0")}`);
}

/** Signs a payload with header `{"alg":...,"kid":...}` (go-jose's header, keys sorted). */
export async function signCompactJws(payload: unknown, key: SigningKeyData, extraHeader: Record<string, string> = {}): Promise<string> {
  const bytes = new TextEncoder().encode(goJsonMarshal(payload));
  return new CompactSign(bytes)
    .setProtectedHeader({ alg: key.alg, kid: key.kid, ...extraHeader })
    .sign(privateKeyObject(key.privateKeyPem));
}

export interface IssueBoundTokenInput {
  key: SigningKeyData;
  /** The first --service-account-issuer. */
  issuer: string;
  audiences: string[];
  /** Seconds until `exp`; use the normalized value from validateTokenRequest. */
  expirationSeconds: number;
  /** Set for extended (3607) pod tokens: `kubernetes.io.warnafter` = iat + this. */
  warnAfterSeconds?: number;
  serviceAccount: ServiceAccountRef;
  boundObject?: BoundObject;
  now: Date;
  jti?: string;
  random?: RandomBytes;
}

export interface IssuedBoundToken {
  token: string;
  claims: BoundTokenClaims;
}

export async function issueBoundServiceAccountToken(input: IssueBoundTokenInput): Promise<IssuedBoundToken> {
  const claims = buildBoundClaims({
    issuer: input.issuer,
    audiences: input.audiences,
    expirationSeconds: input.expirationSeconds,
    warnAfterSeconds: input.warnAfterSeconds,
    serviceAccount: input.serviceAccount,
    boundObject: input.boundObject,
    now: input.now,
    jti: input.jti ?? randomUuid(input.random),
  });
  return { token: await signCompactJws(claims, input.key), claims };
}

export interface IssueLegacyTokenInput {
  key: SigningKeyData;
  serviceAccount: ServiceAccountRef;
  /** The kubernetes.io/service-account-token Secret the token will be stored in. */
  secretName: string;
}

export interface IssuedLegacyToken {
  token: string;
  claims: LegacyTokenClaims;
}

/** The token the (pre-1.24) token controller wrote into `data.token` of the Secret. */
export async function issueLegacyServiceAccountToken(input: IssueLegacyTokenInput): Promise<IssuedLegacyToken> {
  const claims = buildLegacyClaims(input.serviceAccount, input.secretName);
  return { token: await signCompactJws(claims, input.key), claims };
}
