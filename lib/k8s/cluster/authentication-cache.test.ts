/**
 * The credential caches and memos never serve a stale decision: whatever a request changes (a deleted
 * ServiceAccount, a removed RoleBinding) or the scenario clock moves past, the very next request sees it,
 * even though the credential had been verified and cached before.
 */
import { X509Certificate } from "node:crypto";
import { describe, expect, it } from "vitest";
import { handleRequest } from "../api/handle-request";
import { bodyJson, createTestCluster, request, START } from "../api/test-helpers";
import { authenticationCacheStats } from "./authentication";
import { createCluster } from "../setup/create-cluster";
import { identityProviderFrom } from "./jwt-authenticators";
import { advanceClock, restoreCluster, serializeCluster } from "./serialize";
import type { ClusterState } from "./state";

const ADMIN = { token: "admintoken" };
const WHOAMI = '{"apiVersion":"authentication.k8s.io/v1","kind":"SelfSubjectReview"}';

function traceText(trace: { message: string }[]): string {
  return trace.map((step) => step.message).join("\n");
}

async function whoami(state: ClusterState, credential: { token: string } | { cert: string }) {
  return handleRequest(
    state,
    request(state, "POST", "/apis/authentication.k8s.io/v1/selfsubjectreviews", {
      ...credential,
      contentType: "application/json",
      body: WHOAMI,
    }),
  );
}

async function adminCall(state: ClusterState, method: string, url: string, body?: unknown) {
  const result = await handleRequest(
    state,
    request(state, method, url, {
      ...ADMIN,
      ...(body === undefined ? {} : { contentType: "application/json", body: JSON.stringify(body) }),
    }),
  );
  expect(result.response.status, `${method} ${url}`).toBeLessThan(300);
  return result;
}

async function serviceAccountToken(state: ClusterState, name: string, expirationSeconds = 3600): Promise<string> {
  const { response } = await adminCall(state, "POST", `/api/v1/namespaces/default/serviceaccounts/${name}/token`, {
    apiVersion: "authentication.k8s.io/v1",
    kind: "TokenRequest",
    spec: { expirationSeconds },
  });
  const status = bodyJson(response).status;
  const token = typeof status === "object" && status !== null && "token" in status ? status.token : undefined;
  if (typeof token !== "string") throw new Error("TokenRequest without a token");
  return token;
}

async function grantPodReader(state: ClusterState): Promise<void> {
  await adminCall(state, "POST", "/apis/rbac.authorization.k8s.io/v1/namespaces/default/roles", {
    apiVersion: "rbac.authorization.k8s.io/v1",
    kind: "Role",
    metadata: { name: "pod-reader", namespace: "default" },
    rules: [{ apiGroups: [""], resources: ["pods"], verbs: ["get", "list"] }],
  });
  await bindPodReader(state);
}

async function bindPodReader(state: ClusterState): Promise<void> {
  await adminCall(state, "POST", "/apis/rbac.authorization.k8s.io/v1/namespaces/default/rolebindings", {
    apiVersion: "rbac.authorization.k8s.io/v1",
    kind: "RoleBinding",
    metadata: { name: "jane-reads-pods", namespace: "default" },
    roleRef: { apiGroup: "rbac.authorization.k8s.io", kind: "Role", name: "pod-reader" },
    subjects: [{ apiGroup: "rbac.authorization.k8s.io", kind: "User", name: "jane" }],
  });
}

async function janeListsPods(state: ClusterState): Promise<number> {
  const { response } = await handleRequest(state, request(state, "GET", "/api/v1/namespaces/default/pods", { cert: "jane" }));
  return response.status;
}

