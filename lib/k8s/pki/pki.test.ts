import { X509Certificate, createPrivateKey } from "node:crypto";
import { beforeAll, describe, expect, it } from "vitest";
import { createX509Authenticator } from "../authn/x509";
import {
  createCertificateAuthority,
  createCertificateSigningRequest,
  describeCertificate,
  generateKeyPair,
  issueCertificate,
  parseCertificateSigningRequest,
  parsePemBlocks,
  pemToDer,
  derToPem,
  signCertificateSigningRequest,
  type CertificateAndKey,
  CertPool,
  parseCertificateDer,
  verifyCertificate,
} from "./index";
import { MEMO_KEY_MAX_CHARS, remember } from "./certificate";

const NOT_BEFORE = new Date("2025-01-01T00:00:00Z");
const NOT_AFTER = new Date("2026-01-01T00:00:00Z");

let rsaCa: CertificateAndKey;
let ecCa: CertificateAndKey;

beforeAll(async () => {
  rsaCa = await createCertificateAuthority({
    commonName: "kubernetes",
    keyAlgorithm: "RSA",
    notBefore: NOT_BEFORE,
    notAfter: NOT_AFTER,
    serialNumber: "00a1",
  });
  ecCa = await createCertificateAuthority({
    commonName: "kubernetes-ec",
    keyAlgorithm: "ECDSA",
    notBefore: NOT_BEFORE,
    notAfter: NOT_AFTER,
  });
});

describe("keys", () => {
  it("RSA 2048 and ECDSA P-256 as PKCS#8 / SPKI PEM", () => {
    const rsa = generateKeyPair("RSA");
    expect(rsa.privateKeyPem).toContain("-----BEGIN PRIVATE KEY-----");
    expect(createPrivateKey(rsa.privateKeyPem).asymmetricKeyDetails?.modulusLength).toBe(2048);
    const ec = generateKeyPair("ECDSA");
    expect(ec.publicKeyPem).toContain("-----BEGIN PUBLIC KEY-----");
    expect(createPrivateKey(ec.privateKeyPem).asymmetricKeyDetails?.namedCurve).toBe("prime256v1");
  });
});

describe("certificate authorities and certificates", () => {
  it("Node's X509Certificate accepts the CA, the leaf, the issuance and the signature", async () => {
    for (const ca of [rsaCa, ecCa]) {
      const leaf = await issueCertificate({
        issuer: ca,
        subject: { commonName: "jane", organizations: ["dev"] },
        notBefore: NOT_BEFORE,
        notAfter: NOT_AFTER,
      });
      const caCert = new X509Certificate(ca.certPem);
      const leafCert = new X509Certificate(leaf.certPem);
      expect(caCert.ca).toBe(true);
      expect(leafCert.ca).toBe(false);
      expect(leafCert.checkIssued(caCert)).toBe(true);
      expect(leafCert.verify(caCert.publicKey)).toBe(true);
      expect(leafCert.keyUsage).toEqual(["1.3.6.1.5.5.7.3.2"]);
      expect(leaf.keyPem).toContain("PRIVATE KEY");
    }
  });

  it("intermediate CAs chain with the right issuer bytes", async () => {
    const intermediate = await createCertificateAuthority({
      commonName: "intermediate",
      keyAlgorithm: "ECDSA",
      notBefore: NOT_BEFORE,
      notAfter: NOT_AFTER,
      issuer: rsaCa,
    });
    const cert = new X509Certificate(intermediate.certPem);
    expect(cert.checkIssued(new X509Certificate(rsaCa.certPem))).toBe(true);
    expect(cert.verify(new X509Certificate(rsaCa.certPem).publicKey)).toBe(true);
  });

  it("serial numbers: settable, random ones positive", async () => {
    const fixed = await issueCertificate({
      issuer: ecCa,
      subject: { commonName: "a" },
      notBefore: NOT_BEFORE,
      notAfter: NOT_AFTER,
      serialNumber: "3039",
    });
    const described = describeCertificate(fixed.certPem);
    expect(described.ok && described.description.serialNumberDecimal).toBe("12345");
    for (let i = 0; i < 5; i++) {
      const random = await issueCertificate({ issuer: ecCa, subject: { commonName: "b" }, notBefore: NOT_BEFORE, notAfter: NOT_AFTER });
      const d = describeCertificate(random.certPem);
      expect(d.ok && BigInt(d.description.serialNumberDecimal) > 0n).toBe(true);
    }
  });
});

