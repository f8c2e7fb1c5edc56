/** Authorization side of the engine: RBAC, default roles, 403 bodies, reviews, impersonation. */
export * from "./types";
export { aggregateClusterRoles } from "./aggregation";
export { bootstrapRbacObjects, type BootstrapRbacObjects } from "./bootstrap-policy";
export { impersonate, type ImpersonationInput, type ImpersonationResult } from "./impersonation";
export { withoutImpersonationHeaders, type HeaderMap, type ImpersonationRequest } from "./impersonation-headers";
export {
  createApiserverAuthorizer,
  type ApiserverAuthorizer,
  type ChainDecision,
  type DenialExplanation,
  type RbacAuthorizer,
  type RbacDecision,
} from "./rbac-authorizer";
export { type RuleSource } from "./rule-resolver";
export * from "./reviews";
export * from "./status";
export { type RbacObject } from "./schemas";
