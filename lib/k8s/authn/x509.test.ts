import { X509Certificate, createHash } from "node:crypto";
import { beforeAll, describe, expect, it } from "vitest";
import type { ApiRequest, AuthnContext } from "../types";
import { createCertificateAuthority, issueCertificate, type CertificateAndKey } from "../pki/issue";
import { pemToDer } from "../pki/pem";
import { createX509Authenticator } from "./x509";

const NOW = new Date("2025-06-01T12:00:00Z");
const YEAR_AGO = new Date("2024-06-01T00:00:00Z");
const IN_A_YEAR = new Date("2026-06-01T00:00:00Z");
const context: AuthnContext = { now: NOW, apiAudiences: ["https://kubernetes.default.svc.cluster.local"] };

function requestWith(...pems: string[]): ApiRequest {
  return {
    method: "GET",
    url: "/api",
    headers: {},
    tls: true,
    peerCertificates: pems.map((pem) => {
      const der = pemToDer(pem, "CERTIFICATE");
      if (!der) throw new Error("fixture is not a certificate");
      return der;
    }),
  };
}

let ca: CertificateAndKey;
let rogueCa: CertificateAndKey;

beforeAll(async () => {
  ca = await createCertificateAuthority({
    commonName: "kubernetes",
    keyAlgorithm: "ECDSA",
    notBefore: YEAR_AGO,
    notAfter: new Date("2034-01-01T00:00:00Z"),
    serialNumber: "01",
  });
  // Same subject as the real CA, different key: the typical "made my own CA" mistake.
  rogueCa = await createCertificateAuthority({
    commonName: "kubernetes",
    keyAlgorithm: "ECDSA",
    notBefore: YEAR_AGO,
    notAfter: new Date("2034-01-01T00:00:00Z"),
    serialNumber: "02",
  });
});

