/** ServiceAccount tokens: keys, issuing, TokenRequest rules and the authenticator (spec §3). */
export { createServiceAccountSigningKey, keyIdFromPublicKey, publicKeyOf } from "./keys";
export type { ServiceAccountKeyInput, ServiceAccountSigningAlg, ServiceAccountSigningKey } from "./keys";
export { issueBoundServiceAccountToken, issueLegacyServiceAccountToken } from "./issue";
export type { IssueBoundTokenInput, IssuedBoundToken, IssueLegacyTokenInput, IssuedLegacyToken } from "./issue";
export type { BoundObject, BoundTokenClaims, LegacyTokenClaims, RandomBytes, ServiceAccountRef } from "./claims";
export { validateTokenRequest } from "./token-request";
export type { NormalizedTokenRequest, TokenRequestOptions, TokenRequestSpec, TokenRequestValidation } from "./token-request";
export { createServiceAccountTokenAuthenticator, createServiceAccountTokenVerifier } from "./authenticator";
export type { ServiceAccountAuthenticatorOptions, ServiceAccountTokenVerifier, ServiceAccountVerifierOptions } from "./authenticator";
export type { ServiceAccountLookup, LookupNode, LookupPod, LookupSecret, LookupServiceAccount } from "./lookup";
export type { ServiceAccountInfo } from "./identity";
export type { FieldError } from "./field-error";
