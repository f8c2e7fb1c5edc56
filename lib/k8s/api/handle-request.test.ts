import { beforeAll, describe, expect, it } from "vitest";
import type { ClusterState } from "../cluster/state";
import { handleRequest } from "./handle-request";
import { bodyJson, bodyText, createTestCluster, PROTOBUF_ACCEPT, request, TABLE_ACCEPT } from "./test-helpers";

const WHOAMI = Buffer.from(
  "azhzAAotChhhdXRoZW50aWNhdGlvbi5rOHMuaW8vdjESEVNlbGZTdWJqZWN0UmV2aWV3EhoKEAoAEgAaACIAKgAyADgAQgASBgoECgASABoAIgA=",
  "base64",
);
const CAN_I_LIST_PODS = Buffer.from(
  "azhzAAoyChdhdXRob3JpemF0aW9uLms4cy5pby92MRIXU2VsZlN1YmplY3RBY2Nlc3NSZXZpZXcSPQoQCgASABoAIgAqADIAOABCABIfCh0KB2RlZmF1bHQSBGxpc3QaACIAKgRwb2RzMgA6ABoICAASABoAIAAaACIA",
  "base64",
);
const UNAUTHORIZED =
  '{"kind":"Status","apiVersion":"v1","metadata":{},"status":"Failure","message":"Unauthorized","reason":"Unauthorized","code":401}\n';

let state: ClusterState;
beforeAll(async () => {
  state = await createTestCluster();
});

function whoami(options: Parameters<typeof request>[3]) {
  return handleRequest(
    state,
    request(state, "POST", "/apis/authentication.k8s.io/v1/selfsubjectreviews", {
      ...options,
      accept: PROTOBUF_ACCEPT,
      contentType: "application/vnd.kubernetes.protobuf",
      body: new Uint8Array(WHOAMI),
    }),
  );
}

describe("authentication -> 401", () => {
  it.each([
    ["an unknown bearer token", { token: "nope" }],
    ["a certificate from an unknown CA", { cert: "rogue" }],
    ["an expired certificate", { cert: "expired" }],
    ["a certificate without clientAuth EKU", { cert: "serverauth" }],
  ])("%s gets the exact 401 Status", async (_label, options) => {
    const { response, trace, changed } = await handleRequest(state, request(state, "GET", "/api?timeout=32s", options));
    expect(response.status).toBe(401);
    expect(response.headers["Content-Type"]).toBe("application/json");
    expect(bodyText(response)).toBe(UNAUTHORIZED);
    expect(changed).toBe(false);
    expect(trace.some((step) => step.stage === "authentication" && step.outcome === "deny")).toBe(true);
  });

  it("an expired certificate is logged with Go's x509 wording", async () => {
    const { trace } = await handleRequest(state, request(state, "GET", "/api", { cert: "expired" }));
    expect(trace.map((step) => step.message).join("\n")).toContain(
      "x509: certificate has expired or is not yet valid: current time 2025-01-01T00:00:00Z is after",
    );
  });

  it("a bad certificate plus a valid token authenticates as the token user", async () => {
    const { response } = await whoami({ cert: "rogue", token: "admintoken" });
    expect(response.status).toBe(201);
    expect(bodyJson(response).status).toEqual({
      userInfo: { username: "admin", uid: "1", groups: ["system:masters", "system:authenticated"] },
    });
  });
});

