/**
 * A port of Go's crypto/x509 Certificate.Verify (Go 1.23, the toolchain of Kubernetes 1.32)
 * for the parts client-certificate authentication uses: chain building through roots and
 * intermediates, validity at a given time, CA / path-length constraints, the EKU walk and
 * Go's exact error texts. Signature checks use node:crypto.
 */
import { constants, verify as cryptoVerify, type KeyObject } from "node:crypto";
import { OID, bytesEqual, bytesKey, publicKeyObject, remember, serialNumberOf, sha256Hex, type ParsedCertificate } from "./certificate";
import { DerError, TAG, children, content, decodeOid, expectTag, readNode } from "./der";
import { goQuote } from "../go";

/** A set of certificates indexed by raw subject, like Go's x509.CertPool. */
export class CertPool {
  private readonly byName = new Map<string, ParsedCertificate[]>();
  private readonly sums = new Set<string>();
  readonly certs: ParsedCertificate[] = [];

  addCert(cert: ParsedCertificate): void {
    const sum = sha256Hex(cert.raw);
    if (this.sums.has(sum)) return;
    this.sums.add(sum);
    this.certs.push(cert);
    const list = this.byName.get(cert.subjectKey);
    if (list) list.push(cert);
    else this.byName.set(cert.subjectKey, [cert]);
  }

  get size(): number {
    return this.certs.length;
  }

  contains(cert: ParsedCertificate): boolean {
    return (this.byName.get(cert.subjectKey) ?? []).some((candidate) => bytesEqual(candidate.raw, cert.raw));
  }

  /** Go's findPotentialParents: same name, ordered by how well the key ids match. */
  findPotentialParents(cert: ParsedCertificate): ParsedCertificate[] {
    const matching: ParsedCertificate[] = [];
    const oneKeyId: ParsedCertificate[] = [];
    const mismatch: ParsedCertificate[] = [];
    for (const candidate of this.byName.get(cert.issuerKey) ?? []) {
      const skid = candidate.subjectKeyId;
      const akid = cert.authorityKeyId;
      if (bytesEqual(skid, akid)) matching.push(candidate);
      else if ((skid.length === 0 && akid.length > 0) || (skid.length > 0 && akid.length === 0)) oneKeyId.push(candidate);
      else mismatch.push(candidate);
    }
    return [...matching, ...oneKeyId, ...mismatch];
  }
}

export interface VerifyOptions {
  roots: CertPool;
  intermediates?: CertPool;
  currentTime: Date;
  /** EKU OIDs; any one suffices. Go's default (empty) means serverAuth. */
  keyUsages: string[];
}

export type VerifyResult = { ok: true; chains: ParsedCertificate[][] } | { ok: false; error: string };

const LEAF = 0;
const INTERMEDIATE = 1;
const ROOT = 2;
const MAX_CHAIN_SIGNATURE_CHECKS = 100;

export function verifyCertificate(leaf: ParsedCertificate, opts: VerifyOptions): VerifyResult {
  const leafError = isValid(leaf, LEAF, [], opts);
  if (leafError) return { ok: false, error: leafError };

  let candidateChains: ParsedCertificate[][];
  if (opts.roots.contains(leaf)) {
    candidateChains = [[leaf]];
  } else {
    const built = buildChains(leaf, [leaf], { count: 0 }, opts);
    if (built.error !== undefined) return { ok: false, error: built.error };
    candidateChains = built.chains;
  }

  const keyUsages = opts.keyUsages.length === 0 ? [OID.serverAuth] : opts.keyUsages;
  if (keyUsages.includes(OID.anyExtendedKeyUsage)) return { ok: true, chains: candidateChains };
  const chains = candidateChains.filter((chain) => checkChainForKeyUsage(chain, keyUsages));
  if (chains.length === 0) return { ok: false, error: "x509: certificate specifies an incompatible key usage" };
  return { ok: true, chains };
}

/** Go's time.RFC3339 for a UTC instant: no fractional seconds, "Z". */
export function formatRfc3339(date: Date): string {
  return date.toISOString().replace(/\.\d{3}Z$/, "Z");
}

