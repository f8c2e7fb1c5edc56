import { describe, expect, it } from "vitest";
import { impersonate } from "./impersonation";
import {
  buildImpersonationRequests,
  goPathUnescape,
  splitServiceAccountUsername,
  withoutImpersonationHeaders,
} from "./impersonation-headers";
import { createApiserverAuthorizer } from "./rbac-authorizer";
import { statusJson } from "./status";
import type { AuthorizationAttributes, AuthorizeFn, PolicyRule } from "./types";
import { admin, clusterRole, clusterRoleBinding, clusterWith, jane, roleRef, user, userSubject } from "./test-helpers";

const bob = user("bob", ["ops", "system:authenticated"], { "authentication.kubernetes.io/credential-id": ["X509SHA256=abc"] });

function authorizerGranting(rules: PolicyRule[]): AuthorizeFn {
  const cluster = clusterWith({
    clusterRoles: [clusterRole("impersonator", rules)],
    clusterRoleBindings: [clusterRoleBinding("bob-impersonates", roleRef("ClusterRole", "impersonator"), [userSubject("bob")])],
  });
  const chain = createApiserverAuthorizer(cluster);
  return (attributes) => chain.authorize(attributes);
}

const everything = authorizerGranting([
  { verbs: ["impersonate"], apiGroups: [""], resources: ["users", "groups", "serviceaccounts"] },
  {
    verbs: ["impersonate"],
    apiGroups: ["authentication.k8s.io"],
    resources: ["uids", "userextras/scopes", "userextras/example.com/team", "userextras/bad%zzkey"],
  },
]);

function recordingAuthorizer(inner: AuthorizeFn, seen: AuthorizationAttributes[]): AuthorizeFn {
  return (attributes) => {
    seen.push(attributes);
    return inner(attributes);
  };
}

describe("impersonation: no headers", () => {
  it("passes the requester through untouched", () => {
    const result = impersonate({ requester: bob, headers: { accept: "application/json" }, authorize: everything, uri: "/api" });
    expect(result).toEqual({ ok: true, impersonating: false, user: bob, trace: [] });
  });
});

