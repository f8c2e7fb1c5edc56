/**
 * PKCS#10 certificate signing requests: create (like `openssl req -new -key k.pem -subj /CN=jane/O=dev`),
 * parse (as the certificates.k8s.io API and the signer read them) and sign (the primitive behind
 * kube-controller-manager's kubernetes.io/kube-apiserver-client signer, spec §8).
 */
import "reflect-metadata";
import { createPublicKey } from "node:crypto";
import * as x509 from "@peculiar/x509";
import { importPublicKey, importSigningKey, publicKeyPemOf } from "./keys";
import { buildCertificate, subjectToJsonName, type CertificateAndKey, type SubjectSpec } from "./issue";
import { parsePemBlocks, derToPem } from "./pem";
import { randomBytes } from "node:crypto";
import { positiveSerialHex } from "../clock";

export async function createCertificateSigningRequest(options: {
  privateKeyPem: string;
  subject: SubjectSpec;
  dnsNames?: string[];
}): Promise<string> {
  const signing = await importSigningKey(options.privateKeyPem);
  const publicKey = await importPublicKey(publicKeyPemOf(options.privateKeyPem));
  const extensions: x509.Extension[] = [];
  if (options.dnsNames && options.dnsNames.length > 0) {
    extensions.push(new x509.SubjectAlternativeNameExtension(options.dnsNames.map((value) => ({ type: "dns" as const, value }))));
  }
  const csr = await x509.Pkcs10CertificateRequestGenerator.create({
    name: subjectToJsonName(options.subject),
    keys: { privateKey: signing.privateKey, publicKey },
    signingAlgorithm: signing.signingAlgorithm,
    extensions,
  });
  return csr.toString("pem") + "\n";
}

export interface RequestedExtensions {
  dnsNames: string[];
  ipAddresses: string[];
  emailAddresses: string[];
  uris: string[];
  /** OIDs of every requested extension, in request order. */
  oids: string[];
}

export interface ParsedCsr {
  subject: { commonName: string; organizations: string[] };
  publicKeyPem: string;
  keyAlgorithm: "RSA" | "ECDSA" | "Ed25519" | "unknown";
  signatureValid: boolean;
  extensions: RequestedExtensions;
}

export type CsrParseResult = { ok: true; csr: ParsedCsr } | { ok: false; error: string };

/**
 * Never throws. UNVERIFIED in spec: chose the error texts of k8s.io/client-go/util/cert ParseCSR
 * ("PEM block type must be CERTIFICATE REQUEST") and a Go-style x509 parse error because the spec
 * does not quote them.
 */
export async function parseCertificateSigningRequest(pem: string): Promise<CsrParseResult> {
  const block = parsePemBlocks(pem)[0];
  if (!block || block.type !== "CERTIFICATE REQUEST") return { ok: false, error: "PEM block type must be CERTIFICATE REQUEST" };
  let csr: x509.Pkcs10CertificateRequest;
  try {
    csr = new x509.Pkcs10CertificateRequest(Uint8Array.from(block.der));
  } catch {
    return { ok: false, error: "x509: malformed certificate request" };
  }
  try {
    const commonNames = csr.subjectName.getField("CN");
    const publicKeyDer = Buffer.from(csr.publicKey.rawData);
    let publicKeyPem = derToPem(publicKeyDer, "PUBLIC KEY");
    let keyAlgorithm: ParsedCsr["keyAlgorithm"] = "unknown";
    try {
      const keyObject = createPublicKey({ key: publicKeyDer, format: "der", type: "spki" });
      publicKeyPem = keyObject.export({ format: "pem", type: "spki" }).toString();
      keyAlgorithm =
        keyObject.asymmetricKeyType === "rsa"
          ? "RSA"
          : keyObject.asymmetricKeyType === "ec"
            ? "ECDSA"
            : keyObject.asymmetricKeyType === "ed25519"
              ? "Ed25519"
              : "unknown";
    } catch {
      keyAlgorithm = "unknown";
    }
    let signatureValid = false;
    try {
      signatureValid = await csr.verify();
    } catch {
      signatureValid = false;
    }
    const extensions: RequestedExtensions = { dnsNames: [], ipAddresses: [], emailAddresses: [], uris: [], oids: [] };
    for (const extension of csr.extensions) {
      extensions.oids.push(extension.type);
      if (extension instanceof x509.SubjectAlternativeNameExtension) {
        for (const name of extension.names.toJSON()) {
          if (name.type === "dns") extensions.dnsNames.push(name.value);
          else if (name.type === "ip") extensions.ipAddresses.push(name.value);
          else if (name.type === "email") extensions.emailAddresses.push(name.value);
          else if (name.type === "url") extensions.uris.push(name.value);
        }
      }
    }
    return {
      ok: true,
      csr: {
        // Go's pkix.Name keeps the last CN and every O in order.
        subject: { commonName: commonNames[commonNames.length - 1] ?? "", organizations: csr.subjectName.getField("O") },
        publicKeyPem,
        keyAlgorithm,
        signatureValid,
        extensions,
      },
    };
  } catch {
    return { ok: false, error: "x509: malformed certificate request" };
  }
}

/** certificates.k8s.io/v1 KeyUsage strings the signer understands. */
export type CsrUsage =
  | "signing"
  | "digital signature"
  | "content commitment"
  | "key encipherment"
  | "key agreement"
  | "data encipherment"
  | "cert sign"
  | "crl sign"
  | "encipher only"
  | "decipher only"
  | "any"
  | "server auth"
  | "client auth"
  | "code signing"
  | "email protection"
  | "s/mime"
  | "ipsec end system"
  | "ipsec tunnel"
  | "ipsec user"
  | "timestamping"
  | "ocsp signing"
  | "microsoft sgc"
  | "netscape sgc";

