/**
 * OIDC/JWT authenticators of the cluster (--oidc-* flags or --authentication-config), plus the
 * anonymous section of that file, built with lib/k8s/authn/oidc. The simulated identity providers
 * stand in for OIDC discovery: an issuer's JWKS comes from the IdP with the same issuer URL, and an
 * issuer without one behaves like an IdP the apiserver could not reach ("authenticator not initialized").
 */
import { createPublicKey } from "node:crypto";
import type { AnonymousCondition } from "../authn/anonymous";
import {
  createJwtAuthenticator,
  oidcFlagsToJwtAuthenticator,
  parseAuthenticationConfiguration,
  restoreIdentityProvider,
  type IdentityProvider,
  type Jwks,
} from "../authn/oidc";
import { keyIdFromPublicKey } from "../authn/serviceaccount";
import type { TokenAuthenticator } from "../types";
import type { ClusterConfig, IdentityProviderConfig } from "./state";

export interface JwtSetup {
  authenticators: TokenAuthenticator[];
  anonymous?: { enabled?: boolean; conditions?: AnonymousCondition[] };
  errors: string[];
}

/** The IdP as lib/k8s/authn/oidc models it, with kid and public JWK derived from the stored key. */
export function identityProviderFrom(config: IdentityProviderConfig): IdentityProvider {
  const publicKey = createPublicKey(config.privateKeyPem);
  const kid = keyIdFromPublicKey(publicKey);
  return restoreIdentityProvider({
    issuer: config.issuer,
    alg: config.alg,
    kid,
    privateKeyPem: config.privateKeyPem,
    publicJwk: { ...publicKey.export({ format: "jwk" }), kid, alg: config.alg, use: "sig" },
  });
}

function jwksFor(config: ClusterConfig, issuer: string): Jwks | undefined {
  const idp = config.identityProviders.find((candidate) => candidate.issuer === issuer);
  return idp === undefined ? undefined : identityProviderFrom(idp).jwks();
}

function message(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

export function jwtAuthenticatorsFor(config: ClusterConfig): JwtSetup {
  const oidc = config.oidc;
  const disallowedIssuers = config.serviceAccount.issuers;
  if (oidc === undefined) return { authenticators: [], errors: [] };
  if (oidc.flags !== undefined && oidc.authenticationConfigYaml !== undefined) {
    // UNVERIFIED in spec: chose this wording for the documented "mutually exclusive" startup error.
    return { authenticators: [], errors: ["authentication-config file and oidc-* flags are mutually exclusive"] };
  }
  if (oidc.flags !== undefined) {
    const result = oidcFlagsToJwtAuthenticator(oidc.flags);
    if (!result.ok) return { authenticators: [], errors: result.errors };
    if (result.authenticator === undefined) return { authenticators: [], errors: [] };
    try {
      const jwks = jwksFor(config, result.authenticator.issuer.url);
      return {
        authenticators: [
          createJwtAuthenticator(result.authenticator, {
            signingAlgs: result.signingAlgs,
            disallowedIssuers,
            ...(jwks === undefined ? {} : { jwks }),
          }),
        ],
        errors: [],
      };
    } catch (error) {
      return { authenticators: [], errors: [message(error)] };
    }
  }
  if (oidc.authenticationConfigYaml === undefined) return { authenticators: [], errors: [] };
  const parsed = parseAuthenticationConfiguration(oidc.authenticationConfigYaml, disallowedIssuers);
  if (!parsed.ok) return { authenticators: [], errors: parsed.errors };
  const authenticators: TokenAuthenticator[] = [];
  const errors: string[] = [];
  for (const jwt of parsed.config.jwt) {
    try {
      const jwks = jwksFor(config, jwt.issuer.url);
      authenticators.push(createJwtAuthenticator(jwt, { disallowedIssuers, ...(jwks === undefined ? {} : { jwks }) }));
    } catch (error) {
      errors.push(message(error));
    }
  }
  const anonymous = parsed.config.anonymous;
  return anonymous === undefined ? { authenticators, errors } : { authenticators, errors, anonymous };
}
