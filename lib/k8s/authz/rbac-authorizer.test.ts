import { describe, expect, it } from "vitest";
import { nonResourceAttributes, resourceAttributes, type PolicyRule } from "./types";
import { createApiserverAuthorizer, createRbacAuthorizer } from "./rbac-authorizer";
import { ruleAllows } from "./rule-matching";
import {
  admin,
  clusterRole,
  clusterRoleBinding,
  clusterWith,
  groupSubject,
  jane,
  role,
  roleBinding,
  roleRef,
  saSubject,
  source,
  user,
  userSubject,
} from "./test-helpers";

const podsIn = (namespace: string, verb = "list", extra: { name?: string; subresource?: string } = {}) =>
  resourceAttributes(jane, { verb, resource: "pods", namespace, ...extra });

describe("rule matching (evaluation_helpers.go)", () => {
  const allows = (rule: PolicyRule, attributes: ReturnType<typeof podsIn>) => ruleAllows(attributes, rule);

  it("verbs, apiGroups and resources accept '*'", () => {
    expect(allows({ verbs: ["*"], apiGroups: ["*"], resources: ["*"] }, podsIn("default"))).toBe(true);
    expect(allows({ verbs: ["get"], apiGroups: [""], resources: ["pods"] }, podsIn("default"))).toBe(false);
    expect(allows({ verbs: ["list"], apiGroups: ["apps"], resources: ["pods"] }, podsIn("default"))).toBe(false);
    expect(allows({ verbs: ["list"], apiGroups: [""], resources: ["deployments"] }, podsIn("default"))).toBe(false);
    expect(allows({ verbs: ["list"], resources: ["pods"] }, podsIn("default"))).toBe(false); // no apiGroups: nothing
  });

  it("subresources must be named resource/subresource or */subresource", () => {
    const log = podsIn("default", "get", { name: "web", subresource: "log" });
    expect(allows({ verbs: ["get"], apiGroups: [""], resources: ["pods"] }, log)).toBe(false);
    expect(allows({ verbs: ["get"], apiGroups: [""], resources: ["pods/log"] }, log)).toBe(true);
    expect(allows({ verbs: ["get"], apiGroups: [""], resources: ["*/log"] }, log)).toBe(true);
    expect(allows({ verbs: ["get"], apiGroups: [""], resources: ["*/exec"] }, log)).toBe(false);
    expect(allows({ verbs: ["get"], apiGroups: [""], resources: ["pods/log"] }, podsIn("default", "get", { name: "web" }))).toBe(false);
  });

  it("resourceNames restrict to those names and never match an empty name (list)", () => {
    const rule = { verbs: ["get", "list"], apiGroups: [""], resources: ["pods"], resourceNames: ["web"] };
    expect(allows(rule, podsIn("default", "get", { name: "web" }))).toBe(true);
    expect(allows(rule, podsIn("default", "get", { name: "db" }))).toBe(false);
    expect(allows(rule, podsIn("default", "list"))).toBe(false);
  });

  it("non-resource URLs: exact, '*', and trailing-star prefixes", () => {
    const at = (path: string) => nonResourceAttributes(jane, "get", path);
    const rule = { verbs: ["get"], nonResourceURLs: ["/healthz", "/apis/*"] };
    expect(ruleAllows(at("/healthz"), rule)).toBe(true);
    expect(ruleAllows(at("/healthz/etcd"), rule)).toBe(false);
    expect(ruleAllows(at("/apis/"), rule)).toBe(true);
    expect(ruleAllows(at("/apis/apps/v1"), rule)).toBe(true);
    expect(ruleAllows(at("/apis"), rule)).toBe(false);
    expect(ruleAllows(at("/anything"), { verbs: ["get"], nonResourceURLs: ["*"] })).toBe(true);
    expect(ruleAllows(at("/healthz"), { verbs: ["post"], nonResourceURLs: ["*"] })).toBe(false);
  });

  it("resource rules never match non-resource requests and vice versa", () => {
    expect(ruleAllows(nonResourceAttributes(jane, "get", "/api"), { verbs: ["*"], apiGroups: ["*"], resources: ["*"] })).toBe(false);
    expect(ruleAllows(podsIn("default"), { verbs: ["*"], nonResourceURLs: ["*"] })).toBe(false);
  });
});

