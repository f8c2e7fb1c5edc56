/** Certificate authorities and certificates, built with @peculiar/x509 (real DER that openssl and Node accept). */
import "reflect-metadata";
import { randomBytes } from "node:crypto";
import * as x509 from "@peculiar/x509";
import { positiveSerialHex } from "../clock";
import { generateKeyPair, importPublicKey, importSigningKey, publicKeyPemOf, type KeyAlgorithm } from "./keys";

export interface CertificateAndKey {
  certPem: string;
  keyPem: string;
}

export interface SubjectSpec {
  commonName?: string;
  organizations?: string[];
}

export type ExtKeyUsageName = "clientAuth" | "serverAuth" | "any";

export type KeyUsageName =
  "digitalSignature" | "nonRepudiation" | "keyEncipherment" | "dataEncipherment" | "keyAgreement" | "keyCertSign" | "cRLSign";

const EKU_OIDS: Record<ExtKeyUsageName, string> = {
  clientAuth: "1.3.6.1.5.5.7.3.2",
  serverAuth: "1.3.6.1.5.5.7.3.1",
  any: "2.5.29.37.0",
};

/** Subject in openssl `-subj "/CN=jane/O=a/O=b"` order: one RDN per value, CN first. */
export function subjectToJsonName(subject: SubjectSpec): x509.JsonName {
  const name: x509.JsonName = [];
  if (subject.commonName !== undefined) name.push({ CN: [subject.commonName] });
  for (const organization of subject.organizations ?? []) name.push({ O: [organization] });
  return name;
}

function serialOrRandom(serialNumber: string | undefined): string {
  if (serialNumber !== undefined) return serialNumber.replace(/^0x/i, "");
  return positiveSerialHex(new Uint8Array(randomBytes(16)));
}

export interface CreateCertificateAuthorityOptions {
  commonName: string;
  keyAlgorithm: KeyAlgorithm;
  notBefore: Date;
  notAfter: Date;
  /** Hex. Random positive when omitted. */
  serialNumber?: string;
  /** Sign with another CA (an intermediate) instead of self-signing. */
  issuer?: CertificateAndKey;
  /** Path length constraint; omitted means none. */
  pathLength?: number;
  organizations?: string[];
}

/** A CA like kubeadm's: basicConstraints CA:TRUE (critical), keyUsage digitalSignature+keyEncipherment+keyCertSign, SKID. */
export async function createCertificateAuthority(options: CreateCertificateAuthorityOptions): Promise<CertificateAndKey> {
  const keys = generateKeyPair(options.keyAlgorithm);
  const issued = await buildCertificate({
    subject: { commonName: options.commonName, organizations: options.organizations },
    subjectPublicKeyPem: keys.publicKeyPem,
    issuer: options.issuer ?? { certPem: "", keyPem: keys.privateKeyPem },
    selfSigned: options.issuer === undefined,
    notBefore: options.notBefore,
    notAfter: options.notAfter,
    serialNumber: options.serialNumber,
    extensions: async (publicKey) => [
      new x509.BasicConstraintsExtension(true, options.pathLength, true),
      new x509.KeyUsagesExtension(
        x509.KeyUsageFlags.digitalSignature | x509.KeyUsageFlags.keyEncipherment | x509.KeyUsageFlags.keyCertSign,
        true,
      ),
      await x509.SubjectKeyIdentifierExtension.create(publicKey),
    ],
  });
  return { certPem: issued, keyPem: keys.privateKeyPem };
}

export interface IssueCertificateOptions {
  issuer: CertificateAndKey;
  subject: SubjectSpec;
  /** Certify this key; otherwise a new key of `keyAlgorithm` (default ECDSA) is generated and returned. */
  publicKeyPem?: string;
  keyAlgorithm?: KeyAlgorithm;
  notBefore: Date;
  notAfter: Date;
  /** Default ["clientAuth"]; "omit" leaves the extension out entirely. */
  extKeyUsage?: ExtKeyUsageName[] | "omit";
  /** Default ["digitalSignature", "keyEncipherment"]; [] leaves the extension out. */
  keyUsage?: KeyUsageName[];
  dnsNames?: string[];
  ipAddresses?: string[];
  /** Hex. Random positive when omitted. */
  serialNumber?: string;
  /** Add a Subject Key Identifier (openssl does; Go's CreateCertificate does only for CAs). Default true. */
  subjectKeyIdentifier?: boolean;
  /** Mark the certificate as a CA (basicConstraints CA:TRUE). Default false: CA:FALSE, critical. */
  isCA?: boolean;
  /** Leave basicConstraints out entirely (a v3 certificate Go then refuses as a parent). */
  omitBasicConstraints?: boolean;
}

