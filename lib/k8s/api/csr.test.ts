import { X509Certificate } from "node:crypto";
import { beforeAll, describe, expect, it } from "vitest";
import type { ClusterState } from "../cluster/state";
import { createCertificateSigningRequest } from "../pki/csr";
import { generateKeyPair } from "../pki/keys";
import { handleRequest } from "./handle-request";
import { approvalBody } from "../protobuf/test-helpers";
import { bodyJson, createTestCluster, PROTOBUF_ACCEPT, request, TABLE_ACCEPT } from "./test-helpers";

let state: ClusterState;
beforeAll(async () => {
  state = await createTestCluster();
});

const admin = { token: "admintoken" };
const CSR_URL = "/apis/certificates.k8s.io/v1/certificatesigningrequests";
const APPROVE = { type: "Approved", reason: "KubectlApprove", message: "This CSR was approved by kubectl certificate approve." };
const DENY = { type: "Denied", reason: "KubectlDeny", message: "This CSR was denied by kubectl certificate deny." };

async function newCsr(
  name: string,
  subject: { commonName: string; organizations: string[] },
  usages: string[],
  creator: Parameters<typeof request>[3] = admin,
) {
  const key = generateKeyPair("ECDSA");
  const pem = await createCertificateSigningRequest({ privateKeyPem: key.privateKeyPem, subject });
  const body = JSON.stringify({
    apiVersion: "certificates.k8s.io/v1",
    kind: "CertificateSigningRequest",
    metadata: { name },
    spec: {
      request: Buffer.from(pem).toString("base64"),
      signerName: "kubernetes.io/kube-apiserver-client",
      expirationSeconds: 86400,
      usages,
    },
  });
  const { response } = await handleRequest(state, request(state, "POST", CSR_URL, { ...creator, contentType: "application/json", body }));
  return { response, key, pem };
}

async function putCondition(name: string, pem: string, condition: typeof APPROVE) {
  const current = bodyJson((await handleRequest(state, request(state, "GET", `${CSR_URL}/${name}`, admin))).response);
  const metadata = current.metadata;
  const rv =
    typeof metadata === "object" && metadata !== null && "resourceVersion" in metadata && typeof metadata.resourceVersion === "string"
      ? metadata.resourceVersion
      : "";
  return handleRequest(
    state,
    request(state, "PUT", `${CSR_URL}/${name}/approval`, {
      ...admin,
      accept: PROTOBUF_ACCEPT,
      contentType: "application/vnd.kubernetes.protobuf",
      body: approvalBody(name, rv, pem, condition),
    }),
  );
}

function certificateOf(object: Record<string, unknown>): string {
  const status = object.status;
  const encoded =
    typeof status === "object" && status !== null && "certificate" in status && typeof status.certificate === "string"
      ? status.certificate
      : "";
  return Buffer.from(encoded, "base64").toString("utf8");
}