describe("RBAC authorizer", () => {
  const podReader = role("default", "pod-reader", [{ verbs: ["get", "list"], apiGroups: [""], resources: ["pods"] }]);

  it("allows through a RoleBinding, with rbac.go's reason wording", () => {
    const rbac = createRbacAuthorizer(
      source({
        roles: [podReader],
        roleBindings: [roleBinding("default", "read-pods", roleRef("Role", "pod-reader"), [userSubject("jane")])],
      }),
    );
    expect(rbac.authorize(podsIn("default"))).toEqual({
      decision: "allow",
      reason: 'RBAC: allowed by RoleBinding "read-pods/default" of Role "pod-reader" to User "jane"',
    });
    expect(rbac.authorize(podsIn("kube-system"))).toEqual({ decision: "no-opinion", reason: "" });
  });

  it("allows through a ClusterRoleBinding to a Group", () => {
    const rbac = createRbacAuthorizer(
      source({
        clusterRoles: [clusterRole("reader", [{ verbs: ["list"], apiGroups: [""], resources: ["pods"] }])],
        clusterRoleBindings: [clusterRoleBinding("devs-read", roleRef("ClusterRole", "reader"), [userSubject("bob"), groupSubject("dev")])],
      }),
    );
    expect(rbac.authorize(podsIn("anywhere")).reason).toBe(
      'RBAC: allowed by ClusterRoleBinding "devs-read" of ClusterRole "reader" to Group "dev"',
    );
    expect(rbac.authorize(resourceAttributes(jane, { verb: "list", resource: "pods" })).decision).toBe("allow");
  });

  it("a RoleBinding to a ClusterRole only grants inside the binding's namespace", () => {
    const rbac = createRbacAuthorizer(
      source({
        clusterRoles: [clusterRole("reader", [{ verbs: ["list"], apiGroups: [""], resources: ["pods"] }])],
        roleBindings: [roleBinding("dev", "read", roleRef("ClusterRole", "reader"), [userSubject("jane")])],
      }),
    );
    expect(rbac.authorize(podsIn("dev")).reason).toBe('RBAC: allowed by RoleBinding "read/dev" of ClusterRole "reader" to User "jane"');
    expect(rbac.authorize(podsIn("default")).decision).toBe("no-opinion");
    expect(rbac.authorize(resourceAttributes(jane, { verb: "list", resource: "pods" })).decision).toBe("no-opinion");
  });

  it("a RoleBinding's Role is looked up in the binding's namespace", () => {
    const rbac = createRbacAuthorizer(
      source({
        roles: [podReader],
        roleBindings: [roleBinding("dev", "read", roleRef("Role", "pod-reader"), [userSubject("jane")])],
      }),
    );
    expect(rbac.authorize(podsIn("dev"))).toEqual({
      decision: "no-opinion",
      reason: 'RBAC: role.rbac.authorization.k8s.io "pod-reader" not found',
    });
  });

  it("ServiceAccount subjects: namespace defaults to the RoleBinding's; described name/namespace", () => {
    const sa = user("system:serviceaccount:dev:builder", ["system:serviceaccounts", "system:serviceaccounts:dev", "system:authenticated"]);
    const rbac = createRbacAuthorizer(
      source({
        clusterRoles: [clusterRole("reader", [{ verbs: ["list"], apiGroups: [""], resources: ["pods"] }])],
        roleBindings: [roleBinding("dev", "sa-read", roleRef("ClusterRole", "reader"), [saSubject("builder")])],
      }),
    );
    expect(rbac.authorize(resourceAttributes(sa, { verb: "list", resource: "pods", namespace: "dev" })).reason).toBe(
      'RBAC: allowed by RoleBinding "sa-read/dev" of ClusterRole "reader" to ServiceAccount "builder/dev"',
    );
    const other = user("system:serviceaccount:prod:builder");
    expect(rbac.authorize(resourceAttributes(other, { verb: "list", resource: "pods", namespace: "dev" })).decision).toBe("no-opinion");
  });

  it("a ClusterRoleBinding ServiceAccount subject needs its namespace", () => {
    const sa = user("system:serviceaccount:dev:builder");
    const reader = clusterRole("reader", [{ verbs: ["list"], apiGroups: [""], resources: ["pods"] }]);
    const without = createRbacAuthorizer(
      source({
        clusterRoles: [reader],
        clusterRoleBindings: [clusterRoleBinding("b", roleRef("ClusterRole", "reader"), [saSubject("builder")])],
      }),
    );
    expect(without.authorize(resourceAttributes(sa, { verb: "list", resource: "pods", namespace: "dev" })).decision).toBe("no-opinion");
    const withNs = createRbacAuthorizer(
      source({
        clusterRoles: [reader],
        clusterRoleBindings: [clusterRoleBinding("b", roleRef("ClusterRole", "reader"), [saSubject("builder", "dev")])],
      }),
    );
    expect(withNs.authorize(resourceAttributes(sa, { verb: "list", resource: "pods" })).reason).toBe(
      'RBAC: allowed by ClusterRoleBinding "b" of ClusterRole "reader" to ServiceAccount "builder/dev"',
    );
  });

  it("unknown subject kinds never match; the first matching subject is the one described", () => {
    const rbac = createRbacAuthorizer(
      source({
        clusterRoles: [clusterRole("reader", [{ verbs: ["list"], apiGroups: [""], resources: ["pods"] }])],
        clusterRoleBindings: [
          clusterRoleBinding("b", roleRef("ClusterRole", "reader"), [
            { kind: "user", name: "jane" },
            groupSubject("qa"),
            userSubject("jane"),
          ]),
        ],
      }),
    );
    expect(rbac.authorize(podsIn("x")).reason).toBe('RBAC: allowed by ClusterRoleBinding "b" of ClusterRole "reader" to Group "qa"');
  });

  it("missing roles are collected; a later binding can still allow", () => {
    const bindings = [
      clusterRoleBinding("broken-1", roleRef("ClusterRole", "gone"), [userSubject("jane")]),
      clusterRoleBinding("broken-2", roleRef("Widget", "x"), [userSubject("jane")]),
      clusterRoleBinding("not-jane", roleRef("ClusterRole", "also-gone"), [userSubject("bob")]),
    ];
    const denied = createRbacAuthorizer(source({ clusterRoleBindings: bindings }));
    expect(denied.authorize(podsIn("default"))).toEqual({
      decision: "no-opinion",
      reason: 'RBAC: [clusterrole.rbac.authorization.k8s.io "gone" not found, unsupported role reference kind: "Widget"]',
    });
    const allowed = createRbacAuthorizer(
      source({
        clusterRoles: [clusterRole("reader", [{ verbs: ["list"], apiGroups: [""], resources: ["pods"] }])],
        clusterRoleBindings: [...bindings, clusterRoleBinding("ok", roleRef("ClusterRole", "reader"), [userSubject("jane")])],
      }),
    );
    expect(allowed.authorize(podsIn("default")).decision).toBe("allow");
  });

  it("null rules and missing subjects are tolerated", () => {
    const rbac = createRbacAuthorizer(
      source({
        clusterRoles: [clusterRole("empty", null)],
        clusterRoleBindings: [
          clusterRoleBinding("b", roleRef("ClusterRole", "empty"), [userSubject("jane")]),
          { ...clusterRoleBinding("n", roleRef("ClusterRole", "empty"), []), subjects: undefined },
        ],
      }),
    );
    expect(rbac.authorize(podsIn("default"))).toEqual({ decision: "no-opinion", reason: "" });
  });
});