describe("anonymous and authorization -> 403", () => {
  it("anonymous may read /healthz, /livez, /readyz and /version but not /api", async () => {
    for (const path of ["/healthz", "/livez", "/readyz"]) {
      const { response } = await handleRequest(state, request(state, "GET", path));
      expect(response.status).toBe(200);
      expect(bodyText(response)).toBe("ok");
    }
    const version = await handleRequest(state, request(state, "GET", "/version?timeout=32s"));
    expect(version.response.status).toBe(200);
    expect(bodyJson(version.response).gitVersion).toBe("v1.32.5");
    const api = await handleRequest(state, request(state, "GET", "/api"));
    expect(api.response.status).toBe(403);
    expect(api.response.headers["X-Content-Type-Options"]).toBe("nosniff");
    expect(bodyText(api.response)).toBe(
      '{"kind":"Status","apiVersion":"v1","metadata":{},"status":"Failure","message":"forbidden: User \\"system:anonymous\\" cannot get path \\"/api\\"","reason":"Forbidden","details":{},"code":403}\n',
    );
  });

  it("a CA-signed certificate without CN falls through to anonymous", async () => {
    const { response } = await whoami({ cert: "nocn" });
    expect(response.status).toBe(403);
    expect(bodyJson(response).message).toBe(
      'selfsubjectreviews.authentication.k8s.io is forbidden: User "system:anonymous" cannot create resource "selfsubjectreviews" in API group "authentication.k8s.io" at the cluster scope',
    );
  });

  it("jane cannot list pods: the transcript's 403 body", async () => {
    const { response } = await handleRequest(
      state,
      request(state, "GET", "/api/v1/namespaces/default/pods?limit=500", { cert: "jane", accept: TABLE_ACCEPT }),
    );
    expect(response.status).toBe(403);
    expect(bodyText(response)).toBe(
      '{"kind":"Status","apiVersion":"v1","metadata":{},"status":"Failure","message":"pods is forbidden: User \\"jane\\" cannot list resource \\"pods\\" in API group \\"\\" in the namespace \\"default\\"","reason":"Forbidden","details":{"kind":"pods"},"code":403}\n',
    );
  });

  it("jane may not impersonate admin", async () => {
    const { response } = await whoami({ cert: "jane", headers: { "impersonate-user": "admin" } });
    expect(response.status).toBe(403);
    expect(bodyJson(response).message).toBe(
      'users "admin" is forbidden: User "jane" cannot impersonate resource "users" in API group "" at the cluster scope',
    );
  });
});

describe("whoami, can-i and impersonation", () => {
  it("whoami with a certificate reports CN, O groups and the credential id", async () => {
    const { response } = await whoami({ cert: "jane" });
    expect(response.status).toBe(201);
    const body = bodyJson(response);
    expect(body.kind).toBe("SelfSubjectReview");
    expect(body.metadata).toEqual({ creationTimestamp: "2025-01-01T00:00:00Z" });
    expect(body.status).toMatchObject({ userInfo: { username: "jane", groups: ["dev", "qa", "system:authenticated"] } });
    expect(JSON.stringify(body.status)).toMatch(/"authentication.kubernetes.io\/credential-id":\["X509SHA256=[0-9a-f]{64}"\]/);
  });

  it("whoami as admin --as jane --as-group dev --as-uid 123 reports the impersonated user", async () => {
    const { response, trace } = await whoami({
      token: "admintoken",
      headers: { "impersonate-user": "jane", "impersonate-group": "dev", "impersonate-uid": "123" },
    });
    expect(response.status).toBe(201);
    expect(bodyJson(response).status).toEqual({ userInfo: { username: "jane", uid: "123", groups: ["dev", "system:authenticated"] } });
    expect(trace.some((step) => step.stage === "impersonation")).toBe(true);
  });

  it("can-i list pods: no for jane, yes for admin", async () => {
    const ask = async (options: Parameters<typeof request>[3]) => {
      const { response } = await handleRequest(
        state,
        request(state, "POST", "/apis/authorization.k8s.io/v1/selfsubjectaccessreviews", {
          ...options,
          accept: PROTOBUF_ACCEPT,
          contentType: "application/vnd.kubernetes.protobuf",
          body: new Uint8Array(CAN_I_LIST_PODS),
        }),
      );
      expect(response.status).toBe(201);
      return bodyJson(response).status;
    };
    expect(await ask({ cert: "jane" })).toEqual({ allowed: false });
    expect(await ask({ token: "admintoken" })).toEqual({ allowed: true });
  });

  it("selfsubjectrulesreviews lists jane's rules", async () => {
    const { response } = await handleRequest(
      state,
      request(state, "POST", "/apis/authorization.k8s.io/v1/selfsubjectrulesreviews", {
        cert: "jane",
        contentType: "application/json",
        body: JSON.stringify({ apiVersion: "authorization.k8s.io/v1", kind: "SelfSubjectRulesReview", spec: { namespace: "default" } }),
      }),
    );
    expect(response.status).toBe(201);
    expect(JSON.stringify(bodyJson(response).status)).toContain("selfsubjectreviews");
  });
});

