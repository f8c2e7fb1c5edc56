/**
 * The --oidc-* flags, turned into the JWTAuthenticator the apiserver builds from them
 * (pkg/kubeapiserver/options/authentication.go), including the username prefix rules (§4.1).
 */
import { formatFieldErrors } from "../serviceaccount/field-error";
import { goQuote } from "../../go";
import { ALL_VALID_SIGNING_ALGS, type JwtAuthenticatorConfig } from "./config-types";
import { validateJwtAuthenticator } from "./validation";

export interface OidcFlags {
  issuerUrl?: string;
  clientId?: string;
  /** Default "sub". */
  usernameClaim?: string;
  usernamePrefix?: string;
  groupsClaim?: string;
  groupsPrefix?: string;
  /** --oidc-required-claim key=value, repeatable. */
  requiredClaims?: Record<string, string>;
  /** Default ["RS256"]. */
  signingAlgs?: string[];
  caFile?: string;
}

export type OidcFlagsResult =
  | { ok: true; authenticator: JwtAuthenticatorConfig; signingAlgs: string[] }
  | { ok: true; authenticator: undefined; signingAlgs: string[] }
  | { ok: false; errors: string[] };

export function oidcFlagsToJwtAuthenticator(flags: OidcFlags): OidcFlagsResult {
  const issuerUrl = flags.issuerUrl ?? "";
  const clientId = flags.clientId ?? "";
  const signingAlgs = flags.signingAlgs && flags.signingAlgs.length > 0 ? flags.signingAlgs : ["RS256"];
  if (issuerUrl.length > 0 !== clientId.length > 0) {
    return { ok: false, errors: ["oidc-issuer-url and oidc-client-id should be specified together"] };
  }
  const badAlg = signingAlgs.find((alg) => !ALL_VALID_SIGNING_ALGS.includes(alg));
  if (badAlg !== undefined) return { ok: false, errors: [`oidc: unsupported signing alg: ${goQuote(badAlg)}`] };
  if (!issuerUrl) return { ok: true, authenticator: undefined, signingAlgs };

  const usernameClaim = flags.usernameClaim || "sub";
  let usernamePrefix = flags.usernamePrefix ?? "";
  // Legacy flag behaviour: without a prefix, every claim but "email" is prefixed with the issuer URL.
  if (usernamePrefix === "" && usernameClaim !== "email") usernamePrefix = `${issuerUrl}#`;
  if (usernamePrefix === "-") usernamePrefix = "";

  const authenticator: JwtAuthenticatorConfig = {
    issuer: { url: issuerUrl, audiences: [clientId] },
    claimMappings: { username: { claim: usernameClaim, prefix: usernamePrefix } },
  };
  if (flags.groupsClaim) authenticator.claimMappings.groups = { claim: flags.groupsClaim, prefix: flags.groupsPrefix ?? "" };
  const required = Object.entries(flags.requiredClaims ?? {});
  if (required.length > 0) authenticator.claimValidationRules = required.map(([claim, requiredValue]) => ({ claim, requiredValue }));

  const { errors } = validateJwtAuthenticator(authenticator, "");
  if (errors.length > 0) return { ok: false, errors: [formatFieldErrors(errors)] };
  return { ok: true, authenticator, signingAlgs };
}
