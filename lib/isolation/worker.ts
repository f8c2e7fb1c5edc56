/**
 * The learner worker: runs one job at a time on a worker thread (a batch of practice API requests
 * one after another; lib/isolation/pool.ts owns the threads, their deadline and heap limit).
 * Everything a learner controls runs here: shell input, scenario checks and probes, completion, the
 * engine's answer to a practice API request.
 *
 * Hot instances: the parsed instance of each stored text this worker last read or produced is kept
 * (bounded), keyed by instance id and checked against the text itself, so a stale or foreign copy
 * is never used. A job that fails forgets the instance it may have half changed.
 */
import { lowPriorityThread } from "./thread-priority";
import "reflect-metadata";
import { workerData } from "node:worker_threads";
import { handleRequest, type ClusterState } from "../k8s";
import { createInstanceServing } from "../practice-api/serving";
import { createVfs, generateKeysOnCallingThread } from "../k8s/shell";
import { activeFiles, apiServerServing } from "../k8s/node";
import { runnableScenario } from "../review/drills";
import { evaluateChecks } from "../scenarios/checks";
import { completeLine } from "../scenarios/commands";
import { execute, promptFor } from "../scenarios/execute";
import { createInstance, isDiscoveryRead, recordRequests, type Endpoint, type InstanceState } from "../scenarios/instance";
import { practiceRequestRecord } from "../practice-api/instance-store";
import {
  ALL_BUT_REQUESTS,
  appendedOf,
  appendRequestRecord,
  InstanceTooLargeError,
  NONE_APPENDED,
  parseInstance,
  serializeInstance,
  type Appended,
  type PartCache,
  type UnchangedParts,
} from "../scenarios/storage";
import type { Scenario } from "../scenarios/schema";
import { setRecent } from "../util/recent";
import type {
  EndpointPlan,
  Envelope,
  InstanceRef,
  Job,
  JobOf,
  JobResults,
  ScenarioSource,
  Stale,
  TaggedInstanceRef,
  TooLarge,
  WorkerReply,
} from "./jobs";

export interface WorkerSettings {
  maxInstanceBytes: number;
  /** A slow lane's thread (lib/isolation/pool.ts): the lowest CPU priority. */
  lowPriority?: boolean;
}

const settings = (workerData ?? {}) as Partial<WorkerSettings>;
// A slow lane's keys too: on node's shared thread pool they would run at normal priority.
if (lowPriorityThread) generateKeysOnCallingThread(true);
const maxInstanceBytes = settings.maxInstanceBytes ?? Number.POSITIVE_INFINITY;
const HOT_INSTANCES = 64;
/**
 * A parsed instance and the stored text it was read from or saved as: the text's parts (`parts`) and
 * the request records appended to them since (`appended`); `tag`: the practice API's name for exactly
 * this text (TaggedInstanceRef), when it gave one.
 */
interface Hot {
  text: string;
  instance: InstanceState;
  parts: PartCache;
  appended: Appended;
  tag?: string;
}
const hot = new Map<string, Hot>();

function keep(id: string, entry: Hot): void {
  setRecent(hot, id, entry, HOT_INSTANCES);
}

/**
 * The parts of an instance as last stored or read (storage.ts): a memo of each part's deflated form
 * by its JSON, so it is right whatever became of the text it came from.
 */
function partsOf(id: string): PartCache {
  return hot.get(id)?.parts ?? new Map();
}

function open(ref: InstanceRef): InstanceState {
  const cached = hot.get(ref.id);
  if (cached !== undefined && cached.text === ref.state) {
    keep(ref.id, cached);
    return cached.instance;
  }
  const parts: PartCache = new Map();
  const instance = parseInstance(ref.state, parts);
  keep(ref.id, { text: ref.state, instance, parts, appended: appendedOf(ref.state) });
  return instance;
}

/**
 * Serializes a changed instance within the size limit (deflating only changed parts; `unchanged`
 * parts are not even serialized again); over it, forgets the changed copy.
 */