describe("x509 authenticator: §1.4 outcome table", () => {
  it("valid, CA-signed, clientAuth: user = CN, groups = every O in order, uid empty, credential-id", async () => {
    const leaf = await issueCertificate({
      issuer: ca,
      subject: { commonName: "jane", organizations: ["dev-team", "admins", "b-last"] },
      notBefore: YEAR_AGO,
      notAfter: IN_A_YEAR,
    });
    const outcome = await createX509Authenticator({ clientCaBundlePem: ca.certPem }).authenticate(requestWith(leaf.certPem), context);
    const fingerprint = createHash("sha256").update(new X509Certificate(leaf.certPem).raw).digest("hex");
    expect(outcome).toEqual({
      kind: "user",
      user: {
        name: "jane",
        uid: "",
        groups: ["dev-team", "admins", "b-last"],
        extra: { "authentication.kubernetes.io/credential-id": [`X509SHA256=${fingerprint}`] },
      },
      validUntil: IN_A_YEAR,
    });
  });

  it("no EKU extension at all is accepted", async () => {
    const leaf = await issueCertificate({
      issuer: ca,
      subject: { commonName: "no-eku" },
      extKeyUsage: "omit",
      notBefore: YEAR_AGO,
      notAfter: IN_A_YEAR,
    });
    const outcome = await createX509Authenticator({ clientCaBundlePem: ca.certPem }).authenticate(requestWith(leaf.certPem), context);
    expect(outcome.kind).toBe("user");
  });

  it("anyExtendedKeyUsage is accepted", async () => {
    const leaf = await issueCertificate({
      issuer: ca,
      subject: { commonName: "any" },
      extKeyUsage: ["any"],
      notBefore: YEAR_AGO,
      notAfter: IN_A_YEAR,
    });
    const outcome = await createX509Authenticator({ clientCaBundlePem: ca.certPem }).authenticate(requestWith(leaf.certPem), context);
    expect(outcome.kind).toBe("user");
  });

  it("EKU with only serverAuth is rejected with Go's text inside the 1.32 wrapper", async () => {
    const leaf = await issueCertificate({
      issuer: ca,
      subject: { commonName: "server" },
      extKeyUsage: ["serverAuth"],
      notBefore: YEAR_AGO,
      notAfter: IN_A_YEAR,
      serialNumber: "3039",
    });
    const outcome = await createX509Authenticator({ clientCaBundlePem: ca.certPem }).authenticate(requestWith(leaf.certPem), context);
    expect(outcome.kind).toBe("error");
    if (outcome.kind !== "error") return;
    expect(outcome.error).toMatch(
      /^verifying certificate SN=12345, SKID=([0-9A-F]{2}:){19}[0-9A-F]{2}, AKID=([0-9A-F]{2}:){19}[0-9A-F]{2} failed: x509: certificate specifies an incompatible key usage$/,
    );
  });

  it("expired: Go's message with RFC3339 times", async () => {
    const leaf = await issueCertificate({
      issuer: ca,
      subject: { commonName: "old" },
      notBefore: YEAR_AGO,
      notAfter: new Date("2025-01-01T00:00:00Z"),
    });
    const outcome = await createX509Authenticator({ clientCaBundlePem: ca.certPem }).authenticate(requestWith(leaf.certPem), context);
    expect(
      outcome.kind === "error" &&
        outcome.error.endsWith(
          "failed: x509: certificate has expired or is not yet valid: current time 2025-06-01T12:00:00Z is after 2025-01-01T00:00:00Z",
        ),
    ).toBe(true);
  });

  it("not yet valid", async () => {
    const leaf = await issueCertificate({
      issuer: ca,
      subject: { commonName: "future" },
      notBefore: new Date("2025-07-01T00:00:00Z"),
      notAfter: IN_A_YEAR,
    });
    const outcome = await createX509Authenticator({ clientCaBundlePem: ca.certPem }).authenticate(requestWith(leaf.certPem), context);
    expect(
      outcome.kind === "error" &&
        outcome.error.endsWith(
          "failed: x509: certificate has expired or is not yet valid: current time 2025-06-01T12:00:00Z is before 2025-07-01T00:00:00Z",
        ),
    ).toBe(true);
  });

  it("signed by an unknown CA with a different name: plain unknown authority", async () => {
    const other = await createCertificateAuthority({
      commonName: "someone-else",
      keyAlgorithm: "ECDSA",
      notBefore: YEAR_AGO,
      notAfter: IN_A_YEAR,
    });
    const leaf = await issueCertificate({ issuer: other, subject: { commonName: "mallory" }, notBefore: YEAR_AGO, notAfter: IN_A_YEAR });
    const outcome = await createX509Authenticator({ clientCaBundlePem: ca.certPem }).authenticate(requestWith(leaf.certPem), context);
    expect(outcome.kind === "error" && outcome.error.endsWith(" failed: x509: certificate signed by unknown authority")).toBe(true);
  });

  it("signed by a look-alike CA (same name, other key): Go's hint about the candidate authority", async () => {
    const leaf = await issueCertificate({ issuer: rogueCa, subject: { commonName: "mallory" }, notBefore: YEAR_AGO, notAfter: IN_A_YEAR });
    const outcome = await createX509Authenticator({ clientCaBundlePem: ca.certPem }).authenticate(requestWith(leaf.certPem), context);
    expect(
      outcome.kind === "error" &&
        outcome.error.endsWith(
          ' failed: x509: certificate signed by unknown authority (possibly because of "x509: ECDSA verification failure" while trying to verify candidate authority certificate "kubernetes")',
        ),
    ).toBe(true);
  });

  it("a bundle with several CAs accepts certificates from each", async () => {
    const second = await createCertificateAuthority({
      commonName: "second-ca",
      keyAlgorithm: "RSA",
      notBefore: YEAR_AGO,
      notAfter: IN_A_YEAR,
    });
    const authenticator = createX509Authenticator({ clientCaBundlePem: ca.certPem + second.certPem });
    expect(authenticator.caCount).toBe(2);
    const fromSecond = await issueCertificate({
      issuer: second,
      subject: { commonName: "bob" },
      notBefore: YEAR_AGO,
      notAfter: IN_A_YEAR,
      keyAlgorithm: "RSA",
    });
    const fromFirst = await issueCertificate({ issuer: ca, subject: { commonName: "amy" }, notBefore: YEAR_AGO, notAfter: IN_A_YEAR });
    expect((await authenticator.authenticate(requestWith(fromSecond.certPem), context)).kind).toBe("user");
    expect((await authenticator.authenticate(requestWith(fromFirst.certPem), context)).kind).toBe("user");
  });

  it("empty CN: no opinion", async () => {
    const leaf = await issueCertificate({ issuer: ca, subject: { organizations: ["dev"] }, notBefore: YEAR_AGO, notAfter: IN_A_YEAR });
    const outcome = await createX509Authenticator({ clientCaBundlePem: ca.certPem }).authenticate(requestWith(leaf.certPem), context);
    expect(outcome.kind).toBe("no-opinion");
  });

  it("no TLS, no certificate, empty bundle: no opinion", async () => {
    const leaf = await issueCertificate({ issuer: ca, subject: { commonName: "jane" }, notBefore: YEAR_AGO, notAfter: IN_A_YEAR });
    const authenticator = createX509Authenticator({ clientCaBundlePem: ca.certPem });
    expect((await authenticator.authenticate({ ...requestWith(leaf.certPem), tls: false }, context)).kind).toBe("no-opinion");
    expect((await authenticator.authenticate(requestWith(), context)).kind).toBe("no-opinion");
    expect((await createX509Authenticator({ clientCaBundlePem: "" }).authenticate(requestWith(leaf.certPem), context)).kind).toBe(
      "no-opinion",
    );
  });

  it("validUntil is the leaf notAfter", async () => {
    const leaf = await issueCertificate({
      issuer: ca,
      subject: { commonName: "jane" },
      notBefore: YEAR_AGO,
      notAfter: new Date("2025-09-09T09:09:09Z"),
    });
    const outcome = await createX509Authenticator({ clientCaBundlePem: ca.certPem }).authenticate(requestWith(leaf.certPem), context);
    expect(outcome.kind === "user" && outcome.validUntil?.toISOString()).toBe("2025-09-09T09:09:09.000Z");
  });
});

