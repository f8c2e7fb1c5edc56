/**
 * A simulated OpenID Connect identity provider: signs ID tokens for lessons and tests. Its state
 * is plain JSON (keys as PEM + JWK) so a cluster and its IdP can be stored and restored.
 */
import { generateKeyPairSync, type JsonWebKey } from "node:crypto";
import { randomUuid, type RandomBytes } from "../serviceaccount/claims";
import { signCompactJws } from "../serviceaccount/issue";
import { keyIdFromPublicKey } from "../serviceaccount/keys";
import type { Jwks } from "./authenticator";

export interface IdentityProviderState {
  issuer: string;
  alg: "RS256" | "ES256";
  kid: string;
  privateKeyPem: string;
  publicJwk: JsonWebKey;
}

export interface IdentityProvider {
  readonly state: IdentityProviderState;
  /** The public JWKS document (what jwks_uri serves). */
  jwks(): Jwks;
  /** Signs `claims` with iss, iat and exp filled in (claims may override them, e.g. to forge). */
  issueIdToken(input: {
    claims: Record<string, unknown>;
    now: Date;
    expiresInSeconds?: number;
    header?: Record<string, string>;
  }): Promise<string>;
}

export function createIdentityProvider(options: { issuer: string; alg: "RS256" | "ES256"; random?: RandomBytes }): IdentityProvider {
  const pair =
    options.alg === "RS256" ? generateKeyPairSync("rsa", { modulusLength: 2048 }) : generateKeyPairSync("ec", { namedCurve: "P-256" });
  const kid = keyIdFromPublicKey(pair.publicKey);
  return restoreIdentityProvider(
    {
      issuer: options.issuer,
      alg: options.alg,
      kid,
      privateKeyPem: pair.privateKey.export({ type: "pkcs8", format: "pem" }).toString(),
      publicJwk: { ...pair.publicKey.export({ format: "jwk" }), kid, alg: options.alg, use: "sig" },
    },
    options.random,
  );
}

export function restoreIdentityProvider(state: IdentityProviderState, random?: RandomBytes): IdentityProvider {
  return {
    state,
    jwks: () => ({ keys: [{ ...state.publicJwk }] }),
    async issueIdToken({ claims, now, expiresInSeconds = 3600, header = {} }) {
      const iat = Math.floor(now.getTime() / 1000);
      const payload = { iss: state.issuer, iat, exp: iat + expiresInSeconds, jti: randomUuid(random), ...claims };
      return signCompactJws(payload, { alg: state.alg, kid: state.kid, privateKeyPem: state.privateKeyPem }, { typ: "JWT", ...header });
    },
  };
}