function save(id: string, instance: InstanceState, unchanged?: UnchangedParts, tag?: string): string | TooLarge {
  try {
    const parts = partsOf(id);
    const text = serializeInstance(instance, maxInstanceBytes, parts, unchanged);
    keep(id, { text, instance, parts, appended: NONE_APPENDED, ...(tag === undefined ? {} : { tag }) });
    return text;
  } catch (error) {
    hot.delete(id);
    if (error instanceof InstanceTooLargeError) return { tooLarge: { bytes: error.bytes, limit: error.limit } };
    throw error;
  }
}

function scenarioOf(source: ScenarioSource): Scenario {
  if (source.definition !== undefined) return source.definition;
  const scenario = runnableScenario(source.scenarioId);
  if (!scenario) throw new Error(`no scenario ${source.scenarioId}`);
  return scenario;
}

/** The endpoint a plan names; by server name, with a serving certificate of the cluster's own CA. */
async function endpointOf(plan: EndpointPlan, cluster: ClusterState): Promise<Endpoint> {
  if (plan.kind === "fixed") return plan.endpoint;
  const serving = await createInstanceServing({ ca: cluster.config.clusterSigner, hosts: [plan.host] });
  return {
    serverUrl: plan.serverUrl,
    tlsServerName: plan.serverName,
    caCertPem: cluster.config.clusterSigner.certPem,
    servingCertPem: serving.certPem,
    servingKeyPem: serving.keyPem,
  };
}

async function create(job: JobOf<"create">): Promise<JobResults["create"]> {
  const scenario = scenarioOf(job);
  const plan = job.endpoint;
  const instance = await createInstance(scenario, plan === undefined ? undefined : (cluster) => endpointOf(plan, cluster));
  const checks = await evaluateChecks(scenario, instance);
  try {
    return { state: serializeInstance(instance, maxInstanceBytes), checks };
  } catch (error) {
    if (error instanceof InstanceTooLargeError) return { tooLarge: { bytes: error.bytes, limit: error.limit } };
    throw error;
  }
}

async function command(job: JobOf<"command">): Promise<JobResults["command"] | Stale> {
  const scenario = scenarioOf(job);
  const instance = "tag" in job.instance ? openTagged(job.instance) : open(job.instance);
  if (instance === undefined) return { stale: true };
  const previousChecks = { ...instance.lastChecks };
  const result = await execute(instance, job.input);
  const checks = await evaluateChecks(scenario, instance);
  const state = save(job.instance.id, instance, undefined, job.nextTag);
  if (typeof state !== "string") return state;
  return {
    state,
    output: result.output,
    exitCode: result.run.exitCode,
    clear: result.run.clearScreen === true,
    ...(result.run.openEditor ? { openEditor: result.run.openEditor } : {}),
    why: result.why,
    prompt: promptFor(instance),
    checks,
    previousChecks,
  };
}

async function check(job: JobOf<"check">): Promise<JobResults["check"]> {
  const scenario = scenarioOf(job);
  const instance = open(job.instance);
  const previousChecks = { ...instance.lastChecks };
  const checks = await evaluateChecks(scenario, instance);
  const state = save(job.instance.id, instance);
  if (typeof state !== "string") return state;
  return { state, checks, previousChecks };
}

function writeFile(job: JobOf<"write-file">): JobResults["write-file"] {
  const instance = open(job.instance);
  // On the node (ssh controlplane) the editor panel edits the node's files.
  const written = createVfs(activeFiles(instance.cluster, instance.shell), { now: new Date(instance.cluster.clock.nowMs) }).writeFile(
    job.path,
    job.content,
  );
  if (!written.ok) {
    hot.delete(job.instance.id);
    return { error: written.error };
  }
  const state = save(job.instance.id, instance);
  return typeof state === "string" ? { state } : state;
}

function readFile(job: JobOf<"read-file">): JobResults["read-file"] {
  const instance = open(job.instance);
  const shell = activeFiles(instance.cluster, instance.shell);
  const home = shell.env.HOME ?? "/root";
  const path = job.path.startsWith("~/") ? `${home}${job.path.slice(1)}` : job.path;
  const node = shell.files[path];
  return node?.type === "file" ? { content: node.content } : undefined;
}