describe("impersonation checks (spec §7.3 table)", () => {
  it("user: verb impersonate on users/<name>; system:authenticated appended; requester extra dropped", () => {
    const seen: AuthorizationAttributes[] = [];
    const result = impersonate({
      requester: bob,
      headers: { "impersonate-user": "jane" },
      authorize: recordingAuthorizer(everything, seen),
      uri: "/api",
    });
    expect(result.ok && result.user).toEqual({ name: "jane", uid: "", groups: ["system:authenticated"], extra: {} });
    expect(seen.map((a) => [a.verb, a.apiGroup, a.resource, a.subresource, a.namespace, a.name, a.user.name])).toEqual([
      ["impersonate", "", "users", "", "", "jane", "bob"],
    ]);
  });

  it("service account: serviceaccounts check in its namespace; SA groups filled in", () => {
    const seen: AuthorizationAttributes[] = [];
    const result = impersonate({
      requester: bob,
      headers: { "impersonate-user": "system:serviceaccount:dev:builder" },
      authorize: recordingAuthorizer(everything, seen),
      uri: "/api",
    });
    expect(seen.map((a) => [a.resource, a.namespace, a.name])).toEqual([["serviceaccounts", "dev", "builder"]]);
    expect(result.ok && result.user.groups).toEqual(["system:serviceaccounts", "system:serviceaccounts:dev", "system:authenticated"]);
    expect(result.ok && result.user.name).toBe("system:serviceaccount:dev:builder");
  });

  it("service account with explicit groups: only those groups (+ system:authenticated)", () => {
    const result = impersonate({
      requester: bob,
      headers: { "impersonate-user": "system:serviceaccount:dev:builder", "impersonate-group": ["x"] },
      authorize: everything,
      uri: "/api",
    });
    expect(result.ok && result.user.groups).toEqual(["x", "system:authenticated"]);
  });

  it("a malformed SA username is an ordinary user", () => {
    const seen: AuthorizationAttributes[] = [];
    impersonate({
      requester: bob,
      headers: { "impersonate-user": "system:serviceaccount:Bad_NS:x" },
      authorize: recordingAuthorizer(everything, seen),
      uri: "/",
    });
    expect(seen[0]?.resource).toBe("users");
  });

  it("groups: one check per header value, in order", () => {
    const seen: AuthorizationAttributes[] = [];
    const result = impersonate({
      requester: bob,
      headers: { "impersonate-user": "jane", "impersonate-group": ["dev", "qa"] },
      authorize: recordingAuthorizer(everything, seen),
      uri: "/api",
    });
    expect(seen.map((a) => `${a.resource}:${a.name}`)).toEqual(["users:jane", "groups:dev", "groups:qa"]);
    expect(result.ok && result.user.groups).toEqual(["dev", "qa", "system:authenticated"]);
  });

  it("explicit system:authenticated or system:unauthenticated suppresses the append", () => {
    const withAuth = impersonate({
      requester: bob,
      headers: { "impersonate-user": "jane", "impersonate-group": ["system:authenticated", "dev"] },
      authorize: everything,
      uri: "/",
    });
    expect(withAuth.ok && withAuth.user.groups).toEqual(["system:authenticated", "dev"]);
    const withUnauth = impersonate({
      requester: bob,
      headers: { "impersonate-user": "jane", "impersonate-group": ["system:unauthenticated"] },
      authorize: everything,
      uri: "/",
    });
    expect(withUnauth.ok && withUnauth.user.groups).toEqual(["system:unauthenticated"]);
  });

  it("system:anonymous gets system:unauthenticated, once", () => {
    const plain = impersonate({ requester: bob, headers: { "impersonate-user": "system:anonymous" }, authorize: everything, uri: "/" });
    expect(plain.ok && plain.user.groups).toEqual(["system:unauthenticated"]);
    const given = impersonate({
      requester: bob,
      headers: { "impersonate-user": "system:anonymous", "impersonate-group": ["system:unauthenticated", "x"] },
      authorize: everything,
      uri: "/",
    });
    expect(given.ok && given.user.groups).toEqual(["system:unauthenticated", "x"]);
  });

  it("extras: key lowercased and percent-decoded, checked as userextras/<key> in authentication.k8s.io", () => {
    const seen: AuthorizationAttributes[] = [];
    const result = impersonate({
      requester: bob,
      headers: { "Impersonate-User": "jane", "Impersonate-Extra-Example.com%2FTeam": ["a", "b"], "impersonate-extra-scopes": "view" },
      authorize: recordingAuthorizer(everything, seen),
      uri: "/",
    });
    expect(result.ok && result.user.extra).toEqual({ "example.com/team": ["a", "b"], scopes: ["view"] });
    expect(seen.slice(1).map((a) => [a.apiGroup, a.resource, a.subresource, a.name])).toEqual([
      ["authentication.k8s.io", "userextras", "example.com/team", "a"],
      ["authentication.k8s.io", "userextras", "example.com/team", "b"],
      ["authentication.k8s.io", "userextras", "scopes", "view"],
    ]);
  });

  it("'userextras/*' is not a wildcard for extra keys in RBAC (only '*' and '*/sub' are)", () => {
    const prefixOnly = authorizerGranting([
      { verbs: ["impersonate"], apiGroups: [""], resources: ["users"] },
      { verbs: ["impersonate"], apiGroups: ["authentication.k8s.io"], resources: ["userextras/*"] },
    ]);
    const result = impersonate({
      requester: bob,
      headers: { "impersonate-user": "jane", "impersonate-extra-scopes": "view" },
      authorize: prefixOnly,
      uri: "/",
    });
    expect(!result.ok && result.status).toBe(403);
  });

  it("a malformed percent escape keeps the raw (lowercased) key", () => {
    const result = impersonate({
      requester: bob,
      headers: { "impersonate-user": "jane", "impersonate-extra-bad%zzkey": "v" },
      authorize: everything,
      uri: "/",
    });
    expect(result.ok && result.user.extra).toEqual({ "bad%zzkey": ["v"] });
  });

  it("uid: checked last as uids in authentication.k8s.io, set on the user", () => {
    const seen: AuthorizationAttributes[] = [];
    const result = impersonate({
      requester: bob,
      headers: { "impersonate-uid": "123", "impersonate-user": "jane", "impersonate-group": "dev" },
      authorize: recordingAuthorizer(everything, seen),
      uri: "/",
    });
    expect(seen.map((a) => `${a.apiGroup}/${a.resource}:${a.name}`)).toEqual([
      "/users:jane",
      "/groups:dev",
      "authentication.k8s.io/uids:123",
    ]);
    expect(result.ok && result.user).toEqual({ name: "jane", uid: "123", groups: ["dev", "system:authenticated"], extra: {} });
  });

  it("trace: one line per allowed check plus the acting-as line", () => {
    const result = impersonate({
      requester: bob,
      headers: { "impersonate-user": "jane", "impersonate-group": "dev" },
      authorize: everything,
      uri: "/",
    });
    expect(result.trace.map((step) => step.message)).toEqual([
      'impersonate users "jane": RBAC: allowed by ClusterRoleBinding "bob-impersonates" of ClusterRole "impersonator" to User "bob"',
      'impersonate groups "dev": RBAC: allowed by ClusterRoleBinding "bob-impersonates" of ClusterRole "impersonator" to User "bob"',
      "&{bob  [ops system:authenticated] map[authentication.kubernetes.io/credential-id:[X509SHA256=abc]]} is acting as &{jane  [dev system:authenticated] map[]}",
    ]);
  });

  it("system:masters may impersonate anyone (allowed before RBAC)", () => {
    const chain = createApiserverAuthorizer(clusterWith({}));
    const result = impersonate({
      requester: admin,
      headers: { "impersonate-user": "jane" },
      authorize: (a) => chain.authorize(a),
      uri: "/",
    });
    expect(result.ok && result.user.name).toBe("jane");
    expect(result.trace[0]?.message).toBe('impersonate users "jane": allowed');
  });
});

