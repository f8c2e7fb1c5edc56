/**
 * Practice API server benchmark: `npm run bench:practice-api [-- --seconds 60 --concurrency 16]`.
 *
 * Three phases of `--seconds` each, with keep-alive HTTPS agents and `--concurrency` parallel clients:
 *   bare   - a bare Node HTTPS server with the same TLS setup (HTTP/2 + HTTP/1.1, requestCert) answering a fixed JSON;
 *   mtls   - the practice server, jane's client certificate, GET /i/fixture/api/v1/namespaces/default/pods;
 *   bearer - the practice server, the static token, GET /i/fixture/api/v1/namespaces/dev/pods.
 * Prints req/s, p50/p95 latency and errors (with their statuses) per phase, and RSS at start and end (a
 * 60 s soak must not grow). The practice server runs with THROUGHPUT_LIMITS: one instance's request
 * rate lifted (16 clients on one instance would otherwise be mostly 429s).
 */
import "reflect-metadata";
import { Agent, request } from "node:https";
import { createSecureServer } from "node:http2";
import type { AddressInfo } from "node:net";
import { readFileSync } from "node:fs";
import { pathToFileURL } from "node:url";
import { parseArgs } from "node:util";
import {
  FIXTURE_INSTANCE_ID,
  MemoryInstanceStore,
  createIdentitiesFixture,
  createServingIdentity,
  startPracticeApiServer,
  type ServingIdentity,
} from "../../lib/practice-api";

export interface PhaseResult {
  name: string;
  requests: number;
  errors: number;
  seconds: number;
  p50Ms: number;
  p95Ms: number;
  /** How the failed requests failed: HTTP status (or "network error") → count. */
  failures: Record<string, number>;
  /**
   * CPU time of this whole process (every thread: clients, server, workers) per request, in µs:
   * unlike req/s, it hardly depends on how much of the machine other processes take.
   */
  cpuUsPerRequest?: number;
  /**
   * CPU time of this process's main thread alone (the clients and the server's HTTP, TLS and
   * dispatch; not the pool's threads) per request, in µs, from /proc (Linux; undefined elsewhere).
   */
  mainThreadUsPerRequest?: number;
}

/** User + system CPU time of this process's main thread in µs, from /proc; undefined without it. */
function mainThreadCpuUs(): number | undefined {
  try {
    const stat = readFileSync(`/proc/self/task/${process.pid}/stat`, "utf8");
    // Fields after the command name (which may hold spaces): utime and stime are the 12th and 13th.
    const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
    // Clock ticks: 100 per second on Linux.
    return (Number(fields[11]) + Number(fields[12])) * 10_000;
  } catch {
    return undefined;
  }
}

export interface Target {
  url: string;
  headers: Record<string, string>;
  agent: Agent;
}

function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return Number.NaN;
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? Number.NaN;
}

/** The response's status, or "network error". */
function once(target: Target): Promise<number | "network error"> {
  return new Promise((resolve) => {
    const req = request(target.url, { agent: target.agent, headers: target.headers }, (res) => {
      res.on("data", () => undefined);
      res.on("end", () => resolve(res.statusCode ?? "network error"));
      res.on("error", () => resolve("network error"));
    });
    req.on("error", () => resolve("network error"));
    req.end();
  });
}

/** "429 ×52572, network error ×3", or "none". */
export function describeFailures(failures: Record<string, number>): string {
  const entries = Object.entries(failures);
  return entries.length === 0 ? "none" : entries.map(([status, count]) => `${status} ×${count}`).join(", ");
}

/**
 * `concurrency` clients in a loop for `seconds`. `target` may differ per client (by index), e.g. one
 * instance per client, as each learner's kubectl talks to an instance of its own.
 */
export async function phase(
  name: string,
  target: Target | ((client: number) => Target),
  seconds: number,
  concurrency: number,
): Promise<PhaseResult> {
  const [result] = await interleavedPhases([{ name, target }], seconds, concurrency, seconds);
  if (result === undefined) throw new Error(`phase ${name}: no result`);
  return result;
}

