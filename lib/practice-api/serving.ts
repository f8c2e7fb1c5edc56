/**
 * The listener's TLS identity. One listener serves many instances and the TLS handshake happens before
 * the request path names one, so the serving certificate belongs to the listener, not to an instance:
 * every kubeconfig the server hands out trusts this CA.
 */
import { createCertificateAuthority, issueCertificate, type CertificateAndKey } from "../k8s/pki";

export interface ServingIdentity {
  /** What a kubeconfig puts in certificate-authority-data. */
  caCertPem: string;
  certPem: string;
  keyPem: string;
}

export interface ServingIdentityOptions {
  /** The CA that signs the serving certificate; a fresh self-signed "kubeprep-practice-ca" when omitted. */
  ca?: CertificateAndKey;
  /** DNS SANs besides "localhost" (e.g. the public host name of the practice server). */
  hostNames?: string[];
  /** IP SANs besides 127.0.0.1. */
  ipAddresses?: string[];
  /** Validity is wall-clock time: clients check it against their own clock, not the scenario clock. */
  now?: Date;
  validDays?: number;
}

const DAY_MS = 86_400_000;
const IPV4 = /^\d{1,3}(\.\d{1,3}){3}$/;

export async function createServingIdentity(options: ServingIdentityOptions = {}): Promise<ServingIdentity> {
  const now = options.now ?? new Date();
  const notBefore = new Date(now.getTime() - 3600_000);
  const notAfter = new Date(now.getTime() + (options.validDays ?? 365) * DAY_MS);
  const ca = options.ca ?? (await createCertificateAuthority({ commonName: "kubeprep-practice-ca", keyAlgorithm: "ECDSA", notBefore, notAfter: new Date(notAfter.getTime() + DAY_MS) }));
  const extraHosts = options.hostNames ?? [];
  const dnsNames = unique(["localhost", "kubernetes", "kubernetes.default", "kubernetes.default.svc", ...extraHosts.filter((host) => !IPV4.test(host))]);
  const ipAddresses = unique(["127.0.0.1", ...(options.ipAddresses ?? []), ...extraHosts.filter((host) => IPV4.test(host))]);
  const serving = await issueCertificate({
    issuer: ca,
    subject: { commonName: "kube-apiserver" },
    keyAlgorithm: "ECDSA",
    notBefore,
    notAfter,
    extKeyUsage: ["serverAuth"],
    dnsNames,
    ipAddresses,
  });
  if (serving.keyPem === undefined) throw new Error("serving certificate key was not generated");
  return { caCertPem: ca.certPem, certPem: serving.certPem, keyPem: serving.keyPem };
}

function unique(values: string[]): string[] {
  return [...new Set(values)];
}