describe("describeCertificate", () => {
  it("gives the fields openssl x509 -text shows", async () => {
    const leaf = await issueCertificate({
      issuer: rsaCa,
      subject: { commonName: "jane", organizations: ["dev-team"] },
      notBefore: new Date("2025-06-01T12:00:00Z"),
      notAfter: NOT_AFTER,
      keyAlgorithm: "ECDSA",
      dnsNames: ["jane.example"],
      ipAddresses: ["10.0.0.1"],
    });
    const result = describeCertificate(leaf.certPem);
    if (!result.ok) throw new Error(result.error);
    const d = result.description;
    expect(d.subject).toBe("CN = jane, O = dev-team");
    expect(d.issuer).toBe("CN = kubernetes");
    expect(d.notBeforeText).toBe("Jun  1 12:00:00 2025 GMT");
    expect(d.extendedKeyUsage).toEqual(["TLS Web Client Authentication"]);
    expect(d.keyUsage).toEqual(["Digital Signature", "Key Encipherment"]);
    expect(d.keyType).toBe("EC");
    expect(d.keySize).toBe(256);
    expect(d.signatureAlgorithm).toBe("sha256WithRSAEncryption");
    expect(d.subjectKeyId).toMatch(/^([0-9A-F]{2}:){19}[0-9A-F]{2}$/);
    expect(d.authorityKeyId).toBe(
      describeCertificate(rsaCa.certPem).ok
        ? (describeCertificate(rsaCa.certPem) as { ok: true; description: { subjectKeyId?: string } }).description.subjectKeyId
        : "",
    );
    expect(d.subjectAltNames).toEqual(["DNS:jane.example", "IP Address:10.0.0.1"]);
    expect(d.sha256Fingerprint).toBe(new X509Certificate(leaf.certPem).fingerprint256);
    expect(d.isCA).toBe(false);
  });
});

describe("CSR flow (§8 primitive)", () => {
  it("creates, parses and signs; the signed cert authenticates with Go's subject order", async () => {
    const keys = generateKeyPair("ECDSA");
    const csrPem = await createCertificateSigningRequest({
      privateKeyPem: keys.privateKeyPem,
      subject: { commonName: "jane", organizations: ["system:basic", "dev"] },
    });
    expect(csrPem).toContain("-----BEGIN CERTIFICATE REQUEST-----");
    const parsed = await parseCertificateSigningRequest(csrPem);
    if (!parsed.ok) throw new Error(parsed.error);
    expect(parsed.csr.subject).toEqual({ commonName: "jane", organizations: ["system:basic", "dev"] });
    expect(parsed.csr.signatureValid).toBe(true);
    expect(parsed.csr.publicKeyPem).toBe(keys.publicKeyPem);

    const signed = await signCertificateSigningRequest({
      issuer: rsaCa,
      csrPem,
      notBefore: new Date("2025-05-31T23:55:00Z"),
      notAfter: new Date("2025-06-02T00:00:00Z"),
      usages: ["client auth", "digital signature", "key encipherment"],
    });
    if (!signed.ok) throw new Error(signed.error);
    const d = describeCertificate(signed.certPem);
    if (!d.ok) throw new Error(d.error);
    // Go re-encodes the subject: every O in one RDN (DER-sorted: shorter first), then CN; no SKID.
    expect(d.description.subject).toBe("O = dev + O = system:basic, CN = jane");
    expect(d.description.subjectKeyId).toBeUndefined();
    expect(d.description.authorityKeyId).toBeDefined();
    expect(d.description.extendedKeyUsage).toEqual(["TLS Web Client Authentication"]);

    const outcome = await createX509Authenticator({ clientCaBundlePem: rsaCa.certPem }).authenticate(
      { method: "GET", url: "/api", headers: {}, tls: true, peerCertificates: [pemToDer(signed.certPem) ?? new Uint8Array()] },
      { now: new Date("2025-06-01T00:00:00Z"), apiAudiences: [] },
    );
    expect(outcome.kind === "user" && outcome.user.groups).toEqual(["dev", "system:basic"]);
    expect(outcome.kind === "error" ? outcome.error : "").toMatch(/^$/);
  });

  it("rejects non-CSR PEM and garbage without throwing", async () => {
    expect(await parseCertificateSigningRequest(rsaCa.certPem)).toEqual({ ok: false, error: "PEM block type must be CERTIFICATE REQUEST" });
    expect(await parseCertificateSigningRequest("-----BEGIN CERTIFICATE REQUEST-----\nAAAA\n-----END CERTIFICATE REQUEST-----\n")).toEqual({
      ok: false,
      error: "x509: malformed certificate request",
    });
    expect((await parseCertificateSigningRequest("garbage")).ok).toBe(false);
  });

  it("a tampered CSR has an invalid signature", async () => {
    const keys = generateKeyPair("ECDSA");
    const csrPem = await createCertificateSigningRequest({ privateKeyPem: keys.privateKeyPem, subject: { commonName: "jane" } });
    const der = pemToDer(csrPem) ?? new Uint8Array();
    const index = Buffer.from(der).indexOf(Buffer.from("jane"));
    const tampered = Uint8Array.from(der);
    tampered[index] = "x".charCodeAt(0);
    const parsed = await parseCertificateSigningRequest(derToPem(tampered, "CERTIFICATE REQUEST"));
    expect(parsed.ok && parsed.csr.signatureValid).toBe(false);
  });
});

