/** Shared fixtures for the authz tests (not imported by production code). */
import type { UserInfo } from "../types";
import type { ClusterRole, ClusterRoleBinding, PolicyRule, RbacSource, Role, RoleBinding, RoleRef, Subject } from "./types";
import { RBAC_API_VERSION, RBAC_GROUP } from "./types";
import { bootstrapRbacObjects } from "./bootstrap-policy";

export function user(name: string, groups: string[] = [], extra: Record<string, string[]> = {}): UserInfo {
  return { name, uid: "", groups, extra };
}

export const jane = user("jane", ["dev", "qa", "system:authenticated"]);
export const anonymous = user("system:anonymous", ["system:unauthenticated"]);
export const admin = user("admin", ["system:masters", "system:authenticated"]);

export function role(namespace: string, name: string, rules: PolicyRule[]): Role {
  return { apiVersion: RBAC_API_VERSION, kind: "Role", metadata: { namespace, name }, rules };
}

export function clusterRole(name: string, rules: PolicyRule[] | null): ClusterRole {
  return { apiVersion: RBAC_API_VERSION, kind: "ClusterRole", metadata: { name }, rules };
}

export function roleRef(kind: "Role" | "ClusterRole" | string, name: string): RoleRef {
  return { apiGroup: RBAC_GROUP, kind, name };
}

export function roleBinding(namespace: string, name: string, ref: RoleRef, subjects: Subject[]): RoleBinding {
  return { apiVersion: RBAC_API_VERSION, kind: "RoleBinding", metadata: { namespace, name }, roleRef: ref, subjects };
}

export function clusterRoleBinding(name: string, ref: RoleRef, subjects: Subject[]): ClusterRoleBinding {
  return { apiVersion: RBAC_API_VERSION, kind: "ClusterRoleBinding", metadata: { name }, roleRef: ref, subjects };
}

export const userSubject = (name: string): Subject => ({ kind: "User", apiGroup: RBAC_GROUP, name });
export const groupSubject = (name: string): Subject => ({ kind: "Group", apiGroup: RBAC_GROUP, name });
export const saSubject = (name: string, namespace?: string): Subject =>
  namespace === undefined ? { kind: "ServiceAccount", name } : { kind: "ServiceAccount", name, namespace };

export function source(parts: Partial<RbacSource>): RbacSource {
  return { roles: [], clusterRoles: [], roleBindings: [], clusterRoleBindings: [], ...parts };
}

/** The default cluster plus extra objects. */
export function clusterWith(parts: Partial<RbacSource>): RbacSource {
  const defaults = bootstrapRbacObjects();
  return {
    roles: parts.roles ?? [],
    clusterRoles: [...defaults.clusterRoles, ...(parts.clusterRoles ?? [])],
    roleBindings: parts.roleBindings ?? [],
    clusterRoleBindings: [...defaults.clusterRoleBindings, ...(parts.clusterRoleBindings ?? [])],
  };
}

/** Deterministic PRNG (mulberry32) for fuzz tests. */
export function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
