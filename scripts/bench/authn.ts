/**
 * Authentication benchmark: `npx tsx scripts/bench/authn.ts` (npm run bench:authn).
 *
 * For each credential type it measures, as the median of several rounds:
 *   (a) bare    - the signature check alone with node:crypto (X509Certificate.verify / crypto.verify of a JWS),
 *   (b) engine  - the engine's authenticator without a cache,
 *   (c) cached  - the engine behind lib/k8s/authn/cache.ts, repeating the same credential.
 * Goals: engine <= 1.5 x bare; cached at least 10 x cheaper than engine.
 */
import "reflect-metadata";
import { X509Certificate } from "node:crypto";
import type { ApiRequest, AuthnContext, Authenticator } from "../../lib/k8s/types";
import { createCertificateAuthority, issueCertificate } from "../../lib/k8s/pki/issue";
import { pemToDer } from "../../lib/k8s/pki/pem";
import type { KeyAlgorithm } from "../../lib/k8s/pki/keys";
import { createX509Authenticator } from "../../lib/k8s/authn/x509";
import { parseCertificateDer, publicKeyObject } from "../../lib/k8s/pki/certificate";
import { createPublicKey, verify as cryptoVerify } from "node:crypto";
import type { TokenAuthenticator } from "../../lib/k8s/types";
import { withTokenCache } from "../../lib/k8s/authn/cache";
import {
  createServiceAccountSigningKey,
  createServiceAccountTokenAuthenticator,
  issueBoundServiceAccountToken,
} from "../../lib/k8s/authn/serviceaccount";
import { createIdentityProvider, createJwtAuthenticator } from "../../lib/k8s/authn/oidc";
import { withCredentialCache } from "../../lib/k8s/authn/cache";

const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 7);
const MIN_ROUND_MS = Number(process.env.BENCH_ROUND_MS ?? 250);

export interface BenchRow {
  scenario: string;
  /** The brief's baseline: X509Certificate parse + verify, or crypto.verify of a JWS. */
  bareUs: number;
  /** The strictest baseline: only crypto.verify over pre-extracted bytes with a cached KeyObject. */
  signatureOnlyUs: number;
  engineUs: number;
  cachedUs: number;
}

/** Median microseconds per call of `fn`, each round running for at least MIN_ROUND_MS. */
async function measure(fn: () => unknown | Promise<unknown>): Promise<number> {
  // Warm up (JIT, lazily built key objects).
  for (let i = 0; i < 200; i++) await fn();
  const samples: number[] = [];
  for (let round = 0; round < ROUNDS; round++) {
    let iterations = 0;
    const start = process.hrtime.bigint();
    let elapsedNs = 0n;
    do {
      for (let i = 0; i < 50; i++) await fn();
      iterations += 50;
      elapsedNs = process.hrtime.bigint() - start;
    } while (elapsedNs < BigInt(MIN_ROUND_MS) * 1_000_000n);
    samples.push(Number(elapsedNs) / 1000 / iterations);
  }
  samples.sort((a, b) => a - b);
  return samples[Math.floor(samples.length / 2)] ?? Number.NaN;
}

async function benchX509(keyAlgorithm: KeyAlgorithm): Promise<BenchRow> {
  const notBefore = new Date("2025-01-01T00:00:00Z");
  const notAfter = new Date("2030-01-01T00:00:00Z");
  const ca = await createCertificateAuthority({ commonName: "kubernetes", keyAlgorithm, notBefore, notAfter });
  const leaf = await issueCertificate({
    issuer: ca,
    subject: { commonName: "jane", organizations: ["dev-team"] },
    keyAlgorithm: "ECDSA",
    notBefore,
    notAfter,
  });
  const leafDer = pemToDer(leaf.certPem) ?? new Uint8Array();
  const caPublicKey = new X509Certificate(ca.certPem).publicKey;
  const request: ApiRequest = { method: "GET", url: "/api", headers: {}, tls: true, peerCertificates: [leafDer] };
  const context: AuthnContext = { now: new Date("2025-06-01T00:00:00Z"), apiAudiences: [] };
  const engine: Authenticator = createX509Authenticator({ clientCaBundlePem: ca.certPem });
  const cached = withCredentialCache(engine, { generation: () => 1 });

  const check = await engine.authenticate(request, context);
  if (check.kind !== "user") throw new Error(`benchmark fixture did not authenticate: ${JSON.stringify(check)}`);

  const bareUs = await measure(() => {
    if (!new X509Certificate(leafDer).verify(caPublicKey)) throw new Error("bare verification failed");
  });
  const parsedLeaf = parseCertificateDer(leafDer);
  const parsedCa = parseCertificateDer(pemToDer(ca.certPem) ?? new Uint8Array());
  const caKey = parsedCa.ok ? publicKeyObject(parsedCa.cert) : undefined;
  if (!parsedLeaf.ok || !caKey) throw new Error("fixture parse failed");
  const { rawTbs, signature } = parsedLeaf.cert;
  const signatureOnlyUs = await measure(() => {
    if (!cryptoVerify("sha256", rawTbs, caKey, signature)) throw new Error("signature check failed");
  });
  const engineUs = await measure(() => engine.authenticate(request, context));
  const cachedUs = await measure(() => cached.authenticate(request, context));
  return { scenario: `x509 (${keyAlgorithm} CA)`, bareUs, signatureOnlyUs, engineUs, cachedUs };
}

