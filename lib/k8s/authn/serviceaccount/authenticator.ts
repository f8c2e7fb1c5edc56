/**
 * The ServiceAccount token authenticator (pkg/serviceaccount/jwt.go JWTTokenAuthenticator), in
 * the spec §3.4 order: issuer pre-check, kid, signature + claim decoding, issuer, audiences,
 * then the bound or legacy validator. Never throws.
 */
import type { AuthnContext, AuthnOutcome, TokenAuthenticator } from "../../types";
import { LEGACY_SERVICE_ACCOUNT_ISSUER } from "./claims";
import {
  decodeBoundPrivateClaims,
  decodeLegacyPrivateClaims,
  decodePublicClaims,
  type PublicClaims,
} from "./decode-claims";
import { aggregateMessages, goQuote, goQuoteList } from "./go-format";
import { serviceAccountUserInfo } from "./identity";
import { decodeUntrustedPayload, parseCompactJws, untrustedIssuerOf, verifyJwsSignature, type VerificationKey } from "./jws";
import { loadVerificationKeys, type ServiceAccountKeyInput } from "./keys";
import type { ServiceAccountLookup } from "./lookup";
import { validateBoundToken, validateLegacyToken, type Validation } from "./validators";

export interface ServiceAccountAuthenticatorOptions {
  /** --service-account-issuer values (all accepted). Legacy mode defaults to ["kubernetes/serviceaccount"]. */
  issuers?: string[];
  /** --service-account-key-file contents: PEM public/private keys, or signing key objects. */
  keys: readonly ServiceAccountKeyInput[];
  /** --api-audiences (the implicit audiences). Defaults to the request context's audiences. */
  apiAudiences?: string[];
  lookup: ServiceAccountLookup;
  /** Validate legacy Secret-based tokens (§3.5) instead of bound tokens. */
  legacy?: boolean;
  /** --service-account-lookup (legacy tokens only), default true. */
  serviceAccountLookup?: boolean;
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
  const legacy = options.legacy ?? false;
  const issuers = new Set(options.issuers && options.issuers.length > 0 ? options.issuers : legacy ? [LEGACY_SERVICE_ACCOUNT_ISSUER] : []);
  const keys = loadVerificationKeys(options.keys);
  const keysById = new Map<string, VerificationKey[]>();
  for (const key of keys) keysById.set(key.kid, [...(keysById.get(key.kid) ?? []), key]);
  const lookupEnabled = options.serviceAccountLookup ?? true;

  function authenticate(token: string, context: AuthnContext): AuthnOutcome {
    const untrusted = decodeUntrustedPayload(token);
    if (untrusted === undefined) return noOpinion("token is not a compact JWT with a JSON payload");
    const untrustedIssuer = untrustedIssuerOf(untrusted);
    if (untrustedIssuer === undefined || !issuers.has(untrustedIssuer)) {
      return noOpinion(`token issuer ${JSON.stringify(untrustedIssuer ?? "")} is not one of this authenticator's issuers`);
    }
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
    if (!publicClaims || !privateDecoded?.ok) return { kind: "error", error: aggregateMessages(failures) };

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
        error: `token audiences ${goQuoteList(tokenAudiences)} is invalid for the target audiences ${goQuoteList(requestedAudiences)}`,
      };
    }

    const privateClaims = privateDecoded.value;
    const validation: Validation =
      "secretName" in privateClaims
        ? validateLegacyToken(token, publicClaims, privateClaims, options.lookup, lookupEnabled)
        : validateBoundToken(publicClaims, privateClaims, options.lookup, context.now);
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
    async authenticateToken(token: string, context: AuthnContext): Promise<AuthnOutcome> {
      try {
        return authenticate(token, context);
      } catch (error) {
        // Defensive: a lookup implementation may throw; report it like a getter error.
        return { kind: "error", error: error instanceof Error ? error.message : String(error) };
      }
    },
  };
}
