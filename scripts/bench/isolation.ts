/**
 * `npm run bench:isolation`: what running learner work on worker threads (lib/isolation) costs, and
 * what it protects. Prints figures; asserts nothing.
 *
 * (a) Ordinary commands through the pool (a command job: run, checks, serialize, on a hot instance)
 *     vs the same work in this process, p50/p95, and the pool's added overhead; plus an empty job.
 * (b) On a production server as deployed (the default per-learner command limit): GET /api/health and
 *     an ordinary command (`pwd`, one every 300 ms) for an innocent learner while 4 attacking learners,
 *     each with an account of their own, send the issue's worst inputs in a loop (waiting out 429s as
 *     told): p50/p95/max, errors.
 * (c) The practice API bench (bench:practice-api's phases): requests answered through the pool vs a
 *     bare Node HTTPS server, in the same run; each of the 16 clients has an instance of its own and the
 *     per-instance request rate (50/s) is lifted, so every request is answered (errors must be 0). The
 *     phases run in turns of one second, so a change in the machine's load hits them alike.
 * (d) The HTTP round trip of `pwd` and `kubectl get pods` with persistence next to GET /api/health,
 *     and the server's CPU time per request (all its threads, from /proc on Linux), after a warm-up,
 *     the three requests in turn each round.
 * (b) is measured once the attack is in its steady state (every attacker stopped by the pool once,
 *     or past the busy time that puts it on probation); the wait for that is printed too.
 * Env: BENCH_ROUNDS (default 200), BENCH_SECONDS (default 8, per timed phase), BENCH_PORT (default 3310),
 * BENCH_PARTS (default "abcd": which parts to run), BENCH_WORKERS (default 2: the pool's threads in (a)
 * and (c), one normal lane and one slow lane; the server in (b) and (d) has LEARNER_WORKERS's default, 4).
 */
import "reflect-metadata";
import crypto from "node:crypto";
import { Agent } from "node:https";
import { performance } from "node:perf_hooks";
import { getScenarioDefinition } from "../../lib/scenarios/catalog";
import { createInstance, type InstanceState } from "../../lib/scenarios/instance";
import { execute } from "../../lib/scenarios/execute";
import { evaluateChecks } from "../../lib/scenarios/checks";
import { parseInstance, serializeInstance } from "../../lib/scenarios/storage";
import { LearnerPool } from "../../lib/isolation/pool";
import { isTooLarge, type InstanceRef } from "../../lib/isolation/jobs";
import { InstanceJobs } from "../../lib/isolation/instance-jobs";
import {
  FIXTURE_INSTANCE_ID,
  createIdentitiesFixture,
  createServingIdentity,
  startPracticeApiServer,
  type InstanceStore,
} from "../../lib/practice-api";
import { KeyedQueue } from "../../lib/util/keyed-queue";
import type { ApiRequest, ClusterState } from "../../lib/k8s";
import { newShellState } from "../../lib/k8s/shell";
import { describeFailures, interleavedPhases, startBareServer, THROUGHPUT_LIMITS, type PhaseResult } from "./practice-api";
import { percentile, signIn, startAppServer } from "./app-server";

const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 200);
const SECONDS = Number(process.env.BENCH_SECONDS ?? 8);
const PORT = Number(process.env.BENCH_PORT ?? 3310);
const PARTS = process.env.BENCH_PARTS ?? "abcd";
const WORKERS = Number(process.env.BENCH_WORKERS ?? 2);
const SCENARIO = "unauthorized-or-forbidden";
/** Rounds of (d)'s three requests sent before measuring, not counted. */
const WARM_UP_ROUNDS = 150;
/** The innocent learner in (b) types a command every this many ms: brisk for a person, within the per-learner limit. */
const PACE_MS = 300;
const ATTACKS = [
  `jq -n '("x"*100000)*1400 | length'`,
  "echo aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa! | grep -E '^(a+)+$'",
  `touch /tmp/${"a".repeat(60)}; echo /tmp/*a*a*a*a*a*a*a*a*a*a*a*a*b`,
  Array.from({ length: 40 }, () => "openssl genrsa 4096 >/dev/null 2>&1").join("; "),
];
const ORDINARY = [
  "kubectl --context admin@kubeprep get pods -n payments",
  "cat ~/.kube/config | wc -l",
  "kubectl --context admin@kubeprep auth whoami",
];