const KEY_USAGE_BITS: Partial<Record<CsrUsage, number>> = {
  signing: x509.KeyUsageFlags.digitalSignature,
  "digital signature": x509.KeyUsageFlags.digitalSignature,
  "content commitment": x509.KeyUsageFlags.nonRepudiation,
  "key encipherment": x509.KeyUsageFlags.keyEncipherment,
  "key agreement": x509.KeyUsageFlags.keyAgreement,
  "data encipherment": x509.KeyUsageFlags.dataEncipherment,
  "cert sign": x509.KeyUsageFlags.keyCertSign,
  "crl sign": x509.KeyUsageFlags.cRLSign,
  "encipher only": x509.KeyUsageFlags.encipherOnly,
  "decipher only": x509.KeyUsageFlags.decipherOnly,
};

const EXT_KEY_USAGE_OIDS: Partial<Record<CsrUsage, string>> = {
  any: "2.5.29.37.0",
  "server auth": "1.3.6.1.5.5.7.3.1",
  "client auth": "1.3.6.1.5.5.7.3.2",
  "code signing": "1.3.6.1.5.5.7.3.3",
  "email protection": "1.3.6.1.5.5.7.3.4",
  "s/mime": "1.3.6.1.5.5.7.3.4",
  "ipsec end system": "1.3.6.1.5.5.7.3.5",
  "ipsec tunnel": "1.3.6.1.5.5.7.3.6",
  "ipsec user": "1.3.6.1.5.5.7.3.7",
  timestamping: "1.3.6.1.5.5.7.3.8",
  "ocsp signing": "1.3.6.1.5.5.7.3.9",
  "microsoft sgc": "1.3.6.1.4.1.311.10.3.3",
  "netscape sgc": "2.16.840.1.113730.4.1",
};

export interface SignCsrOptions {
  issuer: CertificateAndKey;
  csrPem: string;
  notBefore: Date;
  notAfter: Date;
  usages: CsrUsage[];
  /** Hex; random 128-bit positive when omitted (the signer uses rand.Int(2^128)). */
  serialNumber?: string;
}

/**
 * Issues the certificate the way Go's CreateCertificate does for the csrsigning controller:
 * subject re-encoded in Go's RDN order (all O values in one RDN, then CN), SANs copied from the
 * request, other requested extensions dropped, CA:FALSE, key usage from `usages`, an AKID but no
 * SKID (Go generates SKIDs only for CAs). Validity and usage policy are the caller's decision.
 */
export async function signCertificateSigningRequest(
  options: SignCsrOptions,
): Promise<{ ok: true; certPem: string } | { ok: false; error: string }> {
  const parsed = await parseCertificateSigningRequest(options.csrPem);
  if (!parsed.ok) return parsed;
  if (!parsed.csr.signatureValid) {
    // Go's CertificateRequest.CheckSignature texts.
    return { ok: false, error: parsed.csr.keyAlgorithm === "RSA" ? "crypto/rsa: verification error" : "x509: ECDSA verification failure" };
  }
  const { subject, extensions: requested } = parsed.csr;
  const name: x509.JsonName = [];
  if (subject.organizations.length > 0) name.push({ O: sortLikeGoSetOf(subject.organizations) });
  if (subject.commonName !== "") name.push({ CN: [subject.commonName] });

  let keyUsage = 0;
  const extKeyUsages: string[] = [];
  for (const usage of options.usages) {
    keyUsage |= KEY_USAGE_BITS[usage] ?? 0;
    const oid = EXT_KEY_USAGE_OIDS[usage];
    if (oid && !extKeyUsages.includes(oid)) extKeyUsages.push(oid);
  }
  const certPem = await buildCertificate({
    subject: new x509.Name(name),
    subjectPublicKeyPem: parsed.csr.publicKeyPem,
    issuer: options.issuer,
    selfSigned: false,
    notBefore: options.notBefore,
    notAfter: options.notAfter,
    serialNumber: options.serialNumber ?? positiveSerialHex(new Uint8Array(randomBytes(16))),
    extensions: async () => {
      const list: x509.Extension[] = [];
      if (keyUsage !== 0) list.push(new x509.KeyUsagesExtension(keyUsage, true));
      if (extKeyUsages.length > 0) list.push(new x509.ExtendedKeyUsageExtension(extKeyUsages));
      list.push(new x509.BasicConstraintsExtension(false, undefined, true));
      const names: x509.JsonGeneralNames = [
        ...requested.dnsNames.map((value) => ({ type: "dns" as const, value })),
        ...requested.emailAddresses.map((value) => ({ type: "email" as const, value })),
        ...requested.ipAddresses.map((value) => ({ type: "ip" as const, value })),
        ...requested.uris.map((value) => ({ type: "url" as const, value })),
      ];
      if (names.length > 0) list.push(new x509.SubjectAlternativeNameExtension(names));
      return list;
    },
  });
  return { ok: true, certPem };
}

/**
 * encoding/asn1 sorts SET OF members by their DER encoding. For attribute values of one type that
 * is: shorter value first, then PrintableString before UTF8String... by tag byte, then bytewise.
 */
export function sortLikeGoSetOf(values: string[]): string[] {
  const encoded = values.map((value) => {
    const bytes = Buffer.from(value, "utf8");
    const tag = /^[A-Za-z0-9 '()+,\-./:=?*]*$/.test(value) ? 0x13 : 0x0c;
    return { value, key: Buffer.concat([Buffer.from([bytes.length > 127 ? 0xff : bytes.length, tag]), bytes]) };
  });
  return encoded.sort((a, b) => Buffer.compare(a.key, b.key)).map((entry) => entry.value);
}