/**
 * Several phases in turns of `sliceSeconds` until each has run `seconds`: on a machine whose load
 * changes from one second to the next (other processes), every phase sees the same conditions, so
 * their ratios mean something. Each phase's clients are warmed up once, before the first turn.
 */
export async function interleavedPhases(
  phases: { name: string; target: Target | ((client: number) => Target) }[],
  seconds: number,
  concurrency: number,
  sliceSeconds = 1,
): Promise<PhaseResult[]> {
  const totals = phases.map(({ name }) => ({
    cpuUs: 0,
    mainUs: 0 as number | undefined,
    name,
    requests: 0,
    errors: 0,
    seconds: 0,
    latencies: [] as number[],
    failures: {} as Record<string, number>,
  }));
  for (const { target } of phases) {
    const targetOf = typeof target === "function" ? target : () => target;
    await Promise.all(Array.from({ length: concurrency }, (_, client) => once(targetOf(client))));
  }
  for (let done = 0; done < seconds; done += sliceSeconds) {
    for (const [index, { target }] of phases.entries()) {
      const total = totals[index];
      if (total === undefined) continue;
      const targetOf = typeof target === "function" ? target : () => target;
      const started = performance.now();
      const cpuBefore = process.cpuUsage();
      const mainBefore = mainThreadCpuUs();
      const deadline = started + Math.min(sliceSeconds, seconds - done) * 1000;
      await Promise.all(
        Array.from({ length: concurrency }, async (_, client) => {
          const own = targetOf(client);
          while (performance.now() < deadline) {
            const t0 = performance.now();
            const status = await once(own);
            total.latencies.push(performance.now() - t0);
            if (status !== 200) {
              total.errors += 1;
              total.failures[status] = (total.failures[status] ?? 0) + 1;
            }
          }
        }),
      );
      total.seconds += (performance.now() - started) / 1000;
      const cpu = process.cpuUsage(cpuBefore);
      total.cpuUs += cpu.user + cpu.system;
      const mainAfter = mainThreadCpuUs();
      total.mainUs =
        total.mainUs === undefined || mainBefore === undefined || mainAfter === undefined
          ? undefined
          : total.mainUs + mainAfter - mainBefore;
    }
  }
  return totals.map(({ latencies, cpuUs, mainUs, ...total }) => {
    latencies.sort((a, b) => a - b);
    return {
      ...total,
      requests: latencies.length,
      p50Ms: percentile(latencies, 50),
      p95Ms: percentile(latencies, 95),
      cpuUsPerRequest: latencies.length === 0 ? Number.NaN : cpuUs / latencies.length,
      ...(mainUs === undefined || latencies.length === 0 ? {} : { mainThreadUsPerRequest: mainUs / latencies.length }),
    };
  });
}

export async function startBareServer(serving: ServingIdentity): Promise<{ url: string; close: () => void }> {
  const body = JSON.stringify({ kind: "PodList", apiVersion: "v1", metadata: { resourceVersion: "1" }, items: [] });
  const server = createSecureServer(
    { allowHTTP1: true, cert: serving.certPem, key: serving.keyPem, requestCert: true, rejectUnauthorized: false, minVersion: "TLSv1.2" },
    (_req, res) => {
      res.writeHead(200, { "content-type": "application/json", "content-length": String(Buffer.byteLength(body)) });
      res.end(body);
    },
  );
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return { url: `https://127.0.0.1:${port}/api/v1/namespaces/default/pods`, close: () => server.close() };
}

/**
 * For a throughput run: the per-instance request rate (a fairness cap of 50 requests/s per learner's
 * instance) lifted, since a few clients send thousands per second; the in-flight and buffered-bytes
 * limits keep their defaults (16 clients stay far below them).
 */
export const THROUGHPUT_LIMITS = { instanceRequestsPerSecond: 1e9, instanceBurst: 1e9 } as const;

