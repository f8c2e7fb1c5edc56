/**
 * Anonymous authentication, spec §6: k8s.io/apiserver/pkg/authentication/request/anonymous (1.32,
 * with AnonymousAuthConfigurableEndpoints Beta and on).
 */
import type { ApiRequest, AuthnContext, AuthnOutcome, Authenticator } from "../types";
import { goQuote } from "../go";

export const ANONYMOUS_USER = "system:anonymous";
export const UNAUTHENTICATED_GROUP = "system:unauthenticated";

export interface AnonymousCondition {
  path: string;
}

export interface AnonymousConfig {
  enabled: boolean;
  /** When non-empty, anonymous is only allowed on these exact request paths. */
  conditions?: AnonymousCondition[];
}

/** The --anonymous-auth default. */
export interface AnonymousSettings {
  /** --anonymous-auth as given on the command line; undefined when not passed. */
  flag?: boolean;
  /** AuthenticationConfiguration.anonymous from --authentication-config; undefined when absent. */
  fileConfig?: { enabled?: boolean; conditions?: AnonymousCondition[] };
}

/** Combines the flag and the config file the way kube-apiserver 1.32 validates them at startup. */
export function resolveAnonymousConfig(settings: AnonymousSettings): { ok: true; config: AnonymousConfig } | { ok: false; error: string } {
  const file = settings.fileConfig;
  if (file === undefined) return { ok: true, config: { enabled: settings.flag ?? true } };
  if (settings.flag !== undefined) {
    // The typo "anonynous" is upstream's (pkg/kubeapiserver/options/authentication.go).
    return {
      ok: false,
      error: "--anonynous-auth flag cannot be set when anonymous field is configured in authentication configuration file",
    };
  }
  const enabled = file.enabled ?? false;
  const conditions = file.conditions ?? [];
  if (!enabled && conditions.length > 0) {
    // UNVERIFIED in spec: chose field.Invalid's "<path>: Invalid value: <%#v>: <detail>" layout
    // because that is how apiserver validation errors print; the %#v rendering is reconstructed.
    const value = `[]apiserver.AnonymousAuthCondition{${conditions.map((c) => `apiserver.AnonymousAuthCondition{Path:${goQuote(c.path)}}`).join(", ")}}`;
    return { ok: false, error: `anonymous.conditions: Invalid value: ${value}: enabled should be set to true when conditions are defined` };
  }
  return { ok: true, config: conditions.length > 0 ? { enabled, conditions: [...conditions] } : { enabled } };
}

/** The path part of a request URL, as Go's req.URL.Path (no query, percent-decoded). */
export function requestPath(url: string): string {
  const raw = url.split("?")[0]?.split("#")[0] ?? "";
  try {
    return decodeURIComponent(raw);
  } catch {
    return raw;
  }
}

/**
 * The anonymous authenticator. It is only consulted by the chain when everything else gave
 * neither a user nor an error (FailOnError), so it never looks at credentials itself.
 */
export function createAnonymousAuthenticator(config: AnonymousConfig): Authenticator {
  const allowedPaths = new Set((config.conditions ?? []).map((condition) => condition.path));
  return {
    name: "anonymous",
    async authenticate(request: ApiRequest, context: AuthnContext): Promise<AuthnOutcome> {
      if (!config.enabled) return { kind: "no-opinion", reason: "anonymous requests are disabled (--anonymous-auth=false)" };
      if (allowedPaths.size > 0 && !allowedPaths.has(requestPath(request.url))) {
        return { kind: "no-opinion", reason: `anonymous requests are not allowed on path "${requestPath(request.url)}"` };
      }
      return {
        kind: "user",
        user: { name: ANONYMOUS_USER, uid: "", groups: [UNAUTHENTICATED_GROUP], extra: {} },
        // authenticator.AudiencesFrom(ctx): the anonymous response carries the API audiences.
        audiences: [...context.apiAudiences],
      };
    },
  };
}
