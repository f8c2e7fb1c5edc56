import { describe, expect, it } from "vitest";
import { nonResourceAttributes, resourceAttributes } from "./types";
import { forbiddenResponse, forbiddenStatus, internalErrorResponse, statusJson, statusResponseBody, type KubeStatus } from "./status";
import { goAggregateText, goJsonString, goQuote } from "../go";
import { anonymous, jane, user } from "./test-helpers";

describe("forbiddenStatus (spec §2.2)", () => {
  it("namespaced list without a name: exact observed body", () => {
    const status = forbiddenStatus(resourceAttributes(jane, { verb: "list", resource: "pods", namespace: "default", apiVersion: "v1" }));
    expect(statusJson(status)).toBe(
      '{"kind":"Status","apiVersion":"v1","metadata":{},"status":"Failure","message":"pods is forbidden: User \\"jane\\" cannot list resource \\"pods\\" in API group \\"\\" in the namespace \\"default\\"","reason":"Forbidden","details":{"kind":"pods"},"code":403}',
    );
  });

  it("kubectl prints the observed line from that message", () => {
    const status = forbiddenStatus(resourceAttributes(jane, { verb: "list", resource: "pods", namespace: "default" }));
    expect(`Error from server (${status.reason ?? ""}): ${status.message ?? ""}`).toBe(
      'Error from server (Forbidden): pods is forbidden: User "jane" cannot list resource "pods" in API group "" in the namespace "default"',
    );
  });

  it("with a name: quoted name before 'is forbidden', details.name first", () => {
    const status = forbiddenStatus(resourceAttributes(jane, { verb: "get", resource: "secrets", namespace: "prod", name: "db" }));
    expect(status.message).toBe(
      'secrets "db" is forbidden: User "jane" cannot get resource "secrets" in API group "" in the namespace "prod"',
    );
    expect(statusJson(status)).toContain('"details":{"name":"db","kind":"secrets"},"code":403}');
  });

  it("cluster scope", () => {
    const status = forbiddenStatus(resourceAttributes(jane, { verb: "list", resource: "nodes" }));
    expect(status.message).toBe('nodes is forbidden: User "jane" cannot list resource "nodes" in API group "" at the cluster scope');
  });

  it("group suffix on the qualified resource, group in details", () => {
    const status = forbiddenStatus(
      resourceAttributes(jane, { verb: "create", resource: "certificatesigningrequests", apiGroup: "certificates.k8s.io" }),
    );
    expect(status.message).toBe(
      'certificatesigningrequests.certificates.k8s.io is forbidden: User "jane" cannot create resource "certificatesigningrequests" in API group "certificates.k8s.io" at the cluster scope',
    );
    expect(status.details).toEqual({ group: "certificates.k8s.io", kind: "certificatesigningrequests" });
    expect(statusJson(status)).toContain('"details":{"group":"certificates.k8s.io","kind":"certificatesigningrequests"}');
  });

  it("subresource written resource/subresource in the sentence only", () => {
    const status = forbiddenStatus(
      resourceAttributes(jane, { verb: "get", resource: "pods", subresource: "log", namespace: "default", name: "web-1" }),
    );
    expect(status.message).toBe(
      'pods "web-1" is forbidden: User "jane" cannot get resource "pods/log" in API group "" in the namespace "default"',
    );
    expect(status.details).toEqual({ name: "web-1", kind: "pods" });
  });

  it("non-resource path: exact body with empty details", () => {
    const status = forbiddenStatus(nonResourceAttributes(anonymous, "get", "/api"));
    expect(statusJson(status)).toBe(
      '{"kind":"Status","apiVersion":"v1","metadata":{},"status":"Failure","message":"forbidden: User \\"system:anonymous\\" cannot get path \\"/api\\"","reason":"Forbidden","details":{},"code":403}',
    );
  });

  it("appends the authorizer reason after a colon", () => {
    const status = forbiddenStatus(
      resourceAttributes(jane, { verb: "list", resource: "pods", namespace: "default" }),
      'RBAC: clusterrole.rbac.authorization.k8s.io "gone" not found',
    );
    expect(status.message).toBe(
      'pods is forbidden: User "jane" cannot list resource "pods" in API group "" in the namespace "default": RBAC: clusterrole.rbac.authorization.k8s.io "gone" not found',
    );
  });

  it("impersonation denial text from the spec", () => {
    const status = forbiddenStatus(resourceAttributes(user("bob"), { verb: "impersonate", resource: "users", name: "jane" }));
    expect(status.message).toBe(
      'users "jane" is forbidden: User "bob" cannot impersonate resource "users" in API group "" at the cluster scope',
    );
  });

  it("HTML-looking characters are sanitized in the sentence and JSON-escaped like Go", () => {
    const status = forbiddenStatus(nonResourceAttributes(user("<b>&"), "get", "/x"));
    expect(status.message).toBe('forbidden: User "&lt;b&gt;&amp;" cannot get path "/x"');
    expect(statusJson(status)).toContain('"message":"forbidden: User \\"\\u0026lt;b\\u0026gt;\\u0026amp;\\" cannot get path \\"/x\\""');
  });

  it("the response carries nosniff and a trailing newline", () => {
    const response = forbiddenResponse(nonResourceAttributes(anonymous, "get", "/api"));
    expect(response.status).toBe(403);
    expect(response.headers).toEqual({ "Content-Type": "application/json", "X-Content-Type-Options": "nosniff" });
    expect(String(response.body).endsWith("}\n")).toBe(true);
  });
});

