/**
 * The practice API server's TLS identity: one CA that every downloaded kubeconfig trusts, and a
 * serving certificate for the configured host. The CA comes from PRACTICE_API_CA_CERT/KEY (share it
 * between app instances) or is generated once into DATA_DIR/practice-api/.
 */
import fs from "node:fs";
import path from "node:path";
import crypto from "node:crypto";
import { createServingIdentity, type ServingIdentity } from "../practice-api";
import { createCertificateAuthority } from "../k8s/pki";
import type { Env } from "../env";

const DAY_MS = 86_400_000;
/**
 * The simulated kubectl in the web terminal checks this certificate at the scenario's clock, which
 * may be in the past or moved years ahead; real kubectl checks it at the wall clock. The practice
 * CA and serving certificate are therefore valid from 2000 until twenty years from now.
 */
const VALID_FROM = new Date("2000-01-01T00:00:00Z");
const VALID_YEARS = 20;

function folder(env: Env): string {
  return path.join(env.dataDir, "practice-api");
}

function write(file: string, content: string, mode: number): void {
  fs.writeFileSync(file, content, { mode });
  fs.chmodSync(file, mode);
}

function servingCovers(certPem: string, host: string): boolean {
  try {
    const cert = new crypto.X509Certificate(certPem);
    const fresh = new Date(cert.validTo).getTime() - Date.now() > 365 * DAY_MS && new Date(cert.validFrom) <= VALID_FROM;
    return fresh && (cert.checkHost(host) !== undefined || cert.checkIP(host) !== undefined);
  } catch {
    return false;
  }
}

/** Creates what is missing (CA, serving certificate for the host); run at start by scripts/prepare.ts. */
export async function ensurePracticeIdentity(env: Env): Promise<ServingIdentity> {
  const dir = folder(env);
  fs.mkdirSync(dir, { recursive: true, mode: 0o700 });
  const caCertFile = path.join(dir, "ca.crt");
  const caKeyFile = path.join(dir, "ca.key");
  let ca = env.practiceApi.ca;
  if (!ca) {
    if (!fs.existsSync(caCertFile) || !fs.existsSync(caKeyFile)) {
      const created = await createCertificateAuthority({
        commonName: "kubeprep-practice-ca",
        keyAlgorithm: "ECDSA",
        notBefore: VALID_FROM,
        notAfter: new Date(Date.now() + (VALID_YEARS * 365 + 1) * DAY_MS),
      });
      write(caKeyFile, created.keyPem, 0o600);
      write(caCertFile, created.certPem, 0o644);
    }
    ca = { certPem: fs.readFileSync(caCertFile, "utf8"), keyPem: fs.readFileSync(caKeyFile, "utf8") };
  }
  const servingCert = path.join(dir, "serving.crt");
  const servingKey = path.join(dir, "serving.key");
  const existing = fs.existsSync(servingCert) && fs.existsSync(servingKey) ? fs.readFileSync(servingCert, "utf8") : undefined;
  const caCertPath = path.join(dir, "serving-ca.crt");
  const sameCa = fs.existsSync(caCertPath) && fs.readFileSync(caCertPath, "utf8") === ca.certPem;
  if (!existing || !sameCa || !servingCovers(existing, env.practiceApi.host)) {
    const validDays = Math.floor((Date.now() - VALID_FROM.getTime()) / DAY_MS) + VALID_YEARS * 365;
    const identity = await createServingIdentity({
      ca,
      hostNames: [env.practiceApi.host],
      now: new Date(VALID_FROM.getTime() + 3600_000),
      validDays,
    });
    write(servingKey, identity.keyPem, 0o600);
    write(servingCert, identity.certPem, 0o644);
    write(caCertPath, ca.certPem, 0o644);
  }
  return readPracticeIdentity(env);
}

let cached: ServingIdentity | undefined;

/** The identity prepared at start (scenario kubeconfigs and the listener use the same one). */
export function readPracticeIdentity(env: Env): ServingIdentity {
  if (cached) return cached;
  const dir = folder(env);
  const read = (name: string) => fs.readFileSync(path.join(dir, name), "utf8");
  cached = { caCertPem: read("serving-ca.crt"), certPem: read("serving.crt"), keyPem: read("serving.key") };
  return cached;
}

/** The practice listener's URL, without a path: instances are told apart by TLS server name. */
export function practiceListenerUrl(env: Env): string {
  return `https://${env.practiceApi.host}:${env.practiceApi.port}`;
}

/** The URL a kubeconfig uses for one instance addressed by path prefix (clients without a TLS server name). */
export function practiceServerUrl(env: Env, instanceId: string): string {
  return `https://${env.practiceApi.host}:${env.practiceApi.port}/i/${instanceId}`;
}
