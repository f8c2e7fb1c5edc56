/** OIDC / JWT authenticators, their configuration and a simulated identity provider (spec §4). */
export { createJwtAuthenticator } from "./authenticator";
export type { Jwks, JwtAuthenticatorOptions } from "./authenticator";
export { oidcFlagsToJwtAuthenticator } from "./flags";
export type { OidcFlags, OidcFlagsResult } from "./flags";
export { parseAuthenticationConfiguration } from "./config";
export type { ParsedAuthenticationConfiguration } from "./config";
export type { AuthenticationConfiguration, JwtAuthenticatorConfig } from "./config-types";
export { createIdentityProvider, restoreIdentityProvider } from "./identity-provider";
export type { IdentityProvider, IdentityProviderState } from "./identity-provider";
