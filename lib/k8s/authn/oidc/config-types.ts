/** apiserver.config.k8s.io/v1beta1 AuthenticationConfiguration shapes (spec §4.2), as plain data. */

export interface PrefixedClaimOrExpression {
  claim?: string;
  /** Required when claim is set; "" disables prefixing. Undefined = not set (Go nil pointer). */
  prefix?: string;
  expression?: string;
}

export interface ClaimOrExpression {
  claim?: string;
  expression?: string;
}

export interface ExtraMapping {
  key: string;
  valueExpression: string;
}

export interface ClaimValidationRule {
  claim?: string;
  requiredValue?: string;
  expression?: string;
  message?: string;
}

export interface UserValidationRule {
  expression: string;
  message?: string;
}

export interface JwtIssuer {
  url: string;
  discoveryURL?: string;
  certificateAuthority?: string;
  audiences: string[];
  audienceMatchPolicy?: string;
}

export interface JwtAuthenticatorConfig {
  issuer: JwtIssuer;
  claimValidationRules?: ClaimValidationRule[];
  claimMappings: {
    username: PrefixedClaimOrExpression;
    groups?: PrefixedClaimOrExpression;
    uid?: ClaimOrExpression;
    extra?: ExtraMapping[];
  };
  userValidationRules?: UserValidationRule[];
}

export interface AnonymousAuthConfig {
  enabled: boolean;
  conditions?: Array<{ path: string }>;
}

export interface AuthenticationConfiguration {
  apiVersion: "apiserver.config.k8s.io/v1beta1" | "apiserver.config.k8s.io/v1alpha1";
  kind: "AuthenticationConfiguration";
  jwt: JwtAuthenticatorConfig[];
  anonymous?: AnonymousAuthConfig;
}

/** oidc.AllValidSigningAlgorithms(): what structured-config authenticators accept. */
export const ALL_VALID_SIGNING_ALGS = ["ES256", "ES384", "ES512", "PS256", "PS384", "PS512", "RS256", "RS384", "RS512"];
