/**
 * A parsed X.509 certificate holding exactly the fields Go's crypto/x509 uses for chain
 * verification, including the raw byte ranges Go compares (RawSubject, RawIssuer, SPKI).
 */
import { createHash, createPublicKey, type KeyObject } from "node:crypto";
import {
  DerError,
  TAG,
  children,
  content,
  decodeBigInt,
  decodeOid,
  decodeSmallInt,
  decodeString,
  decodeTime,
  expectTag,
  readNode,
  whole,
  type DerNode,
} from "./der";

export const OID = {
  commonName: "2.5.4.3",
  organization: "2.5.4.10",
  subjectKeyId: "2.5.29.14",
  keyUsage: "2.5.29.15",
  subjectAltName: "2.5.29.17",
  basicConstraints: "2.5.29.19",
  nameConstraints: "2.5.29.30",
  crlDistributionPoints: "2.5.29.31",
  certificatePolicies: "2.5.29.32",
  policyMappings: "2.5.29.33",
  authorityKeyId: "2.5.29.35",
  policyConstraints: "2.5.29.36",
  extKeyUsage: "2.5.29.37",
  inhibitAnyPolicy: "2.5.29.54",
  anyExtendedKeyUsage: "2.5.29.37.0",
  serverAuth: "1.3.6.1.5.5.7.3.1",
  clientAuth: "1.3.6.1.5.5.7.3.2",
  rsaEncryption: "1.2.840.113549.1.1.1",
  ecPublicKey: "1.2.840.10045.2.1",
  ed25519: "1.3.101.112",
  sha256WithRSA: "1.2.840.113549.1.1.11",
  ecdsaWithSha256: "1.2.840.10045.4.3.2",
  ecdsaWithSha384: "1.2.840.10045.4.3.3",
} as const;

/** DER content bytes of an OID, as a latin1 string, for lookups without decoding to dotted form. */
export function oidKey(dotted: string): string {
  const parts = dotted.split(".").map(Number);
  const bytes: number[] = [];
  const encode = (value: number): void => {
    const chunk: number[] = [value & 0x7f];
    for (let v = Math.floor(value / 128); v > 0; v = Math.floor(v / 128)) chunk.unshift((v & 0x7f) | 0x80);
    bytes.push(...chunk);
  };
  encode((parts[0] ?? 0) * 40 + (parts[1] ?? 0));
  for (const part of parts.slice(2)) encode(part);
  return Buffer.from(bytes).toString("latin1");
}

const OID_BY_KEY = new Map<string, string>(Object.values(OID).map((dotted) => [oidKey(dotted), dotted]));

/** Dotted OID of an OID node: a map hit for the well-known ones, decoded otherwise. */
function oidOf(der: Uint8Array, node: DerNode): string {
  const bytes = content(der, node);
  return OID_BY_KEY.get(latin1(bytes)) ?? decodeOid(bytes);
}

/** Extensions Go's parser understands; a critical extension outside this set fails verification. */
const HANDLED_EXTENSIONS = new Set<string>([
  OID.subjectKeyId,
  OID.keyUsage,
  OID.subjectAltName,
  OID.basicConstraints,
  OID.nameConstraints,
  OID.crlDistributionPoints,
  OID.certificatePolicies,
  OID.policyMappings,
  OID.authorityKeyId,
  OID.policyConstraints,
  OID.extKeyUsage,
  OID.inhibitAnyPolicy,
]);

export type PublicKeyAlgorithm = "RSA" | "ECDSA" | "Ed25519" | "unknown";