/** Bare RS256 JWS check: crypto.verify over "header.payload" with a prepared KeyObject. */
function jwsVerifier(token: string, publicKeyPem: string): () => void {
  const [header = "", payload = "", signature = ""] = token.split(".");
  const signingInput = Buffer.from(`${header}.${payload}`);
  const signatureBytes = Buffer.from(signature, "base64url");
  const key = createPublicKey(publicKeyPem);
  return () => {
    if (!cryptoVerify("sha256", signingInput, key, signatureBytes)) throw new Error("JWS verification failed");
  };
}

async function benchToken(
  scenario: string,
  token: string,
  publicKeyPem: string,
  engine: TokenAuthenticator,
  context: AuthnContext,
): Promise<BenchRow> {
  const check = await engine.authenticateToken(token, context);
  if (check.kind !== "user") throw new Error(`${scenario} fixture did not authenticate: ${JSON.stringify(check)}`);
  const cached = withTokenCache(engine, { generation: () => 1 });
  const bare = jwsVerifier(token, publicKeyPem);
  const bareUs = await measure(bare);
  const engineUs = await measure(() => engine.authenticateToken(token, context));
  const cachedUs = await measure(() => cached.authenticateToken(token, context));
  // For a JWS the bare check already is the signature-only check.
  return { scenario, bareUs, signatureOnlyUs: bareUs, engineUs, cachedUs };
}

async function benchServiceAccount(): Promise<BenchRow> {
  const issuer = "https://kubernetes.default.svc.cluster.local";
  const now = new Date("2025-06-01T00:00:00Z");
  const key = createServiceAccountSigningKey("RS256");
  const { token } = await issueBoundServiceAccountToken({
    key,
    issuer,
    audiences: [issuer],
    expirationSeconds: 3600,
    serviceAccount: { namespace: "default", name: "builder", uid: "sa-uid" },
    now,
  });
  const engine = createServiceAccountTokenAuthenticator({
    issuers: [issuer],
    keys: [key],
    apiAudiences: [issuer],
    lookup: {
      getServiceAccount: (namespace, name) => (namespace === "default" && name === "builder" ? { uid: "sa-uid" } : undefined),
      getSecret: () => undefined,
      getPod: () => undefined,
      getNode: () => undefined,
    },
  });
  return benchToken("ServiceAccount JWT (RS256)", token, key.publicKeyPem, engine, {
    now: new Date(now.getTime() + 60_000),
    apiAudiences: [issuer],
  });
}

async function benchOidc(): Promise<BenchRow> {
  const issuer = "https://idp.example.com";
  const now = new Date("2025-06-01T00:00:00Z");
  const idp = createIdentityProvider({ issuer, alg: "RS256" });
  const token = await idp.issueIdToken({ claims: { sub: "alice", aud: "kubectl", email: "alice@example.com" }, now });
  const engine = createJwtAuthenticator(
    { issuer: { url: issuer, audiences: ["kubectl"] }, claimMappings: { username: { claim: "sub", prefix: "oidc:" } } },
    { jwks: idp.jwks(), signingAlgs: ["RS256"] },
  );
  const publicKeyPem = createPublicKey({ key: idp.state.publicJwk, format: "jwk" }).export({ format: "pem", type: "spki" }).toString();
  return benchToken("OIDC JWT (RS256)", token, publicKeyPem, engine, {
    now: new Date(now.getTime() + 60_000),
    apiAudiences: ["https://kubernetes.default.svc.cluster.local"],
  });
}

function printTable(rows: BenchRow[]): void {
  const header = [
    "scenario",
    "bare µs",
    "sig-only µs",
    "engine µs",
    "cached µs",
    "engine req/s",
    "cached req/s",
    "engine/bare",
    "engine/sig-only",
    "engine/cached",
    "goals (vs bare)",
  ];
  const lines = rows.map((row) => {
    const overhead = row.engineUs / row.bareUs;
    const speedup = row.engineUs / row.cachedUs;
    const goals = overhead <= 1.5 && speedup >= 10 ? "ok" : `MISSED${overhead > 1.5 ? " (overhead)" : ""}${speedup < 10 ? " (cache)" : ""}`;
    return [
      row.scenario,
      row.bareUs.toFixed(1),
      row.signatureOnlyUs.toFixed(1),
      row.engineUs.toFixed(1),
      row.cachedUs.toFixed(2),
      Math.round(1e6 / row.engineUs).toString(),
      Math.round(1e6 / row.cachedUs).toString(),
      `${overhead.toFixed(2)}x`,
      `${(row.engineUs / row.signatureOnlyUs).toFixed(2)}x`,
      `${speedup.toFixed(1)}x`,
      goals,
    ];
  });
  const widths = header.map((h, i) => Math.max(h.length, ...lines.map((line) => (line[i] ?? "").length)));
  const format = (cells: string[]): string => cells.map((cell, i) => cell.padEnd(widths[i] ?? 0)).join("  ");
  console.log(format(header));
  console.log(widths.map((w) => "-".repeat(w)).join("  "));
  for (const line of lines) console.log(format(line));
}

async function main(): Promise<void> {
  const rows: BenchRow[] = [];
  rows.push(await benchX509("RSA"));
  rows.push(await benchX509("ECDSA"));
  // The token rows use E2's public APIs; a failure there should not hide the x509 figures.
  for (const bench of [benchServiceAccount, benchOidc]) {
    try {
      rows.push(await bench());
    } catch (error) {
      console.error(`skipped ${bench.name}: ${error instanceof Error ? error.message : String(error)}`);
    }
  }
  console.log(`authn benchmark: median of ${ROUNDS} rounds of >= ${MIN_ROUND_MS} ms each (node ${process.version})\n`);
  printTable(rows);
}

await main();