describe("PEM parsing", () => {
  it("finds several blocks among garbage and skips broken ones", () => {
    const text = `junk\n${rsaCa.certPem}more junk\n-----BEGIN CERTIFICATE-----\n!!!!\n-----END CERTIFICATE-----\n${ecCa.certPem}`;
    const blocks = parsePemBlocks(text);
    expect(blocks.map((b) => b.type)).toEqual(["CERTIFICATE", "CERTIFICATE"]);
    expect(derToPem(blocks[0]?.der ?? new Uint8Array(), "CERTIFICATE")).toBe(rsaCa.certPem);
    expect(pemToDer("nothing here")).toBeUndefined();
  });
});

describe("verifyCertificate's memo of signature checks", () => {
  const der = (pem: string): Uint8Array => {
    const bytes = pemToDer(pem);
    if (bytes === undefined) throw new Error("not PEM");
    return bytes;
  };
  const verify = (leafPem: string, ca: CertificateAndKey) => {
    const roots = new CertPool();
    const root = parseCertificateDer(der(ca.certPem));
    if (!root.ok) throw new Error(root.error);
    roots.addCert(root.cert);
    const leaf = parseCertificateDer(der(leafPem));
    if (!leaf.ok) throw new Error(leaf.error);
    return verifyCertificate(leaf.cert, { roots, currentTime: new Date("2025-06-01T00:00:00Z"), keyUsages: ["1.3.6.1.5.5.7.3.2"] });
  };

  it("answers a repeated check as the first one, and a changed signature or key is checked afresh", async () => {
    const leaf = await issueCertificate({ issuer: rsaCa, subject: { commonName: "jane" }, notBefore: NOT_BEFORE, notAfter: NOT_AFTER });
    expect(verify(leaf.certPem, rsaCa).ok).toBe(true);
    expect(verify(leaf.certPem, rsaCa).ok).toBe(true);

    // The same certificate with the last byte of its signature changed.
    const forged = Uint8Array.from(der(leaf.certPem));
    forged[forged.length - 1] = (forged[forged.length - 1] ?? 0) ^ 0xff;
    const forgedResult = verify(derToPem(forged, "CERTIFICATE"), rsaCa);
    expect(forgedResult.ok).toBe(false);

    // A CA with the same name and another key: the memo is keyed by the key, not the name.
    const impostor = await createCertificateAuthority({
      commonName: "kubernetes",
      keyAlgorithm: "RSA",
      notBefore: NOT_BEFORE,
      notAfter: NOT_AFTER,
      serialNumber: "00a1",
    });
    expect(verify(leaf.certPem, impostor).ok).toBe(false);
    expect(verify(leaf.certPem, rsaCa).ok).toBe(true);
  });
});

describe("the certificate memos", () => {
  it("keep at most their limit, oldest out first, and no oversized key (a learner's huge certificates cannot fill a worker)", () => {
    const memo = new Map<string, boolean>();
    for (let index = 0; index < 5; index++) remember(memo, `key-${index}`, true, 3);
    expect([...memo.keys()]).toEqual(["key-2", "key-3", "key-4"]);
    remember(memo, "x".repeat(MEMO_KEY_MAX_CHARS + 1), true, 3);
    expect([...memo.keys()]).toEqual(["key-2", "key-3", "key-4"]);
  });
});
