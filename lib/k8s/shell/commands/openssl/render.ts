/** OpenSSL 3.0 text layouts (`x509 -text`, `req -text`) rendered from DER with the PKI helpers. */
import "reflect-metadata";
import { createPublicKey, type KeyObject } from "node:crypto";
import * as x509 from "@peculiar/x509";
import {
  derToPem,
  describeCertificate,
  formatOpensslName,
  parseCertificateDer,
  SIGNATURE_NAMES,
  type CertificateDescription,
  type ParsedCertificate,
} from "../../../pki";

const CURVES: Record<string, { asn1: string; nist?: string; bits: number }> = {
  prime256v1: { asn1: "prime256v1", nist: "P-256", bits: 256 },
  secp384r1: { asn1: "secp384r1", nist: "P-384", bits: 384 },
  secp521r1: { asn1: "secp521r1", nist: "P-521", bits: 521 },
};

/** "aa:bb:cc:" lines of `perLine` bytes, each prefixed by `indent`; the last line has no trailing colon. */
export function hexBlock(bytes: Uint8Array, indent: string, perLine: number): string {
  const hex = [...bytes].map((b) => b.toString(16).padStart(2, "0"));
  const out: string[] = [];
  for (let i = 0; i < hex.length; i += perLine) {
    const chunk = hex.slice(i, i + perLine).join(":");
    out.push(`${indent}${chunk}${i + perLine < hex.length ? ":" : ""}`);
  }
  return out.join("\n");
}

function base64UrlToBytes(text: string | undefined): Uint8Array {
  return new Uint8Array(Buffer.from(text ?? "", "base64url"));
}

/** The "Subject Public Key Info" block at the indentation OpenSSL uses inside Data. */
export function publicKeyInfo(spkiDer: Uint8Array, indent: string): string {
  let key: KeyObject;
  try {
    key = createPublicKey({ key: Buffer.from(spkiDer), format: "der", type: "spki" });
  } catch {
    return `${indent}Subject Public Key Info:\n${indent}    Public Key Algorithm: unknown\n${indent}    Unable to load Public Key\n`;
  }
  const inner = `${indent}        `;
  const jwk = key.export({ format: "jwk" });
  if (key.asymmetricKeyType === "rsa") {
    let modulus = base64UrlToBytes(jwk.n);
    if ((modulus[0] ?? 0) & 0x80) modulus = Uint8Array.from([0, ...modulus]);
    const exponent = Number(BigInt(`0x${Buffer.from(base64UrlToBytes(jwk.e)).toString("hex") || "0"}`));
    const bits = key.asymmetricKeyDetails?.modulusLength ?? 0;
    return (
      `${indent}Subject Public Key Info:\n${indent}    Public Key Algorithm: rsaEncryption\n` +
      `${inner}Public-Key: (${bits} bit)\n${inner}Modulus:\n${hexBlock(modulus, `${inner}    `, 15)}\n` +
      `${inner}Exponent: ${exponent} (0x${exponent.toString(16)})\n`
    );
  }
  if (key.asymmetricKeyType === "ec") {
    const curve = CURVES[key.asymmetricKeyDetails?.namedCurve ?? ""] ?? {
      asn1: key.asymmetricKeyDetails?.namedCurve ?? "unknown",
      bits: 0,
    };
    const point = Uint8Array.from([4, ...base64UrlToBytes(jwk.x), ...base64UrlToBytes(jwk.y)]);
    return (
      `${indent}Subject Public Key Info:\n${indent}    Public Key Algorithm: id-ecPublicKey\n` +
      `${inner}Public-Key: (${curve.bits} bit)\n${inner}pub:\n${hexBlock(point, `${inner}    `, 15)}\n` +
      `${inner}ASN1 OID: ${curve.asn1}\n${curve.nist ? `${inner}NIST CURVE: ${curve.nist}\n` : ""}`
    );
  }
  if (key.asymmetricKeyType === "ed25519") {
    return `${indent}Subject Public Key Info:\n${indent}    Public Key Algorithm: ED25519\n${inner}ED25519 Public-Key:\n${inner}pub:\n${hexBlock(base64UrlToBytes(jwk.x), `${inner}    `, 15)}\n`;
  }
  return `${indent}Subject Public Key Info:\n${indent}    Public Key Algorithm: ${key.asymmetricKeyType ?? "unknown"}\n`;
}

