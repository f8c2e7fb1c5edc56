/**
 * Property tests: thousands of random and hostile inputs, asserting nothing throws and the
 * outputs keep their invariants (parseable JSON, exact status codes, masters always allowed).
 */
import { describe, expect, it } from "vitest";
import type { UserInfo } from "../types";
import { impersonate } from "./impersonation";
import type { HeaderMap } from "./impersonation-headers";
import { createApiserverAuthorizer, createRbacAuthorizer } from "./rbac-authorizer";
import { selfSubjectAccessReview, selfSubjectRulesReview } from "./reviews";
import { parseRbacObject, rbacSourceSchema } from "./schemas";
import { forbiddenStatus, statusJson } from "./status";
import { aggregateClusterRoles } from "./aggregation";
import type { AuthorizationAttributes, ClusterRoleBinding, PolicyRule, RbacSource, RoleBinding } from "./types";
import { clusterRole, clusterRoleBinding, clusterWith, role, roleBinding, roleRef, seededRandom } from "./test-helpers";

const random = seededRandom(20241129);
const pick = <T>(items: readonly T[]): T => {
  const item = items[Math.floor(random() * items.length)];
  if (item === undefined) throw new Error("empty pick list");
  return item;
};

const HOSTILE = [
  "",
  "*",
  "*/log",
  "/",
  "/api/*",
  "%",
  "%zz",
  "%2F",
  "a/b",
  "system:masters",
  "system:authenticated",
  "system:unauthenticated",
  "system:anonymous",
  "system:serviceaccount:dev:sa",
  "system:serviceaccount::",
  "<script>&",
  '"quoted"',
  "\\",
  "\u0000\u0007\n",
  "\ud800",
  "é✓",
  "\u2028",
  "x".repeat(5000),
  "-",
  ".",
  "Dev",
  "a:b:c",
];
const WORDS = [
  "get",
  "list",
  "watch",
  "create",
  "delete",
  "impersonate",
  "pods",
  "secrets",
  "users",
  "groups",
  "default",
  "dev",
  "apps",
  "jane",
  "bob",
  "log",
  "",
  "*",
];

function randomString(): string {
  const roll = random();
  if (roll < 0.4) return pick(WORDS);
  if (roll < 0.75) return pick(HOSTILE);
  const length = Math.floor(random() * 24);
  let out = "";
  for (let i = 0; i < length; i++) out += String.fromCharCode(Math.floor(random() * (random() < 0.9 ? 128 : 0xffff)));
  return out;
}

const randomList = (max = 4): string[] => Array.from({ length: Math.floor(random() * max) }, randomString);

function randomUser(): UserInfo {
  const extra: Record<string, string[]> = random() < 0.3 ? { [randomString()]: randomList() } : {};
  return { name: randomString(), uid: randomString(), groups: randomList(), extra };
}

function randomAttributes(user = randomUser()): AuthorizationAttributes {
  return {
    user,
    verb: randomString(),
    resourceRequest: random() < 0.7,
    namespace: randomString(),
    apiGroup: randomString(),
    apiVersion: randomString(),
    resource: randomString(),
    subresource: random() < 0.3 ? randomString() : "",
    name: random() < 0.5 ? randomString() : "",
    path: randomString(),
  };
}

function randomRule(): PolicyRule {
  return random() < 0.7
    ? { verbs: randomList(), apiGroups: randomList(), resources: randomList(), ...(random() < 0.3 ? { resourceNames: randomList() } : {}) }
    : { verbs: randomList(), nonResourceURLs: randomList() };
}

function randomSubjects() {
  return Array.from({ length: Math.floor(random() * 3) }, () => ({
    kind: pick(["User", "Group", "ServiceAccount", "Nope", ""]),
    name: randomString(),
    ...(random() < 0.5 ? { namespace: randomString() } : {}),
  }));
}

function randomSource(): RbacSource {
  const roleNames = ["r1", "r2", "missing", randomString()];
  const roleBindings: RoleBinding[] = Array.from({ length: 4 }, () =>
    roleBinding(
      pick(["default", "dev", randomString()]),
      randomString(),
      roleRef(pick(["Role", "ClusterRole", "Widget"]), pick(roleNames)),
      randomSubjects(),
    ),
  );
  const clusterRoleBindings: ClusterRoleBinding[] = Array.from({ length: 3 }, () =>
    clusterRoleBinding(randomString(), roleRef(pick(["ClusterRole", "Role"]), pick(roleNames)), randomSubjects()),
  );
  return clusterWith({
    roles: [role("default", "r1", [randomRule(), randomRule()]), role("dev", "r2", [randomRule()])],
    clusterRoles: [clusterRole("r1", [randomRule()]), clusterRole("r2", random() < 0.5 ? null : [randomRule()])],
    roleBindings,
    clusterRoleBindings,
  });
}

