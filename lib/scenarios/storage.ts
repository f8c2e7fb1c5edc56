import zlib from "node:zlib";
import { restoreCluster, serializeCluster } from "../k8s";
import type { InstanceState } from "./instance";

/** The first stored form: the whole instance as one deflated JSON (still read). */
const COMPRESSED = "z1:";
/** The stored form written now: the instance in parts, each deflated on its own (see serializeInstance). */
const PARTS = "z2:";

/** A state over the size limit (MAX_INSTANCE_BYTES): it is not saved, the previous one stays. */
export class InstanceTooLargeError extends Error {
  override name = "InstanceTooLargeError";
  constructor(
    readonly bytes: number,
    readonly limit: number,
  ) {
    super(`the scenario instance would be ${bytes} bytes, over the limit of ${limit}`);
  }
}

/**
 * The parts an instance is stored in. A command changes a few of them (the cluster's clock, the
 * shell's history, the transcript), a practice API read only `requests`: a part whose JSON is the
 * same as when it was last stored keeps its deflated form (`PartCache`), so saving deflates only
 * what changed. `rest` is every other field (format, scenario, endpoint, probe cache, last checks).
 */
const PART_NAMES = ["rest", "cluster", "shell", "requests", "why", "transcript"] as const;
type PartName = (typeof PART_NAMES)[number];

/** Each part's JSON and its deflated base64 as last stored or read (one per instance, kept by its worker). */
export type PartCache = Map<PartName, { json: string; deflated: string; bytes?: number }>;

/** Parts a caller knows it did not change since the cache was filled (e.g. a practice API read: all but `requests`). */
export type UnchangedParts = ReadonlySet<PartName>;

/** Every part but the request history: what a practice API request that changed nothing in the cluster leaves as it was. */
export const ALL_BUT_REQUESTS: UnchangedParts = new Set(PART_NAMES.filter((name) => name !== "requests"));

/** Request records are never changed once recorded (lib/scenarios/instance.ts `recordRequests`). */
const recordJsons = new WeakMap<object, string>();

function recordJson(record: InstanceState["requests"][number]): string {
  // A stored instance holds only records; anything else is written as JSON.stringify would.
  if (typeof record !== "object" || record === null) return JSON.stringify(record) ?? "null";
  let json = recordJsons.get(record);
  if (json === undefined) {
    json = JSON.stringify(record);
    recordJsons.set(record, json);
  }
  return json;
}

function partJson(instance: InstanceState, name: PartName): string {
  switch (name) {
    case "rest": {
      const { cluster: _cluster, shell: _shell, requests: _requests, why: _why, transcript: _transcript, ...rest } = instance;
      return JSON.stringify(rest);
    }
    case "cluster":
      return serializeCluster(instance.cluster);
    case "requests":
      // The same JSON as JSON.stringify(requests), from each record's own JSON, kept while the record
      // lives: a request adds one record to up to 150, so a save stringifies one.
      return `[${instance.requests.map(recordJson).join(",")}]`;
    default:
      return JSON.stringify(instance[name]);
  }
}

const deflate = (json: string) => zlib.deflateRawSync(json, { level: 1 }).toString("base64");
const inflate = (deflated: string) => zlib.inflateRawSync(Buffer.from(deflated, "base64")).toString("utf8");

/**
 * The stored form: `z2:` and `name:deflated-base64` per part, joined by `;` (base64 has neither).
 * The cluster in the engine's own serialization, the rest as JSON, each deflated (PEM, base64 and
 * repeated traces compress about 4:1), so 10,000 instances stay small. With `cache` (the parts of
 * this instance as last stored or read), unchanged parts are not deflated again; the cache is
 * updated only when the instance is within `maxBytes`. With `unchanged` too, the parts named there
 * are taken from the cache as they are, not even serialized (the caller vouches that the instance's
 * objects behind them are as when the cache was filled): a practice API read serializes only the
 * request history.
 */