/** A tagged job's instance: by its text (which then gets the ref's tag), or by tag alone when held. */
function openTagged(ref: TaggedInstanceRef): InstanceState | undefined {
  if (ref.state === undefined) {
    const cached = hot.get(ref.id);
    if (cached === undefined || cached.tag !== ref.tag) return undefined;
    keep(ref.id, cached);
    return cached.instance;
  }
  const instance = open({ id: ref.id, state: ref.state });
  const opened = hot.get(ref.id);
  if (opened !== undefined) keep(ref.id, { ...opened, tag: ref.tag });
  return instance;
}

async function api(job: JobOf<"api">): Promise<JobResults["api"]> {
  const instance = openTagged(job.instance);
  if (instance === undefined) return { stale: true };
  if (!apiServerServing(instance.cluster)) return { refused: true };
  const handled = await handleRequest(instance.cluster, job.request);
  // A request of the learner's own kubectl counts like the web terminal's: it joins the instance's
  // request history (checks such as "saw a 401"). Discovery reads are left out, as for the terminal.
  const record = practiceRequestRecord(job.request, handled);
  const recorded = !isDiscoveryRead(record);
  if (recorded) {
    recordRequests(instance, [
      {
        method: record.method,
        url: record.url,
        status: record.status,
        via: "practice-api",
        ...(record.authError === undefined ? {} : { authError: record.authError }),
      },
    ]);
  }
  if (!handled.changed && !recorded) return { response: handled.response, trace: handled.trace };
  // A read (nothing changed, no internal error that may have left a half-done change behind) added
  // only its record: it is appended to the stored text where the row allows, else only the request
  // history is serialized again.
  const onlyRecorded = !handled.changed && handled.response.status < 500;
  const held = hot.get(job.instance.id);
  const added = instance.requests.at(-1);
  if (onlyRecorded && job.appendable === true && held !== undefined && added !== undefined) {
    const append = appendRequestRecord(added, held.appended, maxInstanceBytes, held.parts);
    if (append !== undefined) {
      // The text is kept as the parts and what was appended (a rope: nothing is copied here).
      const appended = { count: held.appended.count + 1, chars: held.appended.chars + append.length };
      keep(job.instance.id, { ...held, text: held.text + append, appended, tag: job.nextTag });
      return { response: handled.response, trace: handled.trace, append, record };
    }
  }
  const state = save(job.instance.id, instance, onlyRecorded ? ALL_BUT_REQUESTS : undefined, job.nextTag);
  if (typeof state !== "string") return state;
  return { response: handled.response, trace: handled.trace, state, ...(recorded ? { record } : {}) };
}

async function run(job: Job): Promise<JobResults[Job["kind"]] | Stale> {
  switch (job.kind) {
    case "create":
      return create(job);
    case "view": {
      const instance = open(job.instance);
      return {
        prompt: promptFor(instance),
        transcript: instance.transcript,
        history: instance.shell.history.slice(-200),
        why: instance.why,
      };
    }
    case "command":
      return command(job);
    case "check":
      return check(job);
    case "complete":
      return completeLine(open(job.instance), job.line, job.cursor);
    case "write-file":
      return writeFile(job);
    case "read-file":
      return readFile(job);
    case "api":
      return api(job);
  }
}

/**
 * Runs the envelope's jobs in order, writing each one's start and end into the shared slots (the
 * pool's deadline and busy time), and answers one reply per job run. After a job that failed it
 * stops: the pool replaces this thread, and the jobs not run are run elsewhere.
 */
export default async function handle(envelope: Envelope): Promise<WorkerReply<Job["kind"]>[]> {
  const replies: WorkerReply<Job["kind"]>[] = [];
  for (const [index, job] of envelope.jobs.entries()) {
    envelope.times[2 * index] = Date.now();
    try {
      replies.push({ ok: true, result: await run(job) });
    } catch (error) {
      if ("instance" in job) hot.delete(job.instance.id);
      replies.push({ ok: false, error: error instanceof Error ? (error.stack ?? error.message) : String(error) });
      return replies;
    } finally {
      envelope.times[2 * index + 1] = Date.now();
    }
  }
  return replies;
}