function stats(samples: number[]): { p50: number; p95: number; max: number } {
  const sorted = [...samples].sort((a, b) => a - b);
  return { p50: percentile(sorted, 50), p95: percentile(sorted, 95), max: sorted.at(-1) ?? Number.NaN };
}

function line(name: string, samples: number[], extra = ""): string {
  const { p50, p95, max } = stats(samples);
  return `${name.padEnd(62)} ${p50.toFixed(2).padStart(8)} ${p95.toFixed(2).padStart(8)} ${max.toFixed(2).padStart(9)}${extra}`;
}

const header = (first: string) => console.log(`${first.padEnd(62)} ${"p50".padStart(8)} ${"p95".padStart(8)} ${"max".padStart(9)}`);

async function partA(pool: LearnerPool): Promise<void> {
  const scenario = getScenarioDefinition(SCENARIO);
  if (!scenario) throw new Error(`no scenario ${SCENARIO}`);
  console.log(`\n(a) ordinary commands, ${ROUNDS} rounds each, ms: in process vs through the pool (run + checks + serialize both ways)`);
  header("command");
  const direct: InstanceState = await createInstance(scenario);
  let ref: InstanceRef = { id: "bench-a", state: serializeInstance(direct) };
  const empty: number[] = [];
  for (let round = 0; round < ROUNDS; round++) {
    const started = performance.now();
    await pool.run<"read-file">(ref.id, { kind: "read-file", instance: ref, path: "/nonexistent" });
    empty.push(performance.now() - started);
  }
  for (const command of ORDINARY) {
    const inProcess: number[] = [];
    const pooled: number[] = [];
    for (let round = 0; round < ROUNDS; round++) {
      let started = performance.now();
      await execute(direct, command);
      await evaluateChecks(scenario, direct);
      serializeInstance(direct);
      inProcess.push(performance.now() - started);
      started = performance.now();
      const result = await pool.run<"command">(ref.id, { kind: "command", instance: ref, scenarioId: SCENARIO, input: command });
      pooled.push(performance.now() - started);
      if (isTooLarge(result)) throw new Error("instance too large");
      ref = { ...ref, state: result.state };
    }
    const overhead = stats(pooled).p50 - stats(inProcess).p50;
    console.log(line(`direct  ${command}`, inProcess));
    console.log(line(`pool    ${command}`, pooled, `   added p50 ${overhead.toFixed(2)} ms`));
  }
  console.log(line("pool    empty job (read a missing file): the pool's own cost", empty));
}

/**
 * An in-memory row for the practice API through the pool: the DatabaseInstanceStore path without the
 * database (InstanceJobs: the row's text is read and sent only when no worker is known to hold it; a
 * changed text is written, or a read's record appended to it as to a scenario's row, with the revision check).
 */