function isValid(cert: ParsedCertificate, certType: number, currentChain: ParsedCertificate[], opts: VerifyOptions): string | undefined {
  if (cert.hasUnhandledCriticalExtension) return "x509: unhandled critical extension";
  const child = currentChain[currentChain.length - 1];
  if (child && !bytesEqual(child.rawIssuer, cert.rawSubject)) {
    return "x509: issuer name does not match subject from issuing certificate";
  }
  // Go truncates nothing: compare instants. The certificate times are whole seconds.
  const now = opts.currentTime;
  if (now.getTime() < cert.notBefore.getTime()) {
    return `x509: certificate has expired or is not yet valid: current time ${formatRfc3339(now)} is before ${formatRfc3339(cert.notBefore)}`;
  }
  if (now.getTime() > cert.notAfter.getTime()) {
    return `x509: certificate has expired or is not yet valid: current time ${formatRfc3339(now)} is after ${formatRfc3339(cert.notAfter)}`;
  }
  // UNVERIFIED in spec: chose not to enforce name constraints because client certificates carry
  // no SANs in the learning scenarios and Go only checks constraints against SANs.
  if (certType === INTERMEDIATE && (!cert.basicConstraintsValid || !cert.isCA)) {
    return "x509: certificate is not authorized to sign other certificates";
  }
  if (cert.basicConstraintsValid && cert.maxPathLen >= 0) {
    const numIntermediates = currentChain.length - 1;
    if (numIntermediates > cert.maxPathLen) return "x509: too many intermediates for path length constraint";
  }
  return undefined;
}

interface BuildResult {
  chains: ParsedCertificate[][];
  error?: string;
}

function buildChains(
  cert: ParsedCertificate,
  currentChain: ParsedCertificate[],
  sigChecks: { count: number },
  opts: VerifyOptions,
): BuildResult {
  let hintError: string | undefined;
  let hintCert: ParsedCertificate | undefined;
  let error: string | undefined;
  const chains: ParsedCertificate[][] = [];

  const considerCandidate = (certType: number, candidate: ParsedCertificate): void => {
    // Go skips candidates whose key it could not parse (PublicKey == nil) without a hint.
    if (candidate.publicKeyAlgorithm === "unknown" || alreadyInChain(candidate, currentChain)) return;
    sigChecks.count++;
    if (sigChecks.count > MAX_CHAIN_SIGNATURE_CHECKS) {
      error = "x509: signature check attempts limit reached while verifying certificate chain";
      return;
    }
    const signatureError = checkSignatureFrom(cert, candidate);
    if (signatureError) {
      if (hintError === undefined) {
        hintError = signatureError;
        hintCert = candidate;
      }
      return;
    }
    const validityError = isValid(candidate, certType, currentChain, opts);
    error = validityError;
    if (validityError) {
      if (hintError === undefined) {
        hintError = validityError;
        hintCert = candidate;
      }
      return;
    }
    if (certType === ROOT) {
      chains.push([...currentChain, candidate]);
    } else {
      const child = buildChains(candidate, [...currentChain, candidate], sigChecks, opts);
      error = child.error;
      chains.push(...child.chains);
    }
  };

  for (const root of opts.roots.findPotentialParents(cert)) considerCandidate(ROOT, root);
  for (const intermediate of opts.intermediates?.findPotentialParents(cert) ?? []) considerCandidate(INTERMEDIATE, intermediate);

  if (chains.length > 0) return { chains };
  if (error === undefined) error = unknownAuthorityError(hintError, hintCert);
  return { chains, error };
}

function unknownAuthorityError(hintError: string | undefined, hintCert: ParsedCertificate | undefined): string {
  const base = "x509: certificate signed by unknown authority";
  if (hintError === undefined || !hintCert) return base;
  const name = hintCert.subjectCommonName || hintCert.subjectOrganizations[0] || `serial:${serialNumberOf(hintCert).toString()}`;
  return `${base} (possibly because of ${goQuote(hintError)} while trying to verify candidate authority certificate ${goQuote(name)})`;
}

