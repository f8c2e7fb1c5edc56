import { beforeAll, describe, expect, it } from "vitest";
import type { ClusterState } from "../cluster/state";
import { advanceClock } from "../cluster/serialize";
import { handleRequest } from "./handle-request";
import { bodyJson, createTestCluster, PROTOBUF_ACCEPT, request, START_MS } from "./test-helpers";

// kubectl create token sa1 --duration=10m, captured from kubectl v1.32.5.
const CREATE_TOKEN_10M = Buffer.from(
  "azhzAAooChhhdXRoZW50aWNhdGlvbi5rOHMuaW8vdjESDFRva2VuUmVxdWVzdBIdChAKABIAGgAiACoAMgA4AEIAEgMg2AQaBAoAEgAaACIA",
  "base64",
);

let state: ClusterState;
beforeAll(async () => {
  state = await createTestCluster();
});

const admin = { token: "admintoken" };

async function createToken(name: string, body: string | Uint8Array, contentType = "application/json") {
  return handleRequest(
    state,
    request(state, "POST", `/api/v1/namespaces/default/serviceaccounts/${name}/token`, {
      ...admin,
      accept: PROTOBUF_ACCEPT,
      contentType,
      body,
    }),
  );
}

function decodePayload(token: string): Record<string, unknown> {
  const payload = token.split(".")[1] ?? "";
  const parsed: unknown = JSON.parse(Buffer.from(payload, "base64url").toString("utf8"));
  return typeof parsed === "object" && parsed !== null ? Object.fromEntries(Object.entries(parsed)) : {};
}