describe("discovery", () => {
  it("serves APIVersions, APIGroupList and resource lists", async () => {
    const api = bodyJson((await handleRequest(state, request(state, "GET", "/api?timeout=32s", { token: "admintoken" }))).response);
    expect(api).toEqual({
      kind: "APIVersions",
      versions: ["v1"],
      serverAddressByClientCIDRs: [{ clientCIDR: "0.0.0.0/0", serverAddress: "127.0.0.1:6443" }],
    });
    const apis = bodyJson((await handleRequest(state, request(state, "GET", "/apis", { token: "admintoken" }))).response);
    expect(apis.kind).toBe("APIGroupList");
    expect(JSON.stringify(apis.groups)).toContain('"name":"certificates.k8s.io"');
    const core = bodyJson((await handleRequest(state, request(state, "GET", "/api/v1", { token: "admintoken" }))).response);
    expect(core.groupVersion).toBe("v1");
    expect(core.resources).toContainEqual({
      name: "pods",
      singularName: "pod",
      namespaced: true,
      kind: "Pod",
      verbs: ["create", "delete", "deletecollection", "get", "list", "patch", "update", "watch"],
      shortNames: ["po"],
      categories: ["all"],
    });
    expect(JSON.stringify(core.resources)).toContain(
      '"name":"serviceaccounts/token","singularName":"","namespaced":true,"group":"authentication.k8s.io","version":"v1","kind":"TokenRequest"',
    );
    for (const group of ["apps", "rbac.authorization.k8s.io", "certificates.k8s.io", "authentication.k8s.io", "authorization.k8s.io"]) {
      const list = await handleRequest(state, request(state, "GET", `/apis/${group}/v1?timeout=32s`, { cert: "jane" }));
      expect(list.response.status).toBe(200);
      expect(bodyJson(list.response)).toMatchObject({ kind: "APIResourceList", apiVersion: "v1", groupVersion: `${group}/v1` });
    }
    const apps = bodyJson((await handleRequest(state, request(state, "GET", "/apis/apps/v1", { token: "admintoken" }))).response);
    expect(apps.resources).toContainEqual({
      name: "deployments",
      singularName: "deployment",
      namespaced: true,
      kind: "Deployment",
      verbs: ["create", "delete", "deletecollection", "get", "list", "patch", "update", "watch"],
      shortNames: ["deploy"],
      categories: ["all"],
    });
    const missing = await handleRequest(state, request(state, "GET", "/apis/batch/v1", { token: "admintoken" }));
    expect(missing.response.status).toBe(404);
  });

  it("serves the minimal OpenAPI v3 documents kubectl create validates with", async () => {
    const index = bodyJson(
      (await handleRequest(state, request(state, "GET", "/openapi/v3?timeout=32s", { token: "admintoken" }))).response,
    );
    const paths = index.paths;
    expect(JSON.stringify(paths)).toMatch(/"api\/v1":\{"serverRelativeURL":"\/openapi\/v3\/api\/v1\?hash=[0-9A-F]+"\}/);
    const doc = bodyText(
      (await handleRequest(state, request(state, "GET", "/openapi/v3/api/v1?hash=X&timeout=32s", { token: "admintoken" }))).response,
    );
    expect(doc).toContain('"x-kubernetes-group-version-kind":{"group":"","kind":"Pod","version":"v1"}');
    expect(doc).toContain('{"name":"fieldValidation","in":"query"');
  });
});
