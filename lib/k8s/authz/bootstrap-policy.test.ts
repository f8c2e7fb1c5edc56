import { describe, expect, it } from "vitest";
import { nonResourceAttributes, resourceAttributes, type ClusterRole } from "./types";
import { bootstrapRbacObjects } from "./bootstrap-policy";
import { aggregateClusterRoles } from "./aggregation";
import { createRbacAuthorizer } from "./rbac-authorizer";
import { anonymous, clusterRole, clusterWith, jane, roleBinding, roleRef, user, userSubject } from "./test-helpers";

const rbac = createRbacAuthorizer(clusterWith({}));
const allowed = (attributes: Parameters<typeof rbac.authorize>[0]) => rbac.authorize(attributes).decision === "allow";

describe("bootstrap objects", () => {
  it("carry the rbac-defaults label and autoupdate annotation", () => {
    const { clusterRoles, clusterRoleBindings } = bootstrapRbacObjects();
    for (const object of [...clusterRoles, ...clusterRoleBindings]) {
      expect(object.metadata.labels?.["kubernetes.io/bootstrapping"]).toBe("rbac-defaults");
      expect(object.metadata.annotations?.["rbac.authorization.kubernetes.io/autoupdate"]).toBe("true");
      expect(object.apiVersion).toBe("rbac.authorization.k8s.io/v1");
    }
    expect(clusterRoles.map((r) => r.metadata.name)).toEqual(
      expect.arrayContaining([
        "cluster-admin",
        "admin",
        "edit",
        "view",
        "system:basic-user",
        "system:discovery",
        "system:public-info-viewer",
      ]),
    );
  });

  it("bind the expected groups", () => {
    const subjects = Object.fromEntries(
      bootstrapRbacObjects().clusterRoleBindings.map((b) => [b.metadata.name, (b.subjects ?? []).map((s) => `${s.kind}:${s.name}`)]),
    );
    expect(subjects["cluster-admin"]).toEqual(["Group:system:masters"]);
    expect(subjects["system:basic-user"]).toEqual(["Group:system:authenticated"]);
    expect(subjects["system:discovery"]).toEqual(["Group:system:authenticated"]);
    expect(subjects["system:public-info-viewer"]).toEqual(["Group:system:authenticated", "Group:system:unauthenticated"]);
  });

  it("returns fresh copies", () => {
    const first = bootstrapRbacObjects();
    first.clusterRoles.length = 0;
    expect(bootstrapRbacObjects().clusterRoles.length).toBeGreaterThan(5);
  });
});

describe("default RBAC for an authenticated user", () => {
  it("may create the self reviews", () => {
    expect(allowed(resourceAttributes(jane, { verb: "create", apiGroup: "authentication.k8s.io", resource: "selfsubjectreviews" }))).toBe(
      true,
    );
    expect(
      allowed(resourceAttributes(jane, { verb: "create", apiGroup: "authorization.k8s.io", resource: "selfsubjectaccessreviews" })),
    ).toBe(true);
    expect(
      allowed(
        resourceAttributes(jane, {
          verb: "create",
          apiGroup: "authorization.k8s.io",
          resource: "selfsubjectrulesreviews",
          namespace: "default",
        }),
      ),
    ).toBe(true);
  });

  it("may discover but not list pods", () => {
    for (const path of ["/api", "/api/v1", "/apis", "/apis/rbac.authorization.k8s.io/v1", "/openapi/v3", "/version", "/healthz"]) {
      expect(allowed(nonResourceAttributes(jane, "get", path)), path).toBe(true);
    }
    expect(allowed(nonResourceAttributes(jane, "post", "/api"))).toBe(false);
    expect(allowed(resourceAttributes(jane, { verb: "list", resource: "pods", namespace: "default" }))).toBe(false);
    expect(allowed(resourceAttributes(jane, { verb: "create", resource: "selfsubjectreviews" }))).toBe(false); // wrong group
  });
});

describe("default RBAC for anonymous", () => {
  it("may read the public health and version paths only", () => {
    for (const path of ["/healthz", "/livez", "/readyz", "/version", "/version/"])
      expect(allowed(nonResourceAttributes(anonymous, "get", path)), path).toBe(true);
    for (const path of ["/api", "/apis", "/openapi/v2", "/healthz/etcd", "/metrics"])
      expect(allowed(nonResourceAttributes(anonymous, "get", path)), path).toBe(false);
    expect(
      allowed(resourceAttributes(anonymous, { verb: "create", apiGroup: "authentication.k8s.io", resource: "selfsubjectreviews" })),
    ).toBe(false);
  });
});

