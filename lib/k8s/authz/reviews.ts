/**
 * SelfSubjectAccessReview (kubectl auth can-i) and SelfSubjectRulesReview (can-i --list), as
 * pkg/registry/authorization/selfsubject{access,rules}review/rest.go build them.
 */
import type { UserInfo } from "../types";
import type { AuthorizationAttributes, AuthorizeFn, PolicyRule, RbacSource } from "./types";
import { nonResourceAttributes } from "./types";
import { goAggregateText, goQuote } from "../go";
import { rulesFor } from "./rule-resolver";
import type { KubeStatus } from "./status";

export interface ResourceAttributesSpec {
  namespace?: string;
  verb?: string;
  group?: string;
  version?: string;
  resource?: string;
  subresource?: string;
  name?: string;
}

export interface NonResourceAttributesSpec {
  path?: string;
  verb?: string;
}

export interface SelfSubjectAccessReviewSpec {
  resourceAttributes?: ResourceAttributesSpec;
  nonResourceAttributes?: NonResourceAttributesSpec;
}

/** SubjectAccessReviewStatus; optional fields are omitempty in JSON. */
export interface SubjectAccessReviewStatus {
  allowed: boolean;
  denied?: boolean;
  reason?: string;
  evaluationError?: string;
}

export interface SelfSubjectAccessReview {
  kind: "SelfSubjectAccessReview";
  apiVersion: "authorization.k8s.io/v1";
  metadata: { creationTimestamp: null };
  spec: SelfSubjectAccessReviewSpec;
  status: SubjectAccessReviewStatus;
}

export type ReviewResult<T> = { ok: true; review: T; attributes?: AuthorizationAttributes } | { ok: false; status: KubeStatus };

/** Go's %#v of the internal NonResourceAttributes pointer, used in the Invalid value text. */
function goNonResourceValue(spec: NonResourceAttributesSpec): string {
  return `&authorization.NonResourceAttributes{Path:${goQuote(spec.path ?? "")}, Verb:${goQuote(spec.verb ?? "")}}`;
}

function invalidReview(field: string, causeReason: string, causeMessage: string): KubeStatus {
  const kind = "SelfSubjectAccessReview";
  const group = "authorization.k8s.io";
  return {
    kind: "Status",
    apiVersion: "v1",
    metadata: {},
    status: "Failure",
    message: `${kind}.${group} "" is invalid: ${field}: ${causeMessage}`,
    reason: "Invalid",
    details: { group, kind, causes: [{ reason: causeReason, message: causeMessage, field }] },
    code: 422,
  };
}

/** authorizationutil.ResourceAttributesFrom / NonResourceAttributesFrom. */
export function accessReviewAttributes(user: UserInfo, spec: SelfSubjectAccessReviewSpec): AuthorizationAttributes | undefined {
  const resource = spec.resourceAttributes;
  if (resource !== undefined) {
    return {
      user,
      verb: resource.verb ?? "",
      namespace: resource.namespace ?? "",
      apiGroup: resource.group ?? "",
      // matchAllVersionIfEmpty
      apiVersion: resource.version === undefined || resource.version === "" ? "*" : resource.version,
      resource: resource.resource ?? "",
      subresource: resource.subresource ?? "",
      name: resource.name ?? "",
      resourceRequest: true,
      path: "",
    };
  }
  const nonResource = spec.nonResourceAttributes;
  return nonResource === undefined ? undefined : nonResourceAttributes(user, nonResource.verb ?? "", nonResource.path ?? "");
}

/**
 * Evaluates a SelfSubjectAccessReview for the (already impersonated) user. Field and label
 * selectors of 1.32 are not modelled: RBAC ignores them.
 */
