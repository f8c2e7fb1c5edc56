import zlib from "node:zlib";
import { restoreCluster, serializeCluster } from "../k8s";
import type { InstanceState } from "./instance";

const COMPRESSED = "z1:";

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
 * The stored form: the cluster in the engine's own serialization, the rest as JSON, deflated
 * (PEM, base64 and repeated traces compress about 4:1), so 10,000 instances stay small.
 */
export function serializeInstance(instance: InstanceState, maxBytes = Number.POSITIVE_INFINITY): string {
  const json = JSON.stringify({ ...instance, cluster: serializeCluster(instance.cluster) });
  // The limit is on the uncompressed form: that is what every load parses (and what deflate could hide).
  const bytes = Buffer.byteLength(json, "utf8");
  if (bytes > maxBytes) throw new InstanceTooLargeError(bytes, maxBytes);
  return COMPRESSED + zlib.deflateRawSync(json, { level: 6 }).toString("base64");
}

function parseRaw(text: string): Omit<InstanceState, "cluster"> & { cluster: string } {
  const json = text.startsWith(COMPRESSED)
    ? zlib.inflateRawSync(Buffer.from(text.slice(COMPRESSED.length), "base64")).toString("utf8")
    : text;
  return JSON.parse(json) as Omit<InstanceState, "cluster"> & { cluster: string };
}

/** Only the endpoint and whether the API server is down (what the TLS handshake needs, not the cluster). */
export function parseEndpoint(text: string): Pick<InstanceState, "endpoint" | "apiServerDown"> {
  const raw = parseRaw(text);
  return raw.apiServerDown === true ? { endpoint: raw.endpoint, apiServerDown: true } : { endpoint: raw.endpoint };
}

export function parseInstance(text: string): InstanceState {
  const raw = parseRaw(text);
  const cluster = restoreCluster(raw.cluster);
  if (!cluster.ok) throw new Error(`stored scenario instance is damaged: ${cluster.error}`);
  return { ...raw, cluster: cluster.state };
}
