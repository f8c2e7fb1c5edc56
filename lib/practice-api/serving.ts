/**
 * TLS identities of the practice listener. A handshake that names an instance (TLS server name
 * `<id>.instances.kubeprep.internal`) gets that instance's own serving certificate, signed by its
 * cluster CA; any other handshake (no or unknown server name: clients that address an instance by the
 * `/i/<id>` path prefix) gets the listener's default certificate, signed by the practice CA.
 */
import { X509Certificate } from "node:crypto";
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
  const ca =
    options.ca ??
    (await createCertificateAuthority({
      commonName: "kubeprep-practice-ca",
      keyAlgorithm: "ECDSA",
      notBefore,
      notAfter: new Date(notAfter.getTime() + DAY_MS),
    }));
  const extraHosts = options.hostNames ?? [];
  const dnsNames = unique([
    "localhost",
    "kubernetes",
    "kubernetes.default",
    "kubernetes.default.svc",
    ...extraHosts.filter((host) => !IPV4.test(host)),
  ]);
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

/**
 * Instances are told apart by TLS server name: a kubeconfig says `tls-server-name: <id>.<domain>`
 * while its server URL names the listener's host. The domain never has to resolve: clients connect
 * to the URL's host and only send (and verify) this name in the handshake.
 */
export const INSTANCE_SERVER_DOMAIN = "instances.kubeprep.internal";

/** A DNS label: the ids that can be routed by server name (lower case, as DNS names compare). */
const LABEL = /^[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?$/;

export function instanceServerName(instanceId: string): string | undefined {
  return LABEL.test(instanceId) ? `${instanceId}.${INSTANCE_SERVER_DOMAIN}` : undefined;
}

/** The instance id a TLS server name routes to, or undefined for any other name. */
export function instanceIdFromServerName(serverName: string | undefined): string | undefined {
  if (serverName === undefined) return undefined;
  const name = serverName.toLowerCase().replace(/\.$/, "");
  const suffix = `.${INSTANCE_SERVER_DOMAIN}`;
  if (!name.endsWith(suffix)) return undefined;
  const label = name.slice(0, -suffix.length);
  return LABEL.test(label) ? label : undefined;
}

export interface InstanceServingOptions {
  /** The instance's cluster CA (kubeadm's /etc/kubernetes/pki/ca.crt and ca.key). */
  ca: { certPem: string; keyPem: string };
  /** Host names or IPv4 addresses the listener is reached at (PRACTICE_API_HOST). */
  hosts?: string[];
}

/**
 * The serving certificate an instance presents on the practice listener: signed by the instance's
 * own cluster CA, as kubeadm signs apiserver.crt with ca.key, so the kubeconfig's CA, `~/pki/ca.crt`
 * and `openssl verify` all tell one story. It covers every instance server name (a wildcard SAN),
 * the listener's host, and the names kubeadm puts in apiserver.crt. Validity is the CA's: the
 * web terminal's kubectl checks it at the scenario clock, a real kubectl at the wall clock.
 */
export async function createInstanceServing(options: InstanceServingOptions): Promise<{ certPem: string; keyPem: string }> {
  const ca = new X509Certificate(options.ca.certPem);
  const hosts = options.hosts ?? [];
  const serving = await issueCertificate({
    issuer: options.ca,
    subject: { commonName: "kube-apiserver" },
    keyAlgorithm: "ECDSA",
    notBefore: new Date(ca.validFrom),
    notAfter: new Date(ca.validTo),
    extKeyUsage: ["serverAuth"],
    dnsNames: unique([
      `*.${INSTANCE_SERVER_DOMAIN}`,
      "kubernetes",
      "kubernetes.default",
      "kubernetes.default.svc",
      "kubernetes.default.svc.cluster.local",
      "localhost",
      ...hosts.filter((host) => !IPV4.test(host)),
    ]),
    ipAddresses: unique(["127.0.0.1", "10.96.0.1", ...hosts.filter((host) => IPV4.test(host))]),
  });
  if (serving.keyPem === undefined) throw new Error("serving certificate key was not generated");
  return { certPem: serving.certPem, keyPem: serving.keyPem };
}

function unique(values: string[]): string[] {
  return [...new Set(values)];
}