/** Go's alreadyInChain: same subject, same key and same SAN means "already there". */
function alreadyInChain(candidate: ParsedCertificate, chain: ParsedCertificate[]): boolean {
  return chain.some((cert) => {
    if (!bytesEqual(candidate.rawSubject, cert.rawSubject) || !bytesEqual(candidate.rawSpki, cert.rawSpki)) return false;
    if (!candidate.rawSubjectAltName && !cert.rawSubjectAltName) return true;
    if (!candidate.rawSubjectAltName || !cert.rawSubjectAltName) return false;
    return bytesEqual(candidate.rawSubjectAltName, cert.rawSubjectAltName);
  });
}

const KEY_USAGE_CERT_SIGN = 32;

/** Go's Certificate.CheckSignatureFrom. */
export function checkSignatureFrom(child: ParsedCertificate, parent: ParsedCertificate): string | undefined {
  if ((parent.version === 3 && !parent.basicConstraintsValid) || (parent.basicConstraintsValid && !parent.isCA)) {
    return "x509: invalid signature: parent certificate cannot sign this kind of certificate";
  }
  if (parent.keyUsage !== 0 && (parent.keyUsage & KEY_USAGE_CERT_SIGN) === 0) {
    return "x509: invalid signature: parent certificate cannot sign this kind of certificate";
  }
  if (parent.publicKeyAlgorithm === "unknown") return "x509: cannot verify signature: algorithm unimplemented";
  return checkSignature(child.signatureAlgorithmOid, child.signatureAlgorithmParams, child.rawTbs, child.signature, parent);
}

interface SignatureAlgorithmDetails {
  name: string;
  publicKey: "RSA" | "ECDSA" | "Ed25519";
  hash: "sha1" | "sha256" | "sha384" | "sha512" | "md5" | null;
  pss?: boolean;
}

const SIGNATURE_ALGORITHMS: Record<string, SignatureAlgorithmDetails> = {
  "1.2.840.113549.1.1.4": { name: "MD5-RSA", publicKey: "RSA", hash: "md5" },
  "1.2.840.113549.1.1.5": { name: "SHA1-RSA", publicKey: "RSA", hash: "sha1" },
  "1.2.840.113549.1.1.11": { name: "SHA256-RSA", publicKey: "RSA", hash: "sha256" },
  "1.2.840.113549.1.1.12": { name: "SHA384-RSA", publicKey: "RSA", hash: "sha384" },
  "1.2.840.113549.1.1.13": { name: "SHA512-RSA", publicKey: "RSA", hash: "sha512" },
  "1.2.840.10045.4.1": { name: "ECDSA-SHA1", publicKey: "ECDSA", hash: "sha1" },
  "1.2.840.10045.4.3.2": { name: "ECDSA-SHA256", publicKey: "ECDSA", hash: "sha256" },
  "1.2.840.10045.4.3.3": { name: "ECDSA-SHA384", publicKey: "ECDSA", hash: "sha384" },
  "1.2.840.10045.4.3.4": { name: "ECDSA-SHA512", publicKey: "ECDSA", hash: "sha512" },
  "1.3.101.112": { name: "Ed25519", publicKey: "Ed25519", hash: null },
};

const PSS_OID = "1.2.840.113549.1.1.10";
const HASH_OIDS: Record<string, "sha256" | "sha384" | "sha512"> = {
  "2.16.840.1.101.3.4.2.1": "sha256",
  "2.16.840.1.101.3.4.2.2": "sha384",
  "2.16.840.1.101.3.4.2.3": "sha512",
};

function signatureAlgorithm(oid: string, params: Uint8Array | undefined): SignatureAlgorithmDetails | undefined {
  if (oid !== PSS_OID) return SIGNATURE_ALGORITHMS[oid];
  // Go accepts PSS only with SHA-256/384/512; the default (SHA-1) parameters are unknown to it.
  if (!params) return undefined;
  try {
    const sequence = expectTag(readNode(params, 0), TAG.SEQUENCE);
    const hashField = children(params, sequence).find((node) => node.tag === 0xa0);
    if (!hashField) return undefined;
    const [algorithm] = children(params, hashField);
    const [hashOidNode] = children(params, expectTag(algorithm, TAG.SEQUENCE));
    const hash = HASH_OIDS[decodeOid(content(params, expectTag(hashOidNode, TAG.OID)))];
    return hash ? { name: `${hash.toUpperCase()}-RSAPSS`, publicKey: "RSA", hash, pss: true } : undefined;
  } catch (error) {
    if (error instanceof DerError) return undefined;
    return undefined;
  }
}

