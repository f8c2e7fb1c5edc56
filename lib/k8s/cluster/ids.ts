/** Deterministic identifiers: everything derives from the cluster seed so tests and replays are stable. */
import { createHash } from "node:crypto";
import type { ClusterState } from "./state";

/** A version-4-shaped UUID from a hash of the seed and a label. */
export function derivedUid(seed: string, label: string): string {
  const hex = createHash("sha256").update(`${seed}\u0000${label}`).digest("hex");
  const variant = ((parseInt(hex.slice(16, 17), 16) & 0x3) | 0x8).toString(16);
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-4${hex.slice(13, 16)}-${variant}${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
}

/** Next fresh uid from the cluster's counter (mutates the state). */
export function nextUid(state: ClusterState): string {
  state.random.counter += 1;
  return derivedUid(state.random.seed, `uid:${state.random.counter}`);
}

/** Fresh bytes for serial numbers and the like (mutates the state). */
export function nextRandomBytes(state: ClusterState, length: number): Uint8Array {
  state.random.counter += 1;
  const out = new Uint8Array(length);
  let offset = 0;
  let block = 0;
  while (offset < length) {
    const digest = createHash("sha256").update(`${state.random.seed}\u0000bytes:${state.random.counter}:${block}`).digest();
    out.set(digest.subarray(0, Math.min(digest.length, length - offset)), offset);
    offset += digest.length;
    block += 1;
  }
  return out;
}

export function nextResourceVersion(state: ClusterState): string {
  state.lastResourceVersion += 1;
  return String(state.lastResourceVersion);
}

/** metav1.Time JSON: RFC3339 with second precision, UTC. */
export function rfc3339(ms: number): string {
  return new Date(Math.floor(ms / 1000) * 1000).toISOString().replace(".000Z", "Z");
}