class PooledRowStore implements InstanceStore {
  private readonly queue = new KeyedQueue();
  private readonly jobs: InstanceJobs;
  constructor(
    pool: LearnerPool,
    private readonly rows: Map<string, { state: string; revision: number }>,
  ) {
    this.jobs = new InstanceJobs(() => pool);
  }
  async exists(id: string): Promise<boolean> {
    return this.rows.has(id);
  }
  async servingIdentity(): Promise<undefined> {
    return undefined;
  }
  async load(): Promise<ClusterState | undefined> {
    throw new Error("requests go through handle()");
  }
  async save(): Promise<void> {
    throw new Error("requests go through handle()");
  }
  withLock<T>(id: string, fn: () => Promise<T>): Promise<T> {
    return this.queue.run(id, fn);
  }
  async handle(id: string, request: ApiRequest) {
    const stored = this.rows.get(id);
    if (stored === undefined) return undefined;
    const row = this.jobs.knows(id) ? { revision: stored.revision } : { ...stored };
    const ran = await this.jobs.run<"api">(
      id,
      row,
      async () => this.rows.get(id),
      (instance, nextTag) => ({ kind: "api", instance, request, nextTag, appendable: true }),
    );
    if (ran === undefined) return undefined;
    const { result, revision, nextTag } = ran;
    if (isTooLarge(result)) throw new Error("instance too large");
    if ("refused" in result) return "refused" as const;
    if (result.state !== undefined || result.append !== undefined) {
      const current = this.rows.get(id);
      if (current?.revision !== revision) {
        this.jobs.storeFailed(id);
        throw new Error(`instance ${id} changed concurrently`);
      }
      this.rows.set(id, { state: result.state ?? current.state + result.append, revision: revision + 1 });
      this.jobs.stored(id, revision, nextTag);
    }
    return { response: result.response, trace: result.trace };
  }
}

async function partC(pool: LearnerPool): Promise<void> {
  const fixture = await createIdentitiesFixture();
  const serving = await createServingIdentity({ ca: fixture.state.config.clusterSigner });
  const instance: InstanceState = {
    format: "kubeprep.instance/v1",
    scenarioId: "fixture",
    endpoint: { serverUrl: "https://127.0.0.1", caCertPem: serving.caCertPem, servingCertPem: serving.certPem },
    cluster: fixture.state,
    shell: newShellState(),
    requests: [],
    why: [],
    transcript: "",
  };
  parseInstance(serializeInstance(instance));
  const concurrency = 16;
  // Each client is one learner's kubectl with an instance of its own (as the DatabaseInstanceStore
  // serves them: one request per instance at a time, on the lane the id hashes to), and the server
  // runs with THROUGHPUT_LIMITS: a learner's instance may send 50 requests/s (limits.ts), which a
  // throughput run exceeds by far, so only that per-instance rate is lifted.
  const ids = Array.from({ length: concurrency }, (_, client) => `${FIXTURE_INSTANCE_ID}-${client}`);
  const store = new PooledRowStore(pool, new Map(ids.map((id) => [id, { state: serializeInstance(instance), revision: 0 }])));
  const server = await startPracticeApiServer({ store, serving, limits: THROUGHPUT_LIMITS });
  const bare = await startBareServer(serving);
  const jane = fixture.state.credentials["valid-cert"];
  const bob = fixture.identities.find((identity) => identity.name === "static-token")?.credential;
  if (jane === undefined || bob?.kind !== "token") throw new Error("fixture credentials missing");
  const agentOptions = { keepAlive: true, maxSockets: concurrency, ca: serving.caCertPem };
  const accept = { accept: "application/json" };
  console.log(
    `\n(c) practice API, ${SECONDS} s per phase in 1 s turns, ${concurrency} keep-alive clients (one instance each, per-instance rate lifted): requests answered on the pool's ${WORKERS} threads vs bare Node HTTPS`,
  );
  const janeAgent = new Agent({ ...agentOptions, cert: jane.certPem, key: jane.keyPem });
  const bobAgent = new Agent(agentOptions);
  // In turns of one second (bare, mTLS, bearer, bare, ...): the machine's load changes from one
  // second to the next, and the ratios are only meaningful when every phase saw the same.
  const results: PhaseResult[] = await interleavedPhases(
    [
      {
        name: "bare node https",
        target: { url: bare.url, headers: accept, agent: new Agent({ ...agentOptions, cert: jane.certPem, key: jane.keyPem }) },
      },
      {
        name: "pool mTLS (jane)",
        target: (client) => ({
          url: `${server.instanceUrl(ids[client] ?? FIXTURE_INSTANCE_ID)}/api/v1/namespaces/default/pods`,
          headers: accept,
          agent: janeAgent,
        }),
      },
      {
        name: "pool bearer (bob)",
        target: (client) => ({
          url: `${server.instanceUrl(ids[client] ?? FIXTURE_INSTANCE_ID)}/api/v1/namespaces/dev/pods`,
          headers: { ...accept, authorization: `Bearer ${bob.token}` },
          agent: bobAgent,
        }),
      },
    ],
    SECONDS,
    concurrency,
  );
  const bareRate = (results[0]?.requests ?? 0) / (results[0]?.seconds ?? 1);
  const bareCpu = results[0]?.cpuUsPerRequest ?? Number.NaN;
  // CPU µs per request: this process's CPU time (clients, server, worker threads) over its requests;
  // "by CPU" is bare's over the phase's, the share of bare's rate the phase would reach if CPU were
  // the only limit (it hardly depends on other processes' load, unlike req/s).
  // "main µs/req": the main thread's share (clients, HTTP, TLS, dispatch); the rest ran on the pool's threads.
  console.log(
    "phase                     req/s     p50 ms   p95 ms   requests  errors  vs bare (goal ≥ 50%)  CPU µs/req  by CPU  main µs/req",
  );
  for (const result of results) {
    const rate = result.requests / result.seconds;
    const cpu = result.cpuUsPerRequest ?? Number.NaN;
    console.log(
      `${result.name.padEnd(24)} ${rate.toFixed(0).padStart(7)}  ${result.p50Ms.toFixed(2).padStart(7)}  ${result.p95Ms.toFixed(2).padStart(7)}  ${String(result.requests).padStart(8)}  ${String(result.errors).padStart(6)}  ${((rate / bareRate) * 100).toFixed(0).padStart(5)}%                ${cpu.toFixed(0).padStart(6)}  ${((bareCpu / cpu) * 100).toFixed(0).padStart(5)}%  ${(result.mainThreadUsPerRequest ?? Number.NaN).toFixed(0).padStart(11)}`,
    );
    if (result.errors > 0) console.log(`  failed: ${describeFailures(result.failures)}`);
  }
  await server.close();
  bare.close();
}

