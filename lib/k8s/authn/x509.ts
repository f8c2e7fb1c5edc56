/**
 * Client-certificate authentication as kube-apiserver 1.32 does it (spec §1.2-1.4):
 * k8s.io/apiserver/pkg/authentication/request/x509 on top of Go's x509.Verify.
 */
import type { ApiRequest, AuthnContext, AuthnOutcome, Authenticator } from "../types";
import { certificatesFromPem } from "../pki/pem";
import { OID, columnSeparatedHex, parseCertificateDer, serialNumberOf, sha256Hex, type ParsedCertificate } from "../pki/certificate";
import { CertPool, verifyCertificate } from "../pki/go-verify";

const CREDENTIAL_ID_KEY = "authentication.kubernetes.io/credential-id";

export interface X509AuthenticatorOptions {
  /** Contents of --client-ca-file (one or more PEM certificates). */
  clientCaBundlePem: string;
}

export interface X509Authenticator extends Authenticator {
  /** Number of CA certificates parsed from the bundle (0 means "intentionally empty": no opinion). */
  readonly caCount: number;
}

/** `SN=<decimal>, SKID=<AA:..>, AKID=<AA:..>` exactly as x509.go certificateIdentifier prints it. */
export function certificateIdentifier(cert: ParsedCertificate): string {
  return `SN=${serialNumberOf(cert).toString()}, SKID=${columnSeparatedHex(cert.subjectKeyId)}, AKID=${columnSeparatedHex(cert.authorityKeyId)}`;
}

export function createX509Authenticator(options: X509AuthenticatorOptions): X509Authenticator {
  // Parse the bundle once: every request reuses the pool and the CA public keys.
  const roots = new CertPool();
  for (const der of certificatesFromPem(options.clientCaBundlePem)) {
    const parsed = parseCertificateDer(der);
    // The apiserver refuses to start on an unparsable --client-ca-file; here a bad block is skipped.
    if (parsed.ok) roots.addCert(parsed.cert);
  }

  return {
    name: "x509",
    caCount: roots.size,
    async authenticate(request: ApiRequest, context: AuthnContext): Promise<AuthnOutcome> {
      return authenticateWithPool(roots, request, context);
    },
  };
}

function authenticateWithPool(roots: CertPool, request: ApiRequest, context: AuthnContext): AuthnOutcome {
  const peers = request.peerCertificates ?? [];
  if (!request.tls || peers.length === 0) return { kind: "no-opinion", reason: "no client certificate presented" };
  if (roots.size === 0) return { kind: "no-opinion", reason: "client CA bundle is empty" };

  const parsed: ParsedCertificate[] = [];
  for (const der of peers) {
    const result = parseCertificateDer(der);
    // Go's TLS stack parses every peer certificate during the handshake and aborts on failure,
    // so a real apiserver never sees these; the simulation reports the handshake's reason.
    if (!result.ok) return { kind: "error", error: `tls: failed to parse client certificate: ${result.error}` };
    parsed.push(result.cert);
  }
  const [leaf, ...rest] = parsed;
  if (!leaf) return { kind: "no-opinion", reason: "no client certificate presented" };

  let intermediates: CertPool | undefined;
  if (rest.length > 0) {
    intermediates = new CertPool();
    for (const cert of rest) intermediates.addCert(cert);
  }

  const verified = verifyCertificate(leaf, { roots, intermediates, currentTime: context.now, keyUsages: [OID.clientAuth] });
  if (!verified.ok) {
    return { kind: "error", error: `verifying certificate ${certificateIdentifier(leaf)} failed: ${verified.error}` };
  }

  // CommonNameUserConversion, per chain; every chain starts with the same leaf, so the first decides.
  for (const chain of verified.chains) {
    const subject = chain[0];
    if (!subject || subject.subjectCommonName.length === 0) continue;
    return {
      kind: "user",
      user: {
        name: subject.subjectCommonName,
        uid: "",
        groups: [...subject.subjectOrganizations],
        extra: { [CREDENTIAL_ID_KEY]: [`X509SHA256=${sha256Hex(subject.raw)}`] },
      },
      validUntil: earliestNotAfter(chain),
    };
  }
  // Empty CN: "not ok, no error" and the aggregate of no errors is nil, so: no opinion.
  return { kind: "no-opinion", reason: "client certificate has an empty common name" };
}

/**
 * The leaf's notAfter, or an earlier one from the verified chain: what the apiserver's own
 * verification cache uses (calculateCacheUntil), so a cached success never outlives its CA.
 */
function earliestNotAfter(chain: ParsedCertificate[]): Date {
  let earliest = chain[0]?.notAfter ?? new Date(0);
  for (const cert of chain) if (cert.notAfter.getTime() < earliest.getTime()) earliest = cert.notAfter;
  return earliest;
}
