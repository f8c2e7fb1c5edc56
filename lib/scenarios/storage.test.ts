import zlib from "node:zlib";
import { describe, expect, it } from "vitest";
import { getScenarioDefinition } from "./catalog";
import { execute } from "./execute";
import { createInstance } from "./instance";
import { ALL_BUT_REQUESTS, InstanceTooLargeError, parseEndpoint, parseInstance, serializeInstance, type PartCache } from "./storage";
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

  it("refuses an instance over the limit before touching the cache", async () => {
    const current = await instance();
    const cache: PartCache = new Map();
    serializeInstance(current, Number.POSITIVE_INFINITY, cache);
    const before = new Map(cache);
    current.transcript = "x".repeat(100_000);
    expect(() => serializeInstance(current, 50_000, cache)).toThrow(InstanceTooLargeError);
    expect(cache).toEqual(before);
  });

  it("rejects a damaged text", () => {
    expect(() => parseInstance("z2:nope:AAAA")).toThrow(/damaged/);
  });
});
