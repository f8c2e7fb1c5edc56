import { beforeAll, describe, expect, it } from "vitest";
import { createSeededRandom } from "../clock";
import { parseCertificateDer } from "./certificate";
import { describeCertificate } from "./describe";
import { createCertificateAuthority, issueCertificate } from "./issue";
import { derToPem, parsePemBlocks, pemToDer } from "./pem";

let leafDer: Uint8Array;

beforeAll(async () => {
  const ca = await createCertificateAuthority({
    commonName: "kubernetes",
    keyAlgorithm: "ECDSA",
    notBefore: new Date("2025-01-01T00:00:00Z"),
    notAfter: new Date("2026-01-01T00:00:00Z"),
  });
  const leaf = await issueCertificate({
    issuer: ca,
    subject: { commonName: "jane", organizations: ["dev"] },
    notBefore: new Date("2025-01-01T00:00:00Z"),
    notAfter: new Date("2026-01-01T00:00:00Z"),
  });
  leafDer = pemToDer(leaf.certPem) ?? new Uint8Array();
});

describe("malformed certificates never throw", () => {
  it("bit flips, truncations, random bytes and oversized lengths", () => {
    const random = createSeededRandom("pki-fuzz");
    for (let i = 0; i < 3000; i++) {
      let input: Uint8Array;
      const mode = i % 4;
      if (mode === 0) {
        input = Uint8Array.from(leafDer);
        for (let f = 0; f < 1 + random.int(4); f++) input[random.int(input.length)] = random.int(256);
      } else if (mode === 1) {
        input = leafDer.subarray(0, random.int(leafDer.length));
      } else if (mode === 2) {
        input = random.bytes(random.int(64));
      } else {
        // A SEQUENCE header that claims far more content than there is.
        input = Uint8Array.from([0x30, 0x84, 0x7f, 0xff, 0xff, 0xff, ...random.bytes(random.int(16))]);
      }
      const parsed = parseCertificateDer(input);
      expect(parsed.ok === true || parsed.error === "x509: malformed certificate").toBe(true);
      const described = describeCertificate(derToPem(input, "CERTIFICATE"));
      expect(typeof described.ok).toBe("boolean");
    }
  });

  it("garbage PEM and base64", () => {
    const random = createSeededRandom("pem-fuzz");
    const pieces = [
      "-----BEGIN CERTIFICATE-----",
      "-----END CERTIFICATE-----",
      "\n",
      "AAAA",
      "====",
      "!!",
      "Proc-Type: 4,ENCRYPTED",
      "-----BEGIN ",
      "QUJD",
      " ",
    ];
    for (let i = 0; i < 3000; i++) {
      let text = "";
      for (let j = 0; j < random.int(12); j++) text += pieces[random.int(pieces.length)];
      const blocks = parsePemBlocks(text);
      expect(Array.isArray(blocks)).toBe(true);
      expect(describeCertificate(text).ok).toBe(false);
    }
  });
});
