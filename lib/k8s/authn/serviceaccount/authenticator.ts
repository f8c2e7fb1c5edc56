/**
 * The ServiceAccount token authenticator (pkg/serviceaccount/jwt.go JWTTokenAuthenticator), in
 * the spec §3.4 order: issuer pre-check, kid, signature + claim decoding, issuer, audiences,
 * then the bound or legacy validator. Never throws.
 */
import { createHash } from "node:crypto";
import type { AuthnContext, AuthnOutcome, TokenAuthenticator } from "../../types";
import { LEGACY_SERVICE_ACCOUNT_ISSUER } from "./claims";
import {
  decodeBoundPrivateClaims,
  decodeLegacyPrivateClaims,
  decodePublicClaims,
  type BoundPrivateClaims,
  type LegacyPrivateClaims,
  type PublicClaims,
} from "./decode-claims";
import { goAggregateText, goQuote, goQuoteSlice } from "../../go";
import { serviceAccountUserInfo } from "./identity";
import { decodeUntrustedPayload, parseCompactJws, untrustedIssuerOf, verifyJwsSignature, type VerificationKey } from "./jws";
import { loadVerificationKeys, type ServiceAccountKeyInput } from "./keys";
import type { ServiceAccountLookup } from "./lookup";
import { validateBoundToken, validateLegacyToken, type Validation } from "./validators";

export interface ServiceAccountVerifierOptions {
  /** --service-account-issuer values (all accepted). Legacy mode defaults to ["kubernetes/serviceaccount"]. */
  issuers?: string[];
  /** --service-account-key-file contents: PEM public/private keys, or signing key objects. */
  keys: readonly ServiceAccountKeyInput[];
  /** --api-audiences (the implicit audiences). Defaults to the request context's audiences. */
  apiAudiences?: string[];
  /** Validate legacy Secret-based tokens (§3.5) instead of bound tokens. */
  legacy?: boolean;
  /** --service-account-lookup (legacy tokens only), default true. */
  serviceAccountLookup?: boolean;
  /**
   * Remember up to this many tokens whose signature verified and whose claims decoded (default 0: no
   * memo). Only that time-independent, key-dependent part is remembered, under a SHA-256 of the token;
   * issuer, audiences, the clock and the live ServiceAccount/Secret/Pod/Node lookups run on every call.
   */
  verifiedTokenMemo?: number;
  /** The memo's generation: entries stored under another value are not used (default: constant). */
  memoGeneration?: () => number | string;
}

export interface ServiceAccountAuthenticatorOptions extends ServiceAccountVerifierOptions {
  lookup: ServiceAccountLookup;
}

/**
 * The authenticator with the live lookups passed per call: the keys are imported once, and a
 * cluster can keep one verifier per configuration while its objects change between requests.
 */
export interface ServiceAccountTokenVerifier {
  readonly name: string;
  authenticateToken(token: string, context: AuthnContext, lookup: ServiceAccountLookup): Promise<AuthnOutcome>;
}

/** Wrong alg for the key, `none`, or a bad signature: go-jose turns every one into this. */
// UNVERIFIED in spec: chose go-jose v2 ErrCryptoFailure because DetachedVerify maps every verifyPayload error to it.
const CRYPTO_FAILURE = "square/go-jose: error in cryptographic primitive";

function noOpinion(reason: string): AuthnOutcome {
  return { kind: "no-opinion", reason };
}

function intersect(tokenAudiences: readonly string[], requested: readonly string[]): string[] {
  const wanted = new Set(requested);
  return tokenAudiences.filter((audience) => wanted.has(audience));
}

export function createServiceAccountTokenAuthenticator(options: ServiceAccountAuthenticatorOptions): TokenAuthenticator {
  const verifier = createServiceAccountTokenVerifier(options);
  return {
    name: verifier.name,
    authenticateToken: (token, context) => verifier.authenticateToken(token, context, options.lookup),
  };
}

interface VerifiedToken {
  publicClaims: PublicClaims;
  privateClaims: BoundPrivateClaims | LegacyPrivateClaims;
}

interface MemoEntry {
  /** The verified claims, or the no-opinion reason of a token that is not for this authenticator's issuers. */
  verified: VerifiedToken | AuthnOutcome;
  generation: number | string;
}

