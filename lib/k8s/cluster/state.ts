/**
 * The whole simulated cluster as one JSON-serializable value. Only source data is stored: parsed
 * keys, authenticators and the bootstrap RBAC policy are derived on demand (see runtime.ts and
 * bootstrap.ts), which keeps a stored instance small.
 */
import type { OidcFlags } from "../authn/oidc";
import type { JsonObject } from "../json";
import type { NodeState } from "./node-state";

export interface ServiceAccountConfig {
  /** --service-account-issuer values; the first signs. */
  issuers: string[];
  /** --service-account-signing-key-file (PKCS#8 PEM). */
  signingKeyPem: string;
  /** --service-account-key-file: extra verification keys (PEM public keys); the signing key's public half is always included. */
  extraVerificationKeyPems: string[];
  /** --service-account-max-token-expiration in seconds; undefined: no maximum. */
  maxTokenExpirationSeconds?: number;
  /** --service-account-extend-token-expiration (default true). */
  extendTokenExpiration: boolean;
}

export interface OidcConfig {
  /** The legacy --oidc-* flags. */
  flags?: OidcFlags;
  /** --authentication-config file contents (AuthenticationConfiguration YAML). */
  authenticationConfigYaml?: string;
}

/** A simulated identity provider the scenario mints ID tokens with (kid and JWKS are derived). */
export interface IdentityProviderConfig {
  issuer: string;
  alg: "RS256" | "ES256";
  /** PKCS#8 PEM of the IdP signing key. */
  privateKeyPem: string;
}

export interface ClusterConfig {
  /** host:port reported in /api serverAddressByClientCIDRs. */
  serverAddress: string;
  /** --client-ca-file contents (one or more CERTIFICATE blocks); empty string: no x509 authenticator. */
  clientCaBundlePem: string;
  /** --cluster-signing-cert-file/--cluster-signing-key-file used by the csrsigning controller. */
  clusterSigner: { certPem: string; keyPem: string };
  /** The HTTPS serving certificate (and the CA a kubeconfig trusts). */
  serving?: { caCertPem: string; certPem: string; keyPem: string };
  serviceAccount: ServiceAccountConfig;
  /** --api-audiences; defaults to the SA issuers. */
  apiAudiences: string[];
  /** --anonymous-auth as passed; undefined: flag not given (default true, and the config file may decide). */
  anonymousAuth?: boolean;
  /** --token-auth-file CSV contents; undefined: flag not set. */
  tokenAuthFileCsv?: string;
  oidc?: OidcConfig;
  identityProviders: IdentityProviderConfig[];
  /** kube-controller-manager --cluster-signing-duration, seconds. */
  clusterSigningDurationSeconds: number;
}

export interface ClusterState {
  format: "kubeprep.cluster/v1";
  clock: { nowMs: number };
  /** When the cluster "was installed": creation time of bootstrap objects. */
  bootstrapMs: number;
  /** Deterministic source for uids and serial numbers. */
  random: { seed: string; counter: number };
  lastResourceVersion: number;
  config: ClusterConfig;
  /** resource key (see api/resources resourceKey) -> "namespace/name" (or "/name") -> object. */
  objects: Record<string, Record<string, JsonObject>>;
  /** Keys "resourceKey|namespace/name" of derived bootstrap objects that were deleted or replaced. */
  shadowedBootstrap: string[];
  /** Credentials the scenario hands to the learner (kubeconfig material), by id. */
  credentials: Record<string, UserCredential>;
  /** The kubeadm control-plane node (`node: kubeadm` in the spec); absent: the API server only. */
  node?: NodeState;
  /**
   * Tokens the simulated kubelet put into Pods' projected serviceAccountToken volumes, by
   * "<pod uid>/<volume>/<path>", with when it replaces them (api/handlers/pod-files.ts).
   */
  podTokens?: Record<string, { token: string; refreshAtMs: number }>;
}

/** A client certificate and its key, as a kubeconfig user entry would carry them. */
export interface UserCredential {
  certPem: string;
  keyPem: string;
}