describe("impersonation denials", () => {
  const nothing = authorizerGranting([]);

  it("user denied: exact 403 body of the spec", () => {
    const result = impersonate({ requester: bob, headers: { "impersonate-user": "jane" }, authorize: nothing, uri: "/api?timeout=32s" });
    if (result.ok || result.status !== 403) throw new Error("expected 403");
    expect(statusJson(result.body)).toBe(
      '{"kind":"Status","apiVersion":"v1","metadata":{},"status":"Failure","message":"users \\"jane\\" is forbidden: User \\"bob\\" cannot impersonate resource \\"users\\" in API group \\"\\" at the cluster scope","reason":"Forbidden","details":{"name":"jane","kind":"users"},"code":403}',
    );
    expect(result.response.headers["X-Content-Type-Options"]).toBe("nosniff");
    expect(result.trace.at(-1)?.outcome).toBe("deny");
  });

  it("stops at the first denied check (group after allowed user)", () => {
    const usersOnly = authorizerGranting([{ verbs: ["impersonate"], apiGroups: [""], resources: ["users"] }]);
    const result = impersonate({
      requester: bob,
      headers: { "impersonate-user": "jane", "impersonate-group": ["system:masters"] },
      authorize: usersOnly,
      uri: "/",
    });
    expect(!result.ok && result.status === 403 && result.body.message).toBe(
      'groups "system:masters" is forbidden: User "bob" cannot impersonate resource "groups" in API group "" at the cluster scope',
    );
  });

  it("service account denied: namespaced message", () => {
    const result = impersonate({
      requester: bob,
      headers: { "impersonate-user": "system:serviceaccount:dev:builder" },
      authorize: nothing,
      uri: "/",
    });
    expect(!result.ok && result.status === 403 && result.body.message).toBe(
      'serviceaccounts "builder" is forbidden: User "bob" cannot impersonate resource "serviceaccounts" in API group "" in the namespace "dev"',
    );
  });

  it("extra and uid denied: grouped resource, subresource in the sentence", () => {
    const usersOnly = authorizerGranting([{ verbs: ["impersonate"], apiGroups: [""], resources: ["users"] }]);
    const extra = impersonate({
      requester: bob,
      headers: { "impersonate-user": "jane", "impersonate-extra-scopes": "view" },
      authorize: usersOnly,
      uri: "/",
    });
    expect(!extra.ok && extra.status === 403 && statusJson(extra.body)).toContain(
      '"message":"userextras.authentication.k8s.io \\"view\\" is forbidden: User \\"bob\\" cannot impersonate resource \\"userextras/scopes\\" in API group \\"authentication.k8s.io\\" at the cluster scope","reason":"Forbidden","details":{"name":"view","group":"authentication.k8s.io","kind":"userextras"}',
    );
    const uid = impersonate({
      requester: bob,
      headers: { "impersonate-user": "jane", "impersonate-uid": "42" },
      authorize: usersOnly,
      uri: "/",
    });
    expect(!uid.ok && uid.status === 403 && uid.body.message).toBe(
      'uids.authentication.k8s.io "42" is forbidden: User "bob" cannot impersonate resource "uids" in API group "authentication.k8s.io" at the cluster scope',
    );
  });

  it("a missing role's error is appended to the 403", () => {
    const cluster = clusterWith({ clusterRoleBindings: [clusterRoleBinding("x", roleRef("ClusterRole", "gone"), [userSubject("bob")])] });
    const chain = createApiserverAuthorizer(cluster);
    const result = impersonate({ requester: bob, headers: { "impersonate-user": "jane" }, authorize: (a) => chain.authorize(a), uri: "/" });
    expect(
      !result.ok &&
        result.status === 403 &&
        result.body.message?.endsWith(': RBAC: clusterrole.rbac.authorization.k8s.io "gone" not found'),
    ).toBe(true);
  });
});

