/**
 * The RBAC authorizer's view of the store (the four listers), converted field by field from stored
 * JSON into lib/k8s/authz types, with ClusterRole aggregation applied as the controller would.
 *
 * Memoized twice, never serving a stale view:
 * - per state object, under (lastResourceVersion, shadowed bootstrap objects, store writes), so the
 *   requests of one command share it and any write (a removed RoleBinding) rebuilds it;
 * - per content, for a state restored from storage (a new object per terminal command): the key is the
 *   identity of the derived bootstrap objects (memoized per seed, install time and CA), the stored RBAC
 *   objects as JSON and the shadowed RBAC bootstrap keys, i.e. everything listObjects reads here.
 */
import {
  aggregateClusterRoles,
  RBAC_API_VERSION,
  type ClusterRole,
  type ClusterRoleBinding,
  type ObjectMeta,
  type PolicyRule,
  type RbacSource,
  type Role,
  type RoleBinding,
  type RoleRef,
  type Subject,
} from "../authz";
import { arrayField, isJsonObject, objectField, stringArrayField, stringField, type JsonObject } from "../json";
import type { ClusterState } from "./state";
import { bootstrapObjects } from "./bootstrap";
import { listObjects, storeRevision } from "./store";

const RBAC_RESOURCE_KEYS = [
  "roles.rbac.authorization.k8s.io",
  "clusterroles.rbac.authorization.k8s.io",
  "rolebindings.rbac.authorization.k8s.io",
  "clusterrolebindings.rbac.authorization.k8s.io",
];

const memo = new WeakMap<ClusterState, { version: string; source: RbacSource }>();
const byContent = new Map<string, RbacSource>();
const MAX_BY_CONTENT = 200;
const bootstrapIds = new WeakMap<object, number>();
let nextBootstrapId = 1;

function bootstrapIdentity(state: ClusterState): number {
  const derived = bootstrapObjects(state);
  let id = bootstrapIds.get(derived);
  if (id === undefined) {
    id = nextBootstrapId++;
    bootstrapIds.set(derived, id);
  }
  return id;
}

function contentKey(state: ClusterState): string {
  const stored = RBAC_RESOURCE_KEYS.map((key) => JSON.stringify(state.objects[key] ?? {}));
  const shadowed = state.shadowedBootstrap.filter((key) => RBAC_RESOURCE_KEYS.some((resourceKey) => key.startsWith(`${resourceKey}|`)));
  return JSON.stringify([bootstrapIdentity(state), stored, shadowed]);
}

export function rbacSourceOf(state: ClusterState): RbacSource {
  const version = `${state.lastResourceVersion}|${state.shadowedBootstrap.length}|${storeRevision(state)}`;
  const cached = memo.get(state);
  if (cached !== undefined && cached.version === version) return cached.source;
  const key = contentKey(state);
  let source = byContent.get(key);
  if (source === undefined) {
    source = buildSource(state);
    if (byContent.size >= MAX_BY_CONTENT) byContent.clear();
    byContent.set(key, source);
  }
  memo.set(state, { version, source });
  return source;
}

function buildSource(state: ClusterState): RbacSource {
  return {
    roles: listObjects(state, "roles.rbac.authorization.k8s.io", undefined).map(toRole),
    clusterRoles: aggregateClusterRoles(listObjects(state, "clusterroles.rbac.authorization.k8s.io", undefined).map(toClusterRole)),
    roleBindings: listObjects(state, "rolebindings.rbac.authorization.k8s.io", undefined).map(toRoleBinding),
    clusterRoleBindings: listObjects(state, "clusterrolebindings.rbac.authorization.k8s.io", undefined).map(toClusterRoleBinding),
  };
}

function toMeta(object: JsonObject): ObjectMeta & { namespace: string } {
  const metadata = objectField(object, "metadata");
  const labels: Record<string, string> = {};
  for (const [key, value] of Object.entries(objectField(metadata, "labels") ?? {})) {
    if (typeof value === "string") labels[key] = value;
  }
  return { name: stringField(metadata, "name") ?? "", namespace: stringField(metadata, "namespace") ?? "", labels };
}

function toRules(object: JsonObject): PolicyRule[] {
  return (arrayField(object, "rules") ?? []).filter(isJsonObject).map((rule) => {
    const out: PolicyRule = { verbs: stringArrayField(rule, "verbs") };
    if (rule.apiGroups !== undefined) out.apiGroups = stringArrayField(rule, "apiGroups");
    if (rule.resources !== undefined) out.resources = stringArrayField(rule, "resources");
    if (rule.resourceNames !== undefined) out.resourceNames = stringArrayField(rule, "resourceNames");
    if (rule.nonResourceURLs !== undefined) out.nonResourceURLs = stringArrayField(rule, "nonResourceURLs");
    return out;
  });
}

function toSubjects(object: JsonObject): Subject[] {
  return (arrayField(object, "subjects") ?? []).filter(isJsonObject).map((subject) => {
    const out: Subject = { kind: stringField(subject, "kind") ?? "", name: stringField(subject, "name") ?? "" };
    const apiGroup = stringField(subject, "apiGroup");
    const namespace = stringField(subject, "namespace");
    if (apiGroup !== undefined) out.apiGroup = apiGroup;
    if (namespace !== undefined) out.namespace = namespace;
    return out;
  });
}

function toRoleRef(object: JsonObject): RoleRef {
  const ref = objectField(object, "roleRef");
  return { apiGroup: stringField(ref, "apiGroup") ?? "", kind: stringField(ref, "kind") ?? "", name: stringField(ref, "name") ?? "" };
}

function toRole(object: JsonObject): Role {
  return { apiVersion: RBAC_API_VERSION, kind: "Role", metadata: toMeta(object), rules: toRules(object) };
}

function toClusterRole(object: JsonObject): ClusterRole {
  const role: ClusterRole = { apiVersion: RBAC_API_VERSION, kind: "ClusterRole", metadata: toMeta(object), rules: toRules(object) };
  const aggregation = objectField(object, "aggregationRule");
  if (aggregation !== undefined) {
    role.aggregationRule = {
      clusterRoleSelectors: (arrayField(aggregation, "clusterRoleSelectors") ?? []).filter(isJsonObject).map((selector) => {
        const matchLabels: Record<string, string> = {};
        for (const [key, value] of Object.entries(objectField(selector, "matchLabels") ?? {})) {
          if (typeof value === "string") matchLabels[key] = value;
        }
        return { matchLabels };
      }),
    };
  }
  return role;
}

function toRoleBinding(object: JsonObject): RoleBinding {
  return {
    apiVersion: RBAC_API_VERSION,
    kind: "RoleBinding",
    metadata: toMeta(object),
    subjects: toSubjects(object),
    roleRef: toRoleRef(object),
  };
}

function toClusterRoleBinding(object: JsonObject): ClusterRoleBinding {
  return {
    apiVersion: RBAC_API_VERSION,
    kind: "ClusterRoleBinding",
    metadata: toMeta(object),
    subjects: toSubjects(object),
    roleRef: toRoleRef(object),
  };
}
