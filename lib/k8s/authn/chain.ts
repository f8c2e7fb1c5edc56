/**
 * The authenticator chain of kube-apiserver 1.32 (spec §9):
 *
 *   final = FailOnError( GroupAdder( union(x509, bearer(tokenUnion(...))) ), anonymous )
 *
 * followed by the authentication filter's audience check. Errors are kept as a tree so that the
 * printed text matches apimachinery's NewAggregate (flattening, de-duplication, brackets).
 */
import { goErrorText, goQuote, goQuoteSlice, goStringSlice, type GoError } from "../go";
import type {
  ApiRequest,
  AuthnContext,
  AuthnDecision,
  AuthnOutcome,
  Authenticator,
  TokenAuthenticator,
  TraceStep,
  UserInfo,
} from "../types";
import { ANONYMOUS_USER, UNAUTHENTICATED_GROUP, createAnonymousAuthenticator, type AnonymousConfig } from "./anonymous";

export const AUTHENTICATED_GROUP = "system:authenticated";
export const INVALID_BEARER_TOKEN = "invalid bearer token";
export const EXTRA_SPACE_WARNING = "the provided Authorization header contains extra space before the bearer token, and is ignored";

export interface AuthenticationChainOptions {
  x509?: Authenticator;
  /** In apiserver order: token file, ServiceAccount (legacy, bound), bootstrap, OIDC/JWT, webhook. */
  tokenAuthenticators: TokenAuthenticator[];
  anonymous: AnonymousConfig;
  /** --api-audiences; overrides context.apiAudiences so every authenticator sees the server's value. */
  apiAudiences: string[];
}

export interface ChainDecision extends AuthnDecision {
  /** Warnings the apiserver returns in `Warning:` headers (e.g. the extra-space bearer warning). */
  warnings: string[];
}

export interface AuthenticationChain {
  authenticate(request: ApiRequest, context: AuthnContext): Promise<ChainDecision>;
}

/** NewAggregate returns nil for an empty list: represent that as undefined. */
function aggregate(errors: GoError[]): GoError | undefined {
  return errors.length === 0 ? undefined : { aggregate: errors };
}

type InternalOutcome = { kind: "user"; user: UserInfo; audiences?: string[] } | { kind: "no-opinion" } | { kind: "error"; error: GoError };

interface RunState {
  trace: TraceStep[];
  warnings: string[];
}