describe("denial explanation", () => {
  it("names the request, the bindings that applied, and bindings in other namespaces", () => {
    const cluster = clusterWith({ roleBindings: [roleBinding("dev", "jane-edit", roleRef("ClusterRole", "edit"), [userSubject("jane")])] });
    const rbac = createRbacAuthorizer(cluster);
    const explanation = rbac.explainDenial(podsIn("default"));
    expect(explanation.summary).toBe("RBAC: no rule allows list pods in namespace default for user jane");
    expect(explanation.logLine).toBe(
      'RBAC: no rules authorize user "jane" with groups ["dev" "qa" "system:authenticated"] to "list" resource "pods" in namespace "default"',
    );
    expect(explanation.bindingsWithoutPermission).toContain(
      'ClusterRoleBinding "system:basic-user" of ClusterRole "system:basic-user" to Group "system:authenticated"',
    );
    expect(explanation.bindingsInOtherNamespaces).toEqual(['RoleBinding "jane-edit/dev" of ClusterRole "edit" to User "jane"']);
    const step = rbac.traceStep(podsIn("default"));
    expect(step.outcome).toBe("deny");
    expect(step.message.split("\n")[0]).toBe(explanation.summary);
  });

  it("describes non-resource, named, grouped and cluster-wide requests", () => {
    const rbac = createRbacAuthorizer(source({}));
    expect(rbac.explainDenial(nonResourceAttributes(user("system:anonymous"), "get", "/api")).summary).toBe(
      "RBAC: no rule allows get /api for user system:anonymous",
    );
    expect(
      rbac.explainDenial(
        resourceAttributes(user("system:serviceaccount:a:b"), {
          verb: "get",
          resource: "deployments",
          apiGroup: "apps",
          subresource: "scale",
          name: "web",
        }),
      ).summary,
    ).toBe('RBAC: no rule allows get deployments.apps/scale named "web" cluster-wide for serviceaccount system:serviceaccount:a:b');
  });

  it("allow trace uses the RBAC reason", () => {
    const rbac = createRbacAuthorizer(clusterWith({}));
    expect(rbac.traceStep(nonResourceAttributes(jane, "get", "/api")).message).toBe(
      'RBAC: allowed by ClusterRoleBinding "system:discovery" of ClusterRole "system:discovery" to Group "system:authenticated"',
    );
  });
});