const KEY_USAGE_NAMES: [number, string][] = [
  [x509.KeyUsageFlags.digitalSignature, "Digital Signature"],
  [x509.KeyUsageFlags.nonRepudiation, "Non Repudiation"],
  [x509.KeyUsageFlags.keyEncipherment, "Key Encipherment"],
  [x509.KeyUsageFlags.dataEncipherment, "Data Encipherment"],
  [x509.KeyUsageFlags.keyAgreement, "Key Agreement"],
  [x509.KeyUsageFlags.keyCertSign, "Certificate Sign"],
  [x509.KeyUsageFlags.cRLSign, "CRL Sign"],
  [x509.KeyUsageFlags.encipherOnly, "Encipher Only"],
  [x509.KeyUsageFlags.decipherOnly, "Decipher Only"],
];

const EKU_NAMES: Record<string, string> = {
  "1.3.6.1.5.5.7.3.1": "TLS Web Server Authentication",
  "1.3.6.1.5.5.7.3.2": "TLS Web Client Authentication",
  "1.3.6.1.5.5.7.3.3": "Code Signing",
  "1.3.6.1.5.5.7.3.4": "E-mail Protection",
  "1.3.6.1.5.5.7.3.8": "Time Stamping",
  "1.3.6.1.5.5.7.3.9": "OCSP Signing",
  "2.5.29.37.0": "Any Extended Key Usage",
};

const EXTENSION_NAMES: Record<string, string> = {
  "2.5.29.14": "X509v3 Subject Key Identifier",
  "2.5.29.15": "X509v3 Key Usage",
  "2.5.29.17": "X509v3 Subject Alternative Name",
  "2.5.29.19": "X509v3 Basic Constraints",
  "2.5.29.35": "X509v3 Authority Key Identifier",
  "2.5.29.37": "X509v3 Extended Key Usage",
  "2.5.29.31": "X509v3 CRL Distribution Points",
  "2.5.29.32": "X509v3 Certificate Policies",
  "1.3.6.1.5.5.7.1.1": "Authority Information Access",
};

/** Short names accepted by `-ext`. */
export const EXTENSION_SHORT_NAMES: Record<string, string> = {
  subjectKeyIdentifier: "2.5.29.14",
  keyUsage: "2.5.29.15",
  subjectAltName: "2.5.29.17",
  basicConstraints: "2.5.29.19",
  authorityKeyIdentifier: "2.5.29.35",
  extendedKeyUsage: "2.5.29.37",
};

function colonHex(bytes: ArrayBuffer | Uint8Array | string): string {
  const buffer =
    typeof bytes === "string" ? Buffer.from(bytes, "hex") : Buffer.from(bytes instanceof Uint8Array ? bytes : new Uint8Array(bytes));
  return [...buffer].map((b) => b.toString(16).padStart(2, "0").toUpperCase()).join(":");
}

function formatGeneralName(name: x509.GeneralName): string {
  switch (name.type) {
    case "dns":
      return `DNS:${name.value}`;
    case "ip":
      return `IP Address:${name.value}`;
    case "email":
      return `email:${name.value}`;
    case "url":
      return `URI:${name.value}`;
    default:
      return `othername:<unsupported>`;
  }
}

/** One extension as OpenSSL prints it: name line (`: critical` or a trailing space) and the value. */
export function renderExtension(extension: x509.Extension, indent: string): string {
  const name = EXTENSION_NAMES[extension.type] ?? extension.type;
  const header = `${indent}${name}: ${extension.critical ? "critical" : ""}\n`;
  const valueIndent = `${indent}    `;
  let value: string;
  try {
    if (extension.type === "2.5.29.19") {
      const bc = new x509.BasicConstraintsExtension(extension.rawData);
      value = `CA:${bc.ca ? "TRUE" : "FALSE"}${bc.pathLength !== undefined ? `, pathlen:${bc.pathLength}` : ""}`;
    } else if (extension.type === "2.5.29.15") {
      const ku = new x509.KeyUsagesExtension(extension.rawData);
      value = KEY_USAGE_NAMES.filter(([flag]) => (ku.usages & flag) !== 0)
        .map(([, label]) => label)
        .join(", ");
    } else if (extension.type === "2.5.29.37") {
      const eku = new x509.ExtendedKeyUsageExtension(extension.rawData);
      value = eku.usages.map((usage) => EKU_NAMES[String(usage)] ?? String(usage)).join(", ");
    } else if (extension.type === "2.5.29.14") {
      value = colonHex(new x509.SubjectKeyIdentifierExtension(extension.rawData).keyId);
    } else if (extension.type === "2.5.29.35") {
      const akid = new x509.AuthorityKeyIdentifierExtension(extension.rawData);
      value = akid.keyId ? colonHex(akid.keyId) : "";
    } else if (extension.type === "2.5.29.17") {
      value = new x509.SubjectAlternativeNameExtension(extension.rawData).names.items.map(formatGeneralName).join(", ");
    } else {
      value = hexBlock(new Uint8Array(extension.value), "", 18);
    }
  } catch {
    value = "<unparsable>";
  }
  return `${header}${valueIndent}${value}\n`;
}