export function createAuthenticationChain(options: AuthenticationChainOptions): AuthenticationChain {
  const anonymous = createAnonymousAuthenticator(options.anonymous);

  async function runSafely<T>(stage: string, state: RunState, call: () => Promise<T>): Promise<T | { kind: "error"; error: string }> {
    try {
      return await call();
    } catch (thrown) {
      // Authenticators must not throw; if one does, treat it as its error rather than crash the request.
      const error = thrown instanceof Error ? thrown.message : String(thrown);
      state.trace.push({ stage, outcome: "error", message: error });
      return { kind: "error", error };
    }
  }

  function record(state: RunState, stage: string, outcome: AuthnOutcome): void {
    if (outcome.kind === "user") {
      state.trace.push({
        stage,
        outcome: "user",
        message: `authenticated as ${goQuote(outcome.user.name)} with groups ${goQuoteSlice(outcome.user.groups)}`,
        user: outcome.user,
      });
    } else if (outcome.kind === "error") {
      state.trace.push({ stage, outcome: "error", message: outcome.error });
    } else {
      state.trace.push({ stage, outcome: "no-opinion", message: outcome.reason });
    }
  }

  async function tokenUnion(token: string, context: AuthnContext, state: RunState): Promise<InternalOutcome> {
    const errors: GoError[] = [];
    for (const authenticator of options.tokenAuthenticators) {
      const outcome = await runSafely(authenticator.name, state, () => authenticator.authenticateToken(token, context));
      if (outcome.kind === "error") {
        if (!state.trace.some((step) => step.stage === authenticator.name && step.message === outcome.error))
          record(state, authenticator.name, outcome);
        errors.push(outcome.error);
        continue;
      }
      record(state, authenticator.name, outcome);
      if (outcome.kind === "user") {
        // Audience-agnostic token authenticators (token file, ...) are wrapped so that a success
        // carries the API audiences (authenticator.WrapAudienceAgnosticToken).
        return { kind: "user", user: outcome.user, audiences: outcome.audiences ?? [...context.apiAudiences] };
      }
    }
    const error = aggregate(errors);
    return error === undefined ? { kind: "no-opinion" } : { kind: "error", error };
  }

  async function bearer(request: ApiRequest, context: AuthnContext, state: RunState): Promise<InternalOutcome> {
    const header = request.headers["authorization"];
    const auth = (Array.isArray(header) ? (header[0] ?? "") : (header ?? "")).trim();
    if (auth === "") return noOpinion(state, "bearer", "no Authorization header");
    const parts = splitN(auth, " ", 3);
    if (parts.length < 2 || (parts[0] ?? "").toLowerCase() !== "bearer") {
      return noOpinion(state, "bearer", "Authorization header is not a bearer token");
    }
    const token = parts[1] ?? "";
    if (token.length === 0) {
      if (parts.length === 3) {
        state.warnings.push(EXTRA_SPACE_WARNING);
        state.trace.push({ stage: "bearer", outcome: "info", message: EXTRA_SPACE_WARNING });
      }
      return noOpinion(state, "bearer", "empty bearer token");
    }
    const result = await tokenUnion(token, context, state);
    if (result.kind === "no-opinion") {
      state.trace.push({ stage: "bearer", outcome: "error", message: INVALID_BEARER_TOKEN });
      return { kind: "error", error: INVALID_BEARER_TOKEN };
    }
    return result;
  }

  async function requestUnion(request: ApiRequest, context: AuthnContext, state: RunState): Promise<InternalOutcome> {
    const errors: GoError[] = [];
    if (options.x509) {
      const x509 = options.x509;
      const outcome = await runSafely(x509.name, state, () => x509.authenticate(request, context));
      if (!(outcome.kind === "error" && state.trace.some((step) => step.message === outcome.error))) record(state, x509.name, outcome);
      if (outcome.kind === "user") return { kind: "user", user: outcome.user, audiences: outcome.audiences };
      if (outcome.kind === "error") errors.push(outcome.error);
    }
    const viaBearer = await bearer(request, context, state);
    if (viaBearer.kind === "user") return viaBearer;
    if (viaBearer.kind === "error") errors.push(viaBearer.error);
    const error = aggregate(errors);
    return error === undefined ? { kind: "no-opinion" } : { kind: "error", error };
  }

  return {
    async authenticate(request: ApiRequest, incoming: AuthnContext): Promise<ChainDecision> {
      const context: AuthnContext = { now: incoming.now, apiAudiences: [...options.apiAudiences] };
      const state: RunState = { trace: [], warnings: [] };
      let result = await requestUnion(request, context, state);

      if (result.kind === "user") result = { ...result, user: addAuthenticatedGroup(result.user, state) };

      // FailOnError: anonymous only when the chain produced neither a user nor an error.
      if (result.kind === "no-opinion") {
        const outcome = await anonymous.authenticate(request, context);
        record(state, "anonymous", outcome);
        if (outcome.kind === "user") result = { kind: "user", user: outcome.user, audiences: outcome.audiences };
      }

      if (result.kind === "error") {
        const text = goErrorText(result.error);
        state.trace.push({
          stage: "authentication",
          outcome: "deny",
          message: `"Unable to authenticate the request" err=${goQuote(text)}`,
        });
        return { trace: state.trace, warnings: state.warnings };
      }
      if (result.kind === "no-opinion") {
        // The filter answers 401 without logging when nobody had an opinion.
        state.trace.push({ stage: "authentication", outcome: "deny", message: "no authenticator accepted the request" });
        return { trace: state.trace, warnings: state.warnings };
      }
      const audiences = result.audiences ?? [];
      if (!audiencesAreAcceptable(options.apiAudiences, audiences)) {
        state.trace.push({
          stage: "authentication",
          outcome: "deny",
          message: `unable to match the audience: ${goStringSlice(audiences)} , accepted: ${goStringSlice(options.apiAudiences)}`,
        });
        return { trace: state.trace, warnings: state.warnings };
      }
      state.trace.push({
        stage: "authentication",
        outcome: "allow",
        message: `authenticated as ${goQuote(result.user.name)}`,
        user: result.user,
      });
      return result.audiences === undefined
        ? { user: result.user, trace: state.trace, warnings: state.warnings }
        : { user: result.user, audiences: result.audiences, trace: state.trace, warnings: state.warnings };
    },
  };
}

function noOpinion(state: RunState, stage: string, reason: string): InternalOutcome {
  state.trace.push({ stage, outcome: "no-opinion", message: reason });
  return { kind: "no-opinion" };
}

/** AuthenticatedGroupAdder: append system:authenticated last, except for anonymous or when already grouped. */
export function addAuthenticatedGroup(user: UserInfo, state?: RunState): UserInfo {
  if (user.name === ANONYMOUS_USER) return user;
  if (user.groups.some((group) => group === AUTHENTICATED_GROUP || group === UNAUTHENTICATED_GROUP)) return user;
  state?.trace.push({ stage: "group-adder", outcome: "info", message: `added group "${AUTHENTICATED_GROUP}"` });
  return { ...user, groups: [...user.groups, AUTHENTICATED_GROUP] };
}

export function audiencesAreAcceptable(apiAudiences: string[], responseAudiences: string[]): boolean {
  if (apiAudiences.length === 0 || responseAudiences.length === 0) return true;
  return responseAudiences.some((audience) => apiAudiences.includes(audience));
}

/** Go's strings.SplitN. */
function splitN(text: string, separator: string, n: number): string[] {
  const parts: string[] = [];
  let rest = text;
  while (parts.length < n - 1) {
    const index = rest.indexOf(separator);
    if (index < 0) break;
    parts.push(rest.slice(0, index));
    rest = rest.slice(index + separator.length);
  }
  parts.push(rest);
  return parts;
}
