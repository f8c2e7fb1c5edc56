/**
 * RBAC objects in their rbac.authorization.k8s.io/v1 JSON shapes, and the attributes an
 * authorizer sees (k8s.io/apiserver authorizer.Attributes: RequestInfo plus the user).
 */
import type { UserInfo } from "../types";

export const RBAC_API_VERSION = "rbac.authorization.k8s.io/v1";
export const RBAC_GROUP = "rbac.authorization.k8s.io";

export interface ObjectMeta {
  name: string;
  namespace?: string;
  uid?: string;
  resourceVersion?: string;
  creationTimestamp?: string | null;
  labels?: Record<string, string>;
  annotations?: Record<string, string>;
}

export interface PolicyRule {
  verbs: string[];
  apiGroups?: string[];
  resources?: string[];
  resourceNames?: string[];
  nonResourceURLs?: string[];
}

/** kind is "User", "Group" or "ServiceAccount"; anything else never matches (as in rbac). */
export interface Subject {
  kind: string;
  apiGroup?: string;
  name: string;
  namespace?: string;
}

export interface RoleRef {
  apiGroup: string;
  /** "Role" or "ClusterRole"; other kinds give `unsupported role reference kind: "<kind>"`. */
  kind: string;
  name: string;
}

export interface LabelSelector {
  matchLabels?: Record<string, string>;
}

export interface AggregationRule {
  clusterRoleSelectors?: LabelSelector[];
}

export interface Role {
  apiVersion: typeof RBAC_API_VERSION;
  kind: "Role";
  metadata: ObjectMeta & { namespace: string };
  /** Go's nil slice marshals as null; both mean "no rules". */
  rules: PolicyRule[] | null;
}

export interface ClusterRole {
  apiVersion: typeof RBAC_API_VERSION;
  kind: "ClusterRole";
  metadata: ObjectMeta;
  rules: PolicyRule[] | null;
  /** Supported: `aggregateClusterRoles` fills `rules` like the clusterrole-aggregation controller. */
  aggregationRule?: AggregationRule;
}

export interface RoleBinding {
  apiVersion: typeof RBAC_API_VERSION;
  kind: "RoleBinding";
  metadata: ObjectMeta & { namespace: string };
  subjects?: Subject[];
  roleRef: RoleRef;
}

export interface ClusterRoleBinding {
  apiVersion: typeof RBAC_API_VERSION;
  kind: "ClusterRoleBinding";
  metadata: ObjectMeta;
  subjects?: Subject[];
  roleRef: RoleRef;
}

/** Everything the RBAC authorizer reads (the four listers of rbac.New). Order = lister order. */
export interface RbacSource {
  roles: readonly Role[];
  clusterRoles: readonly ClusterRole[];
  roleBindings: readonly RoleBinding[];
  clusterRoleBindings: readonly ClusterRoleBinding[];
}

/** authorizer.AttributesRecord; empty strings mean "not set", exactly like the Go struct. */
export interface AuthorizationAttributes {
  user: UserInfo;
  verb: string;
  resourceRequest: boolean;
  namespace: string;
  apiGroup: string;
  apiVersion: string;
  resource: string;
  subresource: string;
  name: string;
  /** Request path; only meaningful for non-resource requests. */
  path: string;
}

export type AuthorizerDecisionKind = "allow" | "deny" | "no-opinion";

export interface AuthorizerDecision {
  decision: AuthorizerDecisionKind;
  /** The authorizer's reason string, verbatim (appended to 403 messages, shown by can-i). */
  reason: string;
  /** The error an authorizer returned (becomes SSAR status.evaluationError). RBAC never sets it. */
  evaluationError?: string;
}

/** What impersonation, SSAR and the API layer call: one authorization decision. */
export type AuthorizeFn = (attributes: AuthorizationAttributes) => AuthorizerDecision;

/** Builder with Go zero values, so callers only name what they set. */
export function resourceAttributes(
  user: UserInfo,
  fields: Partial<Omit<AuthorizationAttributes, "user" | "resourceRequest">> & { verb: string; resource: string },
): AuthorizationAttributes {
  return {
    user,
    resourceRequest: true,
    namespace: "",
    apiGroup: "",
    apiVersion: "",
    subresource: "",
    name: "",
    path: "",
    ...fields,
  };
}

export function nonResourceAttributes(user: UserInfo, verb: string, path: string): AuthorizationAttributes {
  return {
    user,
    verb,
    resourceRequest: false,
    namespace: "",
    apiGroup: "",
    apiVersion: "",
    resource: "",
    subresource: "",
    name: "",
    path,
  };
}
