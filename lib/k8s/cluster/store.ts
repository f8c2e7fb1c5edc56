/**
 * The object store: stored objects layered over derived bootstrap objects (default namespaces, their
 * "default" ServiceAccounts, bootstrap RBAC). Writing or deleting a bootstrap object shadows the derived
 * copy, so only changes are stored.
 */
import { bootstrapObjects } from "./bootstrap";
import { isJsonObject, objectField, stringField, type JsonObject } from "../json";
import type { ClusterState } from "./state";

/**
 * Writes through this module per state object (not serialized): with lastResourceVersion it tells
 * memos derived from objects (the RBAC view) that something changed, even for a write that did not
 * take a new resourceVersion.
 */
const revisions = new WeakMap<ClusterState, number>();

export function storeRevision(state: ClusterState): number {
  return revisions.get(state) ?? 0;
}

function touch(state: ClusterState): void {
  revisions.set(state, storeRevision(state) + 1);
}

export function objectKey(namespace: string, name: string): string {
  return `${namespace}/${name}`;
}

function shadowKey(resourceKey: string, key: string): string {
  return `${resourceKey}|${key}`;
}

export function metadataOf(object: JsonObject): JsonObject {
  const metadata = object.metadata;
  if (isJsonObject(metadata)) return metadata;
  const fresh: JsonObject = {};
  object.metadata = fresh;
  return fresh;
}

export function nameOf(object: JsonObject): string {
  return stringField(objectField(object, "metadata"), "name") ?? "";
}

export function namespaceOf(object: JsonObject): string {
  return stringField(objectField(object, "metadata"), "namespace") ?? "";
}

/** Reads one object; the result must be treated as read-only (clone before changing). */
export function getObject(state: ClusterState, resourceKey: string, namespace: string, name: string): JsonObject | undefined {
  const key = objectKey(namespace, name);
  const stored = state.objects[resourceKey]?.[key];
  if (stored !== undefined) return stored;
  if (state.shadowedBootstrap.includes(shadowKey(resourceKey, key))) return undefined;
  return bootstrapObjects(state).get(resourceKey)?.get(key);
}

/** Lists objects in etcd key order (namespace, then name); namespace undefined means all namespaces. */
export function listObjects(state: ClusterState, resourceKey: string, namespace: string | undefined): JsonObject[] {
  const merged = new Map<string, JsonObject>();
  const shadowed = new Set(state.shadowedBootstrap);
  for (const [key, object] of bootstrapObjects(state).get(resourceKey) ?? []) {
    if (!shadowed.has(shadowKey(resourceKey, key))) merged.set(key, object);
  }
  for (const [key, object] of Object.entries(state.objects[resourceKey] ?? {})) merged.set(key, object);
  const keys = [...merged.keys()].filter((key) => namespace === undefined || key.startsWith(`${namespace}/`)).sort(compareKeys);
  const result: JsonObject[] = [];
  for (const key of keys) {
    const object = merged.get(key);
    if (object !== undefined) result.push(object);
  }
  return result;
}

function compareKeys(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** Stores (creates or replaces) an object under its metadata namespace/name. */
export function putObject(state: ClusterState, resourceKey: string, object: JsonObject): void {
  const key = objectKey(namespaceOf(object), nameOf(object));
  const bucket = state.objects[resourceKey] ?? {};
  bucket[key] = object;
  state.objects[resourceKey] = bucket;
  markShadowed(state, resourceKey, key);
  touch(state);
}

export function deleteObject(state: ClusterState, resourceKey: string, namespace: string, name: string): boolean {
  const key = objectKey(namespace, name);
  const existed = getObject(state, resourceKey, namespace, name) !== undefined;
  const bucket = state.objects[resourceKey];
  if (bucket !== undefined && key in bucket) {
    delete bucket[key];
    if (Object.keys(bucket).length === 0) delete state.objects[resourceKey];
  }
  markShadowed(state, resourceKey, key);
  touch(state);
  return existed;
}

function markShadowed(state: ClusterState, resourceKey: string, key: string): void {
  if (bootstrapObjects(state).get(resourceKey)?.has(key) !== true) return;
  const shadow = shadowKey(resourceKey, key);
  if (!state.shadowedBootstrap.includes(shadow)) state.shadowedBootstrap.push(shadow);
}