describe("CertificateSigningRequest flow", () => {
  it("create -> Pending -> approve (protobuf PUT) -> signed certificate that authenticates as the subject", async () => {
    const created = await newCsr("bob", { commonName: "bob", organizations: ["team"] }, ["client auth"], { cert: "jane" });
    // jane may not create CSRs under default RBAC.
    expect(created.response.status).toBe(403);

    const { response, key, pem } = await newCsr("bob", { commonName: "bob", organizations: ["team"] }, ["client auth"]);
    expect(response.status).toBe(201);
    expect(bodyJson(response)).toMatchObject({
      spec: { username: "admin", uid: "1", groups: ["system:masters", "system:authenticated"] },
      status: {},
    });

    const table = bodyJson((await handleRequest(state, request(state, "GET", CSR_URL, { ...admin, accept: TABLE_ACCEPT }))).response);
    expect(table.rows).toMatchObject([{ cells: ["bob", "0s", "kubernetes.io/kube-apiserver-client", "admin", "24h", "Pending"] }]);

    const approved = await putCondition("bob", pem, APPROVE);
    expect(approved.response.status).toBe(200);
    expect(approved.trace.some((step) => step.stage === "csrsigning")).toBe(true);
    const object = bodyJson(approved.response);
    expect(object.status).toMatchObject({
      conditions: [{ ...APPROVE, status: "True", lastUpdateTime: "2025-01-01T01:00:00Z", lastTransitionTime: "2025-01-01T00:00:00Z" }],
    });

    const certPem = certificateOf(object);
    const certificate = new X509Certificate(certPem);
    const ca = new X509Certificate(state.config.clusterSigner.certPem);
    expect(certificate.verify(ca.publicKey)).toBe(true);
    expect(certificate.subject).toContain("CN=bob");
    expect(Date.parse(certificate.validFrom)).toBe(Date.parse("2024-12-31T23:55:00Z"));
    expect(Date.parse(certificate.validTo)).toBe(Date.parse("2025-01-01T23:55:00Z"));

    const after = bodyJson((await handleRequest(state, request(state, "GET", CSR_URL, { ...admin, accept: TABLE_ACCEPT }))).response);
    expect(JSON.stringify(after.rows)).toContain('"Approved,Issued"');

    state.credentials.bob = { certPem, keyPem: key.privateKeyPem };
    const whoami = await handleRequest(
      state,
      request(state, "POST", "/apis/authentication.k8s.io/v1/selfsubjectreviews", {
        cert: "bob",
        contentType: "application/json",
        body: '{"kind":"SelfSubjectReview","apiVersion":"authentication.k8s.io/v1"}',
      }),
    );
    expect(whoami.response.status).toBe(201);
    expect(bodyJson(whoami.response).status).toMatchObject({ userInfo: { username: "bob", groups: ["team", "system:authenticated"] } });
  });

  it("a CSR without client auth usage fails signing with the signer's message", async () => {
    const { pem } = await newCsr("srv", { commonName: "srv", organizations: [] }, ["server auth"]);
    const approved = await putCondition("srv", pem, APPROVE);
    expect(approved.response.status).toBe(200);
    const current = bodyJson((await handleRequest(state, request(state, "GET", `${CSR_URL}/srv`, admin))).response);
    expect(current.status).toMatchObject({
      conditions: [
        { type: "Approved" },
        { type: "Failed", status: "True", reason: "SignerValidationFailure", message: "invalid usage for client certificate: server auth" },
      ],
    });
    expect(certificateOf(current)).toBe("");
    const missing = await newCsr("ds", { commonName: "ds", organizations: [] }, ["digital signature"]);
    await putCondition("ds", missing.pem, APPROVE);
    const ds = bodyJson((await handleRequest(state, request(state, "GET", `${CSR_URL}/ds`, admin))).response);
    expect(JSON.stringify(ds.status)).toContain("missing required usage for client certificate: client auth");
  });

  it("approving a denied CSR is Invalid; system:masters is refused by admission", async () => {
    const { pem } = await newCsr("eve", { commonName: "eve", organizations: [] }, ["client auth"]);
    expect((await putCondition("eve", pem, DENY)).response.status).toBe(200);
    const both = await putCondition("eve", pem, APPROVE);
    expect(both.response.status).toBe(422);
    expect(bodyJson(both.response).message).toBe(
      'CertificateSigningRequest.certificates.k8s.io "eve" is invalid: status.conditions: Forbidden: updates may not remove a condition of type "Denied"',
    );
    const masters = await newCsr("root", { commonName: "root", organizations: ["system:masters"] }, ["client auth"]);
    expect(masters.response.status).toBe(403);
    expect(bodyJson(masters.response).message).toBe(
      'certificatesigningrequests.certificates.k8s.io "root" is forbidden: use of kubernetes.io/kube-apiserver-client signer with system:masters group is not allowed',
    );
  });

  it("validates the request, usages and expiration", async () => {
    const body = JSON.stringify({
      apiVersion: "certificates.k8s.io/v1",
      kind: "CertificateSigningRequest",
      metadata: { name: "bad" },
      spec: {
        request: Buffer.from("hi").toString("base64"),
        signerName: "kubernetes.io/kube-apiserver-client",
        expirationSeconds: 60,
        usages: ["client auth", "client auth"],
      },
    });
    const { response } = await handleRequest(state, request(state, "POST", CSR_URL, { ...admin, contentType: "application/json", body }));
    expect(response.status).toBe(422);
    expect(bodyJson(response).message).toBe(
      'CertificateSigningRequest.certificates.k8s.io "bad" is invalid: [spec.request: Invalid value: []byte{0x68, 0x69}: PEM block type must be CERTIFICATE REQUEST, spec.usages[1]: Duplicate value: "client auth", spec.expirationSeconds: Invalid value: 60: may not specify a duration less than 600 seconds (10 minutes)]',
    );
  });

  it("approving needs verb approve on the signer, not only update on /approval", async () => {
    const { pem } = await newCsr("carol", { commonName: "carol", organizations: [] }, ["client auth"]);
    const role = {
      apiVersion: "rbac.authorization.k8s.io/v1",
      kind: "ClusterRole",
      metadata: { name: "csr-approver-partial" },
      rules: [
        {
          apiGroups: ["certificates.k8s.io"],
          resources: ["certificatesigningrequests", "certificatesigningrequests/approval"],
          verbs: ["get", "update"],
        },
      ],
    };
    const binding = {
      apiVersion: "rbac.authorization.k8s.io/v1",
      kind: "ClusterRoleBinding",
      metadata: { name: "jane-approves" },
      roleRef: { apiGroup: "rbac.authorization.k8s.io", kind: "ClusterRole", name: "csr-approver-partial" },
      subjects: [{ apiGroup: "rbac.authorization.k8s.io", kind: "User", name: "jane" }],
    };
    for (const [path, object] of [
      ["clusterroles", role],
      ["clusterrolebindings", binding],
    ] as const) {
      const created = await handleRequest(
        state,
        request(state, "POST", `/apis/rbac.authorization.k8s.io/v1/${path}`, {
          ...admin,
          contentType: "application/json",
          body: JSON.stringify(object),
        }),
      );
      expect(created.response.status).toBe(201);
    }
    const { response, trace } = await handleRequest(
      state,
      request(state, "PUT", `${CSR_URL}/carol/approval`, {
        cert: "jane",
        contentType: "application/vnd.kubernetes.protobuf",
        body: approvalBody("carol", "", pem, APPROVE),
      }),
    );
    expect(response.status).toBe(403);
    expect(bodyJson(response).message).toBe(
      'certificatesigningrequests.certificates.k8s.io "carol" is forbidden: user not permitted to approve requests with signerName "kubernetes.io/kube-apiserver-client"',
    );
    expect(trace.some((step) => step.stage === "admission" && step.outcome === "deny")).toBe(true);
  });
});