export interface IssuedCertificate {
  certPem: string;
  /** Present when the key was generated here. */
  keyPem?: string;
}

export async function issueCertificate(options: IssueCertificateOptions): Promise<IssuedCertificate> {
  let keyPem: string | undefined;
  let publicKeyPem = options.publicKeyPem;
  if (publicKeyPem === undefined) {
    const keys = generateKeyPair(options.keyAlgorithm ?? "ECDSA");
    keyPem = keys.privateKeyPem;
    publicKeyPem = keys.publicKeyPem;
  }
  const certPem = await buildCertificate({
    subject: options.subject,
    subjectPublicKeyPem: publicKeyPem,
    issuer: options.issuer,
    selfSigned: false,
    notBefore: options.notBefore,
    notAfter: options.notAfter,
    serialNumber: options.serialNumber,
    extensions: async (publicKey) => {
      const extensions: x509.Extension[] = [];
      if (!options.omitBasicConstraints) extensions.push(new x509.BasicConstraintsExtension(options.isCA ?? false, undefined, true));
      const keyUsage = keyUsageFlags(options.keyUsage ?? ["digitalSignature", "keyEncipherment"]);
      if (keyUsage !== 0) extensions.push(new x509.KeyUsagesExtension(keyUsage, true));
      const eku = options.extKeyUsage ?? ["clientAuth"];
      if (eku !== "omit") extensions.push(new x509.ExtendedKeyUsageExtension(eku.map((usage) => EKU_OIDS[usage])));
      if (options.subjectKeyIdentifier ?? true) extensions.push(await x509.SubjectKeyIdentifierExtension.create(publicKey));
      const names: x509.JsonGeneralNames = [
        ...(options.dnsNames ?? []).map((value) => ({ type: "dns" as const, value })),
        ...(options.ipAddresses ?? []).map((value) => ({ type: "ip" as const, value })),
      ];
      if (names.length > 0) extensions.push(new x509.SubjectAlternativeNameExtension(names));
      return extensions;
    },
  });
  return keyPem === undefined ? { certPem } : { certPem, keyPem };
}

export function keyUsageFlags(names: KeyUsageName[]): number {
  let flags = 0;
  for (const name of names) flags |= x509.KeyUsageFlags[name];
  return flags;
}

interface BuildCertificateOptions {
  subject: SubjectSpec | x509.Name;
  subjectPublicKeyPem: string;
  issuer: CertificateAndKey;
  selfSigned: boolean;
  notBefore: Date;
  notAfter: Date;
  serialNumber?: string;
  extensions: (publicKey: CryptoKey) => Promise<x509.Extension[]>;
}

/** Shared by CAs, leaf certificates and the CSR signer. Returns PEM. */
export async function buildCertificate(options: BuildCertificateOptions): Promise<string> {
  const signing = await importSigningKey(options.issuer.keyPem);
  const publicKey = await importPublicKey(options.subjectPublicKeyPem);
  const subjectName = options.subject instanceof x509.Name ? options.subject : new x509.Name(subjectToJsonName(options.subject));
  const extensions = await options.extensions(publicKey);
  let issuerName = subjectName;
  if (!options.selfSigned) {
    const issuerCert = new x509.X509Certificate(options.issuer.certPem);
    // Reuse the issuer's own encoded subject so RawIssuer == parent RawSubject byte for byte (Go compares bytes).
    issuerName = new x509.Name(issuerCert.subjectName.toArrayBuffer());
    const skid = issuerCert.getExtension(x509.SubjectKeyIdentifierExtension);
    if (skid) extensions.push(new x509.AuthorityKeyIdentifierExtension(skid.keyId));
  } else {
    const skid = extensions.find((extension) => extension instanceof x509.SubjectKeyIdentifierExtension);
    if (skid instanceof x509.SubjectKeyIdentifierExtension) extensions.push(new x509.AuthorityKeyIdentifierExtension(skid.keyId));
  }
  // Fail early with a clear message when the issuer key does not belong to the issuer certificate.
  if (!options.selfSigned) publicKeyPemOf(options.issuer.keyPem);
  const certificate = await x509.X509CertificateGenerator.create({
    serialNumber: serialOrRandom(options.serialNumber),
    subject: subjectName,
    issuer: issuerName,
    notBefore: options.notBefore,
    notAfter: options.notAfter,
    publicKey,
    signingKey: signing.privateKey,
    signingAlgorithm: signing.signingAlgorithm,
    extensions,
  });
  return certificate.toString("pem") + "\n";
}