async function command(
  base: string,
  cookie: string,
  scenario: string,
  input: string,
): Promise<{ ok: boolean; status: number; retryAfter: string | null; body: string }> {
  const response = await fetch(`${base}/api/scenarios/${scenario}/commands`, {
    method: "POST",
    headers: { Cookie: cookie, "Content-Type": "application/json" },
    body: JSON.stringify({ input, requestId: crypto.randomUUID() }),
  });
  return { ok: response.ok, status: response.status, retryAfter: response.headers.get("Retry-After"), body: await response.text() };
}

const BD_SCENARIOS = ["unauthorized-or-forbidden", "expired-cert", "wrong-ca", "whoami", "oidc"];

/** Opens each scenario's session for a signed-in user (the instance is created on first visit). */
async function openSessions(base: string, cookie: string, scenarios: string[]): Promise<void> {
  for (const scenario of scenarios) {
    const session = await fetch(`${base}/api/scenarios/${scenario}/session`, { headers: { Cookie: cookie } });
    if (!session.ok) throw new Error(`session ${scenario}: ${session.status}`);
  }
}

async function partsBD(): Promise<void> {
  const email = "bench-admin@kubeprep.test";
  const password = `bench-${crypto.randomBytes(8).toString("hex")}`;
  const [innocent = SCENARIO, ...attacked] = BD_SCENARIOS;
  if (PARTS.includes("d")) {
    // The round trip alone: no per-learner command limit, so rounds can follow each other at once.
    const server = await startAppServer(PORT, { ADMIN_EMAIL: email, ADMIN_PASSWORD: password, TERMINAL_RATE_LIMIT: "1000000" });
    try {
      const cookie = await signIn(server.base, email, password);
      await openSessions(server.base, cookie, [innocent]);
      await partD(server.base, cookie, innocent, ROUNDS, server.cpuMs);
    } finally {
      server.stop();
    }
  }
  if (PARTS.includes("b")) {
    // As deployed: the default per-learner command limit, and each attacker a learner of their own.
    const server = await startAppServer(PORT, { ADMIN_EMAIL: email, ADMIN_PASSWORD: password });
    try {
      const cookie = await signIn(server.base, email, password);
      await openSessions(server.base, cookie, [innocent]);
      const attackers: { cookie: string; scenario: string }[] = [];
      for (const [index, scenario] of attacked.entries()) {
        const attacker = {
          email: `bench-attacker-${index}@kubeprep.test`,
          name: `Attacker ${index}`,
          password: `bench-${crypto.randomBytes(8).toString("hex")}`,
        };
        const created = await fetch(`${server.base}/api/signup`, {
          method: "POST",
          headers: { "Content-Type": "application/json" },
          body: JSON.stringify(attacker),
        });
        if (created.status !== 201) throw new Error(`sign-up ${attacker.email}: ${created.status}`);
        const attackerCookie = await signIn(server.base, attacker.email, attacker.password);
        await openSessions(server.base, attackerCookie, [scenario]);
        attackers.push({ cookie: attackerCookie, scenario });
      }
      await partB(server.base, cookie, innocent, attackers);
    } finally {
      server.stop();
    }
  }
}