export interface ParsedCertificate {
  raw: Uint8Array;
  rawTbs: Uint8Array;
  rawSubject: Uint8Array;
  rawIssuer: Uint8Array;
  rawSpki: Uint8Array;
  /** rawSubject / rawIssuer as latin1 strings: map keys for the pool lookups Go does by raw name. */
  subjectKey: string;
  issuerKey: string;
  version: number;
  /** Two's-complement INTEGER bytes; see serialNumberOf for the value. */
  serialBytes: Uint8Array;
  signatureAlgorithmOid: string;
  /** Parameters of the signature AlgorithmIdentifier (for RSASSA-PSS). */
  signatureAlgorithmParams?: Uint8Array;
  signature: Uint8Array;
  notBefore: Date;
  notAfter: Date;
  /** pkix.Name fill: CommonName keeps the last CN, Organization every O in order. */
  subjectCommonName: string;
  subjectOrganizations: string[];
  publicKeyAlgorithm: PublicKeyAlgorithm;
  subjectKeyId: Uint8Array;
  authorityKeyId: Uint8Array;
  basicConstraintsValid: boolean;
  isCA: boolean;
  /** -1 when absent, as in Go. */
  maxPathLen: number;
  /** Go's KeyUsage bit field (digitalSignature = 1, keyCertSign = 32, ...); 0 when absent. */
  keyUsage: number;
  /** EKU OIDs in certificate order (known and unknown alike). */
  extKeyUsageOids: string[];
  rawSubjectAltName?: Uint8Array;
  hasUnhandledCriticalExtension: boolean;
}

export type ParseResult = { ok: true; cert: ParsedCertificate } | { ok: false; error: string };

/** Never throws. The error text is Go's generic one for structurally broken DER. */
export function parseCertificateDer(der: Uint8Array): ParseResult {
  try {
    return { ok: true, cert: parseOrThrow(der) };
  } catch (error) {
    if (error instanceof DerError || error instanceof TypeError || error instanceof RangeError) {
      return { ok: false, error: "x509: malformed certificate" };
    }
    return { ok: false, error: "x509: malformed certificate" };
  }
}

function parseOrThrow(der: Uint8Array): ParsedCertificate {
  const top = expectTag(readNode(der, 0), TAG.SEQUENCE);
  if (top.end !== der.length) throw new DerError("trailing data");
  const [tbsNode, sigAlgNode, sigNode, ...rest] = children(der, top);
  if (rest.length > 0) throw new DerError("extra fields");
  const tbs = expectTag(tbsNode, TAG.SEQUENCE);
  const sigAlg = parseAlgorithmIdentifier(der, expectTag(sigAlgNode, TAG.SEQUENCE));
  const signature = bitStringBytes(der, expectTag(sigNode, TAG.BIT_STRING));

  const fields = children(der, tbs);
  let index = 0;
  let version = 1;
  if (fields[0]?.tag === 0xa0) {
    const [versionNode] = children(der, fields[0]);
    version = decodeSmallInt(content(der, expectTag(versionNode, TAG.INTEGER))) + 1;
    index = 1;
  }
  const serialBytes = content(der, expectTag(fields[index], TAG.INTEGER));
  if (serialBytes.length === 0) throw new DerError("empty serial");
  const tbsSigAlg = parseAlgorithmIdentifier(der, expectTag(fields[index + 1], TAG.SEQUENCE));
  if (tbsSigAlg.oid !== sigAlg.oid) throw new DerError("signature algorithm mismatch");
  const issuerNode = expectTag(fields[index + 2], TAG.SEQUENCE);
  const validityNode = expectTag(fields[index + 3], TAG.SEQUENCE);
  const subjectNode = expectTag(fields[index + 4], TAG.SEQUENCE);
  const spkiNode = expectTag(fields[index + 5], TAG.SEQUENCE);
  const [notBeforeNode, notAfterNode] = children(der, validityNode);
  if (!notBeforeNode || !notAfterNode) throw new DerError("bad validity");

  const subject = parseName(der, subjectNode);
  // Only the structure of the issuer matters for verification (RawIssuer is compared as bytes).
  parseName(der, issuerNode, false);
  const [spkiAlgNode] = children(der, spkiNode);
  const spkiAlg = parseAlgorithmIdentifier(der, expectTag(spkiAlgNode, TAG.SEQUENCE));

  const cert: ParsedCertificate = {
    raw: der,
    rawTbs: whole(der, tbs),
    rawSubject: whole(der, subjectNode),
    rawIssuer: whole(der, issuerNode),
    rawSpki: whole(der, spkiNode),
    subjectKey: latin1(whole(der, subjectNode)),
    issuerKey: latin1(whole(der, issuerNode)),
    version,
    serialBytes,
    signatureAlgorithmOid: sigAlg.oid,
    signatureAlgorithmParams: sigAlg.params,
    signature,
    notBefore: decodeTime(der, notBeforeNode),
    notAfter: decodeTime(der, notAfterNode),
    subjectCommonName: subject.commonName,
    subjectOrganizations: subject.organizations,
    publicKeyAlgorithm: publicKeyAlgorithmFor(spkiAlg.oid),
    subjectKeyId: new Uint8Array(0),
    authorityKeyId: new Uint8Array(0),
    basicConstraintsValid: false,
    isCA: false,
    maxPathLen: -1,
    keyUsage: 0,
    extKeyUsageOids: [],
    hasUnhandledCriticalExtension: false,
  };

  for (const field of fields.slice(index + 6)) {
    if (field.tag !== 0xa3) continue; // issuer/subject unique IDs
    const [extensionsNode] = children(der, field);
    for (const extension of children(der, expectTag(extensionsNode, TAG.SEQUENCE))) {
      applyExtension(der, extension, cert);
    }
  }
  return cert;
}

