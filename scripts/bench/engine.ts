/**
 * Engine benchmark: `npx tsx scripts/bench/engine.ts` (package.json: "bench:engine": "tsx scripts/bench/engine.ts").
 *
 * CPU microseconds per `handleRequest` on the practice "identities" fixture, the median of several rounds,
 * next to the bare signature check of the same credential measured in the same run:
 *   x509 GET pods (cold: the verified-credential caches are cleared before every request; warm: repeated),
 *   bearer ServiceAccount token, OIDC token, token file, anonymous /healthz, SelfSubjectReview (x509).
 * Goals: a warm request at least 10x cheaper than the cold one; a terminal command well under 10 ms.
 *
 * `--only <row>` with `--loop <seconds>` just runs one row in a loop (for `node --cpu-prof`).
 */
import "reflect-metadata";
import { X509Certificate, createPublicKey, verify as cryptoVerify, type KeyObject } from "node:crypto";
import { parseArgs } from "node:util";
import {
  handleRequest,
  restoreCluster,
  serializeCluster,
  type ApiRequest,
  type ClusterState,
  clearAuthenticationCaches,
} from "../../lib/k8s";
import { pemToDer } from "../../lib/k8s/pki";
import { createIdentitiesFixture, type FixtureIdentity } from "../../lib/practice-api/fixture";

const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 7);
const MIN_ROUND_MS = Number(process.env.BENCH_ROUND_MS ?? 200);

/**
 * Median CPU microseconds (user + system of this process) per call: the machine is shared, and CPU time
 * is what a request costs the server whatever else runs. Wall-clock figures come from practice-api.ts.
 */
async function measure(fn: () => unknown): Promise<number> {
  for (let i = 0; i < 50; i++) await fn();
  const samples: number[] = [];
  for (let round = 0; round < ROUNDS; round++) {
    let iterations = 0;
    const start = process.cpuUsage();
    let elapsedUs = 0;
    do {
      for (let i = 0; i < 10; i++) await fn();
      iterations += 10;
      const used = process.cpuUsage(start);
      elapsedUs = used.user + used.system;
    } while (elapsedUs < MIN_ROUND_MS * 1000);
    samples.push(elapsedUs / iterations);
  }
  samples.sort((a, b) => a - b);
  return samples[Math.floor(samples.length / 2)] ?? Number.NaN;
}

interface Row {
  name: string;
  /** The request handled, and the status it must get. */
  request: ApiRequest;
  status: number;
  /** Clear the verified-credential caches before each request. */
  cold?: boolean;
  /** The bare signature check of the same credential; undefined when there is none. */
  bare?: () => void;
  /** A fresh state per request (restored from its serialized form, as the web terminal does per command). */
  freshState?: () => ClusterState;
}

function identity(identities: FixtureIdentity[], name: string): FixtureIdentity {
  const found = identities.find((candidate) => candidate.name === name);
  if (found === undefined) throw new Error(`fixture identity ${name} missing`);
  return found;
}

function certRequest(who: FixtureIdentity, method: string, url: string, body?: unknown): ApiRequest {
  if (who.credential.kind !== "certificate") throw new Error(`${who.name} is not a certificate identity`);
  const der = pemToDer(who.credential.certPem);
  if (der === undefined) throw new Error(`${who.name}: bad certificate PEM`);
  return {
    method,
    url,
    headers: { accept: "application/json", ...(body === undefined ? {} : { "content-type": "application/json" }) },
    tls: true,
    peerCertificates: [der],
    ...(body === undefined ? {} : { body: new TextEncoder().encode(JSON.stringify(body)) }),
  };
}

function tokenRequest(who: FixtureIdentity, url: string): ApiRequest {
  if (who.credential.kind !== "token") throw new Error(`${who.name} is not a token identity`);
  return { method: "GET", url, headers: { accept: "application/json", authorization: `Bearer ${who.credential.token}` }, tls: true };
}

/** X509Certificate parse + verify against the CA key, as the authn benchmark's "bare" column. */
function bareCertificate(who: FixtureIdentity, caPem: string): () => void {
  if (who.credential.kind !== "certificate") throw new Error(`${who.name} is not a certificate identity`);
  const der = pemToDer(who.credential.certPem) ?? new Uint8Array();
  const caKey = new X509Certificate(caPem).publicKey;
  return () => {
    if (!new X509Certificate(der).verify(caKey)) throw new Error("bare certificate verification failed");
  };
}

/** crypto.verify of the JWS signing input with a prepared key. */
function bareJws(who: FixtureIdentity, key: KeyObject): () => void {
  if (who.credential.kind !== "token") throw new Error(`${who.name} is not a token identity`);
  const [header = "", payload = "", signature = ""] = who.credential.token.split(".");
  const alg = (JSON.parse(Buffer.from(header, "base64url").toString("utf8")) as { alg?: string }).alg;
  const input = Buffer.from(`${header}.${payload}`);
  const sig = Buffer.from(signature, "base64url");
  const options = alg === "ES256" ? { key, dsaEncoding: "ieee-p1363" as const } : key;
  return () => {
    if (!cryptoVerify("sha256", input, options, sig)) throw new Error("bare JWS verification failed");
  };
}