describe("TokenRequest", () => {
  it("kubectl create token --duration=10m (protobuf body) issues a bound token that authenticates", async () => {
    const { response, changed } = await createToken("sa1", new Uint8Array(CREATE_TOKEN_10M), "application/vnd.kubernetes.protobuf");
    expect(response.status).toBe(201);
    expect(changed).toBe(true);
    const body = bodyJson(response);
    expect(body).toMatchObject({
      kind: "TokenRequest",
      apiVersion: "authentication.k8s.io/v1",
      spec: { audiences: ["https://kubernetes.default.svc.cluster.local"], expirationSeconds: 600 },
      status: { expirationTimestamp: "2025-01-01T00:10:00Z" },
    });
    const status = body.status;
    const token =
      typeof status === "object" && status !== null && "token" in status && typeof status.token === "string" ? status.token : "";
    const claims = decodePayload(token);
    expect(claims).toMatchObject({
      iss: "https://kubernetes.default.svc.cluster.local",
      sub: "system:serviceaccount:default:sa1",
      exp: START_MS / 1000 + 600,
    });

    const whoami = await handleRequest(
      state,
      request(state, "POST", "/apis/authentication.k8s.io/v1/selfsubjectreviews", {
        token,
        contentType: "application/json",
        body: '{"apiVersion":"authentication.k8s.io/v1","kind":"SelfSubjectReview"}',
      }),
    );
    expect(whoami.response.status).toBe(201);
    expect(bodyJson(whoami.response).status).toMatchObject({
      userInfo: {
        username: "system:serviceaccount:default:sa1",
        groups: ["system:serviceaccounts", "system:serviceaccounts:default", "system:authenticated"],
        extra: { "authentication.kubernetes.io/credential-id": [`JTI=${String(claims.jti)}`] },
      },
    });

    // Eleven minutes later (beyond the 1-minute leeway) the same token is rejected.
    const later = structuredClone(state);
    advanceClock(later, "12m");
    const expired = await handleRequest(later, request(later, "GET", "/api", { token }));
    expect(expired.response.status).toBe(401);
    expect(expired.trace.map((step) => step.message).join("\n")).toContain("service account token has expired");
  });

  it("defaults expirationSeconds to 3600", async () => {
    const { response } = await createToken("sa1", '{"apiVersion":"authentication.k8s.io/v1","kind":"TokenRequest","spec":{}}');
    expect(bodyJson(response)).toMatchObject({
      spec: { expirationSeconds: 3600 },
      status: { expirationTimestamp: "2025-01-01T01:00:00Z" },
    });
  });

  it("rejects a duration under 10 minutes with the apiserver's Invalid Status", async () => {
    const { response } = await createToken(
      "sa1",
      '{"apiVersion":"authentication.k8s.io/v1","kind":"TokenRequest","spec":{"expirationSeconds":60}}',
    );
    expect(response.status).toBe(422);
    expect(bodyJson(response)).toMatchObject({
      message:
        'TokenRequest.authentication.k8s.io "" is invalid: spec.expirationSeconds: Invalid value: 60: may not specify a duration less than 10 minutes',
      reason: "Invalid",
      details: {
        group: "authentication.k8s.io",
        kind: "TokenRequest",
        causes: [{ reason: "FieldValueInvalid", field: "spec.expirationSeconds" }],
      },
    });
  });

  it("answers NotFound for a missing ServiceAccount or bound pod", async () => {
    const missing = await createToken("ghost", '{"apiVersion":"authentication.k8s.io/v1","kind":"TokenRequest","spec":{}}');
    expect(missing.response.status).toBe(404);
    expect(bodyJson(missing.response).message).toBe('serviceaccounts "ghost" not found');
    const pod = await createToken(
      "sa1",
      '{"kind":"TokenRequest","apiVersion":"authentication.k8s.io/v1","spec":{"boundObjectRef":{"kind":"Pod","apiVersion":"v1","name":"nope"}}}',
    );
    expect(bodyJson(pod.response).message).toBe('pods "nope" not found');
  });

  it("binds to a pod and puts its name in the token's claims", async () => {
    const { response } = await createToken(
      "sa1",
      '{"kind":"TokenRequest","apiVersion":"authentication.k8s.io/v1","spec":{"boundObjectRef":{"kind":"Pod","apiVersion":"v1","name":"web-1"}}}',
    );
    expect(response.status).toBe(201);
    const status = bodyJson(response).status;
    const token =
      typeof status === "object" && status !== null && "token" in status && typeof status.token === "string" ? status.token : "";
    expect(JSON.stringify(decodePayload(token)["kubernetes.io"])).toContain('"pod":{"name":"web-1"');
  });

  it("the token controller fills a service-account-token Secret with a legacy token that authenticates", async () => {
    const secret = {
      apiVersion: "v1",
      kind: "Secret",
      metadata: { name: "sa1-token", annotations: { "kubernetes.io/service-account.name": "sa1" } },
      type: "kubernetes.io/service-account-token",
    };
    const created = await handleRequest(
      state,
      request(state, "POST", "/api/v1/namespaces/default/secrets", {
        ...admin,
        contentType: "application/json",
        body: JSON.stringify(secret),
      }),
    );
    expect(created.response.status).toBe(201);
    const data = bodyJson(created.response).data;
    const encoded = typeof data === "object" && data !== null && "token" in data && typeof data.token === "string" ? data.token : "";
    const token = Buffer.from(encoded, "base64").toString("utf8");
    expect(decodePayload(token)).toMatchObject({
      iss: "kubernetes/serviceaccount",
      "kubernetes.io/serviceaccount/secret.name": "sa1-token",
    });
    const whoami = await handleRequest(
      state,
      request(state, "POST", "/apis/authentication.k8s.io/v1/selfsubjectreviews", {
        token,
        contentType: "application/json",
        body: '{"kind":"SelfSubjectReview","apiVersion":"authentication.k8s.io/v1"}',
      }),
    );
    expect(bodyJson(whoami.response).status).toMatchObject({ userInfo: { username: "system:serviceaccount:default:sa1" } });
    // Deleting the Secret invalidates the token.
    await handleRequest(state, request(state, "DELETE", "/api/v1/namespaces/default/secrets/sa1-token", admin));
    const after = await handleRequest(state, request(state, "GET", "/api", { token }));
    expect(after.response.status).toBe(401);
  });
});
