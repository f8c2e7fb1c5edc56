/**
 * A structured view of a certificate with the strings OpenSSL 3 prints, so the simulated
 * `openssl x509 -noout -text` / `-subject` can render from it.
 */
import { X509Certificate } from "node:crypto";
import { OID, columnSeparatedHex, parseCertificateDer, serialNumberOf } from "./certificate";
import { TAG, children, content, decodeOid, decodeString, expectTag, readNode, type DerNode } from "./der";
import { pemToDer } from "./pem";

export interface CertificateDescription {
  /** e.g. "CN = jane, O = dev-team" (OpenSSL 3 default name format). */
  subject: string;
  issuer: string;
  serialNumberHex: string;
  serialNumberDecimal: string;
  notBefore: Date;
  notAfter: Date;
  /** OpenSSL's "Jun  1 12:00:00 2025 GMT". */
  notBeforeText: string;
  notAfterText: string;
  subjectKeyId?: string;
  authorityKeyId?: string;
  isCA: boolean;
  pathLength?: number;
  keyUsage: string[];
  /** OpenSSL names: "TLS Web Client Authentication", "TLS Web Server Authentication", "Any Extended Key Usage", or the OID. */
  extendedKeyUsage: string[];
  keyType: "RSA" | "EC" | "ED25519" | "unknown";
  keySize?: number;
  curve?: string;
  subjectAltNames: string[];
  /** "AA:BB:..." upper case, as `openssl x509 -fingerprint -sha256` prints. */
  sha256Fingerprint: string;
  signatureAlgorithm: string;
}

const SHORT_NAMES: Record<string, string> = {
  "2.5.4.3": "CN",
  "2.5.4.6": "C",
  "2.5.4.7": "L",
  "2.5.4.8": "ST",
  "2.5.4.10": "O",
  "2.5.4.11": "OU",
  "2.5.4.5": "serialNumber",
  "1.2.840.113549.1.9.1": "emailAddress",
  "0.9.2342.19200300.100.1.25": "DC",
  "0.9.2342.19200300.100.1.1": "UID",
};

const EKU_NAMES: Record<string, string> = {
  [OID.serverAuth]: "TLS Web Server Authentication",
  [OID.clientAuth]: "TLS Web Client Authentication",
  [OID.anyExtendedKeyUsage]: "Any Extended Key Usage",
  "1.3.6.1.5.5.7.3.3": "Code Signing",
  "1.3.6.1.5.5.7.3.4": "E-mail Protection",
  "1.3.6.1.5.5.7.3.8": "Time Stamping",
  "1.3.6.1.5.5.7.3.9": "OCSP Signing",
};

const KEY_USAGE_NAMES = [
  "Digital Signature",
  "Non Repudiation",
  "Key Encipherment",
  "Data Encipherment",
  "Key Agreement",
  "Certificate Sign",
  "CRL Sign",
  "Encipher Only",
  "Decipher Only",
];

/** OpenSSL's names for signature algorithm OIDs. */
export const SIGNATURE_NAMES: Record<string, string> = {
  "1.2.840.113549.1.1.5": "sha1WithRSAEncryption",
  "1.2.840.113549.1.1.11": "sha256WithRSAEncryption",
  "1.2.840.113549.1.1.12": "sha384WithRSAEncryption",
  "1.2.840.113549.1.1.13": "sha512WithRSAEncryption",
  "1.2.840.113549.1.1.10": "rsassaPss",
  "1.2.840.10045.4.3.2": "ecdsa-with-SHA256",
  "1.2.840.10045.4.3.3": "ecdsa-with-SHA384",
  "1.2.840.10045.4.3.4": "ecdsa-with-SHA512",
  "1.3.101.112": "ED25519",
};

const CURVE_NAMES: Record<string, string> = { prime256v1: "prime256v1", secp384r1: "secp384r1", secp521r1: "secp521r1" };

export type DescribeResult = { ok: true; description: CertificateDescription } | { ok: false; error: string };

/** Never throws; "unable to load certificate" is openssl's own wording for unreadable input. */
export function describeCertificate(pem: string): DescribeResult {
  try {
    return describeOrThrow(pem);
  } catch {
    // node:crypto throws from getters such as publicKey for keys it cannot decode.
    return { ok: false, error: "unable to load certificate" };
  }
}

