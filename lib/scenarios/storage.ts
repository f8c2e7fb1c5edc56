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

/**
 * Each part's JSON (`json`; for a part stored in blocks, each block's JSON → its deflated form,
 * `blocks`) and its stored form as last stored or read (one per instance, kept by its worker).
 */
export type PartCache = Map<PartName, { json?: string; blocks?: Map<string, string>; deflated: string; bytes?: number }>;

/** Parts a caller knows it did not change since the cache was filled (e.g. a practice API read: all but `requests`). */
export type UnchangedParts = ReadonlySet<PartName>;

/** Every part but the request history: what a practice API request that changed nothing in the cluster leaves as it was. */
export const ALL_BUT_REQUESTS: UnchangedParts = new Set(PART_NAMES.filter((name) => name !== "requests"));

/**
 * The list parts stored in blocks of this many items (every block from the first item on, each
 * deflated on its own): a new item changes only the last block, so a request that adds one record
 * to a history of 150 deflates one block of at most 25, not the whole history. The list is trimmed
 * in whole blocks (`keepTailInBlocks`) so that the blocks stay aligned as they are dropped. (The
 * "why?" list is not: a kubectl command replaces most of its 15 entries at once.)
 */
export const STORED_IN_BLOCKS = { requests: 25 } as const;

/** The request history keeps at least this many records once reached (and fewer than a block more). */
export const REQUESTS_KEPT = 150;
type BlockedPart = keyof typeof STORED_IN_BLOCKS;

/**
 * The last `limit` items or a few more: once over `limit`, the oldest go in whole blocks of the
 * part's block size, so between `limit` and `limit + block - 1` are kept.
 */
export function keepTailInBlocks<T>(items: T[], limit: number, part: BlockedPart): T[] {
  const block = STORED_IN_BLOCKS[part];
  const over = items.length - limit;
  return over < block ? items : items.slice(over - (over % block));
}

function isBlocked(name: PartName): name is BlockedPart {
  return name in STORED_IN_BLOCKS;
}

/** Request records are never changed once recorded (lib/scenarios/instance.ts `recordRequests`). */
const itemJsons = new WeakMap<object, string>();

function itemJson(item: unknown): string {
  // A stored instance holds only objects here; anything else is written as JSON.stringify would.
  if (typeof item !== "object" || item === null) return JSON.stringify(item) ?? "null";
  let json = itemJsons.get(item);
  if (json === undefined) {
    json = JSON.stringify(item);
    itemJsons.set(item, json);
  }
  return json;
}

/** A block's JSON, kept with the items it was made of (compared by identity: items never change). */
const blockMemo = new WeakMap<object, { items: readonly unknown[]; json: string; bytes: number }>();

function blockOf(items: readonly unknown[], start: number, size: number): { json: string; bytes: number } {
  const length = Math.min(size, items.length - start);
  const first = items[start];
  const key = typeof first === "object" && first !== null ? first : undefined;
  const memo = key === undefined ? undefined : blockMemo.get(key);
  if (memo !== undefined && memo.items.length === length && memo.items.every((item, index) => item === items[start + index])) return memo;
  const slice = items.slice(start, start + length);
  const json = `[${slice.map(itemJson).join(",")}]`;
  const block = { items: slice, json, bytes: Buffer.byteLength(json, "utf8") };
  if (key !== undefined) blockMemo.set(key, block);
  return block;
}

function partJson(instance: InstanceState, name: Exclude<PartName, BlockedPart>): string {
  switch (name) {
    case "rest": {
      const { cluster: _cluster, shell: _shell, requests: _requests, why: _why, transcript: _transcript, ...rest } = instance;
      return JSON.stringify(rest);
    }
    case "cluster":
      return serializeCluster(instance.cluster);
    default:
      return JSON.stringify(instance[name]);
  }
}

const deflate = (json: string) => zlib.deflateRawSync(json, { level: 1 }).toString("base64");
const inflate = (deflated: string) => zlib.inflateRawSync(Buffer.from(deflated, "base64")).toString("utf8");
/**
 * The last block of a part in blocks, which changes with every item added: base64 of its JSON after
 * a `.` (not a base64 character), since deflating a few KiB costs more than the bytes it saves.
 */
const PLAIN = ".";
const plain = (json: string) => PLAIN + Buffer.from(json, "utf8").toString("base64");
const unplain = (chunk: string) =>
  chunk.startsWith(PLAIN) ? Buffer.from(chunk.slice(PLAIN.length), "base64").toString("utf8") : inflate(chunk);

/** A part as it is about to be stored: its JSON (or its blocks'), size, and stored form when known. */
interface PendingPart {
  json?: string;
  blocks?: string[];
  bytes: number;
  deflated?: string;
}

