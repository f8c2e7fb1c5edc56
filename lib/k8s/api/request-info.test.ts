import { describe, expect, it } from "vitest";
import { parseRequestInfo } from "./request-info";

function info(method: string, url: string) {
  const parsed = new URL(url, "https://x");
  const result = parseRequestInfo(method, parsed.pathname, parsed.searchParams);
  if (!result.ok) throw new Error(result.error);
  return result.info;
}

describe("parseRequestInfo (RequestInfoFactory)", () => {
  it("treats short and non-API paths as non-resource requests with the lower-case method as verb", () => {
    for (const path of ["/api", "/apis", "/api/v1", "/apis/rbac.authorization.k8s.io/v1", "/healthz", "/version", "/"]) {
      const parsed = info("GET", path);
      expect(parsed.isResourceRequest).toBe(false);
      expect(parsed.verb).toBe("get");
      expect(parsed.path).toBe(path);
    }
    expect(info("POST", "/openapi/v3").verb).toBe("post");
  });

  it.each([
    ["GET", "/api/v1/namespaces/default/pods?limit=500", { verb: "list", namespace: "default", resource: "pods", name: "" }],
    ["GET", "/api/v1/namespaces/default/pods/web", { verb: "get", namespace: "default", resource: "pods", name: "web" }],
    ["GET", "/api/v1/pods", { verb: "list", namespace: "", resource: "pods", name: "" }],
    ["GET", "/api/v1/pods?watch=true", { verb: "watch", resource: "pods" }],
    ["GET", "/api/v1/watch/namespaces/default/pods", { verb: "watch", namespace: "default", resource: "pods" }],
    ["POST", "/api/v1/namespaces/default/pods", { verb: "create", resource: "pods" }],
    ["PUT", "/api/v1/namespaces/default/pods/web", { verb: "update", name: "web" }],
    ["PATCH", "/api/v1/namespaces/default/pods/web", { verb: "patch", name: "web" }],
    ["DELETE", "/api/v1/namespaces/default/pods/web", { verb: "delete", name: "web" }],
    ["DELETE", "/api/v1/namespaces/default/pods", { verb: "deletecollection" }],
    ["GET", "/api/v1/namespaces/default", { verb: "get", namespace: "default", resource: "namespaces", name: "default" }],
    [
      "PUT",
      "/api/v1/namespaces/x/finalize",
      { verb: "update", namespace: "x", resource: "namespaces", name: "x", subresource: "finalize" },
    ],
    ["GET", "/api/v1/namespaces", { verb: "list", resource: "namespaces" }],
    [
      "POST",
      "/api/v1/namespaces/default/serviceaccounts/sa1/token",
      { verb: "create", resource: "serviceaccounts", name: "sa1", subresource: "token" },
    ],
    [
      "PUT",
      "/apis/certificates.k8s.io/v1/certificatesigningrequests/jane/approval",
      { apiGroup: "certificates.k8s.io", verb: "update", resource: "certificatesigningrequests", name: "jane", subresource: "approval" },
    ],
    [
      "POST",
      "/apis/authorization.k8s.io/v1/selfsubjectaccessreviews",
      { apiGroup: "authorization.k8s.io", apiVersion: "v1", verb: "create", resource: "selfsubjectaccessreviews" },
    ],
    ["GET", "/api/v1/namespaces/default/pods?fieldSelector=metadata.name%3Dweb", { verb: "list", name: "web" }],
    ["OPTIONS", "/api/v1/pods", { verb: "" }],
  ])("%s %s", (method, url, expected) => {
    const parsed = info(method, url);
    expect(parsed.isResourceRequest).toBe(true);
    expect(parsed).toMatchObject(expected);
  });

  it("rejects a bare special verb", () => {
    const result = parseRequestInfo("GET", "/api/v1/watch", new URLSearchParams());
    expect(result.ok).toBe(false);
  });
});