describe("credential caches and memos: invalidation", () => {
  it("deleting a ServiceAccount: the next request with its (already verified) token is 401", async () => {
    const state = await createTestCluster();
    const token = await serviceAccountToken(state, "sa1");
    expect((await whoami(state, { token })).response.status).toBe(201);
    expect((await whoami(state, { token })).response.status).toBe(201);

    await adminCall(state, "DELETE", "/api/v1/namespaces/default/serviceaccounts/sa1");
    const rejected = await whoami(state, { token });
    expect(rejected.response.status).toBe(401);
    expect(traceText(rejected.trace)).toContain('serviceaccounts "sa1" not found');

    // A new ServiceAccount with the same name has a new uid: the old token stays invalid.
    await adminCall(state, "POST", "/api/v1/namespaces/default/serviceaccounts", {
      apiVersion: "v1",
      kind: "ServiceAccount",
      metadata: { name: "sa1" },
    });
    const recreated = await whoami(state, { token });
    expect(recreated.response.status).toBe(401);
    expect(traceText(recreated.trace)).toContain("service account UID");
  });

  it("a ServiceAccount deleted in one restored copy of a cluster is still there in another", async () => {
    const original = await createTestCluster();
    const token = await serviceAccountToken(original, "sa1");
    const text = serializeCluster(original);
    const restore = (): ClusterState => {
      const restored = restoreCluster(text);
      if (!restored.ok) throw new Error(restored.error);
      return restored.state;
    };
    const copyA = restore();
    const copyB = restore();
    expect((await whoami(copyA, { token })).response.status).toBe(201);
    expect((await whoami(copyB, { token })).response.status).toBe(201);
    await adminCall(copyB, "DELETE", "/api/v1/namespaces/default/serviceaccounts/sa1");
    expect((await whoami(copyB, { token })).response.status).toBe(401);
    expect((await whoami(copyA, { token })).response.status).toBe(201);
  });

  it("removing a RoleBinding: the next request is 403; binding it again allows again", async () => {
    const state = await createTestCluster();
    await grantPodReader(state);
    expect(await janeListsPods(state)).toBe(200);
    expect(await janeListsPods(state)).toBe(200);

    await adminCall(state, "DELETE", "/apis/rbac.authorization.k8s.io/v1/namespaces/default/rolebindings/jane-reads-pods");
    expect(await janeListsPods(state)).toBe(403);

    await bindPodReader(state);
    expect(await janeListsPods(state)).toBe(200);
  });

  it("RBAC decisions are not shared between restored copies with different bindings", async () => {
    const original = await createTestCluster();
    await grantPodReader(original);
    expect(await janeListsPods(original)).toBe(200);
    const text = serializeCluster(original);
    const restore = (): ClusterState => {
      const restored = restoreCluster(text);
      if (!restored.ok) throw new Error(restored.error);
      return restored.state;
    };
    const copy = restore();
    expect(await janeListsPods(copy)).toBe(200);
    await adminCall(copy, "DELETE", "/apis/rbac.authorization.k8s.io/v1/namespaces/default/rolebindings/jane-reads-pods");
    expect(await janeListsPods(copy)).toBe(403);
    expect(await janeListsPods(original)).toBe(200);
    expect(await janeListsPods(restore())).toBe(200);
    // The copy, stored and restored again without the binding: still 403.
    const again = restoreCluster(serializeCluster(copy));
    if (!again.ok) throw new Error(again.error);
    expect(await janeListsPods(again.state)).toBe(403);
  });

  it("moving the clock past a cached certificate's notAfter: the next request is 401", async () => {
    const state = await createTestCluster();
    const before = authenticationCacheStats(state).x509?.hits ?? 0;
    expect((await whoami(state, { cert: "jane" })).response.status).toBe(201);
    expect((await whoami(state, { cert: "jane" })).response.status).toBe(201);
    expect(authenticationCacheStats(state).x509?.hits ?? 0).toBeGreaterThan(before);

    const certPem = state.credentials.jane?.certPem ?? "";
    const notAfterMs = Date.parse(new X509Certificate(certPem).validTo);
    advanceClock(state, notAfterMs - state.clock.nowMs + 1000);
    const expired = await whoami(state, { cert: "jane" });
    expect(expired.response.status).toBe(401);
    expect(traceText(expired.trace)).toContain("x509: certificate has expired or is not yet valid");

    // Back to the start: valid again (the cache only ever stores successes).
    state.clock.nowMs = Date.parse(START);
    expect((await whoami(state, { cert: "jane" })).response.status).toBe(201);
  });

  it("moving the clock back before a cached certificate's notBefore: the next request is 401", async () => {
    const state = await createTestCluster();
    expect((await whoami(state, { cert: "jane" })).response.status).toBe(201);
    expect((await whoami(state, { cert: "jane" })).response.status).toBe(201);
    const notBeforeMs = Date.parse(new X509Certificate(state.credentials.jane?.certPem ?? "").validFrom);
    state.clock.nowMs = notBeforeMs - 3600_000;
    const early = await whoami(state, { cert: "jane" });
    expect(early.response.status).toBe(401);
    expect(traceText(early.trace)).toContain("x509: certificate has expired or is not yet valid");
  });

  it("moving the clock past a verified ServiceAccount token's expiry: the next request is 401", async () => {
    const state = await createTestCluster();
    const token = await serviceAccountToken(state, "sa1", 600);
    expect((await whoami(state, { token })).response.status).toBe(201);
    expect((await whoami(state, { token })).response.status).toBe(201);
    advanceClock(state, "1h");
    const expired = await whoami(state, { token });
    expect(expired.response.status).toBe(401);
    expect(traceText(expired.trace)).toContain("service account token has expired");
  });

  it("moving the clock past a cached OIDC token's exp: the next request is 401", async () => {
    const state = await createCluster({
      start: START,
      identityProviders: [{ issuer: "https://idp.example" }],
      oidc: { flags: { issuerUrl: "https://idp.example", clientId: "kubeprep" } },
    });
    const idp = state.config.identityProviders[0];
    if (idp === undefined) throw new Error("no identity provider");
    const token = await identityProviderFrom(idp).issueIdToken({
      claims: { sub: "alice", aud: "kubeprep" },
      now: new Date(state.clock.nowMs),
      expiresInSeconds: 600,
    });
    expect((await whoami(state, { token })).response.status).toBe(201);
    expect((await whoami(state, { token })).response.status).toBe(201);
    expect(authenticationCacheStats(state).jwt.some((stats) => stats.hits > 0)).toBe(true);
    advanceClock(state, "11m");
    const expired = await whoami(state, { token });
    expect(expired.response.status).toBe(401);
    expect(traceText(expired.trace)).toContain("oidc: token is expired");
  });

  it("a cached success gives the same trace as the first verification", async () => {
    const state = await createTestCluster();
    const first = await whoami(state, { cert: "jane" });
    const second = await whoami(state, { cert: "jane" });
    expect(second.trace).toEqual(first.trace);
    expect(second.response).toEqual(first.response);
  });
});