function pendingPart(instance: InstanceState, name: PartName): PendingPart {
  if (!isBlocked(name)) {
    const json = partJson(instance, name);
    return { json, bytes: Buffer.byteLength(json, "utf8") };
  }
  const items: readonly unknown[] = instance[name];
  const size = STORED_IN_BLOCKS[name];
  if (items.length === 0) return { blocks: ["[]"], bytes: 2 };
  const blocks: string[] = [];
  // As the one JSON array the blocks are read as: each block's items, a comma between blocks.
  let bytes = 1;
  for (let start = 0; start < items.length; start += size) {
    const block = blockOf(items, start, size);
    blocks.push(block.json);
    bytes += block.bytes - 1;
  }
  return { blocks, bytes };
}

/**
 * The stored form: `z2:` and `name:deflated-base64` per part, joined by `;` (base64 has neither); a
 * part stored in blocks (STORED_IN_BLOCKS) is its blocks' deflated base64 joined by `,`, the last
 * block not deflated (`plain`). The cluster in the engine's own serialization, the rest as JSON,
 * each deflated (PEM, base64 and repeated traces compress about 4:1), so 10,000 instances stay
 * small. With `cache` (the parts of this instance as last stored or read), unchanged parts and
 * blocks are not deflated again; the cache is updated only when the instance is within `maxBytes`.
 * With `unchanged` too, the parts named there are taken from the cache as they are, not even
 * serialized (the caller vouches that the instance's objects behind them are as when the cache was
 * filled): a practice API read serializes only the request history, and of it re-stores only the
 * last block, plain.
 */
export function serializeInstance(
  instance: InstanceState,
  maxBytes = Number.POSITIVE_INFINITY,
  cache?: PartCache,
  unchanged?: UnchangedParts,
): string {
  const parts = new Map<PartName, PendingPart>();
  // The limit is on the uncompressed form: that is what every load parses (and what deflate could hide).
  let bytes = 0;
  for (const name of PART_NAMES) {
    const known = unchanged?.has(name) === true ? cache?.get(name) : undefined;
    const part =
      known !== undefined
        ? { deflated: known.deflated, bytes: known.bytes ?? Buffer.byteLength(known.json ?? "", "utf8") }
        : pendingPart(instance, name);
    parts.set(name, part);
    bytes += part.bytes;
  }
  if (bytes > maxBytes) throw new InstanceTooLargeError(bytes, maxBytes);
  const segments: string[] = [];
  for (const name of PART_NAMES) {
    const part = parts.get(name);
    if (part === undefined) throw new Error(`no part ${name}`);
    const known = cache?.get(name);
    let deflated: string;
    if (part.deflated !== undefined) deflated = part.deflated;
    else if (part.blocks !== undefined) {
      const blocks = new Map<string, string>();
      const last = part.blocks.length - 1;
      const forms = part.blocks.map((block, index) => {
        // A block stored plain while it was the last is deflated once another follows it.
        const stored = blocks.get(block) ?? known?.blocks?.get(block);
        const reusable = stored !== undefined && (index === last || !stored.startsWith(PLAIN));
        const form = reusable ? stored : index === last ? plain(block) : deflate(block);
        // Blocks of the same JSON (a request repeated 25 times) share an entry: keep the deflated form.
        if (blocks.get(block)?.startsWith(PLAIN) !== false) blocks.set(block, form);
        return form;
      });
      deflated = forms.join(",");
      cache?.set(name, { blocks, deflated, bytes: part.bytes });
    } else {
      const json = part.json ?? "";
      deflated = known?.json === json ? known.deflated : deflate(json);
      cache?.set(name, { json, deflated, bytes: part.bytes });
    }
    segments.push(`${name}:${deflated}`);
  }
  return PARTS + segments.join(";");
}

/**
 * A request record appended to a stored text without storing it again: `|` and the record's JSON in
 * base64 (`|` is in neither base64 nor the separators above), after the parts. A practice API read
 * changes only the request history by one record, so its row is updated by appending this (SQL
 * `state || chunk`) instead of writing and sending the whole text (`appendRequestRecord`); reading
 * adds the appended records to the history as `recordRequests` did. At most `MAX_APPENDED` are
 * appended, then the next save stores the whole text again, the records in its blocks.
 */
const APPENDED = "|";
const MAX_APPENDED = STORED_IN_BLOCKS.requests - 1;

/** The stored parts, without the records appended after them. */
function bodyOf(text: string): string {
  const at = text.indexOf(APPENDED);
  return at === -1 ? text : text.slice(0, at);
}

