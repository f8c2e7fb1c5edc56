import { describe, expect, it } from "vitest";
import { createApiserverAuthorizer } from "./rbac-authorizer";
import { selfSubjectAccessReview, selfSubjectRulesReview } from "./reviews";
import { statusJson } from "./status";
import type { AuthorizeFn } from "./types";
import { admin, anonymous, clusterRoleBinding, clusterWith, jane, role, roleBinding, roleRef, userSubject } from "./test-helpers";

const cluster = clusterWith({
  roles: [role("default", "pod-reader", [{ verbs: ["get", "list"], apiGroups: [""], resources: ["pods"], resourceNames: [] }])],
  roleBindings: [roleBinding("default", "read", roleRef("Role", "pod-reader"), [userSubject("jane")])],
});
const authorize: AuthorizeFn = (attributes) => createApiserverAuthorizer(cluster).authorize(attributes);
const listPods = {
  resourceAttributes: { namespace: "default", verb: "list", group: "", version: "", resource: "pods", subresource: "", name: "" },
};

describe("SelfSubjectAccessReview (spec §7.2)", () => {
  it("allowed with the RBAC reason, decoded kubectl body", () => {
    const result = selfSubjectAccessReview(authorize, jane, listPods);
    expect(result.ok && result.review.status).toEqual({
      allowed: true,
      reason: 'RBAC: allowed by RoleBinding "read/default" of Role "pod-reader" to User "jane"',
    });
    expect(result.ok && result.attributes?.apiVersion).toBe("*");
  });

  it("denied by RBAC: plain no (allowed false, no reason)", () => {
    const result = selfSubjectAccessReview(authorize, jane, { resourceAttributes: { ...listPods.resourceAttributes, namespace: "prod" } });
    expect(result.ok && result.review.status).toEqual({ allowed: false });
  });

  it("masters: allowed with an empty reason (privileged-group authorizer)", () => {
    const result = selfSubjectAccessReview(authorize, admin, listPods);
    expect(result.ok && result.review.status).toEqual({ allowed: true });
  });

  it("non-resource attributes", () => {
    const allowedResult = selfSubjectAccessReview(authorize, anonymous, { nonResourceAttributes: { path: "/healthz", verb: "get" } });
    expect(allowedResult.ok && allowedResult.review.status.allowed).toBe(true);
    const denied = selfSubjectAccessReview(authorize, anonymous, { nonResourceAttributes: { path: "/api", verb: "get" } });
    expect(denied.ok && denied.review.status.allowed).toBe(false);
  });

  it("a missing role's error shows up as the reason of a no", () => {
    const broken = clusterWith({ clusterRoleBindings: [clusterRoleBinding("x", roleRef("ClusterRole", "gone"), [userSubject("jane")])] });
    const result = selfSubjectAccessReview((a) => createApiserverAuthorizer(broken).authorize(a), jane, listPods);
    expect(result.ok && result.review.status).toEqual({
      allowed: false,
      reason: 'RBAC: clusterrole.rbac.authorization.k8s.io "gone" not found',
    });
  });

  it("denied and evaluationError come from other authorizers", () => {
    const result = selfSubjectAccessReview(
      () => ({ decision: "deny", reason: "webhook says no", evaluationError: "timeout" }),
      jane,
      listPods,
    );
    expect(result.ok && result.review.status).toEqual({
      allowed: false,
      denied: true,
      reason: "webhook says no",
      evaluationError: "timeout",
    });
  });

  it("validation: neither or both attribute kinds give 422 Invalid", () => {
    const neither = selfSubjectAccessReview(authorize, jane, {});
    expect(!neither.ok && statusJson(neither.status)).toBe(
      '{"kind":"Status","apiVersion":"v1","metadata":{},"status":"Failure","message":"SelfSubjectAccessReview.authorization.k8s.io \\"\\" is invalid: spec.resourceAttributes: Required value: exactly one of nonResourceAttributes or resourceAttributes must be specified","reason":"Invalid","details":{"group":"authorization.k8s.io","kind":"SelfSubjectAccessReview","causes":[{"reason":"FieldValueRequired","message":"Required value: exactly one of nonResourceAttributes or resourceAttributes must be specified","field":"spec.resourceAttributes"}]},"code":422}',
    );
    const both = selfSubjectAccessReview(authorize, jane, { ...listPods, nonResourceAttributes: { path: "/api", verb: "get" } });
    expect(!both.ok && both.status.message).toBe(
      'SelfSubjectAccessReview.authorization.k8s.io "" is invalid: spec.nonResourceAttributes: Invalid value: &authorization.NonResourceAttributes{Path:"/api", Verb:"get"}: cannot be specified in combination with resourceAttributes',
    );
  });
});

