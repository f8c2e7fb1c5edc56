import { beforeAll, describe, expect, it } from "vitest";
import type { ClusterState } from "../cluster/state";
import type { ApiRequest } from "../types";
import { handleRequest } from "./handle-request";
import { PROTOBUF_MAGIC } from "../protobuf";
import { createTestCluster, request } from "./test-helpers";

let state: ClusterState;
beforeAll(async () => {
  state = await createTestCluster();
});

function prng(seed: number): () => number {
  let value = seed;
  return () => {
    value = (value * 1103515245 + 12345) % 2147483648;
    return value / 2147483648;
  };
}

const METHODS: [string, ...string[]] = ["GET", "POST", "PUT", "PATCH", "DELETE", "HEAD", "OPTIONS", "TRACE", "get", ""];
const PATHS: [string, ...string[]] = [
  "/",
  "/api",
  "/apis",
  "/api/v1",
  "/api/v1/pods",
  "/api/v1/namespaces",
  "/api/v1/namespaces/default",
  "/api/v1/namespaces/default/pods/web-1",
  "/api/v1/namespaces/default/pods/web-1/status",
  "/api/v1/namespaces/default/serviceaccounts/sa1/token",
  "/api/v1/watch/pods",
  "/api/v1/watch",
  "/apis/certificates.k8s.io/v1/certificatesigningrequests/x/approval",
  "/apis/authentication.k8s.io/v1/selfsubjectreviews",
  "/apis/authorization.k8s.io/v1/selfsubjectaccessreviews",
  "/apis/authorization.k8s.io/v1/selfsubjectrulesreviews",
  "/apis/rbac.authorization.k8s.io/v1/clusterroles",
  "/openapi/v3",
  "/openapi/v3/api/v1",
  "/openapi/v2",
  "/healthz/ping",
  "/version",
  "//api//v1///pods",
  "/api/v1/namespaces/%2e%2e/pods",
  "/api/v1/namespaces/a/b/c/d/e/f",
  "/apis/x/y/z",
  "/api/v1/nodes/n1",
  "%",
  "/api/v1/namespaces/default/pods?labelSelector=((",
  "/api/v1/pods?watch=1&fieldSelector=metadata.name%3D..",
];
const CONTENT_TYPES: [string, ...string[]] = [
  "application/json",
  "application/yaml",
  "application/vnd.kubernetes.protobuf",
  "application/merge-patch+json",
  "text/plain",
  "",
  "application/json; charset=utf-8",
];
const BODIES: (string | Uint8Array)[] = [
  "",
  "{",
  "null",
  "[]",
  '{"kind":"Pod"}',
  '{"apiVersion":"v1","kind":"Pod","metadata":{"name":"p"},"spec":{"containers":[{"name":"c","image":"i"}]}}',
  '{"kind":"TokenRequest","apiVersion":"authentication.k8s.io/v1","spec":{"expirationSeconds":"x","audiences":[1,2]}}',
  '{"kind":"CertificateSigningRequest","apiVersion":"certificates.k8s.io/v1","metadata":{"name":"c"},"spec":{"request":"!!","usages":"x"}}',
  '{"kind":"SelfSubjectAccessReview","apiVersion":"authorization.k8s.io/v1","spec":{"resourceAttributes":5}}',
  "a: [b",
  "- 1\n- 2",
  `${"[".repeat(5000)}${"]".repeat(5000)}`,
  '{"a":'.repeat(3000),
];

function randomBody(random: () => number): string | Uint8Array {
  if (random() < 0.3) {
    const bytes = Uint8Array.from({ length: Math.floor(random() * 80) }, () => Math.floor(random() * 256));
    if (random() < 0.5) bytes.set(PROTOBUF_MAGIC.subarray(0, Math.min(4, bytes.length)));
    return bytes;
  }
  return BODIES[Math.floor(random() * BODIES.length)] ?? "";
}

describe("fuzzing handleRequest", () => {
  it("always answers with a proper HTTP status and never throws", async () => {
    const random = prng(42);
    const credentials: [Record<string, string>, ...Record<string, string>[]] = [
      {},
      { token: "admintoken" },
      { cert: "jane" },
      { token: "x".repeat(20000) },
      { token: "a.b.c" },
      { cert: "rogue" },
    ];
    for (let i = 0; i < 2500; i++) {
      const pick = <T>(items: [T, ...T[]]): T => items[Math.floor(random() * items.length)] ?? items[0];
      const base = request(state, pick(METHODS), pick(PATHS), {
        ...pick(credentials),
        contentType: pick(CONTENT_TYPES),
        body: randomBody(random),
      });
      const headers: ApiRequest["headers"] = { ...base.headers };
      if (random() < 0.1) headers["impersonate-user"] = random() < 0.5 ? "jane" : "";
      if (random() < 0.05) headers["impersonate-group"] = ["a", "b"];
      if (random() < 0.05) headers.authorization = pick<string>(["Bearer", "Bearer  x", "Basic abc", "bearer admintoken"]);
      const fuzzed: ApiRequest = {
        ...base,
        headers,
        ...(random() < 0.05 ? { peerCertificates: [Uint8Array.from([0x30, 0x03, 0x02, 0x01, 0x01])] } : {}),
      };
      const { response, trace } = await handleRequest(state, fuzzed);
      // An exception caught by the safety net would show up as an "internal error" handler step.
      expect(trace.filter((step) => step.message.startsWith("internal error:"))).toEqual([]);
      expect(Number.isInteger(response.status)).toBe(true);
      expect(response.status).toBeGreaterThanOrEqual(200);
      expect(response.status).toBeLessThan(600);
    }
  });
});
