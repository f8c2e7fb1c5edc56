/**
 * The RBAC authorizer's view of the store (the four listers), converted field by field from stored
 * JSON into lib/k8s/authz types, with ClusterRole aggregation applied as the controller would.
 * Memoized per state object and resourceVersion so repeated requests do not rebuild it.
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
import { arrayField, isJsonObject, objectField, stringArrayField, stringField, type JsonObject } from "./json";
import type { ClusterState } from "./state";
import { listObjects } from "./store";

const memo = new WeakMap<ClusterState, { version: string; source: RbacSource }>();

export function rbacSourceOf(state: ClusterState): RbacSource {
  const version = `${state.lastResourceVersion}|${state.shadowedBootstrap.length}`;
  const cached = memo.get(state);
  if (cached !== undefined && cached.version === version) return cached.source;
  const source: RbacSource = {
    roles: listObjects(state, "roles.rbac.authorization.k8s.io", undefined).map(toRole),
    clusterRoles: aggregateClusterRoles(listObjects(state, "clusterroles.rbac.authorization.k8s.io", undefined).map(toClusterRole)),
    roleBindings: listObjects(state, "rolebindings.rbac.authorization.k8s.io", undefined).map(toRoleBinding),
    clusterRoleBindings: listObjects(state, "clusterrolebindings.rbac.authorization.k8s.io", undefined).map(toClusterRoleBinding),
  };
  memo.set(state, { version, source });
  return source;
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
  return { apiVersion: RBAC_API_VERSION, kind: "RoleBinding", metadata: toMeta(object), subjects: toSubjects(object), roleRef: toRoleRef(object) };
}

function toClusterRoleBinding(object: JsonObject): ClusterRoleBinding {
  return { apiVersion: RBAC_API_VERSION, kind: "ClusterRoleBinding", metadata: toMeta(object), subjects: toSubjects(object), roleRef: toRoleRef(object) };
}