export type LoadedCertificate = {
  parsed: ParsedCertificate;
  description: CertificateDescription;
  cert: x509.X509Certificate;
  der: Uint8Array;
};

export function loadCertificate(der: Uint8Array): LoadedCertificate | undefined {
  const parsed = parseCertificateDer(der);
  if (!parsed.ok) return undefined;
  const described = describeCertificate(derToPem(der, "CERTIFICATE"));
  if (!described.ok) return undefined;
  try {
    return { parsed: parsed.cert, description: described.description, cert: new x509.X509Certificate(Uint8Array.from(der)), der };
  } catch {
    return undefined;
  }
}

export function serialLine(serialHexColon: string, serialDecimal: string, indent: string): string {
  const bytes = serialHexColon.split(":").filter(Boolean);
  const value = BigInt(serialDecimal);
  if (bytes.length <= 8 && value < 2n ** 63n) return `${indent}Serial Number: ${serialDecimal} (0x${value.toString(16)})\n`;
  return `${indent}Serial Number:\n${indent}    ${serialHexColon.toLowerCase()}\n`;
}

export function renderCertificateText(loaded: LoadedCertificate): string {
  const { parsed, description, cert } = loaded;
  const version = parsed.version;
  let out = "Certificate:\n    Data:\n";
  out += `        Version: ${version} (0x${(version - 1).toString(16)})\n`;
  out += serialLine(description.serialNumberHex, description.serialNumberDecimal, "        ");
  out += `        Signature Algorithm: ${SIGNATURE_NAMES[parsed.signatureAlgorithmOid] ?? parsed.signatureAlgorithmOid}\n`;
  out += `        Issuer: ${formatOpensslName(parsed.rawIssuer)}\n`;
  out += `        Validity\n            Not Before: ${description.notBeforeText}\n            Not After : ${description.notAfterText}\n`;
  out += `        Subject: ${formatOpensslName(parsed.rawSubject)}\n`;
  out += publicKeyInfo(parsed.rawSpki, "        ");
  if (cert.extensions.length > 0) {
    out += "        X509v3 extensions:\n";
    for (const extension of cert.extensions) out += renderExtension(extension, "            ");
  }
  out += `    Signature Algorithm: ${SIGNATURE_NAMES[parsed.signatureAlgorithmOid] ?? parsed.signatureAlgorithmOid}\n`;
  out += `    Signature Value:\n${hexBlock(parsed.signature, "        ", 18)}\n`;
  return out;
}

export function renderCsrText(csr: x509.Pkcs10CertificateRequest): string {
  const rawSubject = new Uint8Array(csr.subjectName.toArrayBuffer());
  let out = "Certificate Request:\n    Data:\n        Version: 1 (0x0)\n";
  out += `        Subject: ${formatOpensslName(rawSubject)}\n`;
  out += publicKeyInfo(new Uint8Array(csr.publicKey.rawData), "        ");
  out += "        Attributes:\n";
  const extensions = csr.extensions;
  if (extensions.length === 0) out += "            (none)\n            Requested Extensions:\n";
  else {
    out += "            Requested Extensions:\n";
    for (const extension of extensions) out += renderExtension(extension, "                ");
  }
  const algorithm = csr.signatureAlgorithm as { name?: string; hash?: { name?: string } };
  const signatureName =
    algorithm.name === "ECDSA"
      ? `ecdsa-with-${(algorithm.hash?.name ?? "SHA-256").replace("-", "")}`
      : `${(algorithm.hash?.name ?? "SHA-256").replace("-", "").toLowerCase()}WithRSAEncryption`;
  out += `    Signature Algorithm: ${signatureName}\n`;
  out += `    Signature Value:\n${hexBlock(new Uint8Array(csr.signature), "        ", 18)}\n`;
  return out;
}