function describeOrThrow(pem: string): DescribeResult {
  const der = pemToDer(pem, "CERTIFICATE");
  if (!der) return { ok: false, error: "unable to load certificate" };
  const parsed = parseCertificateDer(der);
  if (!parsed.ok) return { ok: false, error: "unable to load certificate" };
  let node: X509Certificate;
  try {
    node = new X509Certificate(der);
  } catch {
    return { ok: false, error: "unable to load certificate" };
  }
  const cert = parsed.cert;
  const keyDetails = node.publicKey.asymmetricKeyDetails ?? {};
  const keyTypeRaw = node.publicKey.asymmetricKeyType;
  const keyType: CertificateDescription["keyType"] =
    keyTypeRaw === "rsa" ? "RSA" : keyTypeRaw === "ec" ? "EC" : keyTypeRaw === "ed25519" ? "ED25519" : "unknown";
  const curve = keyDetails.namedCurve ? (CURVE_NAMES[keyDetails.namedCurve] ?? keyDetails.namedCurve) : undefined;
  const keySize =
    keyDetails.modulusLength ?? (curve === "prime256v1" ? 256 : curve === "secp384r1" ? 384 : curve === "secp521r1" ? 521 : undefined);
  const keyUsage = KEY_USAGE_NAMES.filter((_name, bit) => (cert.keyUsage & (1 << bit)) !== 0);
  const description: CertificateDescription = {
    subject: formatOpensslName(cert.rawSubject),
    issuer: formatOpensslName(cert.rawIssuer),
    serialNumberHex: opensslSerialHex(serialNumberOf(cert)),
    serialNumberDecimal: serialNumberOf(cert).toString(),
    notBefore: cert.notBefore,
    notAfter: cert.notAfter,
    notBeforeText: opensslTime(cert.notBefore),
    notAfterText: opensslTime(cert.notAfter),
    isCA: cert.isCA,
    keyUsage,
    extendedKeyUsage: cert.extKeyUsageOids.map((oid) => EKU_NAMES[oid] ?? oid),
    keyType,
    subjectAltNames: node.subjectAltName ? node.subjectAltName.split(", ") : [],
    sha256Fingerprint: node.fingerprint256,
    signatureAlgorithm: SIGNATURE_NAMES[cert.signatureAlgorithmOid] ?? cert.signatureAlgorithmOid,
  };
  if (cert.subjectKeyId.length > 0) description.subjectKeyId = columnSeparatedHex(cert.subjectKeyId);
  if (cert.authorityKeyId.length > 0) description.authorityKeyId = columnSeparatedHex(cert.authorityKeyId);
  if (cert.maxPathLen >= 0) description.pathLength = cert.maxPathLen;
  if (keySize !== undefined) description.keySize = keySize;
  if (curve !== undefined) description.curve = curve;
  return { ok: true, description };
}

/**
 * OpenSSL 3's default one-line name: "CN = jane, O = dev-team", multi-valued RDNs joined by " + ".
 * UNVERIFIED in spec: chose to double-quote values containing , + ; < > \ " or edge spaces,
 * following ASN1_STRFLGS_ESC_QUOTE, because the spec does not show such a name.
 */
export function formatOpensslName(rawName: Uint8Array): string {
  try {
    const rdns: string[] = [];
    for (const rdn of children(rawName, expectTag(readNode(rawName, 0), TAG.SEQUENCE))) {
      const values = children(rawName, rdn).map((atv) => formatAttribute(rawName, atv));
      rdns.push(values.join(" + "));
    }
    return rdns.join(", ");
  } catch {
    return "";
  }
}

function formatAttribute(raw: Uint8Array, atv: DerNode): string {
  const [typeNode, valueNode] = children(raw, expectTag(atv, TAG.SEQUENCE));
  const oid = decodeOid(content(raw, expectTag(typeNode, TAG.OID)));
  let value = "";
  if (valueNode) {
    try {
      value = decodeString(raw, valueNode);
    } catch {
      value = Buffer.from(content(raw, valueNode)).toString("latin1");
    }
  }
  const needsQuotes = /[,+;<>"\\]/.test(value) || /^\s|\s$/.test(value);
  const shown = needsQuotes ? `"${value.replace(/(["\\])/g, "\\$1")}"` : value;
  return `${SHORT_NAMES[oid] ?? oid} = ${shown}`;
}

/** openssl prints small serials in decimal with hex, big ones as colon-separated hex. */
function opensslSerialHex(serial: bigint): string {
  let hex = (serial < 0n ? -serial : serial).toString(16);
  if (hex.length % 2 === 1) hex = `0${hex}`;
  return (hex.match(/../g) ?? []).join(":");
}

const MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];

export function opensslTime(date: Date): string {
  const pad = (n: number): string => String(n).padStart(2, "0");
  const day = String(date.getUTCDate()).padStart(2, " ");
  return `${MONTHS[date.getUTCMonth()] ?? "Jan"} ${day} ${pad(date.getUTCHours())}:${pad(date.getUTCMinutes())}:${pad(date.getUTCSeconds())} ${date.getUTCFullYear()} GMT`;
}
