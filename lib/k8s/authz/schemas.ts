/**
 * Structural validation of RBAC objects at the boundary (kubectl apply, scenario files), so the
 * authorizer only ever sees well-formed shapes. This checks shape, not Kubernetes' own field
 * validation messages.
 */
import { z } from "zod";
import type { ClusterRole, ClusterRoleBinding, PolicyRule, RbacSource, Role, RoleBinding, Subject } from "./types";
import { RBAC_API_VERSION } from "./types";

const stringList = z.array(z.string());
const stringMap = z.record(z.string(), z.string());

const metadataSchema = z.object({
  name: z.string(),
  namespace: z.string().optional(),
  uid: z.string().optional(),
  resourceVersion: z.string().optional(),
  creationTimestamp: z.string().nullable().optional(),
  labels: stringMap.optional(),
  annotations: stringMap.optional(),
});

const policyRuleSchema: z.ZodType<PolicyRule> = z.object({
  verbs: stringList,
  apiGroups: stringList.optional(),
  resources: stringList.optional(),
  resourceNames: stringList.optional(),
  nonResourceURLs: stringList.optional(),
});

const subjectSchema: z.ZodType<Subject> = z.object({
  kind: z.string(),
  apiGroup: z.string().optional(),
  name: z.string(),
  namespace: z.string().optional(),
});

const roleRefSchema = z.object({ apiGroup: z.string(), kind: z.string(), name: z.string() });
const rulesSchema = z.array(policyRuleSchema).nullable();

export const roleSchema: z.ZodType<Role> = z.object({
  apiVersion: z.literal(RBAC_API_VERSION),
  kind: z.literal("Role"),
  metadata: metadataSchema.extend({ namespace: z.string() }),
  rules: rulesSchema,
});

export const clusterRoleSchema: z.ZodType<ClusterRole> = z.object({
  apiVersion: z.literal(RBAC_API_VERSION),
  kind: z.literal("ClusterRole"),
  metadata: metadataSchema,
  rules: rulesSchema,
  aggregationRule: z.object({ clusterRoleSelectors: z.array(z.object({ matchLabels: stringMap.optional() })).optional() }).optional(),
});

export const roleBindingSchema: z.ZodType<RoleBinding> = z.object({
  apiVersion: z.literal(RBAC_API_VERSION),
  kind: z.literal("RoleBinding"),
  metadata: metadataSchema.extend({ namespace: z.string() }),
  subjects: z.array(subjectSchema).optional(),
  roleRef: roleRefSchema,
});

export const clusterRoleBindingSchema: z.ZodType<ClusterRoleBinding> = z.object({
  apiVersion: z.literal(RBAC_API_VERSION),
  kind: z.literal("ClusterRoleBinding"),
  metadata: metadataSchema,
  subjects: z.array(subjectSchema).optional(),
  roleRef: roleRefSchema,
});

export const rbacSourceSchema: z.ZodType<RbacSource> = z.object({
  roles: z.array(roleSchema),
  clusterRoles: z.array(clusterRoleSchema),
  roleBindings: z.array(roleBindingSchema),
  clusterRoleBindings: z.array(clusterRoleBindingSchema),
});

export type RbacObject = Role | ClusterRole | RoleBinding | ClusterRoleBinding;

const rbacObjectSchema = z.union([roleSchema, clusterRoleSchema, roleBindingSchema, clusterRoleBindingSchema]);

/** One RBAC object from decoded JSON/YAML, or the zod issues as text. */
export function parseRbacObject(input: unknown): { ok: true; object: RbacObject } | { ok: false; error: string } {
  const result = rbacObjectSchema.safeParse(input);
  return result.success ? { ok: true, object: result.data } : { ok: false, error: z.prettifyError(result.error) };
}