describe("SelfSubjectRulesReview (can-i --list)", () => {
  it("lists cluster and namespace rules, split into resource and non-resource rules", () => {
    const result = selfSubjectRulesReview(cluster, jane, "default");
    if (!result.ok) throw new Error("expected a review");
    const { status } = result.review;
    expect(status.incomplete).toBe(false);
    expect(status.evaluationError).toBeUndefined();
    expect(status.resourceRules).toContainEqual({
      verbs: ["create"],
      apiGroups: ["authentication.k8s.io"],
      resources: ["selfsubjectreviews"],
    });
    expect(status.resourceRules).toContainEqual({ verbs: ["get", "list"], apiGroups: [""], resources: ["pods"] });
    expect(status.nonResourceRules).toContainEqual({
      verbs: ["get"],
      nonResourceURLs: ["/healthz", "/livez", "/readyz", "/version", "/version/"],
    });
    expect(result.review.spec).toEqual({ namespace: "default" });
  });

  it("other namespaces do not see the RoleBinding", () => {
    const result = selfSubjectRulesReview(cluster, jane, "prod");
    expect(result.ok && result.review.status.resourceRules.some((rule) => rule.resources?.includes("pods"))).toBe(false);
  });

  it("masters see cluster-admin's rules through its binding", () => {
    const result = selfSubjectRulesReview(cluster, admin, "default");
    expect(result.ok && result.review.status.resourceRules[0]).toEqual({ verbs: ["*"], apiGroups: ["*"], resources: ["*"] });
    expect(result.ok && result.review.status.nonResourceRules[0]).toEqual({ verbs: ["*"], nonResourceURLs: ["*"] });
  });

  it("anonymous: only public-info-viewer", () => {
    const result = selfSubjectRulesReview(cluster, anonymous, "default");
    expect(result.ok && result.review.status).toEqual({
      resourceRules: [],
      nonResourceRules: [{ verbs: ["get"], nonResourceURLs: ["/healthz", "/livez", "/readyz", "/version", "/version/"] }],
      incomplete: false,
    });
  });

  it("missing roles: evaluationError, still not incomplete", () => {
    const broken = clusterWith({
      roleBindings: [
        roleBinding("default", "a", roleRef("Role", "nope"), [userSubject("jane")]),
        roleBinding("default", "b", roleRef("ClusterRole", "gone"), [userSubject("jane")]),
      ],
    });
    const result = selfSubjectRulesReview(broken, jane, "default");
    expect(result.ok && result.review.status.evaluationError).toBe(
      '[role.rbac.authorization.k8s.io "nope" not found, clusterrole.rbac.authorization.k8s.io "gone" not found]',
    );
    expect(result.ok && result.review.status.incomplete).toBe(false);
  });

  it("an empty namespace is a 400", () => {
    const result = selfSubjectRulesReview(cluster, jane, "");
    expect(!result.ok && statusJson(result.status)).toBe(
      '{"kind":"Status","apiVersion":"v1","metadata":{},"status":"Failure","message":"no namespace on request","reason":"BadRequest","code":400}',
    );
  });
});