describe("x509 authenticator: intermediates", () => {
  let intermediate: CertificateAndKey;
  beforeAll(async () => {
    intermediate = await createCertificateAuthority({
      commonName: "team-intermediate",
      keyAlgorithm: "ECDSA",
      notBefore: YEAR_AGO,
      notAfter: IN_A_YEAR,
      issuer: ca,
    });
  });

  it("chains through an intermediate the client sends", async () => {
    const leaf = await issueCertificate({
      issuer: intermediate,
      subject: { commonName: "ivy", organizations: ["team"] },
      notBefore: YEAR_AGO,
      notAfter: IN_A_YEAR,
    });
    const outcome = await createX509Authenticator({ clientCaBundlePem: ca.certPem }).authenticate(
      requestWith(leaf.certPem, intermediate.certPem),
      context,
    );
    expect(outcome.kind === "user" && outcome.user.name).toBe("ivy");
  });

  it("fails without the intermediate", async () => {
    const leaf = await issueCertificate({ issuer: intermediate, subject: { commonName: "ivy" }, notBefore: YEAR_AGO, notAfter: IN_A_YEAR });
    const outcome = await createX509Authenticator({ clientCaBundlePem: ca.certPem }).authenticate(requestWith(leaf.certPem), context);
    expect(outcome.kind === "error" && outcome.error.endsWith("failed: x509: certificate signed by unknown authority")).toBe(true);
  });

  it("an intermediate whose EKU lacks clientAuth constrains the chain", async () => {
    const serverOnly = await issueCertificate({
      issuer: ca,
      subject: { commonName: "server-only-ca" },
      isCA: true,
      keyUsage: ["keyCertSign", "digitalSignature"],
      extKeyUsage: ["serverAuth"],
      notBefore: YEAR_AGO,
      notAfter: IN_A_YEAR,
    });
    if (!serverOnly.keyPem) throw new Error("expected a generated key");
    const leaf = await issueCertificate({
      issuer: { certPem: serverOnly.certPem, keyPem: serverOnly.keyPem },
      subject: { commonName: "ivy" },
      notBefore: YEAR_AGO,
      notAfter: IN_A_YEAR,
    });
    const outcome = await createX509Authenticator({ clientCaBundlePem: ca.certPem }).authenticate(
      requestWith(leaf.certPem, serverOnly.certPem),
      context,
    );
    expect(outcome.kind === "error" && outcome.error.endsWith("failed: x509: certificate specifies an incompatible key usage")).toBe(true);
  });

  it("an 'intermediate' that is not a CA cannot sign", async () => {
    const notCa = await issueCertificate({
      issuer: ca,
      subject: { commonName: "plain-leaf" },
      notBefore: YEAR_AGO,
      notAfter: IN_A_YEAR,
      keyUsage: ["digitalSignature", "keyCertSign"],
    });
    if (!notCa.keyPem) throw new Error("expected a generated key");
    const leaf = await issueCertificate({
      issuer: { certPem: notCa.certPem, keyPem: notCa.keyPem },
      subject: { commonName: "ivy" },
      notBefore: YEAR_AGO,
      notAfter: IN_A_YEAR,
    });
    const outcome = await createX509Authenticator({ clientCaBundlePem: ca.certPem }).authenticate(
      requestWith(leaf.certPem, notCa.certPem),
      context,
    );
    expect(
      outcome.kind === "error" &&
        outcome.error.endsWith(
          'failed: x509: certificate signed by unknown authority (possibly because of "x509: invalid signature: parent certificate cannot sign this kind of certificate" while trying to verify candidate authority certificate "plain-leaf")',
        ),
    ).toBe(true);
  });

  it("an expired intermediate yields Go's expiry error for the intermediate", async () => {
    const old = await createCertificateAuthority({
      commonName: "old-intermediate",
      keyAlgorithm: "ECDSA",
      notBefore: YEAR_AGO,
      notAfter: new Date("2025-02-01T00:00:00Z"),
      issuer: ca,
    });
    const leaf = await issueCertificate({ issuer: old, subject: { commonName: "ivy" }, notBefore: YEAR_AGO, notAfter: IN_A_YEAR });
    const outcome = await createX509Authenticator({ clientCaBundlePem: ca.certPem }).authenticate(
      requestWith(leaf.certPem, old.certPem),
      context,
    );
    expect(
      outcome.kind === "error" &&
        outcome.error.endsWith(
          "failed: x509: certificate has expired or is not yet valid: current time 2025-06-01T12:00:00Z is after 2025-02-01T00:00:00Z",
        ),
    ).toBe(true);
  });
});
