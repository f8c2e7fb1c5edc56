import { describe, expect, it } from "vitest";
import { isDiscoveryRead } from "./instance";

const ok = (url: string) => ({ method: "GET", url, status: 200 });

describe("discovery reads (left out of the request history)", () => {
  it("are kubectl's successful reads of the API groups and versions", () => {
    for (const url of [
      "/api",
      "/api?timeout=32s",
      "/api/v1",
      "/apis",
      "/apis/apps",
      "/apis/apps/v1",
      "/apis/rbac.authorization.k8s.io/v1?timeout=32s",
    ])
      expect(isDiscoveryRead(ok(url))).toBe(true);
  });

  it("are not lists of resources, even cluster-wide core ones (kubectl get nodes, get ns, get pods -A)", () => {
    for (const url of [
      "/api/v1/nodes",
      "/api/v1/namespaces",
      "/api/v1/pods?limit=500",
      "/apis/apps/v1/deployments",
      "/api/v1/namespaces/default/pods",
    ])
      expect(isDiscoveryRead(ok(url))).toBe(false);
  });

  it("are not failed or other reads", () => {
    expect(isDiscoveryRead({ method: "GET", url: "/api", status: 401 })).toBe(false);
    expect(isDiscoveryRead({ method: "POST", url: "/apis", status: 200 })).toBe(false);
  });
});