describe("fuzz: RBAC authorizer, explanations, 403 bodies, reviews", () => {
  it("3000 random requests against random policies never throw and keep invariants", () => {
    for (let i = 0; i < 3000; i++) {
      const source = randomSource();
      const attributes = randomAttributes();
      const rbac = createRbacAuthorizer(source);
      const decision = rbac.authorize(attributes);
      expect(["allow", "no-opinion"]).toContain(decision.decision);
      if (decision.decision === "allow") expect(decision.reason.startsWith("RBAC: allowed by ")).toBe(true);
      else expect(decision.reason === "" || decision.reason.startsWith("RBAC: ")).toBe(true);
      rbac.explainDenial(attributes);
      rbac.traceStep(attributes);

      const status = forbiddenStatus(attributes, decision.reason);
      const parsed: unknown = JSON.parse(statusJson(status));
      expect(parsed).toMatchObject({ kind: "Status", code: 403, reason: "Forbidden" });

      const review = selfSubjectAccessReview((a) => createApiserverAuthorizer(source).authorize(a), attributes.user, {
        resourceAttributes: {
          verb: attributes.verb,
          resource: attributes.resource,
          namespace: attributes.namespace,
          name: attributes.name,
        },
      });
      expect(review.ok).toBe(true);
      selfSubjectRulesReview(source, attributes.user, attributes.namespace);
    }
  });

  it("system:masters is always allowed by the apiserver chain", () => {
    const chain = createApiserverAuthorizer({ roles: [], clusterRoles: [], roleBindings: [], clusterRoleBindings: [] });
    for (let i = 0; i < 1000; i++) {
      const user = randomUser();
      user.groups.push("system:masters");
      expect(chain.authorize(randomAttributes(user)).decision).toBe("allow");
    }
  });

  it("aggregation terminates on random and cyclic selectors", () => {
    for (let i = 0; i < 300; i++) {
      const label = pick(["a", "b"]);
      const roles = ["x", "y", "z"].map((name) => ({
        ...clusterRole(name, [randomRule()]),
        metadata: { name, labels: { [pick(["a", "b"])]: "true" } },
        aggregationRule: { clusterRoleSelectors: [{ matchLabels: { [label]: "true" } }] },
      }));
      expect(aggregateClusterRoles(roles)).toHaveLength(3);
    }
  });
});

function randomJson(depth: number): unknown {
  const roll = random();
  if (depth <= 0 || roll < 0.3) return pick<unknown>([null, true, 0, -1, 1e308, randomString(), [], {}]);
  if (roll < 0.6) return Array.from({ length: Math.floor(random() * 4) }, () => randomJson(depth - 1));
  const keys = ["apiVersion", "kind", "metadata", "rules", "subjects", "roleRef", "name", "namespace", "verbs", "labels", randomString()];
  return Object.fromEntries(Array.from({ length: Math.floor(random() * 5) }, () => [pick(keys), randomJson(depth - 1)]));
}

describe("fuzz: boundary schemas", () => {
  it("2000 garbage and deeply nested documents are rejected or parsed, never thrown", () => {
    let nested: unknown = { kind: "ClusterRole" };
    for (let i = 0; i < 2000; i++) nested = { metadata: nested, rules: [nested] };
    expect(parseRbacObject(nested).ok).toBe(false);
    for (let i = 0; i < 2000; i++) {
      const input =
        random() < 0.2
          ? {
              apiVersion: "rbac.authorization.k8s.io/v1",
              kind: pick(["Role", "ClusterRole", "RoleBinding", "ClusterRoleBinding"]),
              ...Object(randomJson(3)),
            }
          : randomJson(4);
      const result = parseRbacObject(input);
      if (!result.ok) expect(result.error.length).toBeGreaterThan(0);
      rbacSourceSchema.safeParse(input);
    }
  });

  it("valid objects round-trip through the schema", () => {
    const object = clusterRoleBinding("b", roleRef("ClusterRole", "view"), [{ kind: "User", name: "jane" }]);
    expect(parseRbacObject(JSON.parse(JSON.stringify(object)))).toEqual({ ok: true, object });
  });
});

describe("fuzz: impersonation headers", () => {
  const chain = createApiserverAuthorizer(
    clusterWith({
      clusterRoles: [clusterRole("imp", [{ verbs: ["impersonate"], apiGroups: ["*"], resources: ["*"] }])],
      clusterRoleBindings: [clusterRoleBinding("imp", roleRef("ClusterRole", "imp"), [{ kind: "Group", name: "impersonators" }])],
    }),
  );

  function randomHeaders(): HeaderMap {
    const headers: Record<string, string | string[] | undefined> = {};
    const names = [
      "impersonate-user",
      "Impersonate-Group",
      "impersonate-uid",
      "impersonate-extra-",
      "Impersonate-Extra-Foo%2Fbar",
      "impersonate-extra-%zz",
      `impersonate-extra-${randomString()}`,
      "accept",
    ];
    for (let j = Math.floor(random() * 5); j > 0; j--) {
      const roll = random();
      headers[pick(names)] = roll < 0.1 ? undefined : roll < 0.5 ? randomList(3) : roll < 0.52 ? "v".repeat(64_000) : randomString();
    }
    return headers;
  }

  it("3000 random header sets give ok, 403 or 500 and never throw", () => {
    for (let i = 0; i < 3000; i++) {
      const requester = randomUser();
      if (random() < 0.5) requester.groups.push(pick(["impersonators", "system:masters"]));
      const headers = randomHeaders();
      const result = impersonate({ requester, headers, authorize: (a) => chain.authorize(a), uri: randomString() });
      if (result.ok) {
        expect(Array.isArray(result.user.groups)).toBe(true);
        if (result.impersonating) expect(result.user.extra).not.toBe(requester.extra);
      } else if (result.status === 403) {
        expect(JSON.parse(statusJson(result.body))).toMatchObject({ code: 403 });
      } else {
        expect(result.text.startsWith("Internal Server Error: ")).toBe(true);
        expect(result.text).toContain("without impersonating a user");
      }
    }
  });
});
