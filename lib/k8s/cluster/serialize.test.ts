import { beforeAll, describe, expect, it } from "vitest";
import { handleRequest } from "../api/handle-request";
import { bodyText, createTestCluster, request, TABLE_ACCEPT } from "../api/test-helpers";
import { advanceClock, restoreCluster, serializeCluster } from "./serialize";
import type { ClusterState } from "./state";

let state: ClusterState;
beforeAll(async () => {
  state = await createTestCluster();
});

describe("serializeCluster / restoreCluster", () => {
  it("round-trips exactly and a restored cluster answers identically", async () => {
    const text = serializeCluster(state);
    const restored = restoreCluster(text);
    expect(restored.ok).toBe(true);
    if (!restored.ok) return;
    expect(restored.state).toEqual(state);
    expect(serializeCluster(restored.state)).toBe(text);
    const requests = [
      request(state, "GET", "/api/v1/namespaces/default/pods", { token: "admintoken", accept: TABLE_ACCEPT }),
      request(state, "GET", "/api/v1/namespaces/default/pods", { cert: "jane" }),
      request(state, "GET", "/api", { cert: "expired" }),
      request(state, "POST", "/apis/authentication.k8s.io/v1/selfsubjectreviews", {
        cert: "jane",
        contentType: "application/json",
        body: '{"kind":"SelfSubjectReview","apiVersion":"authentication.k8s.io/v1"}',
      }),
    ];
    for (const original of requests) {
      const a = await handleRequest(state, original);
      const b = await handleRequest(restored.state, original);
      expect(b.response.status).toBe(a.response.status);
      expect(bodyText(b.response)).toBe(bodyText(a.response));
    }
  });

  it("keeps the stored size small (bootstrap policy is derived, not stored)", () => {
    expect(serializeCluster(state).length).toBeLessThan(40_000);
  });

  it("rejects garbage and wrong shapes without throwing", () => {
    expect(restoreCluster("{").ok).toBe(false);
    expect(restoreCluster("null").ok).toBe(false);
    expect(restoreCluster('{"format":"kubeprep.cluster/v1"}').ok).toBe(false);
  });

  it("advanceClock moves time: ages grow and certificates expire", async () => {
    const copy = structuredClone(state);
    advanceClock(copy, "400d");
    const { response } = await handleRequest(copy, request(copy, "GET", "/api", { cert: "jane" }));
    expect(response.status).toBe(401);
    expect(() => advanceClock(copy, "soon")).toThrow(RangeError);
  });
});