describe("impersonation without a user: 500 plain text", () => {
  it("groups only", () => {
    const result = impersonate({
      requester: jane,
      headers: { "impersonate-group": ["dev", "qa"] },
      authorize: everything,
      uri: "/api/v1/namespaces/default/pods?limit=500",
    });
    if (result.ok || result.status !== 500) throw new Error("expected 500");
    expect(result.text).toBe(
      'Internal Server Error: "/api/v1/namespaces/default/pods?limit=500": requested [{Group  dev    } {Group  qa    }] without impersonating a user\n',
    );
    expect(result.response.headers["Content-Type"]).toBe("text/plain; charset=utf-8");
    expect(result.trace[0]?.outcome).toBe("error");
  });

  it("uid only and extra only", () => {
    const uid = impersonate({ requester: jane, headers: { "impersonate-uid": "123" }, authorize: everything, uri: "/api" });
    expect(!uid.ok && uid.status === 500 && uid.text).toBe(
      'Internal Server Error: "/api": requested [{UID  123  authentication.k8s.io/v1  }] without impersonating a user\n',
    );
    const extra = impersonate({
      requester: jane,
      headers: { "impersonate-extra-scopes": "view", "impersonate-user": "" },
      authorize: everything,
      uri: "/api",
    });
    expect(!extra.ok && extra.status === 500 && extra.text).toBe(
      'Internal Server Error: "/api": requested [{UserExtra  view  authentication.k8s.io/v1  scopes}] without impersonating a user\n',
    );
  });
});

describe("header helpers", () => {
  it("SplitUsername validation", () => {
    expect(splitServiceAccountUsername("system:serviceaccount:dev:builder")).toEqual({ namespace: "dev", name: "builder" });
    expect(splitServiceAccountUsername("system:serviceaccount:dev:my.sa")).toEqual({ namespace: "dev", name: "my.sa" });
    expect(splitServiceAccountUsername("system:serviceaccount:dev")).toBeUndefined();
    expect(splitServiceAccountUsername("system:serviceaccount:dev:a:b")).toBeUndefined();
    expect(splitServiceAccountUsername("system:serviceaccount:Dev:a")).toBeUndefined();
    expect(splitServiceAccountUsername("system:serviceaccount::a")).toBeUndefined();
    expect(splitServiceAccountUsername(`system:serviceaccount:${"a".repeat(64)}:a`)).toBeUndefined();
  });

  it("PathUnescape", () => {
    expect(goPathUnescape("a%2Fb%2fc+d")).toBe("a/b/c+d");
    expect(goPathUnescape("%e2%9c%93")).toBe("✓");
    expect(goPathUnescape("bad%")).toBeUndefined();
    expect(goPathUnescape("bad%4")).toBeUndefined();
  });

  it("only the first Impersonate-User value counts; empty user means none", () => {
    const parsed = buildImpersonationRequests({ "impersonate-user": ["a", "b"] });
    expect(parsed.ok && parsed.requests).toEqual([{ kind: "User", name: "a" }]);
    expect(buildImpersonationRequests({ "impersonate-user": "" })).toEqual({ ok: true, requests: [], groupsSpecified: false });
  });

  it("strips impersonation headers, keeps the rest", () => {
    expect(
      withoutImpersonationHeaders({
        "Impersonate-User": "a",
        "impersonate-group": "b",
        "impersonate-uid": "c",
        "impersonate-extra-x": "d",
        accept: "e",
      }),
    ).toEqual({ accept: "e" });
  });
});