const GO_KEY_TYPES: Record<string, string> = { RSA: "*rsa.PublicKey", ECDSA: "*ecdsa.PublicKey", Ed25519: "ed25519.PublicKey" };

function checkSignature(
  oid: string,
  params: Uint8Array | undefined,
  signed: Uint8Array,
  signature: Uint8Array,
  parent: ParsedCertificate,
): string | undefined {
  const algorithm = signatureAlgorithm(oid, params);
  if (!algorithm) return "x509: cannot verify signature: algorithm unimplemented";
  if (algorithm.hash === "md5" || algorithm.hash === "sha1") {
    // Go 1.23 still printed the GODEBUG hint for SHA-1 certificate signatures.
    const hint = algorithm.hash === "sha1" ? " (temporarily override with GODEBUG=x509sha1=1)" : "";
    return `x509: cannot verify signature: insecure algorithm ${algorithm.name}${hint}`;
  }
  if (algorithm.publicKey !== parent.publicKeyAlgorithm) {
    return `x509: signature algorithm specifies an ${algorithm.publicKey} public key, but have public key of type ${GO_KEY_TYPES[parent.publicKeyAlgorithm] ?? "<nil>"}`;
  }
  const key = publicKeyObject(parent);
  if (!key) return "x509: cannot verify signature: algorithm unimplemented";
  const valid = verifiedOnce(algorithm, signed, signature, key, parent.rawSpki);
  if (valid) return undefined;
  if (algorithm.publicKey === "RSA") return "crypto/rsa: verification error";
  if (algorithm.publicKey === "ECDSA") return "x509: ECDSA verification failure";
  return "x509: Ed25519 verification failure";
}

/**
 * Signature checks already made, by everything they depend on (algorithm, key, signed bytes,
 * signature): a verification is a pure function of those, and every command verifies the same
 * certificates again (kubectl the server's chain, the apiserver the client's), as every TLS handshake
 * does. Bounded; a miss only costs the verification.
 */
const verifications = new Map<string, boolean>();
const VERIFICATIONS_KEPT = 512;

function verifiedOnce(
  algorithm: SignatureAlgorithmDetails,
  signed: Uint8Array,
  signature: Uint8Array,
  key: KeyObject,
  spki: Uint8Array,
): boolean {
  const memoKey = `${algorithm.name}\0${bytesKey(spki)}\0${bytesKey(signature)}\0${bytesKey(signed)}`;
  let valid = verifications.get(memoKey);
  if (valid === undefined) {
    valid = safeVerify(algorithm, signed, signature, key);
    remember(verifications, memoKey, valid, VERIFICATIONS_KEPT);
  }
  return valid;
}

function safeVerify(algorithm: SignatureAlgorithmDetails, signed: Uint8Array, signature: Uint8Array, key: KeyObject): boolean {
  try {
    if (algorithm.pss) {
      return cryptoVerify(
        algorithm.hash,
        signed,
        { key, padding: constants.RSA_PKCS1_PSS_PADDING, saltLength: constants.RSA_PSS_SALTLEN_DIGEST },
        signature,
      );
    }
    return cryptoVerify(algorithm.hash, signed, key, signature);
  } catch {
    return false;
  }
}

/** Go's checkChainForKeyUsage: walk from the root down, crossing out usages a certificate does not allow. */
export function checkChainForKeyUsage(chain: ParsedCertificate[], keyUsages: string[]): boolean {
  if (chain.length === 0) return false;
  const usages: (string | null)[] = [...keyUsages];
  let remaining = usages.length;
  for (let i = chain.length - 1; i >= 0; i--) {
    const cert = chain[i];
    if (!cert || cert.extKeyUsageOids.length === 0) continue;
    if (cert.extKeyUsageOids.includes(OID.anyExtendedKeyUsage)) continue;
    for (let u = 0; u < usages.length; u++) {
      const requested = usages[u];
      if (requested === null || requested === undefined) continue;
      if (cert.extKeyUsageOids.includes(requested)) continue;
      usages[u] = null;
      remaining--;
      if (remaining === 0) return false;
    }
  }
  return true;
}