function rows(state: ClusterState, identities: FixtureIdentity[]): Row[] {
  const jane = identity(identities, "valid-cert");
  const sa = identity(identities, "sa-token");
  const oidc = identity(identities, "oidc-email");
  const bob = identity(identities, "static-token");
  const caPem = state.config.clientCaBundlePem;
  const saKey = createPublicKey(state.config.serviceAccount.signingKeyPem);
  const idp = state.config.identityProviders.find((candidate) => candidate.alg === "RS256");
  if (idp === undefined) throw new Error("fixture has no RS256 identity provider");
  const idpKey = createPublicKey(idp.privateKeyPem);
  const pods = "/api/v1/namespaces/default/pods";
  const selfSubjectReview = { apiVersion: "authentication.k8s.io/v1", kind: "SelfSubjectReview" };
  return [
    { name: "x509 GET pods (cold)", request: certRequest(jane, "GET", pods), status: 200, cold: true, bare: bareCertificate(jane, caPem) },
    { name: "x509 GET pods (warm)", request: certRequest(jane, "GET", pods), status: 200, bare: bareCertificate(jane, caPem) },
    {
      name: "SA token GET configmaps (cold)",
      request: tokenRequest(sa, "/api/v1/namespaces/dev/configmaps"),
      status: 200,
      cold: true,
      bare: bareJws(sa, saKey),
    },
    {
      name: "SA token GET configmaps (warm)",
      request: tokenRequest(sa, "/api/v1/namespaces/dev/configmaps"),
      status: 200,
      bare: bareJws(sa, saKey),
    },
    {
      name: "OIDC token GET pods (cold)",
      request: tokenRequest(oidc, "/api/v1/namespaces/dev/pods"),
      status: 403,
      cold: true,
      bare: bareJws(oidc, idpKey),
    },
    {
      name: "OIDC token GET pods (warm)",
      request: tokenRequest(oidc, "/api/v1/namespaces/dev/pods"),
      status: 403,
      bare: bareJws(oidc, idpKey),
    },
    { name: "token file GET pods", request: tokenRequest(bob, "/api/v1/namespaces/dev/pods"), status: 200 },
    { name: "anonymous GET /healthz", request: { method: "GET", url: "/healthz", headers: {}, tls: true }, status: 200 },
    {
      name: "SelfSubjectReview (x509)",
      request: certRequest(jane, "POST", "/apis/authentication.k8s.io/v1/selfsubjectreviews", selfSubjectReview),
      status: 201,
    },
    { name: "restored state + x509 GET pods", request: certRequest(jane, "GET", pods), status: 200, freshState: restored(state) },
  ];
}

/** A state factory restoring the serialized cluster (the restore alone is measured as its own row). */
function restored(state: ClusterState): () => ClusterState {
  const text = serializeCluster(state);
  return () => {
    const result = restoreCluster(text);
    if (!result.ok) throw new Error(result.error);
    return result.state;
  };
}

async function run(state: ClusterState, row: Row): Promise<void> {
  if (row.cold === true) clearAuthenticationCaches();
  const result = await handleRequest(row.freshState?.() ?? state, row.request);
  if (result.response.status !== row.status) {
    const body = typeof result.response.body === "string" ? result.response.body : Buffer.from(result.response.body).toString("utf8");
    throw new Error(`${row.name}: expected ${row.status}, got ${result.response.status} ${body.slice(0, 300)}`);
  }
}

async function main(): Promise<void> {
  const { values } = parseArgs({ options: { only: { type: "string" }, loop: { type: "string", default: "10" } } });
  const { state, identities } = await createIdentitiesFixture();
  const all = rows(state, identities);

  if (values.only !== undefined) {
    const wanted = values.only.toLowerCase();
    const row = all.find((candidate) => candidate.name.toLowerCase().includes(wanted));
    if (row === undefined) throw new Error(`no row matches ${values.only}`);
    const deadline = performance.now() + Number(values.loop) * 1000;
    let count = 0;
    while (performance.now() < deadline) {
      await run(state, row);
      count += 1;
    }
    console.log(`${row.name}: ${count} requests`);
    return;
  }

  console.log(
    `engine benchmark: CPU µs per handleRequest, median of ${ROUNDS} rounds of >= ${MIN_ROUND_MS} ms CPU (node ${process.version})\n`,
  );
  const header = ["request", "engine µs", "req/s", "bare sig µs", "engine/bare"];
  const lines: string[][] = [];
  const byName = new Map<string, number>();
  for (const row of all) {
    await run(state, row);
    const engineUs = await measure(() => run(state, row));
    byName.set(row.name, engineUs);
    const bareUs = row.bare === undefined ? undefined : await measure(row.bare);
    if (row.freshState !== undefined) {
      const restoreUs = await measure(row.freshState);
      lines.push(["  (restoreCluster alone)", restoreUs.toFixed(1), Math.round(1e6 / restoreUs).toString(), "-", "-"]);
    }
    lines.push([
      row.name,
      engineUs.toFixed(1),
      Math.round(1e6 / engineUs).toString(),
      bareUs === undefined ? "-" : bareUs.toFixed(1),
      bareUs === undefined ? "-" : `${(engineUs / bareUs).toFixed(2)}x`,
    ]);
  }
  const widths = header.map((h, i) => Math.max(h.length, ...lines.map((line) => (line[i] ?? "").length)));
  const format = (cells: string[]): string => cells.map((cell, i) => cell.padEnd(widths[i] ?? 0)).join("  ");
  console.log(format(header));
  console.log(widths.map((w) => "-".repeat(w)).join("  "));
  for (const line of lines) console.log(format(line));
  console.log("");
  for (const kind of ["x509 GET pods", "SA token GET configmaps", "OIDC token GET pods"]) {
    const cold = byName.get(`${kind} (cold)`);
    const warm = byName.get(`${kind} (warm)`);
    if (cold !== undefined && warm !== undefined) console.log(`${kind}: warm is ${(cold / warm).toFixed(1)}x cheaper than cold`);
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
