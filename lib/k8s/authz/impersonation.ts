/**
 * The impersonation filter (k8s.io/apiserver/pkg/endpoints/filters/impersonation.go), which runs
 * after authentication and before authorization (spec §7.3, §9).
 */
import type { ApiResponse, TraceStep, UserInfo } from "../types";
import type { AuthorizationAttributes, AuthorizeFn } from "./types";
import { goMap, goQuote, goStringSlice } from "../go";
import { forbiddenResponse, forbiddenStatus, internalErrorResponse, type KubeStatus } from "./status";
import { buildImpersonationRequests, type HeaderMap, type ImpersonationRequest } from "./impersonation-headers";

const ANONYMOUS = "system:anonymous";
const AUTHENTICATED = "system:authenticated";
const UNAUTHENTICATED = "system:unauthenticated";

export interface ImpersonationInput {
  /** The authenticated user. */
  requester: UserInfo;
  /** Request headers, any case; pass Node's `req.headersDistinct` so repeated headers stay separate. */
  headers: HeaderMap;
  authorize: AuthorizeFn;
  /** req.RequestURI: path plus query, used in the 500 text. */
  uri: string;
}

export type ImpersonationResult =
  | { ok: true; impersonating: boolean; user: UserInfo; trace: TraceStep[] }
  | { ok: false; status: 403; body: KubeStatus; response: ApiResponse; trace: TraceStep[] }
  | { ok: false; status: 500; text: string; response: ApiResponse; trace: TraceStep[] };

function checkAttributes(requester: UserInfo, request: ImpersonationRequest): AuthorizationAttributes {
  const base = {
    user: requester,
    verb: "impersonate",
    resourceRequest: true,
    namespace: "",
    apiGroup: "",
    apiVersion: "",
    subresource: "",
    path: "",
  };
  switch (request.kind) {
    case "User":
      return { ...base, resource: "users", name: request.name };
    case "ServiceAccount":
      return { ...base, resource: "serviceaccounts", namespace: request.namespace, name: request.name };
    case "Group":
      return { ...base, resource: "groups", name: request.name };
    case "UserExtra":
      return {
        ...base,
        apiGroup: "authentication.k8s.io",
        apiVersion: "v1",
        resource: "userextras",
        subresource: request.key,
        name: request.value,
      };
    case "UID":
      return { ...base, apiGroup: "authentication.k8s.io", apiVersion: "v1", resource: "uids", name: request.uid };
  }
}

function describeCheck(attributes: AuthorizationAttributes): string {
  const resource = attributes.subresource === "" ? attributes.resource : `${attributes.resource}/${attributes.subresource}`;
  const scope = attributes.namespace === "" ? "" : ` in namespace ${goQuote(attributes.namespace)}`;
  return `impersonate ${resource} ${goQuote(attributes.name)}${scope}`;
}

/** fmt %v of *user.DefaultInfo, as in the "%v is acting as %v" httplog line. */
function goUserInfo(user: UserInfo): string {
  return `&{${user.name} ${user.uid} ${goStringSlice(user.groups)} ${goMap(user.extra, goStringSlice)}}`;
}

function finalGroups(username: string, groups: string[]): string[] {
  if (username !== ANONYMOUS) {
    // Groups are the authority when given, but system:authenticated is still added unless the
    // caller chose system:authenticated or system:unauthenticated explicitly.
    return groups.includes(AUTHENTICATED) || groups.includes(UNAUTHENTICATED) ? groups : [...groups, AUTHENTICATED];
  }
  return groups.includes(UNAUTHENTICATED) ? groups : [...groups, UNAUTHENTICATED];
}

export function impersonate(input: ImpersonationInput): ImpersonationResult {
  const trace: TraceStep[] = [];
  const parsed = buildImpersonationRequests(input.headers);
  if (!parsed.ok) {
    const response = internalErrorResponse(input.uri, parsed.error);
    trace.push({ stage: "impersonation", outcome: "error", message: parsed.error, user: input.requester });
    return { ok: false, status: 500, text: response.body, response, trace };
  }
  if (parsed.requests.length === 0) return { ok: true, impersonating: false, user: input.requester, trace };

  let username = "";
  let uid = "";
  let groups: string[] = [];
  const extra: Record<string, string[]> = {};
  for (const request of parsed.requests) {
    const attributes = checkAttributes(input.requester, request);
    switch (request.kind) {
      case "ServiceAccount":
        username = `system:serviceaccount:${request.namespace}:${request.name}`;
        // A ServiceAccount's groups are a fixed mapping, filled in only when none were requested.
        if (!parsed.groupsSpecified) groups = ["system:serviceaccounts", `system:serviceaccounts:${request.namespace}`];
        break;
      case "User":
        username = request.name;
        break;
      case "Group":
        groups.push(request.name);
        break;
      case "UserExtra":
        (extra[request.key] ??= []).push(request.value);
        break;
      case "UID":
        uid = request.uid;
        break;
    }

    const decision = input.authorize(attributes);
    if (decision.decision !== "allow") {
      const body = forbiddenStatus(attributes, decision.reason);
      trace.push({ stage: "impersonation", outcome: "deny", message: body.message ?? "", user: input.requester });
      return { ok: false, status: 403, body, response: forbiddenResponse(attributes, decision.reason), trace };
    }
    const why = decision.reason === "" ? "allowed" : decision.reason;
    trace.push({ stage: "impersonation", outcome: "allow", message: `${describeCheck(attributes)}: ${why}`, user: input.requester });
  }

  // The requester's own extra (e.g. its credential-id) is not carried over.
  const user: UserInfo = { name: username, uid, groups: finalGroups(username, groups), extra };
  trace.push({ stage: "impersonation", outcome: "user", message: `${goUserInfo(input.requester)} is acting as ${goUserInfo(user)}`, user });
  return { ok: true, impersonating: true, user, trace };
}