export function serializeInstance(
  instance: InstanceState,
  maxBytes = Number.POSITIVE_INFINITY,
  cache?: PartCache,
  unchanged?: UnchangedParts,
): string {
  const parts = new Map<PartName, { json: string; deflated?: string; bytes: number }>();
  // The limit is on the uncompressed form: that is what every load parses (and what deflate could hide).
  let bytes = 0;
  for (const name of PART_NAMES) {
    const known = unchanged?.has(name) === true ? cache?.get(name) : undefined;
    const part =
      known !== undefined
        ? { json: known.json, deflated: known.deflated, bytes: known.bytes ?? Buffer.byteLength(known.json, "utf8") }
        : (() => {
            const json = partJson(instance, name);
            return { json, bytes: Buffer.byteLength(json, "utf8") };
          })();
    parts.set(name, part);
    bytes += part.bytes;
  }
  if (bytes > maxBytes) throw new InstanceTooLargeError(bytes, maxBytes);
  const segments: string[] = [];
  for (const name of PART_NAMES) {
    const part = parts.get(name);
    if (part === undefined) throw new Error(`no part ${name}`);
    const known = cache?.get(name);
    const deflated = part.deflated ?? (known !== undefined && known.json === part.json ? known.deflated : deflate(part.json));
    cache?.set(name, { json: part.json, deflated, bytes: part.bytes });
    segments.push(`${name}:${deflated}`);
  }
  return PARTS + segments.join(";");
}

type Raw = Omit<InstanceState, "cluster"> & { cluster: string };

/** The parts' JSON (the cluster's as text), inflated; fills `cache` with what was read. */
function readParts(text: string, only?: PartName, cache?: PartCache): Partial<Record<PartName, string>> {
  const parts: Partial<Record<PartName, string>> = {};
  for (const segment of text.slice(PARTS.length).split(";")) {
    const colon = segment.indexOf(":");
    const name = segment.slice(0, colon) as PartName;
    if (!PART_NAMES.includes(name)) throw new Error(`stored scenario instance is damaged: unknown part ${name}`);
    if (only !== undefined && name !== only) continue;
    const deflated = segment.slice(colon + 1);
    const json = inflate(deflated);
    cache?.set(name, { json, deflated });
    parts[name] = json;
  }
  return parts;
}

function parseRaw(text: string, cache?: PartCache): Raw {
  if (!text.startsWith(PARTS)) {
    const json = text.startsWith(COMPRESSED)
      ? zlib.inflateRawSync(Buffer.from(text.slice(COMPRESSED.length), "base64")).toString("utf8")
      : text;
    return JSON.parse(json) as Raw;
  }
  const parts = readParts(text, undefined, cache);
  for (const name of PART_NAMES) if (parts[name] === undefined) throw new Error(`stored scenario instance is damaged: no part ${name}`);
  return {
    ...(JSON.parse(parts.rest ?? "") as Omit<Raw, "cluster" | "shell" | "requests" | "why" | "transcript">),
    cluster: parts.cluster ?? "",
    shell: JSON.parse(parts.shell ?? "") as Raw["shell"],
    requests: JSON.parse(parts.requests ?? "") as Raw["requests"],
    why: JSON.parse(parts.why ?? "") as Raw["why"],
    transcript: JSON.parse(parts.transcript ?? "") as Raw["transcript"],
  };
}

/** Only the endpoint and whether the API server is down (what the TLS handshake needs, not the cluster). */
export function parseEndpoint(text: string): Pick<InstanceState, "endpoint" | "apiServerDown"> {
  const raw = text.startsWith(PARTS)
    ? (JSON.parse(readParts(text, "rest").rest ?? "{}") as Pick<InstanceState, "endpoint" | "apiServerDown">)
    : parseRaw(text);
  return raw.apiServerDown === true ? { endpoint: raw.endpoint, apiServerDown: true } : { endpoint: raw.endpoint };
}

/** The instance a stored text holds; with `cache`, its parts as read (for the next serializeInstance). */
export function parseInstance(text: string, cache?: PartCache): InstanceState {
  const raw = parseRaw(text, cache);
  const cluster = restoreCluster(raw.cluster);
  if (!cluster.ok) throw new Error(`stored scenario instance is damaged: ${cluster.error}`);
  return { ...raw, cluster: cluster.state };
}
