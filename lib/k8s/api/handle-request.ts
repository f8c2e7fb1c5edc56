/**
 * The kube-apiserver handler chain for one request (spec §9 "Handler order"): authentication ->
 * 401, impersonation, authorization -> 403, then the handler. Never throws: anything unexpected is
 * a 500 Status. The state may be mutated in place; `changed` tells the caller to persist it.
 */
import {
  createApiserverAuthorizer,
  forbiddenResponse,
  impersonate,
  nonResourceAttributes,
  withoutImpersonationHeaders,
  type ApiserverAuthorizer,
  type AuthorizationAttributes,
  type RbacSource,
} from "../authz";
import { authenticate, startupTrace } from "../cluster/authentication";
import { rbacSourceOf } from "../cluster/rbac-source";
import type { ClusterState } from "../cluster/state";
import type { ApiRequest, ApiResponse, TraceStep, UserInfo } from "../types";
import { routeNonResource } from "./non-resource";
import { parseRequestInfo, type RequestInfo } from "./request-info";
import { routeResource } from "./router";
import { internalErrorStatus, statusResponse, unauthorizedStatus } from "./status";
import { goPathUnescape, goQuote } from "../go";

export interface HandleResult {
  response: ApiResponse;
  trace: TraceStep[];
  changed: boolean;
}

export async function handleRequest(state: ClusterState, request: ApiRequest): Promise<HandleResult> {
  const trace: TraceStep[] = [];
  try {
    return await handleUnsafe(state, request, trace);
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    trace.push({ stage: "handler", outcome: "error", message: `internal error: ${message}` });
    return { response: statusResponse(internalErrorStatus(message)), trace, changed: false };
  }
}

function parseUrl(url: string): URL | undefined {
  try {
    return new URL(url.startsWith("/") ? url : `/${url}`, "https://kube-apiserver.invalid");
  } catch {
    return undefined;
  }
}

async function handleUnsafe(state: ClusterState, request: ApiRequest, trace: TraceStep[]): Promise<HandleResult> {
  const url = parseUrl(request.url);
  // net/http hands the apiserver URL.Path, percent-escapes decoded (a name such as system:node may
  // arrive as system%3Anode); a malformed escape never reaches it.
  const path = url === undefined ? undefined : goPathUnescape(url.pathname);
  if (url === undefined || path === undefined) {
    trace.push({ stage: "handler", outcome: "error", message: `malformed request URL ${goQuote(request.url)}` });
    return {
      response: { status: 400, headers: { "Content-Type": "text/plain; charset=utf-8" }, body: "400 Bad Request" },
      trace,
      changed: false,
    };
  }

  // Authentication.
  const authn = await authenticate(state, request);
  trace.push(...startupTrace(authn.startupErrors), ...authn.trace);
  const warningHeader: Record<string, string> =
    authn.warnings.length === 0 ? {} : { Warning: authn.warnings.map((w) => `299 - ${JSON.stringify(w)}`).join(", ") };
  if (authn.user === undefined) {
    trace.push({
      stage: "authentication",
      outcome: "info",
      message: "401 Unauthorized; over HTTP/2 the apiserver also sends Connection: close (UnauthenticatedHTTP2DOSMitigation)",
    });
    return { response: statusResponse(unauthorizedStatus(), warningHeader), trace, changed: false };
  }
  const requester: UserInfo = authn.user;

  // Impersonation.
  const authorizer = authorizerFor(rbacSourceOf(state));
  const impersonation = impersonate({
    requester,
    headers: request.headers,
    authorize: authorizer.authorize,
    uri: `${url.pathname}${url.search}`,
  });
  trace.push(...impersonation.trace);
  if (!impersonation.ok) return { response: impersonation.response, trace, changed: false };
  const user = impersonation.user;
  const cleanRequest: ApiRequest = { ...request, headers: withoutImpersonationHeaders(stripCredentials(request.headers)) };

  // Request info and authorization.
  const parsed = parseRequestInfo(request.method.toUpperCase(), path, url.searchParams);
  if (!parsed.ok) {
    trace.push({ stage: "handler", outcome: "error", message: parsed.error });
    return { response: statusResponse(internalErrorStatus(parsed.error)), trace, changed: false };
  }
  const info = parsed.info;
  const attributes = attributesFor(user, info);
  const { decision, trace: authorizationStep } = authorizer.authorizeWithTrace(attributes);
  trace.push(authorizationStep);
  if (decision.decision !== "allow") return { response: forbiddenResponse(attributes, decision.reason), trace, changed: false };

  // The handler.
  const now = new Date(state.clock.nowMs);
  if (!info.isResourceRequest) {
    const response = routeNonResource(state, request.method.toUpperCase(), url);
    trace.push({ stage: "handler", outcome: "info", message: `${request.method.toUpperCase()} ${path} -> ${response.status}` });
    return { response, trace, changed: false };
  }
  const result = await routeResource({ state, request: cleanRequest, info, query: url.searchParams, user, now, trace });
  const headers = { ...result.response.headers, ...warningHeader };
  return { response: { ...result.response, headers }, trace, changed: result.changed };
}

/** The authorizer is a pure function of the RBAC view, which is a new object whenever RBAC objects change. */
const authorizers = new WeakMap<RbacSource, ApiserverAuthorizer>();

function authorizerFor(source: RbacSource): ApiserverAuthorizer {
  let authorizer = authorizers.get(source);
  if (authorizer === undefined) {
    authorizer = createApiserverAuthorizer(source);
    authorizers.set(source, authorizer);
  }
  return authorizer;
}

/** After authentication the Authorization header is removed (spec §9). */
function stripCredentials(headers: ApiRequest["headers"]): ApiRequest["headers"] {
  const { authorization: _authorization, ...rest } = headers;
  void _authorization;
  return rest;
}

function attributesFor(user: UserInfo, info: RequestInfo): AuthorizationAttributes {
  if (!info.isResourceRequest) return nonResourceAttributes(user, info.verb, info.path);
  return {
    user,
    verb: info.verb,
    resourceRequest: true,
    namespace: info.namespace,
    apiGroup: info.apiGroup,
    apiVersion: info.apiVersion,
    resource: info.resource,
    subresource: info.subresource,
    name: info.name,
    path: info.path,
  };
}