export function createServiceAccountTokenVerifier(options: ServiceAccountVerifierOptions): ServiceAccountTokenVerifier {
  const legacy = options.legacy ?? false;
  const issuers = new Set(options.issuers && options.issuers.length > 0 ? options.issuers : legacy ? [LEGACY_SERVICE_ACCOUNT_ISSUER] : []);
  const keys = loadVerificationKeys(options.keys);
  const keysById = new Map<string, VerificationKey[]>();
  for (const key of keys) keysById.set(key.kid, [...(keysById.get(key.kid) ?? []), key]);
  const lookupEnabled = options.serviceAccountLookup ?? true;
  const memoSize = Math.max(0, options.verifiedTokenMemo ?? 0);
  const memo = new Map<string, MemoEntry>();
  const generation = options.memoGeneration ?? ((): number => 0);

  function remember(key: string, verified: VerifiedToken | AuthnOutcome): void {
    memo.delete(key);
    memo.set(key, { verified, generation: generation() });
    while (memo.size > memoSize) {
      const oldest = memo.keys().next();
      if (oldest.done) break;
      memo.delete(oldest.value);
    }
  }

  /** Signature and claim decoding: depends only on the token and the keys. */
  function verify(token: string, untrusted: Record<string, unknown> | null): VerifiedToken | AuthnOutcome {
    const jws = parseCompactJws(token, untrusted);
    if ("malformed" in jws) return noOpinion(`token is not a valid JWS: ${jws.malformed}`);

    const kid = typeof jws.header.kid === "string" ? jws.header.kid : "";
    const candidates = kid ? (keysById.get(kid) ?? []) : keys;
    if (candidates.length === 0) return { kind: "error", error: "invalid signature, no keys found" };

    const failures: string[] = [];
    let publicClaims: PublicClaims | undefined;
    let privateDecoded: ReturnType<typeof decodeBoundPrivateClaims> | ReturnType<typeof decodeLegacyPrivateClaims> | undefined;
    for (const key of candidates) {
      if (!verifyJwsSignature(jws.header.alg, key, jws.signingInput, jws.signature)) {
        failures.push(CRYPTO_FAILURE);
        continue;
      }
      const decoded = decodePublicClaims(jws.payload);
      const decodedPrivate = legacy ? decodeLegacyPrivateClaims(jws.payload) : decodeBoundPrivateClaims(jws.payload);
      if (!decoded.ok) failures.push(decoded.error);
      else if (!decodedPrivate.ok) failures.push(decodedPrivate.error);
      else {
        publicClaims = decoded.value;
        privateDecoded = decodedPrivate;
        break;
      }
    }
    if (!publicClaims || !privateDecoded?.ok) return { kind: "error", error: goAggregateText(failures) };
    return { publicClaims, privateClaims: privateDecoded.value };
  }

  /**
   * The verified claims, from the memo or freshly checked. Only two kinds of answer are remembered, both
   * functions of the token and this authenticator's fixed issuers and keys: verified claims, and "not
   * one of this authenticator's issuers" (so the other ServiceAccount authenticator and OIDC tokens skip
   * decoding the payload again).
   */
  function verified(token: string): VerifiedToken | AuthnOutcome {
    const memoKey = memoSize > 0 ? createHash("sha256").update(token).digest("base64url") : undefined;
    const remembered = memoKey === undefined ? undefined : memo.get(memoKey);
    if (memoKey !== undefined && remembered !== undefined) {
      memo.delete(memoKey);
      if (remembered.generation === generation()) {
        memo.set(memoKey, remembered);
        // A remembered outcome is a plain no-opinion: hand out a copy so no caller shares it.
        return "kind" in remembered.verified ? { ...remembered.verified } : remembered.verified;
      }
    }
    const untrusted = decodeUntrustedPayload(token);
    if (untrusted === undefined) return noOpinion("token is not a compact JWT with a JSON payload");
    const untrustedIssuer = untrustedIssuerOf(untrusted);
    if (untrustedIssuer === undefined || !issuers.has(untrustedIssuer)) {
      const notMine = noOpinion(`token issuer ${goQuote(untrustedIssuer ?? "")} is not one of this authenticator's issuers`);
      if (memoKey !== undefined) remember(memoKey, notMine);
      return notMine;
    }
    const result = verify(token, untrusted);
    if (memoKey !== undefined && !("kind" in result)) remember(memoKey, result);
    return result;
  }

  function authenticate(token: string, context: AuthnContext, lookup: ServiceAccountLookup): AuthnOutcome {
    const checked = verified(token);
    if ("kind" in checked) return checked;
    const { publicClaims, privateClaims } = checked;

    if (!issuers.has(publicClaims.iss)) return { kind: "error", error: `token issuer ${goQuote(publicClaims.iss)} is invalid` };

    const implicitAudiences = options.apiAudiences ?? context.apiAudiences;
    // A token without aud (legacy) is treated as carrying the API audiences
    // (audit annotation authentication.k8s.io/legacy-token).
    const tokenAudiences = publicClaims.aud.length > 0 ? publicClaims.aud : implicitAudiences;
    const requestedAudiences = context.apiAudiences;
    const audiences = intersect(tokenAudiences, requestedAudiences);
    if (audiences.length === 0 && implicitAudiences.length > 0) {
      return {
        kind: "error",
        error: `token audiences ${goQuoteSlice(tokenAudiences)} is invalid for the target audiences ${goQuoteSlice(requestedAudiences)}`,
      };
    }

    const validation: Validation =
      "secretName" in privateClaims
        ? validateLegacyToken(token, publicClaims, privateClaims, lookup, lookupEnabled)
        : validateBoundToken(publicClaims, privateClaims, lookup, context.now);
    if (!validation.ok) return { kind: "error", error: validation.error };
    return {
      kind: "user",
      user: serviceAccountUserInfo(validation.info),
      audiences,
      ...(publicClaims.exp !== undefined ? { validUntil: new Date(publicClaims.exp * 1000) } : {}),
    };
  }

  return {
    name: legacy ? "serviceaccount:legacy" : "serviceaccount",
    async authenticateToken(token: string, context: AuthnContext, lookup: ServiceAccountLookup): Promise<AuthnOutcome> {
      try {
        return authenticate(token, context, lookup);
      } catch (error) {
        // Defensive: a lookup implementation may throw; report it like a getter error.
        return { kind: "error", error: error instanceof Error ? error.message : String(error) };
      }
    },
  };
}
