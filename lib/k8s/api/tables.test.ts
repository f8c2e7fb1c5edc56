import { describe, expect, it } from "vitest";
import { buildTable, csrCondition, wantsTable } from "./tables";

const NOW = Date.parse("2025-01-02T00:00:00Z");
const created = "2025-01-01T00:00:00Z";

function cellsOf(resource: string, object: Record<string, unknown>) {
  const table = buildTable(resource, [JSON.parse(JSON.stringify(object))], "5", NOW);
  const rows = table.rows;
  const first = Array.isArray(rows) ? rows[0] : undefined;
  return typeof first === "object" && first !== null && !Array.isArray(first) ? first.cells : undefined;
}

describe("server-side printing", () => {
  it("secrets: NAME TYPE DATA AGE", () => {
    expect(
      cellsOf("secrets", { metadata: { name: "s", creationTimestamp: created }, type: "kubernetes.io/tls", data: { a: "", b: "" } }),
    ).toEqual(["s", "kubernetes.io/tls", 2, "24h"]);
  });

  it("configmaps: NAME DATA AGE (data + binaryData)", () => {
    expect(cellsOf("configmaps", { metadata: { name: "c", creationTimestamp: created }, data: { a: "" }, binaryData: { b: "" } })).toEqual([
      "c",
      2,
      "24h",
    ]);
  });

  it("pods: waiting reasons and restarts win over the phase", () => {
    const pod = {
      metadata: { name: "p", creationTimestamp: created },
      spec: { containers: [{ name: "a" }, { name: "b" }] },
      status: {
        phase: "Running",
        containerStatuses: [
          { name: "a", ready: true, restartCount: 3 },
          { name: "b", ready: false, restartCount: 4, state: { waiting: { reason: "CrashLoopBackOff" } } },
        ],
      },
    };
    expect(cellsOf("pods", pod)).toEqual(["p", "1/2", "CrashLoopBackOff", "7", "24h", "<none>", "<none>", "<none>", "<none>"]);
  });

  it("csr condition precedence: Denied > Approved > Pending, then Failed and Issued", () => {
    const csr = (types: string[], certificate?: string) =>
      JSON.parse(JSON.stringify({ status: { conditions: types.map((type) => ({ type })), certificate } }));
    expect(csrCondition(csr([]))).toBe("Pending");
    expect(csrCondition(csr(["Approved"], "abc"))).toBe("Approved,Issued");
    expect(csrCondition(csr(["Approved", "Failed"]))).toBe("Approved,Failed");
    expect(csrCondition(csr(["Denied"]))).toBe("Denied");
    expect(
      cellsOf("certificatesigningrequests", {
        metadata: { name: "x", creationTimestamp: created },
        spec: { signerName: "kubernetes.io/kube-apiserver-client", username: "admin" },
      }),
    ).toEqual(["x", "24h", "kubernetes.io/kube-apiserver-client", "admin", "<none>", "Pending"]);
  });

  it("recognises kubectl's Table Accept header", () => {
    expect(
      wantsTable("application/json;as=Table;v=v1;g=meta.k8s.io,application/json;as=Table;v=v1beta1;g=meta.k8s.io,application/json"),
    ).toBe(true);
    expect(wantsTable("application/json")).toBe(false);
  });
});
