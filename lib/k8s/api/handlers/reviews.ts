/**
 * Create-only review resources (spec §7): SelfSubjectReview (kubectl auth whoami), and the
 * authorization reviews (kubectl auth can-i, can-i --list) evaluated by lib/k8s/authz.
 */
import {
  createApiserverAuthorizer,
  selfSubjectAccessReview as evaluateAccessReview,
  selfSubjectRulesReview as evaluateRulesReview,
  type SelfSubjectAccessReviewSpec,
} from "../../authz";
import { rfc3339 } from "../../cluster/ids";
import { objectField, stringField, type JsonObject } from "../../json";
import { rbacSourceOf } from "../../cluster/rbac-source";
import type { UserInfo } from "../../types";
import { jsonResponse } from "../discovery";
import { statusResponse } from "../status";
import { handlerStep, type HandlerContext, type HandlerResult } from "./context";
import { readObjectBody } from "./crud";
import { goQuote } from "../../go";

/** authentication/v1 UserInfo JSON: every field omitempty. */
export function userInfoJson(user: UserInfo): JsonObject {
  const json: JsonObject = {};
  if (user.name !== "") json.username = user.name;
  if (user.uid !== "") json.uid = user.uid;
  if (user.groups.length > 0) json.groups = [...user.groups];
  const extraKeys = Object.keys(user.extra);
  if (extraKeys.length > 0) {
    const extra: JsonObject = {};
    for (const key of extraKeys.sort()) extra[key] = [...(user.extra[key] ?? [])];
    json.extra = extra;
  }
  return json;
}

export function selfSubjectReview(context: HandlerContext): HandlerResult {
  const body = readObjectBody(context, "SelfSubjectReview");
  if (!body.ok) return body.result;
  context.trace.push(handlerStep(`SelfSubjectReview: you are ${goQuote(context.user.name)}`));
  return {
    response: jsonResponse(201, {
      kind: "SelfSubjectReview",
      apiVersion: "authentication.k8s.io/v1",
      metadata: { creationTimestamp: rfc3339(context.now.getTime()) },
      status: { userInfo: userInfoJson(context.user) },
    }),
    changed: false,
  };
}

function optionalStrings(source: JsonObject | undefined, keys: string[]): Record<string, string> {
  const result: Record<string, string> = {};
  for (const key of keys) {
    const value = stringField(source, key);
    if (value !== undefined) result[key] = value;
  }
  return result;
}

export function selfSubjectAccessReview(context: HandlerContext): HandlerResult {
  const body = readObjectBody(context, "SelfSubjectAccessReview");
  if (!body.ok) return body.result;
  const specJson = objectField(body.object, "spec");
  const resourceJson = objectField(specJson, "resourceAttributes");
  const nonResourceJson = objectField(specJson, "nonResourceAttributes");
  const spec: SelfSubjectAccessReviewSpec = {};
  if (resourceJson !== undefined) {
    spec.resourceAttributes = optionalStrings(resourceJson, ["namespace", "verb", "group", "version", "resource", "subresource", "name"]);
  }
  if (nonResourceJson !== undefined) spec.nonResourceAttributes = optionalStrings(nonResourceJson, ["path", "verb"]);
  const authorizer = createApiserverAuthorizer(rbacSourceOf(context.state));
  const result = evaluateAccessReview(authorizer.authorize, context.user, spec);
  if (!result.ok) return { response: statusResponse(result.status), changed: false };
  if (result.attributes !== undefined) context.trace.push({ ...authorizer.traceStep(result.attributes), stage: "selfsubjectaccessreview" });
  context.trace.push(handlerStep(`SelfSubjectAccessReview: allowed=${String(result.review.status.allowed)}`));
  return { response: jsonResponse(201, result.review), changed: false };
}

export function selfSubjectRulesReview(context: HandlerContext): HandlerResult {
  const body = readObjectBody(context, "SelfSubjectRulesReview");
  if (!body.ok) return body.result;
  const namespace = stringField(objectField(body.object, "spec"), "namespace") ?? "";
  const result = evaluateRulesReview(rbacSourceOf(context.state), context.user, namespace);
  if (!result.ok) return { response: statusResponse(result.status), changed: false };
  context.trace.push(handlerStep(`SelfSubjectRulesReview for namespace ${namespace}`));
  return { response: jsonResponse(201, result.review), changed: false };
}