async function partD(base: string, cookie: string, innocent: string, rounds: number, cpuMs: () => number | undefined): Promise<void> {
  {
    const server = { base };
    console.log(
      `\n(d) HTTP round trip with persistence (production server, SQLite), ${rounds} rounds after ${WARM_UP_ROUNDS} to warm up, each round all three in turn, ms`,
    );
    header("request");
    // Warm-up, not counted: the first requests of a route compile its code and its queries, and V8
    // keeps optimising Next's server code for a few hundred requests more.
    const kinds = ["GET /api/health", "POST …/commands  pwd", "POST …/commands  kubectl get pods -n payments"];
    const send = async (kind: number): Promise<void> => {
      if (kind === 0) {
        await (await fetch(`${server.base}/api/health`)).text();
        return;
      }
      const input = kind === 1 ? "pwd" : "kubectl get pods -n payments";
      const result = await command(server.base, cookie, innocent, input);
      if (!result.ok) throw new Error(`${input}: ${result.body}`);
    };
    for (let round = 0; round < WARM_UP_ROUNDS; round++) for (const kind of kinds.keys()) await send(kind);
    // Each round sends the three requests one after another, so all three see the same server (as
    // warm) and the same machine (as loaded). The server's CPU time per request (all its threads),
    // steadier than latency on a shared machine, is summed per kind from its counters around each.
    const samples = kinds.map(() => [] as number[]);
    const cpu = kinds.map(() => 0);
    let cpuKnown = true;
    for (let round = 0; round < rounds; round++)
      for (const kind of kinds.keys()) {
        const cpuBefore = cpuMs();
        const started = performance.now();
        await send(kind);
        samples[kind]?.push(performance.now() - started);
        const cpuAfter = cpuMs();
        if (cpuBefore === undefined || cpuAfter === undefined) cpuKnown = false;
        else cpu[kind] = (cpu[kind] ?? 0) + cpuAfter - cpuBefore;
      }
    const health = stats(samples[0] ?? []).p50;
    const healthCpu = (cpu[0] ?? 0) / rounds;
    for (const [kind, name] of kinds.entries()) {
      const perRequest = (cpu[kind] ?? 0) / rounds;
      const ratio = kind === 0 ? "" : `   ${(stats(samples[kind] ?? []).p50 / health).toFixed(1)}× health p50`;
      const cpuNote = !cpuKnown
        ? ""
        : `   server CPU ${perRequest.toFixed(1)} ms/request${kind === 0 ? "" : ` (${(perRequest / healthCpu).toFixed(1)}× health)`}`;
      console.log(line(name, samples[kind] ?? [], ratio + cpuNote));
    }
  }
}