export function selfSubjectAccessReview(
  authorize: AuthorizeFn,
  user: UserInfo,
  spec: SelfSubjectAccessReviewSpec,
): ReviewResult<SelfSubjectAccessReview> {
  // UNVERIFIED in spec: chose the validation texts of pkg/apis/authorization/validation
  // (validateSelfSubjectAccessReviewSpec) as remembered; kubectl never sends such a body.
  if (spec.resourceAttributes !== undefined && spec.nonResourceAttributes !== undefined) {
    const detail = "cannot be specified in combination with resourceAttributes";
    return {
      ok: false,
      status: invalidReview(
        "spec.nonResourceAttributes",
        "FieldValueInvalid",
        `Invalid value: ${goNonResourceValue(spec.nonResourceAttributes)}: ${detail}`,
      ),
    };
  }
  const attributes = accessReviewAttributes(user, spec);
  if (attributes === undefined) {
    return {
      ok: false,
      status: invalidReview(
        "spec.resourceAttributes",
        "FieldValueRequired",
        "Required value: exactly one of nonResourceAttributes or resourceAttributes must be specified",
      ),
    };
  }
  const decision = authorize(attributes);
  const status: SubjectAccessReviewStatus = { allowed: decision.decision === "allow" };
  if (decision.decision === "deny") status.denied = true;
  if (decision.reason !== "") status.reason = decision.reason;
  if (decision.evaluationError !== undefined && decision.evaluationError !== "") status.evaluationError = decision.evaluationError;
  return {
    ok: true,
    attributes,
    review: { kind: "SelfSubjectAccessReview", apiVersion: "authorization.k8s.io/v1", metadata: { creationTimestamp: null }, spec, status },
  };
}

export interface ResourceRule {
  verbs: string[];
  apiGroups?: string[];
  resources?: string[];
  resourceNames?: string[];
}

export interface NonResourceRule {
  verbs: string[];
  nonResourceURLs?: string[];
}

export interface SubjectRulesReviewStatus {
  resourceRules: ResourceRule[];
  nonResourceRules: NonResourceRule[];
  incomplete: boolean;
  evaluationError?: string;
}

export interface SelfSubjectRulesReview {
  kind: "SelfSubjectRulesReview";
  apiVersion: "authorization.k8s.io/v1";
  metadata: { creationTimestamp: null };
  spec: { namespace: string };
  status: SubjectRulesReviewStatus;
}

function nonEmpty(values: string[] | undefined): string[] | undefined {
  return values === undefined || values.length === 0 ? undefined : [...values];
}

function toResourceRule(rule: PolicyRule): ResourceRule {
  const out: ResourceRule = { verbs: [...(rule.verbs ?? [])] };
  const apiGroups = nonEmpty(rule.apiGroups);
  const resources = nonEmpty(rule.resources);
  const resourceNames = nonEmpty(rule.resourceNames);
  if (apiGroups !== undefined) out.apiGroups = apiGroups;
  if (resources !== undefined) out.resources = resources;
  if (resourceNames !== undefined) out.resourceNames = resourceNames;
  return out;
}

function toNonResourceRule(rule: PolicyRule): NonResourceRule {
  const out: NonResourceRule = { verbs: [...(rule.verbs ?? [])] };
  const urls = nonEmpty(rule.nonResourceURLs);
  if (urls !== undefined) out.nonResourceURLs = urls;
  return out;
}

/**
 * The rules RBAC resolves for the user in the namespace. system:masters' own authorizer has no
 * rule resolver, so masters see cluster-admin's rules through its binding, as on a real cluster.
 * RBAC reports incomplete=false even when roles are missing; the errors go to evaluationError.
 */
export function selfSubjectRulesReview(source: RbacSource, user: UserInfo, namespace: string): ReviewResult<SelfSubjectRulesReview> {
  // From selfsubjectrulesreview/rest.go: an empty spec.namespace is a BadRequest.
  if (namespace === "") {
    return {
      ok: false,
      status: {
        kind: "Status",
        apiVersion: "v1",
        metadata: {},
        status: "Failure",
        message: "no namespace on request",
        reason: "BadRequest",
        code: 400,
      },
    };
  }
  const { rules, errors } = rulesFor(source, user, namespace);
  const status: SubjectRulesReviewStatus = {
    resourceRules: rules.filter((rule) => (rule.resources ?? []).length > 0).map(toResourceRule),
    nonResourceRules: rules.filter((rule) => (rule.nonResourceURLs ?? []).length > 0).map(toNonResourceRule),
    incomplete: false,
  };
  if (errors.length > 0) status.evaluationError = goAggregateText(errors);
  return {
    ok: true,
    review: {
      kind: "SelfSubjectRulesReview",
      apiVersion: "authorization.k8s.io/v1",
      metadata: { creationTimestamp: null },
      spec: { namespace },
      status,
    },
  };
}
