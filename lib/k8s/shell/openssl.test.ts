import { beforeAll, describe, expect, it } from "vitest";
import { createCertificateAuthority, type CertificateAndKey } from "../pki";
import { newShellState, runCommandLine } from "./index";
import type { ShellState } from "./types";

const now = new Date("2026-11-29T10:01:06Z");
let ca: CertificateAndKey;

beforeAll(async () => {
  ca = await createCertificateAuthority({
    commonName: "kubernetes",
    keyAlgorithm: "RSA",
    notBefore: new Date("2026-01-01T00:00:00Z"),
    notAfter: new Date("2036-01-01T00:00:00Z"),
  });
});

async function sh(state: ShellState, line: string, at: Date = now) {
  return runCommandLine(state, line, { now: at });
}

describe("openssl", () => {
  it("genrsa -> req -> x509 -req -> inspect -> verify", async () => {
    const s = newShellState({ files: { "~/ca.crt": ca.certPem, "~/ca.key": ca.keyPem } });
    expect((await sh(s, "openssl genrsa -out jane.key 2048")).exitCode).toBe(0);
    expect(s.files["/home/student/jane.key"]?.type === "file" && s.files["/home/student/jane.key"].content).toMatch(
      /^-----BEGIN PRIVATE KEY-----\n/,
    );

    expect((await sh(s, 'openssl req -new -key jane.key -subj "/CN=jane/O=dev-team" -out jane.csr')).exitCode).toBe(0);
    const csrText = await sh(s, "openssl req -in jane.csr -noout -text");
    expect(csrText.stdout).toMatch(/^Certificate Request:\n {4}Data:\n {8}Version: 1 \(0x0\)\n {8}Subject: CN = jane, O = dev-team\n/);
    expect((await sh(s, "openssl req -in jane.csr -noout -subject")).stdout).toBe("subject=CN = jane, O = dev-team\n");

    const signed = await sh(s, "openssl x509 -req -in jane.csr -CA ca.crt -CAkey ca.key -CAcreateserial -out jane.crt -days 30");
    expect(signed).toMatchObject({
      exitCode: 0,
      stdout: "",
      stderr: "Certificate request self-signature ok\nsubject=CN = jane, O = dev-team\n",
    });
    const serial = s.files["/home/student/ca.srl"];
    expect(serial?.type === "file" && serial.content).toMatch(/^[0-9A-F]{40}\n$/);

    const fields = await sh(s, "openssl x509 -in jane.crt -noout -subject -issuer -dates -serial");
    expect(fields.stdout).toBe(
      `subject=CN = jane, O = dev-team\nissuer=CN = kubernetes\nnotBefore=Nov 29 10:01:06 2026 GMT\nnotAfter=Dec 29 10:01:06 2026 GMT\nserial=${serial?.type === "file" ? serial.content.trim() : ""}\n`,
    );
    expect((await sh(s, "openssl x509 -in jane.crt -noout -enddate")).stdout).toBe("notAfter=Dec 29 10:01:06 2026 GMT\n");
    expect((await sh(s, "openssl x509 -in jane.crt -noout -fingerprint -sha256")).stdout).toMatch(
      /^sha256 Fingerprint=([0-9A-F]{2}:){31}[0-9A-F]{2}\n$/,
    );

    const text = (await sh(s, "openssl x509 -in jane.crt -noout -text")).stdout;
    expect(text).toMatch(
      /^Certificate:\n {4}Data:\n {8}Version: 3 \(0x2\)\n {8}Serial Number:\n {12}[0-9a-f:]+\n {8}Signature Algorithm: sha256WithRSAEncryption\n {8}Issuer: CN = kubernetes\n {8}Validity\n {12}Not Before: Nov 29 10:01:06 2026 GMT\n {12}Not After : Dec 29 10:01:06 2026 GMT\n {8}Subject: CN = jane, O = dev-team\n {8}Subject Public Key Info:\n {12}Public Key Algorithm: rsaEncryption\n {16}Public-Key: \(2048 bit\)\n {16}Modulus:\n {20}00:/,
    );
    expect(text).toContain("                Exponent: 65537 (0x10001)\n");
    expect(text).toMatch(/ {4}Signature Algorithm: sha256WithRSAEncryption\n {4}Signature Value:\n {8}[0-9a-f]{2}:/);
    const caExt = await sh(s, "openssl x509 -in ca.crt -noout -ext basicConstraints");
    expect(caExt.stdout).toBe("X509v3 Basic Constraints: critical\n    CA:TRUE\n");

    expect(await sh(s, "openssl verify -CAfile ca.crt jane.crt")).toMatchObject({ stdout: "jane.crt: OK\n", exitCode: 0 });
    // The same check after the scenario clock moved past notAfter.
    expect(await sh(s, "openssl verify -CAfile ca.crt jane.crt", new Date("2027-02-01T00:00:00Z"))).toMatchObject({
      stderr: "CN = jane, O = dev-team\nerror 10 at 0 depth lookup: certificate has expired\nerror jane.crt: verification failed\n",
      exitCode: 2,
    });
    // A CA that did not sign it.
    await sh(s, "openssl req -x509 -new -key jane.key -subj /CN=other -days 1 -out other.crt");
    expect(await sh(s, "openssl verify -CAfile other.crt jane.crt")).toMatchObject({
      stderr:
        "CN = jane, O = dev-team\nerror 20 at 0 depth lookup: unable to get local issuer certificate\nerror jane.crt: verification failed\n",
      exitCode: 2,
    });
    // Second signing increments the serial file.
    await sh(s, "openssl x509 -req -in jane.csr -CA ca.crt -CAkey ca.key -out jane2.crt -days 1");
    const next = s.files["/home/student/ca.srl"];
    expect(next?.type === "file" && BigInt(`0x${next.content.trim()}`)).toBe(
      BigInt(`0x${serial?.type === "file" ? serial.content.trim() : "0"}`) + 1n,
    );
    expect((await sh(s, "cat jane.crt | base64 -w0")).stdout).toMatch(/^LS0tLS1CRUdJTiBDRVJUSUZJQ0FURS0tLS0t[A-Za-z0-9+/=]+$/);
  });

  it("genpkey EC, req -newkey, rand, errors", async () => {
    const s = newShellState();
    expect((await sh(s, "openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256 -out ec.key")).exitCode).toBe(0);
    const csr = await sh(s, "openssl req -new -key ec.key -subj /CN=bob | openssl req -noout -text");
    expect(csr.stdout).toContain("            Public Key Algorithm: id-ecPublicKey\n                Public-Key: (256 bit)\n");
    expect(csr.stdout).toContain("                ASN1 OID: prime256v1\n                NIST CURVE: P-256\n");
    expect((await sh(s, "openssl req -new -newkey rsa:2048 -nodes -keyout k.key -subj /CN=x -out x.csr")).exitCode).toBe(0);
    expect(s.files["/home/student/k.key"]).toBeDefined();
    expect((await sh(s, "openssl rand -hex 8")).stdout).toMatch(/^[0-9a-f]{16}\n$/);
    expect((await sh(s, "openssl rand -base64 12")).stdout).toMatch(/^[A-Za-z0-9+/]{16}\n$/);
    expect(await sh(s, "openssl x509 -in jane.crt -bogus")).toMatchObject({
      stderr: "x509: Unknown option or message digest: bogus\nx509: Use -help for summary.\n",
      exitCode: 1,
    });
    expect(await sh(s, "openssl bogus")).toMatchObject({ stderr: "Invalid command 'bogus'; type \"help\" for a list.\n", exitCode: 1 });
    expect((await sh(s, "openssl x509 -in nosuch -noout")).stderr).toMatch(
      /^Could not open file or uri for loading certificate from nosuch\n/,
    );
    expect((await sh(s, "openssl req -new -key ec.key")).stderr).toContain("-subj");
  });
});