function mb(bytes: number): string {
  return `${(bytes / 1024 / 1024).toFixed(1)} MB`;
}

async function main(): Promise<void> {
  const { values } = parseArgs({ options: { seconds: { type: "string", default: "10" }, concurrency: { type: "string", default: "16" } } });
  const seconds = Number(values.seconds);
  const concurrency = Number(values.concurrency);
  if (!(seconds > 0) || !(concurrency > 0)) throw new Error("--seconds and --concurrency must be positive numbers");

  const fixture = await createIdentitiesFixture();
  const serving = await createServingIdentity({ ca: fixture.state.config.clusterSigner });
  const store = new MemoryInstanceStore({ [FIXTURE_INSTANCE_ID]: fixture.state });
  let serverErrors = 0;
  // One instance answers all clients here, so its own request rate (50/s by default, a fairness cap on
  // one learner: lib/practice-api/limits.ts) is lifted; the process-wide in-flight limits stay.
  const server = await startPracticeApiServer({ store, serving, limits: THROUGHPUT_LIMITS, onError: () => (serverErrors += 1) });
  const bare = await startBareServer(serving);
  const jane = fixture.state.credentials["valid-cert"];
  const bob = fixture.identities.find((identity) => identity.name === "static-token")?.credential;
  if (jane === undefined || bob?.kind !== "token") throw new Error("fixture credentials missing");
  const agentOptions = { keepAlive: true, maxSockets: concurrency, ca: serving.caCertPem };
  const accept = { accept: "application/json" };

  global.gc?.();
  const rssStart = process.memoryUsage().rss;
  console.log(
    `practice-api bench: ${seconds} s per phase, ${concurrency} concurrent keep-alive clients, Node ${process.version}, RSS at start ${mb(rssStart)}`,
  );
  const results: PhaseResult[] = [];
  results.push(
    await phase(
      "bare node https",
      { url: bare.url, headers: accept, agent: new Agent({ ...agentOptions, cert: jane.certPem, key: jane.keyPem }) },
      seconds,
      concurrency,
    ),
  );
  results.push(
    await phase(
      "practice mTLS (jane)",
      {
        url: `${server.instanceUrl(FIXTURE_INSTANCE_ID)}/api/v1/namespaces/default/pods`,
        headers: accept,
        agent: new Agent({ ...agentOptions, cert: jane.certPem, key: jane.keyPem }),
      },
      seconds,
      concurrency,
    ),
  );
  results.push(
    await phase(
      "practice bearer (bob)",
      {
        url: `${server.instanceUrl(FIXTURE_INSTANCE_ID)}/api/v1/namespaces/dev/pods`,
        headers: { ...accept, authorization: `Bearer ${bob.token}` },
        agent: new Agent(agentOptions),
      },
      seconds,
      concurrency,
    ),
  );
  global.gc?.();
  const rssEnd = process.memoryUsage().rss;

  console.log("phase                     req/s     p50 ms   p95 ms   requests  errors");
  for (const result of results) {
    console.log(
      `${result.name.padEnd(24)} ${(result.requests / result.seconds).toFixed(0).padStart(7)}  ${result.p50Ms.toFixed(2).padStart(7)}  ${result.p95Ms.toFixed(2).padStart(7)}  ${String(result.requests).padStart(8)}  ${String(result.errors).padStart(6)}`,
    );
    if (result.errors > 0) console.log(`  failed: ${describeFailures(result.failures)}`);
  }
  console.log(
    `RSS start ${mb(rssStart)}, end ${mb(rssEnd)} (${rssEnd >= rssStart ? "+" : ""}${mb(rssEnd - rssStart)}); server-side internal errors: ${serverErrors}`,
  );
  await server.close();
  bare.close();
  process.exit(results.some((result) => result.errors > 0) || serverErrors > 0 ? 1 : 0);
}

// bench:isolation reuses the phases above.
if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) {
  main().catch((error: unknown) => {
    console.error(error);
    process.exit(1);
  });
}