describe("statusJson field order and omitempty (spec §1.5)", () => {
  it("401 byte for byte", () => {
    const status: KubeStatus = {
      kind: "Status",
      apiVersion: "v1",
      metadata: {},
      status: "Failure",
      message: "Unauthorized",
      reason: "Unauthorized",
      code: 401,
    };
    expect(statusJson(status)).toBe(
      '{"kind":"Status","apiVersion":"v1","metadata":{},"status":"Failure","message":"Unauthorized","reason":"Unauthorized","code":401}',
    );
    expect(statusResponseBody(status)).toBe(`${statusJson(status)}\n`);
  });

  it("keeps Go order whatever the object's key order", () => {
    const status: KubeStatus = {
      code: 422,
      details: { causes: [{ field: "f", message: "m", reason: "r" }], kind: "K", name: "n" },
      reason: "Invalid",
      message: "x",
      status: "Failure",
      metadata: { resourceVersion: "" },
      apiVersion: "v1",
      kind: "Status",
    };
    expect(statusJson(status)).toBe(
      '{"kind":"Status","apiVersion":"v1","metadata":{},"status":"Failure","message":"x","reason":"Invalid","details":{"name":"n","kind":"K","causes":[{"reason":"r","message":"m","field":"f"}]},"code":422}',
    );
  });

  it("omits empty message, reason, code and nil details", () => {
    expect(statusJson({ kind: "Status", apiVersion: "v1", metadata: {}, status: "Success", message: "", code: 0 })).toBe(
      '{"kind":"Status","apiVersion":"v1","metadata":{},"status":"Success"}',
    );
  });
});

describe("internal error text (spec §7.3)", () => {
  it("is Go-quoted, sanitized, newline-terminated plain text", () => {
    const response = internalErrorResponse("/api/v1/pods?a=1&b=<2>", "boom");
    expect(response.body).toBe('Internal Server Error: "/api/v1/pods?a=1&amp;b=&lt;2&gt;": boom\n');
    expect(response.headers["Content-Type"]).toBe("text/plain; charset=utf-8");
    expect(response.headers["X-Content-Type-Options"]).toBe("nosniff");
  });
});

describe("Go formatting helpers", () => {
  it("goQuote escapes like strconv.Quote", () => {
    expect(goQuote('a"b\\c')).toBe('"a\\"b\\\\c"');
    expect(goQuote("\n\t\u0001\u007f")).toBe('"\\n\\t\\x01\\x7f"');
    expect(goQuote("é✓")).toBe('"é✓"');
    expect(goQuote("\u2028")).toBe('"\\u2028"');
    // A lone surrogate is the U+FFFD Go's JSON decoder would have produced, which strconv.Quote prints as is.
    expect(goQuote("\ud83d")).toBe('"\ufffd"');
  });

  it("goJsonString escapes HTML characters and line separators", () => {
    expect(goJsonString("<&>\u2028")).toBe('"\\u003c\\u0026\\u003e\\u2028"');
    expect(goJsonString("\ud800x")).toBe('"\ufffdx"');
  });

  it("aggregate errors: one plain, several bracketed and deduplicated", () => {
    expect(goAggregateText([])).toBe("");
    expect(goAggregateText(["a"])).toBe("a");
    expect(goAggregateText(["a", "a"])).toBe("a");
    expect(goAggregateText(["a", "b", "a"])).toBe("[a, b]");
  });
});
