/**
 * What a real cluster's storage refuses, answered the way kube-apiserver 1.32 answers:
 *
 * - A write request body over 3 MiB: 413 RequestEntityTooLarge "Request entity too large: limit is
 *   3145728" (apiserver's MaxRequestBodyBytes, checked before decoding).
 * - A ConfigMap or Secret whose data is over 1 MiB: 422 Invalid
 *   `ConfigMap "x" is invalid: []: Too long: must have at most 1048576 bytes` (ValidateConfigMap /
 *   ValidateSecret; UNVERIFIED for 1.32: later apimachinery words TooLong as "may not be more than").
 * - An object over etcd's --max-request-bytes (1.5 MiB): etcd answers "etcdserver: request is too
 *   large" and the apiserver passes it on as a Status with code 500 and no reason (kubernetes issues
 *   #74600 and #112152, still open: the error is not mapped to an API status).
 * - Per instance, more than `maxObjects` objects or `maxTotalBytes` of stored objects: the spec is
 *   silent; we answer like an etcd whose backend quota is exhausted (the NOSPACE alarm): 500
 *   "etcdserver: mvcc: database space exceeded", which is what every write gets from a real cluster
 *   whose etcd is full. Chosen over a quota-style 403 because no ResourceQuota object exists that the
 *   learner could inspect, and over 507, which kube-apiserver never sends. Reads and deletes still work.
 */
import type { JsonObject } from "../json";
import type { ClusterState } from "../cluster/state";
import { invalidStatus, type KubeStatus } from "./status";

export const STORE_LIMITS = {
  maxRequestBodyBytes: 3 * 1024 * 1024,
  maxObjectBytes: 1.5 * 1024 * 1024,
  maxConfigDataBytes: 1024 * 1024,
  maxObjects: 2000,
  maxTotalBytes: 3 * 1024 * 1024,
};

export function requestEntityTooLargeStatus(): KubeStatus {
  return {
    kind: "Status",
    apiVersion: "v1",
    metadata: {},
    status: "Failure",
    message: `Request entity too large: limit is ${STORE_LIMITS.maxRequestBodyBytes}`,
    reason: "RequestEntityTooLarge",
    code: 413,
  };
}

function etcdStatus(message: string): KubeStatus {
  // apierrors for a non-Status error: code 500, reason "" (StatusReasonUnknown), the error text as message.
  return { kind: "Status", apiVersion: "v1", metadata: {}, status: "Failure", message, code: 500 };
}

function byteSize(value: unknown): number {
  return Buffer.byteLength(JSON.stringify(value) ?? "");
}

/** Bytes of a ConfigMap's or Secret's data, as ValidateConfigMap/ValidateSecret count them (keys and values). */
function dataBytes(object: JsonObject): number {
  let total = 0;
  for (const field of ["data", "binaryData", "stringData"]) {
    const map = object[field];
    if (map === null || typeof map !== "object" || Array.isArray(map)) continue;
    for (const [key, value] of Object.entries(map)) {
      const text = typeof value === "string" ? value : "";
      total += key.length + (field === "data" && object.kind === "Secret" ? Math.floor((text.length * 3) / 4) : Buffer.byteLength(text));
    }
  }
  return total;
}

/**
 * Why storing `object` (replacing `existing`, if any) must be refused, or undefined. Called after
 * validation, right before the write.
 */
export function storageRefusal(
  state: ClusterState,
  kind: string,
  name: string,
  object: JsonObject,
  existing?: JsonObject,
): KubeStatus | undefined {
  if ((kind === "ConfigMap" || kind === "Secret") && dataBytes(object) > STORE_LIMITS.maxConfigDataBytes) {
    return invalidStatus(kind, "", name, [
      { type: "Too long", field: "[]", detail: `must have at most ${STORE_LIMITS.maxConfigDataBytes} bytes` },
    ]);
  }
  const size = byteSize(object);
  if (size > STORE_LIMITS.maxObjectBytes) return etcdStatus("etcdserver: request is too large");
  let count = existing ? 0 : 1;
  let total = size - (existing ? byteSize(existing) : 0);
  for (const bucket of Object.values(state.objects)) {
    for (const stored of Object.values(bucket)) {
      count++;
      total += byteSize(stored);
    }
  }
  if (count > STORE_LIMITS.maxObjects || total > STORE_LIMITS.maxTotalBytes) return etcdStatus("etcdserver: mvcc: database space exceeded");
  return undefined;
}
