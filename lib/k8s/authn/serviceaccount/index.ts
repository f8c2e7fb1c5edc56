/** ServiceAccount tokens: keys, issuing, TokenRequest rules and the authenticator (spec §3). */
export { createServiceAccountSigningKey, keyIdFromPublicKey, loadVerificationKeys, publicKeyOf } from "./keys";
export type { ServiceAccountKeyInput, ServiceAccountSigningAlg, ServiceAccountSigningKey } from "./keys";
export { issueBoundServiceAccountToken, issueLegacyServiceAccountToken } from "./issue";
export type { IssueBoundTokenInput, IssuedBoundToken, IssueLegacyTokenInput, IssuedLegacyToken } from "./issue";
export {
  EXPIRATION_EXTENSION_SECONDS,
  LEGACY_SERVICE_ACCOUNT_ISSUER,
  WARN_ONLY_BOUND_TOKEN_EXPIRATION_SECONDS,
  serviceAccountUsername,
  randomUuid,
} from "./claims";
export type { BoundObject, BoundTokenClaims, LegacyTokenClaims, RandomBytes, ServiceAccountRef } from "./claims";
export { DEFAULT_TOKEN_EXPIRATION_SECONDS, validateTokenRequest } from "./token-request";
export type { NormalizedTokenRequest, TokenRequestOptions, TokenRequestSpec, TokenRequestValidation } from "./token-request";
export { createServiceAccountTokenAuthenticator, createServiceAccountTokenVerifier } from "./authenticator";
export type { ServiceAccountAuthenticatorOptions, ServiceAccountTokenVerifier, ServiceAccountVerifierOptions } from "./authenticator";
export type { ServiceAccountLookup, LookupNode, LookupPod, LookupSecret, LookupServiceAccount } from "./lookup";
export { serviceAccountUserInfo, credentialIdForJti } from "./identity";
export type { ServiceAccountInfo } from "./identity";
export { formatFieldError, formatFieldErrors } from "./field-error";
export type { FieldError } from "./field-error";
