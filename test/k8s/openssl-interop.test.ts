// Interoperability with the real OpenSSL CLI: the engine's certificates are real X.509 that
// openssl verifies, and our subject rendering matches OpenSSL 3's. Kept outside lib/k8s, which
// never starts a process.
import { execFileSync } from "node:child_process";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { createCertificateAuthority, describeCertificate, issueCertificate } from "@/lib/k8s/pki";

function hasOpenssl(): boolean {
  try {
    execFileSync("openssl", ["version"], { stdio: "ignore" });
    return true;
  } catch {
    return false;
  }
}

describe.skipIf(!hasOpenssl())("openssl interoperability", () => {
  it("openssl verifies the chain and prints the subject in OpenSSL 3 form", async () => {
    const ca = await createCertificateAuthority({
      commonName: "kubernetes",
      keyAlgorithm: "RSA",
      notBefore: new Date("2025-01-01T00:00:00Z"),
      notAfter: new Date("2099-01-01T00:00:00Z"),
    });
    const dir = mkdtempSync(join(tmpdir(), "kubeprep-pki-"));
    const leaf = await issueCertificate({
      issuer: ca,
      subject: { commonName: "jane", organizations: ["dev-team", "ops"] },
      notBefore: new Date("2025-01-01T00:00:00Z"),
      notAfter: new Date("2099-01-01T00:00:00Z"),
    });
    writeFileSync(join(dir, "ca.crt"), ca.certPem);
    writeFileSync(join(dir, "leaf.crt"), leaf.certPem);
    const attime = String(Math.floor(new Date("2025-06-01T00:00:00Z").getTime() / 1000));
    const verify = execFileSync("openssl", [
      "verify",
      "-attime",
      attime,
      "-purpose",
      "sslclient",
      "-CAfile",
      join(dir, "ca.crt"),
      join(dir, "leaf.crt"),
    ]).toString();
    expect(verify.trim().endsWith(": OK")).toBe(true);
    const subject = execFileSync("openssl", ["x509", "-noout", "-subject", "-in", join(dir, "leaf.crt")])
      .toString()
      .trim();
    const described = describeCertificate(leaf.certPem);
    expect(described.ok && `subject=${described.description.subject}`).toBe(subject);
  });
});