describe("admin, edit, view", () => {
  const bound = (clusterRoleName: string) =>
    createRbacAuthorizer(
      clusterWith({ roleBindings: [roleBinding("team", "b", roleRef("ClusterRole", clusterRoleName), [userSubject("jane")])] }),
    );
  const can = (roleName: string, verb: string, resource: string, extra: { apiGroup?: string; subresource?: string; name?: string } = {}) =>
    bound(roleName).authorize(resourceAttributes(jane, { verb, resource, namespace: "team", ...extra })).decision === "allow";

  it("view reads pods, configmaps, serviceaccounts and namespaces but not secrets, and writes nothing", () => {
    expect(can("view", "list", "pods")).toBe(true);
    expect(can("view", "get", "pods", { subresource: "log", name: "p" })).toBe(true);
    expect(can("view", "get", "configmaps")).toBe(true);
    expect(can("view", "get", "serviceaccounts")).toBe(true);
    expect(can("view", "get", "namespaces", { name: "team" })).toBe(true);
    expect(can("view", "get", "secrets")).toBe(false);
    expect(can("view", "create", "pods")).toBe(false);
    expect(can("view", "get", "pods", { subresource: "exec" })).toBe(false);
  });

  it("edit adds writes, secrets, exec, SA impersonation and tokens, but not RBAC", () => {
    expect(can("edit", "list", "pods")).toBe(true);
    expect(can("edit", "get", "secrets")).toBe(true);
    expect(can("edit", "create", "pods", { subresource: "exec" })).toBe(true);
    expect(can("edit", "impersonate", "serviceaccounts", { name: "x" })).toBe(true);
    expect(can("edit", "create", "serviceaccounts", { subresource: "token", name: "x" })).toBe(true);
    expect(can("edit", "create", "rolebindings", { apiGroup: "rbac.authorization.k8s.io" })).toBe(false);
  });

  it("admin adds roles and rolebindings", () => {
    expect(can("admin", "create", "rolebindings", { apiGroup: "rbac.authorization.k8s.io" })).toBe(true);
    expect(can("admin", "delete", "roles", { apiGroup: "rbac.authorization.k8s.io", name: "r" })).toBe(true);
    expect(can("admin", "get", "secrets")).toBe(true);
    expect(can("admin", "list", "pods")).toBe(true);
  });

  it("aggregated rules follow the controller: sorted sources, duplicates dropped", () => {
    const roles = Object.fromEntries(bootstrapRbacObjects().clusterRoles.map((r) => [r.metadata.name, r]));
    const rulesOf = (name: string) => roles[name]?.rules ?? [];
    expect(rulesOf("view")).toEqual(rulesOf("system:aggregate-to-view"));
    expect(rulesOf("edit")).toEqual([...rulesOf("system:aggregate-to-edit"), ...rulesOf("view")]);
    expect(rulesOf("admin")).toEqual([...rulesOf("edit"), ...rulesOf("system:aggregate-to-admin")]);
  });

  it("a learner's ClusterRole labelled aggregate-to-view joins view, edit and admin", () => {
    const custom: ClusterRole = {
      ...clusterRole("widgets-view", [{ verbs: ["get"], apiGroups: ["example.com"], resources: ["widgets"] }]),
      metadata: { name: "widgets-view", labels: { "rbac.authorization.k8s.io/aggregate-to-view": "true" } },
    };
    const roles = aggregateClusterRoles([...bootstrapRbacObjects().clusterRoles, custom]);
    for (const name of ["view", "edit", "admin"]) {
      expect(roles.find((r) => r.metadata.name === name)?.rules, name).toContainEqual({
        verbs: ["get"],
        apiGroups: ["example.com"],
        resources: ["widgets"],
      });
    }
  });

  it("cluster-admin allows everything including non-resource URLs", () => {
    const chain = createRbacAuthorizer(clusterWith({ clusterRoleBindings: [] }));
    const root = user("root", ["system:masters"]);
    expect(chain.authorize(nonResourceAttributes(root, "post", "/anything")).decision).toBe("allow");
    expect(
      chain.authorize(resourceAttributes(root, { verb: "escalate", resource: "clusterroles", apiGroup: "rbac.authorization.k8s.io" }))
        .decision,
    ).toBe("allow");
  });
});
