/** Field names with control or non-printable characters reach the learner through strconv.Quote (%q), as in Go. */
import { beforeAll, describe, expect, it } from "vitest";
import type { ClusterState } from "../cluster/state";
import { handleRequest } from "./handle-request";
import { invalidStatus } from "./status";
import { bodyJson, createTestCluster, request } from "./test-helpers";

let state: ClusterState;
beforeAll(async () => {
  state = await createTestCluster();
});

const admin = { token: "admintoken", contentType: "application/json" };

describe("strict decoding errors quote unknown fields with %q", () => {
  const body = JSON.stringify({
    apiVersion: "v1",
    kind: "ConfigMap",
    metadata: { name: "odd" },
    "x\u0001": 1,
    "nb\u00a0sp": 2,
    "ls\u2028": 3,
    "ok😀": 4,
  });

  it("escapes a control character as \\x01, U+00A0 and U+2028 as \\u, and keeps an emoji", async () => {
    const { response } = await handleRequest(
      state,
      request(state, "POST", "/api/v1/namespaces/default/configmaps?fieldValidation=Strict", { ...admin, body }),
    );
    expect(response.status).toBe(400);
    expect(bodyJson(response).message).toBe(
      String.raw`ConfigMap in version "v1" cannot be handled as a ConfigMap: strict decoding error: unknown field "x\x01", unknown field "nb\u00a0sp", unknown field "ls\u2028", unknown field "ok😀"`,
    );
  });

  it("the Warning header carries the same %q text", async () => {
    const { response } = await handleRequest(state, request(state, "POST", "/api/v1/namespaces/default/configmaps", { ...admin, body }));
    expect(response.status).toBe(201);
    expect(response.headers.Warning).toContain(String.raw`299 - "unknown field \"x\\x01\""`);
  });
});

describe("apierrors.NewInvalid aggregates its field errors as ErrorList.ToAggregate does", () => {
  it("prints a repeated field error once, and bare", () => {
    const error = { type: "Required value" as const, field: "spec.x", detail: "" };
    const one = invalidStatus("Pod", "", "p", [error, error]);
    expect(one.message).toBe(invalidStatus("Pod", "", "p", [error]).message);
    expect(one.message).not.toContain("[");
  });
});