async function partB(base: string, cookie: string, innocent: string, attacked: { cookie: string; scenario: string }[]): Promise<void> {
  {
    const server = { base };
    console.log(
      `\n(b) an innocent learner (a command every ${PACE_MS} ms) while 4 attacking learners loop the worst inputs, ${SECONDS} s, ms`,
    );
    let attacking = true;
    const attacks = { sent: 0, stopped: 0, limited: 0, failed: 0 };
    const sentBy = attacked.map(() => 0);
    const attackers = attacked.map(async ({ cookie: attackerCookie, scenario }, index) => {
      while (attacking) {
        const input = ATTACKS[index % ATTACKS.length] ?? "true";
        attacks.sent += 1;
        sentBy[index] = (sentBy[index] ?? 0) + 1;
        try {
          const result = await command(server.base, attackerCookie, scenario, input);
          if (result.status === 429) {
            // The per-learner command limit: wait as told, as a script would.
            attacks.limited += 1;
            await new Promise((resolve) => setTimeout(resolve, 1000 * Number(result.retryAfter ?? "1")));
          } else if (!result.ok) attacks.failed += 1;
          else if (/and was stopped; your scenario is unchanged/.test(result.body)) attacks.stopped += 1;
        } catch {
          attacks.failed += 1;
        }
      }
    });
    const warmStarted = performance.now();
    // The steady state of a sustained attack: each attacker stopped by the pool, or past the busy
    // time that puts it on probation anyway (a few of the slowest inputs), whichever comes first.
    const settled = () => attacks.stopped + attacks.failed >= attacked.length || sentBy.every((sent) => sent >= 6);
    while (!settled() && performance.now() - warmStarted < 180_000) await new Promise((resolve) => setTimeout(resolve, 200));
    console.log(
      `(attackers settled after ${((performance.now() - warmStarted) / 1000).toFixed(1)} s: ${attacks.stopped} stopped by the pool, ${attacks.limited} refused by the command limit, ${attacks.sent} attacks sent; measuring now)`,
    );
    const innocentHealth: number[] = [];
    const innocentPwd: number[] = [];
    let errors = 0;
    const deadline = performance.now() + SECONDS * 1000;
    await Promise.all([
      (async () => {
        while (performance.now() < deadline) {
          const started = performance.now();
          try {
            if (!(await fetch(`${server.base}/api/health`)).ok) errors += 1;
          } catch {
            errors += 1;
          }
          innocentHealth.push(performance.now() - started);
          await new Promise((resolve) => setTimeout(resolve, 20));
        }
      })(),
      (async () => {
        while (performance.now() < deadline) {
          const started = performance.now();
          try {
            const result = await command(server.base, cookie, innocent, "pwd");
            if (!result.ok || !result.body.includes('"output":"/home/')) errors += 1;
          } catch {
            errors += 1;
          }
          innocentPwd.push(performance.now() - started);
          await new Promise((resolve) => setTimeout(resolve, PACE_MS));
        }
      })(),
    ]);
    attacking = false;
    await Promise.all(attackers);
    header("innocent request (under attack)");
    console.log(line("GET /api/health", innocentHealth));
    console.log(line("POST …/commands  pwd", innocentPwd));
    console.log(
      `innocent errors: ${errors}; attacks sent ${attacks.sent}, stopped by the pool ${attacks.stopped}, refused by the command limit ${attacks.limited}, failed HTTP ${attacks.failed}`,
    );
  }
}

if (PARTS.includes("a") || PARTS.includes("c")) {
  const pool = new LearnerPool({ workers: WORKERS, jobTimeoutMs: 5_000, jobMemoryMb: 256, maxInstanceBytes: 8 * 1024 * 1024 });
  if (PARTS.includes("a")) await partA(pool);
  if (PARTS.includes("c")) await partC(pool);
  await pool.close();
}
if (PARTS.includes("b") || PARTS.includes("d")) await partsBD();
process.exit(0);