describe("kube-apiserver chain: system:masters", () => {
  it("masters are allowed before RBAC with an empty reason, even with no RBAC objects", () => {
    const chain = createApiserverAuthorizer(source({}));
    expect(chain.authorize(resourceAttributes(admin, { verb: "delete", resource: "nodes", name: "n1" }))).toEqual({
      decision: "allow",
      reason: "",
      decidedBy: "system-privileged-group",
    });
    expect(chain.traceStep(resourceAttributes(admin, { verb: "delete", resource: "nodes" })).outcome).toBe("allow");
  });

  it("others go to RBAC", () => {
    const chain = createApiserverAuthorizer(clusterWith({}));
    expect(chain.authorize(podsIn("default"))).toEqual({ decision: "no-opinion", reason: "", decidedBy: "none" });
    expect(chain.authorize(nonResourceAttributes(jane, "get", "/version")).decidedBy).toBe("rbac");
  });

  it("RBAC alone also allows masters, through the cluster-admin binding", () => {
    const rbac = createRbacAuthorizer(clusterWith({}));
    expect(rbac.authorize(resourceAttributes(admin, { verb: "list", resource: "pods", namespace: "default" })).reason).toBe(
      'RBAC: allowed by ClusterRoleBinding "cluster-admin" of ClusterRole "cluster-admin" to Group "system:masters"',
    );
  });
});
