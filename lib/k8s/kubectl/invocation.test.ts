import { describe, expect, it } from "vitest";
import { normalizeKubectlInvocation, normalizeResourceType } from "./invocation";

function normalized(line: string) {
  const result = normalizeKubectlInvocation(line.split(" ").filter((word) => word !== ""));
  if (!result.ok) throw new Error(result.error);
  return { ...result.invocation, flags: Object.fromEntries(result.invocation.flags) };
}

describe("normalized kubectl invocations", () => {
  it.each([
    ["po", "pods"],
    ["pod", "pods"],
    ["Pod", "pods"],
    ["pods.v1", "pods"],
    ["sa", "serviceaccounts"],
    ["serviceaccount", "serviceaccounts"],
    ["csr", "certificatesigningrequests.certificates.k8s.io"],
    ["certificatesigningrequest", "certificatesigningrequests.certificates.k8s.io"],
    ["roles.rbac.authorization.k8s.io", "roles.rbac.authorization.k8s.io"],
    ["ns", "namespaces"],
    ["widgets", "widgets"],
  ])("resource type %s is %s", (typed, resource) => {
    expect(normalizeResourceType(typed)).toBe(resource);
  });

  it("equal spellings give equal invocations", () => {
    const canonical = normalized("create token builder -n dev --duration=2h");
    for (const line of [
      "-n dev create token builder --duration 120m",
      "create token --namespace=dev builder --duration=7200s",
      "create token builder -ndev --duration=2h0m0s",
    ]) {
      expect(normalized(line), line).toEqual(canonical);
    }
    expect(normalized("get sa -n kube-system")).toEqual(normalized("get serviceaccounts --namespace kube-system"));
    expect(normalized("get csr/node-1")).toEqual(normalized("get certificatesigningrequest/node-1"));
    expect(normalized("get po,sa")).toEqual(normalized("get pods,serviceaccounts"));
    expect(normalized("config view --flatten=true --minify")).toEqual(normalized("config view --minify --flatten"));
    expect(normalized("config view --raw=false")).toEqual(normalized("config view"));
    expect(normalized("config use k8s-c2").commandPath).toBe("kubectl config use-context");
  });

  it("keeps what changes the meaning", () => {
    expect(normalized("create token builder --duration=1d").flags.duration).toEqual(["1d"]);
    expect(normalized("get pods -n dev")).not.toEqual(normalized("get pods"));
    expect(normalized("get pods x")).not.toEqual(normalized("get pods y"));
    expect(normalizeKubectlInvocation(["get", "pods", "--nope"])).toMatchObject({
      ok: false,
      error: expect.stringContaining("unknown flag: --nope"),
    });
    expect(normalizeKubectlInvocation(["nope"])).toMatchObject({ ok: false });
  });
});
