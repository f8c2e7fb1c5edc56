/**
 * Shared vocabulary of the simulation engine. Everything here is plain data so that a
 * cluster, a request and a decision trace can be serialized, stored and compared.
 *
 * The shapes mirror k8s.io/apiserver: an authenticator answers with one of three outcomes
 * (no opinion, a user, an error), exactly like `AuthenticateRequest` returning
 * `(*Response, bool, error)`.
 */

/** k8s.io/apiserver/pkg/authentication/user.Info */
export interface UserInfo {
  name: string;
  /** Empty string when the authenticator sets none (x509 in 1.32). */
  uid: string;
  groups: string[];
  extra: Record<string, string[]>;
}

/** The three outcomes of an authenticator. */
export type AuthnOutcome =
  | { kind: "no-opinion"; reason: string }
  | {
      kind: "user";
      user: UserInfo;
      /** Audiences the credential was accepted for (token authenticators), as in authenticator.Response. */
      audiences?: string[];
      /** When the credential stops being valid; lets a cache honour expiry. */
      validUntil?: Date;
    }
  | { kind: "error"; error: string };

/** One line of the "why was I rejected?" trace. `message` uses the apiserver's own log wording. */
export interface TraceStep {
  /** e.g. "x509", "token-file", "serviceaccount", "oidc:https://idp.example", "anonymous", "union", "rbac", "impersonation" */
  stage: string;
  outcome: "no-opinion" | "user" | "error" | "allow" | "deny" | "info";
  message: string;
  user?: UserInfo;
}

/**
 * A request as the API server sees it after TLS: the peer certificate chain (leaf first)
 * is whatever the client sent, never verified in the handshake (spec §1.1).
 */
export interface ApiRequest {
  method: string;
  /** Path plus query string, e.g. "/api/v1/namespaces/default/pods?limit=500". */
  url: string;
  /** Lower-cased header names. */
  headers: Record<string, string | string[] | undefined>;
  body?: Uint8Array;
  /** DER-encoded certificates the client presented, leaf first. Undefined or empty: none. */
  peerCertificates?: Uint8Array[];
  /** False for plain HTTP (x509 authenticator then has no opinion). */
  tls: boolean;
}

export interface ApiResponse {
  status: number;
  headers: Record<string, string>;
  body: string | Uint8Array;
}

/** Context every check reads instead of the wall clock (the scenario clock can be moved). */
export interface AuthnContext {
  now: Date;
  /** --api-audiences; the first is the default audience of issued tokens. */
  apiAudiences: string[];
}

export interface Authenticator {
  readonly name: string;
  authenticate(request: ApiRequest, context: AuthnContext): Promise<AuthnOutcome>;
}

/** A bearer-token authenticator (token file, ServiceAccount, OIDC), composed by the token union. */
export interface TokenAuthenticator {
  readonly name: string;
  authenticateToken(token: string, context: AuthnContext): Promise<AuthnOutcome>;
}

export interface AuthnDecision {
  /** Final user after the anonymous wrapper and the system:authenticated group adder; undefined means 401. */
  user?: UserInfo;
  audiences?: string[];
  trace: TraceStep[];
}
