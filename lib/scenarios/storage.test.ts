import zlib from "node:zlib";
import { describe, expect, it } from "vitest";
import { getScenarioDefinition } from "./catalog";
import { execute } from "./execute";
import { createInstance, recordRequests, type RequestRecord } from "./instance";
import {
  ALL_BUT_REQUESTS,
  appendedOf,
  appendRequestRecord,
  NONE_APPENDED,
  InstanceTooLargeError,
  STORED_IN_BLOCKS,
  keepTailInBlocks,
  parseEndpoint,
  parseInstance,
  serializeInstance,
  type PartCache,
} from "./storage";
import { serializeCluster } from "../k8s";

async function instance() {
  const scenario = getScenarioDefinition("unauthorized-or-forbidden");
  if (!scenario) throw new Error("no scenario");
  return createInstance(scenario);
}

describe("stored instances", () => {
  it("round-trips an instance through the part-wise form, and reads the endpoint alone", async () => {
    const original = await instance();
    await execute(original, "kubectl get pods -n payments");
    const text = serializeInstance(original);
    expect(text.startsWith("z2:")).toBe(true);
    expect(JSON.parse(JSON.stringify(parseInstance(text)))).toEqual(JSON.parse(JSON.stringify(original)));
    expect(parseEndpoint(text)).toEqual({ endpoint: original.endpoint });
  });

  it("still reads the first form (one deflated JSON)", async () => {
    const original = await instance();
    const old = `z1:${zlib.deflateRawSync(JSON.stringify({ ...original, cluster: serializeCluster(original.cluster) })).toString("base64")}`;
    expect(JSON.parse(JSON.stringify(parseInstance(old)))).toEqual(JSON.parse(JSON.stringify(original)));
    expect(parseEndpoint(old).endpoint).toEqual(original.endpoint);
  });

  it("deflates again only the parts whose JSON changed, and gives the same text as without the cache", async () => {
    const current = await instance();
    const cache: PartCache = new Map();
    const first = serializeInstance(current, Number.POSITIVE_INFINITY, cache);
    const deflatedBefore = new Map([...cache].map(([name, part]) => [name, part.deflated]));
    current.transcript += "$ pwd\n/home/student\n";
    const second = serializeInstance(current, Number.POSITIVE_INFINITY, cache);
    expect(second).toBe(serializeInstance(current));
    expect(second).not.toBe(first);
    for (const [name, part] of cache) {
      if (name === "transcript") expect(part.deflated).not.toBe(deflatedBefore.get(name));
      else expect(part.deflated).toBe(deflatedBefore.get(name));
    }
    expect(parseInstance(second).transcript).toBe(current.transcript);
  });

  it("after a practice API read serializes only the request history, and gives the same text as a full save", async () => {
    const current = await instance();
    const cache: PartCache = new Map();
    const stored = serializeInstance(current, Number.POSITIVE_INFINITY, cache);
    const readCache: PartCache = new Map();
    const read = parseInstance(stored, readCache);
    for (let index = 0; index < 3; index++) {
      read.requests.push({ method: "GET", url: `/api/v1/pods?n=${index}`, status: 200, via: "practice-api" });
      const partial = serializeInstance(read, Number.POSITIVE_INFINITY, readCache, ALL_BUT_REQUESTS);
      expect(partial).toBe(serializeInstance(read));
      expect(parseInstance(partial).requests).toEqual(read.requests);
    }
    // What it vouches for is taken as it is: a change to another part is not seen (the caller must not claim it).
    read.transcript = "changed";
    expect(parseInstance(serializeInstance(read, Number.POSITIVE_INFINITY, readCache, ALL_BUT_REQUESTS)).transcript).toBe(
      current.transcript,
    );
    // The size limit still counts every part.
    expect(() => serializeInstance(read, stored.length, readCache, ALL_BUT_REQUESTS)).toThrow(InstanceTooLargeError);
  });

  it("stores the request history in blocks: a new record deflates only the last block, and the text is the same as without the cache", async () => {
    const current = await instance();
    const record = (index: number) => ({ method: "GET", url: `/api/v1/pods?n=${index}`, status: 200, via: "practice-api" as const });
    current.requests = Array.from({ length: 151 }, (_, index) => record(index));
    const cache: PartCache = new Map();
    const before = serializeInstance(current, Number.POSITIVE_INFINITY, cache);
    const chunksBefore = (cache.get("requests")?.deflated ?? "").split(",");
    expect(chunksBefore).toHaveLength(Math.ceil(151 / STORED_IN_BLOCKS.requests));

    current.requests = keepTailInBlocks([...current.requests, record(151)], 150, "requests");
    const after = serializeInstance(current, Number.POSITIVE_INFINITY, cache, ALL_BUT_REQUESTS);
    expect(after).toBe(serializeInstance(current));
    const chunksAfter = (cache.get("requests")?.deflated ?? "").split(",");
    expect(chunksAfter.slice(0, -1)).toEqual(chunksBefore.slice(0, -1));
    expect(chunksAfter.at(-1)).not.toBe(chunksBefore.at(-1));
    // Every block is deflated but the last, which changes with every record and is stored plain.
    expect(chunksAfter.map((chunk) => chunk.startsWith("."))).toEqual([false, false, false, false, false, false, true]);
    expect(parseInstance(after).requests).toEqual(current.requests);
    expect(parseInstance(before).requests).toHaveLength(151);

    // Over the limit by a whole block, the oldest block goes: the blocks that stay are stored as they were.
    current.requests = keepTailInBlocks(
      [...current.requests, ...Array.from({ length: 23 }, (_, index) => record(152 + index))],
      150,
      "requests",
    );
    expect(current.requests).toHaveLength(150);

    expect(current.requests[0]).toEqual(record(25));
    const trimmed = serializeInstance(current, Number.POSITIVE_INFINITY, cache, ALL_BUT_REQUESTS);
    expect(trimmed).toBe(serializeInstance(current));
    expect((cache.get("requests")?.deflated ?? "").split(",").slice(0, 4)).toEqual(chunksAfter.slice(1, 5));
    const plainBlocks = () => (cache.get("requests")?.deflated ?? "").split(",").map((chunk) => chunk.startsWith("."));
    expect(plainBlocks()).toEqual([false, false, false, false, false, true]);
    // The block that was last when it filled up is deflated once another follows it.
    current.requests = keepTailInBlocks([...current.requests, record(175)], 150, "requests");
    expect(serializeInstance(current, Number.POSITIVE_INFINITY, cache, ALL_BUT_REQUESTS)).toBe(serializeInstance(current));
    expect(plainBlocks()).toEqual([false, false, false, false, false, false, true]);
  });

  it("keeps between the limit and a block less than the limit plus a block", () => {
    const items = (length: number) => Array.from({ length }, (_, index) => index);
    expect(keepTailInBlocks(items(150), 150, "requests")).toHaveLength(150);
    expect(keepTailInBlocks(items(174), 150, "requests")).toHaveLength(174);
    expect(keepTailInBlocks(items(175), 150, "requests")).toEqual(items(175).slice(25));
  });

  it("reads a request history stored whole (before blocks), and an empty one", async () => {
    const current = await instance();
    current.requests = Array.from({ length: 40 }, (_, index) => ({ method: "GET", url: `/api/v1/pods?n=${index}`, status: 401 }));
    const text = serializeInstance(current);
    const whole = `requests:${zlib.deflateRawSync(JSON.stringify(current.requests)).toString("base64")}`;
    const old = text.replace(/requests:[^;]*/, whole);
    expect(old).not.toBe(text);
    const cache: PartCache = new Map();
    expect(parseInstance(old, cache).requests).toEqual(current.requests);
    expect(serializeInstance(parseInstance(old), Number.POSITIVE_INFINITY, cache)).toBe(text);
    current.requests = [];
    current.why = [];
    expect(parseInstance(serializeInstance(current)).requests).toEqual([]);
    expect(parseInstance(serializeInstance(current)).why).toEqual([]);
  });

  it("refuses an instance over the limit before touching the cache", async () => {
    const current = await instance();
    const cache: PartCache = new Map();
    serializeInstance(current, Number.POSITIVE_INFINITY, cache);
    const before = new Map(cache);
    current.transcript = "x".repeat(100_000);
    expect(() => serializeInstance(current, 50_000, cache)).toThrow(InstanceTooLargeError);
    expect(cache).toEqual(before);
  });

  it("a record appended to the stored text reads as recordRequests would have kept it, trimmed in blocks too", async () => {
    const current = await instance();
    const record = (index: number): RequestRecord => ({
      method: "GET",
      url: `/api/v1/namespaces/default/pods?n=${index}`,
      status: 200,
      via: "practice-api",
    });
    // Up to a block's worth appended to histories of every length around the trim (150) and block (25) edges.
    for (const length of [0, 1, 24, 25, 149, 150, 160, 174]) {
      current.requests = Array.from({ length }, (_, index) => record(index));
      const cache: PartCache = new Map();
      let text = serializeInstance(current, Number.POSITIVE_INFINITY, cache);
      let appended = NONE_APPENDED;
      for (let index = length; index < length + 24; index++) {
        recordRequests(current, [record(index)]);
        const added = current.requests.at(-1);
        if (added === undefined) throw new Error("not recorded");
        const chunk = appendRequestRecord(added, appended, Number.POSITIVE_INFINITY, cache);
        if (chunk === undefined) throw new Error(`not appended at ${index}`);
        text += chunk;
        appended = appendedOf(text);
        expect(appended.count).toBe(index - length + 1);
        expect(parseInstance(text)).toEqual(current);
      }
      // A block's worth is appended: the next record is stored with the whole text.
      expect(appendRequestRecord(record(0), appended, Number.POSITIVE_INFINITY, cache)).toBeUndefined();
      // Storing it whole again (as the worker does) folds the appended records into the blocks.
      const parsedCache: PartCache = new Map();
      const parsed = parseInstance(text, parsedCache);
      expect(serializeInstance(parsed, Number.POSITIVE_INFINITY, parsedCache)).toBe(serializeInstance(current));
      expect(parseEndpoint(text)).toEqual(parseEndpoint(serializeInstance(current)));
    }
  });

  it("appends nothing that would take the instance over its limit, or to a text not in parts", async () => {
    const current = await instance();
    const cache: PartCache = new Map();
    const text = serializeInstance(current, Number.POSITIVE_INFINITY, cache);
    const record = { method: "GET", url: "/api/v1/pods", status: 200 };
    const bytes = [...cache.values()].reduce((sum, part) => sum + (part.bytes ?? Buffer.byteLength(part.json ?? "", "utf8")), 0);
    expect(appendRequestRecord(record, NONE_APPENDED, bytes + 500, cache)).toBeDefined();
    expect(appendRequestRecord(record, NONE_APPENDED, bytes + 10, cache)).toBeUndefined();
    expect(appendRequestRecord(record, { count: 1, chars: 600 }, bytes + 500, cache)).toBeUndefined();
    // The first stored form (one deflated JSON) has no parts: its instance is stored whole.
    const first = `z1:${zlib.deflateRawSync(JSON.stringify({ ...current, cluster: serializeCluster(current.cluster) })).toString("base64")}`;
    const firstCache: PartCache = new Map();
    parseInstance(first, firstCache);
    expect(appendRequestRecord(record, appendedOf(first), Number.POSITIVE_INFINITY, firstCache)).toBeUndefined();
    expect(appendedOf(text)).toEqual(NONE_APPENDED);
  });

  it("stores a history of one request repeated in small blocks: each deflated", async () => {
    const current = await instance();
    current.requests = Array.from({ length: 150 }, () => ({ method: "GET", url: "/api/v1/pods", status: 200 }));
    const cache: PartCache = new Map();
    serializeInstance(current, Number.POSITIVE_INFINITY, cache);
    // Six blocks of the same JSON: all deflated once (the last takes the form of the ones before it).
    const chunks = (cache.get("requests")?.deflated ?? "").split(",");
    expect(chunks.map((chunk) => chunk.startsWith("."))).toEqual([false, false, false, false, false, false]);
    expect(new Set(chunks).size).toBe(1);
    expect(parseInstance(serializeInstance(current, Number.POSITIVE_INFINITY, cache)).requests).toEqual(current.requests);
  });

  it("rejects a damaged text", async () => {
    expect(() => parseInstance("z2:nope:AAAA")).toThrow(/damaged/);
    const stored = serializeInstance(await instance());
    expect(() => parseInstance(`${stored}|bm90IGpzb24=`)).toThrow(/damaged/);
  });
});