/** The stored parts and the records appended after them. */
function splitAppended(text: string): { body: string; appended: unknown[] } {
  const at = text.indexOf(APPENDED);
  if (at === -1) return { body: text, appended: [] };
  const appended = text
    .slice(at + 1)
    .split(APPENDED)
    .map((chunk) => {
      try {
        return JSON.parse(Buffer.from(chunk, "base64").toString("utf8")) as unknown;
      } catch {
        throw new Error("stored scenario instance is damaged: an appended request record is not JSON");
      }
    });
  return { body: text.slice(0, at), appended };
}

/** The records appended after a stored text's parts: how many, and their length in characters. */
export interface Appended {
  count: number;
  chars: number;
}

export const NONE_APPENDED: Appended = { count: 0, chars: 0 };

/** The records appended to a stored text. */
export function appendedOf(text: string): Appended {
  const at = text.indexOf(APPENDED);
  if (at === -1) return NONE_APPENDED;
  let count = 0;
  for (let next = at; next !== -1; next = text.indexOf(APPENDED, next + 1)) count += 1;
  return { count, chars: text.length - at };
}

/**
 * What to append to a stored text in parts (`cache`: its parts as stored or read; `appended`: what
 * was appended to it since) for one more request record, or undefined when the whole instance must
 * be saved instead: `MAX_APPENDED` are appended already, the cache lacks a part (a text of an older
 * form), or the instance would be over `maxBytes` (which the whole save then reports).
 */
export function appendRequestRecord(record: object, appended: Appended, maxBytes: number, cache: PartCache): string | undefined {
  if (appended.count >= MAX_APPENDED) return undefined;
  let bytes = 0;
  for (const name of PART_NAMES) {
    const part = cache.get(name);
    if (part === undefined) return undefined;
    bytes += part.bytes ?? Buffer.byteLength(part.json ?? "", "utf8");
  }
  const json = itemJson(record);
  // The appended records' JSON is shorter than their base64; a character is at most 3 bytes of UTF-8.
  if (bytes + appended.chars + json.length * 3 > maxBytes) return undefined;
  return APPENDED + Buffer.from(json, "utf8").toString("base64");
}

type Raw = Omit<InstanceState, "cluster"> & { cluster: string };

/**
 * The parts' JSON (the cluster's as text), inflated; fills `cache` with what was read. A part in
 * blocks is read as the one array its blocks make (a part written whole before blocks is one block).
 */
function readParts(text: string, only?: PartName, cache?: PartCache): Partial<Record<PartName, string>> {
  const parts: Partial<Record<PartName, string>> = {};
  for (const segment of text.slice(PARTS.length).split(";")) {
    const colon = segment.indexOf(":");
    const name = segment.slice(0, colon) as PartName;
    if (!PART_NAMES.includes(name)) throw new Error(`stored scenario instance is damaged: unknown part ${name}`);
    if (only !== undefined && name !== only) continue;
    const deflated = segment.slice(colon + 1);
    if (isBlocked(name)) {
      const blocks = new Map<string, string>();
      const jsons = deflated.split(",").map((chunk) => {
        const json = unplain(chunk);
        blocks.set(json, chunk);
        return json;
      });
      const json = `[${jsons
        .map((block) => block.slice(1, -1).trim())
        .filter((inner) => inner !== "")
        .join(",")}]`;
      cache?.set(name, { blocks, deflated, bytes: Buffer.byteLength(json, "utf8") });
      parts[name] = json;
      continue;
    }
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
  const { body, appended } = splitAppended(text);
  const parts = readParts(body, undefined, cache);
  for (const name of PART_NAMES) if (parts[name] === undefined) throw new Error(`stored scenario instance is damaged: no part ${name}`);
  return {
    ...(JSON.parse(parts.rest ?? "") as Omit<Raw, "cluster" | "shell" | "requests" | "why" | "transcript">),
    cluster: parts.cluster ?? "",
    shell: JSON.parse(parts.shell ?? "") as Raw["shell"],
    requests: withAppended(JSON.parse(parts.requests ?? "") as Raw["requests"], appended as Raw["requests"]),
    why: JSON.parse(parts.why ?? "") as Raw["why"],
    transcript: JSON.parse(parts.transcript ?? "") as Raw["transcript"],
  };
}

/** The history with the records appended after the stored text, trimmed as `recordRequests` does. */
function withAppended(requests: Raw["requests"], appended: Raw["requests"]): Raw["requests"] {
  return appended.length === 0 ? requests : keepTailInBlocks([...requests, ...appended], REQUESTS_KEPT, "requests");
}

/** Only the endpoint and whether the API server is down (what the TLS handshake needs, not the cluster). */
export function parseEndpoint(text: string): Pick<InstanceState, "endpoint" | "apiServerDown"> {
  const raw = text.startsWith(PARTS)
    ? (JSON.parse(readParts(bodyOf(text), "rest").rest ?? "{}") as Pick<InstanceState, "endpoint" | "apiServerDown">)
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