function latin1(bytes: Uint8Array): string {
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString("latin1");
}

function applyExtension(der: Uint8Array, node: DerNode, cert: ParsedCertificate): void {
  const parts = children(der, expectTag(node, TAG.SEQUENCE));
  const oid = oidOf(der, expectTag(parts[0], TAG.OID));
  let critical = false;
  let valueNode = parts[1];
  if (valueNode?.tag === TAG.BOOLEAN) {
    critical = (content(der, valueNode)[0] ?? 0) !== 0;
    valueNode = parts[2];
  }
  const value = content(der, expectTag(valueNode, TAG.OCTET_STRING));
  if (critical && !HANDLED_EXTENSIONS.has(oid)) cert.hasUnhandledCriticalExtension = true;
  switch (oid) {
    case OID.subjectKeyId:
      cert.subjectKeyId = content(value, expectTag(readNode(value, 0), TAG.OCTET_STRING));
      break;
    case OID.authorityKeyId: {
      for (const child of children(value, expectTag(readNode(value, 0), TAG.SEQUENCE))) {
        if (child.tag === 0x80) cert.authorityKeyId = content(value, child);
      }
      break;
    }
    case OID.basicConstraints: {
      cert.basicConstraintsValid = true;
      for (const child of children(value, expectTag(readNode(value, 0), TAG.SEQUENCE))) {
        if (child.tag === TAG.BOOLEAN) cert.isCA = (content(value, child)[0] ?? 0) !== 0;
        if (child.tag === TAG.INTEGER) cert.maxPathLen = decodeSmallInt(content(value, child));
      }
      break;
    }
    case OID.keyUsage: {
      const bits = bitStringBytes(value, expectTag(readNode(value, 0), TAG.BIT_STRING));
      let usage = 0;
      for (let i = 0; i < 9; i++) {
        const byte = bits[i >> 3] ?? 0;
        if (byte & (0x80 >> (i & 7))) usage |= 1 << i;
      }
      cert.keyUsage = usage;
      break;
    }
    case OID.extKeyUsage:
      cert.extKeyUsageOids = children(value, expectTag(readNode(value, 0), TAG.SEQUENCE)).map((child) =>
        oidOf(value, expectTag(child, TAG.OID)),
      );
      break;
    case OID.subjectAltName:
      cert.rawSubjectAltName = value;
      break;
    default:
      break;
  }
}

interface AlgorithmIdentifier {
  oid: string;
  params?: Uint8Array;
}

function parseAlgorithmIdentifier(der: Uint8Array, node: DerNode): AlgorithmIdentifier {
  const [oidNode, paramsNode] = children(der, node);
  const oid = oidOf(der, expectTag(oidNode, TAG.OID));
  return paramsNode && paramsNode.tag !== TAG.NULL ? { oid, params: whole(der, paramsNode) } : { oid };
}

function bitStringBytes(der: Uint8Array, node: DerNode): Uint8Array {
  const bytes = content(der, node);
  if (bytes.length === 0 || (bytes[0] ?? 0) > 7) throw new DerError("bad BIT STRING");
  return bytes.subarray(1);
}

function parseName(der: Uint8Array, node: DerNode, decodeValues = true): { commonName: string; organizations: string[] } {
  let commonName = "";
  const organizations: string[] = [];
  for (const rdn of children(der, node)) {
    for (const atv of children(der, expectTag(rdn, TAG.SET))) {
      const [typeNode, valueNode] = children(der, expectTag(atv, TAG.SEQUENCE));
      const oid = oidOf(der, expectTag(typeNode, TAG.OID));
      if (!valueNode) throw new DerError("missing attribute value");
      if (!decodeValues) continue;
      if (oid === OID.commonName) commonName = decodeString(der, valueNode);
      else if (oid === OID.organization) organizations.push(decodeString(der, valueNode));
    }
  }
  return { commonName, organizations };
}

function publicKeyAlgorithmFor(oid: string): PublicKeyAlgorithm {
  if (oid === OID.rsaEncryption) return "RSA";
  if (oid === OID.ecPublicKey) return "ECDSA";
  if (oid === OID.ed25519) return "Ed25519";
  return "unknown";
}

/** The serial as Go's *big.Int prints it with %d (decoded on demand: only error messages need it). */
export function serialNumberOf(cert: ParsedCertificate): bigint {
  return decodeBigInt(cert.serialBytes);
}

/**
 * A KeyObject per public key, kept by the key's own bytes (a bounded memo shared by every parse of
 * the same certificate: each command parses its kubeconfig's and the server's certificates afresh,
 * and building the key is most of a verification's cost).
 */
const publicKeyObjects = new Map<string, KeyObject | null>();
const PUBLIC_KEYS_KEPT = 512;

export function publicKeyObject(cert: ParsedCertificate): KeyObject | undefined {
  const spki = bytesKey(cert.rawSpki);
  let key = publicKeyObjects.get(spki);
  if (key === undefined) {
    try {
      key = createPublicKey({ key: Buffer.from(cert.rawSpki), format: "der", type: "spki" });
    } catch {
      key = null;
    }
    remember(publicKeyObjects, spki, key, PUBLIC_KEYS_KEPT);
  }
  return key ?? undefined;
}

/** Bytes as a string that can key a Map (one character per byte). */
export function bytesKey(bytes: Uint8Array): string {
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString("latin1");
}

/**
 * Longest key a memo keeps: an ordinary certificate's bytes fit many times over, while a learner's
 * oversized certificates cannot fill a worker's memory (each memo is shared by every learner whose
 * jobs run on that thread).
 */
export const MEMO_KEY_MAX_CHARS = 16 * 1024;

/**
 * Sets `key` in a memo of at most `limit` entries, forgetting the oldest entry beyond it; a key over
 * MEMO_KEY_MAX_CHARS is not kept.
 */
export function remember<V>(memo: Map<string, V>, key: string, value: V, limit: number): void {
  if (key.length > MEMO_KEY_MAX_CHARS) return;
  memo.set(key, value);
  if (memo.size > limit) {
    const oldest = memo.keys().next();
    if (oldest.done !== true) memo.delete(oldest.value);
  }
}

/** Go prints key ids as upper-case hex pairs separated by colons (x509.go columnSeparatedHex). */
export function columnSeparatedHex(bytes: Uint8Array): string {
  return (Buffer.from(bytes).toString("hex").toUpperCase().match(/../g) ?? []).join(":");
}

export function sha256Hex(bytes: Uint8Array): string {
  return createHash("sha256").update(bytes).digest("hex");
}

export function bytesEqual(a: Uint8Array, b: Uint8Array): boolean {
  return a.length === b.length && Buffer.compare(a, b) === 0;
}
