/**
 * The RBAC authorizer (plugin/pkg/auth/authorizer/rbac/rbac.go) and the kube-apiserver chain
 * around it. RBAC only ever allows or has no opinion; its no-opinion reason is empty unless a
 * binding pointed at a missing role, in which case it is `RBAC: <aggregate of those errors>`.
 */
import type { TraceStep, UserInfo } from "../types";
import type { AuthorizationAttributes, AuthorizerDecision, RbacSource } from "./types";
import { goAggregateText, goQuote, goQuoteSlice } from "../go";
import { ruleAllows } from "./rule-matching";
import { describeBinding, firstApplyingSubject, roleReferenceRules, rulesFor, visitRulesFor } from "./rule-resolver";

export const SYSTEM_MASTERS = "system:masters";

export interface RbacDecision extends AuthorizerDecision {
  decision: "allow" | "no-opinion";
}

/** A learner-facing account of a denial, for the "why was I rejected?" panel. */
export interface DenialExplanation {
  /** e.g. `RBAC: no rule allows list pods in namespace default for user jane` */
  summary: string;
  /** The apiserver's own V(5) log line for the same denial. */
  logLine: string;
  /** Bindings that apply to this user here, whose roles lack the permission. */
  bindingsWithoutPermission: string[];
  /** RoleBindings for this user in other namespaces (a common learner mistake). */
  bindingsInOtherNamespaces: string[];
  /** Role resolution errors (missing roles). */
  errors: string[];
}

export interface RbacAuthorizer {
  authorize(attributes: AuthorizationAttributes): RbacDecision;
  /** RBACAuthorizer.RulesFor input: rules of every applying binding, and resolution errors. */
  rulesFor(user: UserInfo, namespace: string): ReturnType<typeof rulesFor>;
  explainDenial(attributes: AuthorizationAttributes): DenialExplanation;
  /** One trace line for this decision (stage "rbac"). */
  traceStep(attributes: AuthorizationAttributes): TraceStep;
  /** The same trace line for a decision authorize() already made (saves walking the bindings twice). */
  traceStepFor(attributes: AuthorizationAttributes, result: RbacDecision): TraceStep;
}

export function createRbacAuthorizer(source: RbacSource): RbacAuthorizer {
  const authorize = (attributes: AuthorizationAttributes): RbacDecision => {
    let allowedBy: string | undefined;
    const errors: string[] = [];
    visitRulesFor(source, attributes.user, attributes.namespace, (ruleSource, rule, error) => {
      if (ruleSource !== undefined && rule !== undefined && ruleAllows(attributes, rule)) {
        allowedBy = ruleSource.description;
        return false;
      }
      if (error !== undefined) errors.push(error);
      return true;
    });
    // UNVERIFIED in spec (open item 4): chose rbac.go's `RBAC: allowed by %s` with the describers of
    // pkg/registry/rbac/validation/rule.go, read from the kubernetes/kubernetes source in the index.
    if (allowedBy !== undefined) return { decision: "allow", reason: `RBAC: allowed by ${allowedBy}` };
    return { decision: "no-opinion", reason: errors.length > 0 ? `RBAC: ${goAggregateText(errors)}` : "" };
  };

  const explainDenial = (attributes: AuthorizationAttributes): DenialExplanation => explain(source, attributes);

  return {
    authorize,
    rulesFor: (user, namespace) => rulesFor(source, user, namespace),
    explainDenial,
    traceStep: (attributes) => traceStepFor(attributes, authorize(attributes)),
    traceStepFor,
  };

  function traceStepFor(attributes: AuthorizationAttributes, result: RbacDecision): TraceStep {
    if (result.decision === "allow") return { stage: "rbac", outcome: "allow", message: result.reason, user: attributes.user };
    const explanation = explainDenial(attributes);
    return { stage: "rbac", outcome: "deny", message: denialMessage(explanation), user: attributes.user };
  }
}

/** Joins an explanation into one multi-line trace message. */
export function denialMessage(explanation: DenialExplanation): string {
  const lines = [explanation.summary];
  if (explanation.bindingsWithoutPermission.length > 0) {
    lines.push("Bindings that apply to you here, but whose roles do not grant this:");
    lines.push(...explanation.bindingsWithoutPermission.map((line) => `  - ${line}`));
  }
  if (explanation.bindingsInOtherNamespaces.length > 0) {
    lines.push("RoleBindings for you in other namespaces (they only grant access inside their own namespace):");
    lines.push(...explanation.bindingsInOtherNamespaces.map((line) => `  - ${line}`));
  }
  if (explanation.errors.length > 0) lines.push(`Errors while resolving roles: ${goAggregateText(explanation.errors)}`);
  return lines.join("\n");
}

function describeSubjectUser(user: UserInfo): string {
  return user.name.startsWith("system:serviceaccount:") ? `serviceaccount ${user.name}` : `user ${user.name}`;
}

function describeOperation(attributes: AuthorizationAttributes): { plain: string; logged: string } {
  if (!attributes.resourceRequest) {
    return {
      plain: `${attributes.verb} ${attributes.path}`,
      logged: `${goQuote(attributes.verb)} nonResourceURL ${goQuote(attributes.path)}`,
    };
  }
  let resource = attributes.resource;
  if (attributes.apiGroup !== "") resource += `.${attributes.apiGroup}`;
  if (attributes.subresource !== "") resource += `/${attributes.subresource}`;
  const named = attributes.name === "" ? "" : ` named ${goQuote(attributes.name)}`;
  return {
    plain: `${attributes.verb} ${resource}${named}`,
    logged: `${goQuote(attributes.verb)} resource ${goQuote(resource)}${named}`,
  };
}

function explain(source: RbacSource, attributes: AuthorizationAttributes): DenialExplanation {
  const { user, namespace } = attributes;
  const operation = describeOperation(attributes);
  const plainScope = !attributes.resourceRequest ? "" : namespace === "" ? " cluster-wide" : ` in namespace ${namespace}`;
  const loggedScope = namespace === "" ? "cluster-wide" : `in namespace ${goQuote(namespace)}`;

  const bindingsWithoutPermission: string[] = [];
  const errors: string[] = [];
  const bindings = [
    ...source.clusterRoleBindings,
    ...(namespace === "" ? [] : source.roleBindings.filter((b) => b.metadata.namespace === namespace)),
  ];
  for (const binding of bindings) {
    const bindingNamespace = binding.kind === "RoleBinding" ? binding.metadata.namespace : "";
    const subject = (binding.subjects ?? [])[firstApplyingSubject(user, binding.subjects, bindingNamespace)];
    if (subject === undefined) continue;
    const lookup = roleReferenceRules(source, binding.roleRef, bindingNamespace);
    if (!lookup.ok) errors.push(lookup.error);
    else if (!lookup.rules.some((rule) => ruleAllows(attributes, rule))) bindingsWithoutPermission.push(describeBinding(binding, subject));
  }

  const bindingsInOtherNamespaces: string[] = [];
  for (const binding of source.roleBindings) {
    const bindingNamespace = binding.metadata.namespace;
    if (bindingNamespace === namespace) continue;
    const subject = (binding.subjects ?? [])[firstApplyingSubject(user, binding.subjects, bindingNamespace)];
    if (subject !== undefined) bindingsInOtherNamespaces.push(describeBinding(binding, subject));
  }

  return {
    summary: `RBAC: no rule allows ${operation.plain}${plainScope} for ${describeSubjectUser(user)}`,
    logLine: `RBAC: no rules authorize user ${goQuote(user.name)} with groups ${goQuoteSlice(user.groups)} to ${operation.logged} ${loggedScope}`,
    bindingsWithoutPermission,
    bindingsInOtherNamespaces,
    errors,
  };
}

/** Which authorizer of the kube-apiserver chain decided. */
export type DecidedBy = "system-privileged-group" | "rbac" | "none";

export interface ChainDecision extends AuthorizerDecision {
  decidedBy: DecidedBy;
}

export interface ApiserverAuthorizer {
  authorize(attributes: AuthorizationAttributes): ChainDecision;
  rbac: RbacAuthorizer;
  traceStep(attributes: AuthorizationAttributes): TraceStep;
  /** authorize() and traceStep() together, walking the bindings once. */
  authorizeWithTrace(attributes: AuthorizationAttributes): { decision: ChainDecision; trace: TraceStep };
}

/**
 * kube-apiserver's authorizer: union(privileged-groups(system:masters), Node, RBAC). The
 * system:masters authorizer is added before every configured mode and allows with an empty
 * reason, so masters never depend on RBAC objects (the cluster-admin binding exists too, and is
 * what `can-i --list` shows, because that authorizer has no rule resolver). The Node authorizer
 * has no opinion for non-node users and is left out of this engine.
 */
export function createApiserverAuthorizer(source: RbacSource): ApiserverAuthorizer {
  const rbac = createRbacAuthorizer(source);
  const mastersDecision = (): ChainDecision => ({ decision: "allow", reason: "", decidedBy: "system-privileged-group" });
  const mastersTrace = (attributes: AuthorizationAttributes): TraceStep => ({
    stage: "authorization",
    outcome: "allow",
    message: `allowed: user is in group ${goQuote(SYSTEM_MASTERS)}, which the apiserver authorizes for everything before RBAC is consulted`,
    user: attributes.user,
  });
  const fromRbac = (result: RbacDecision): ChainDecision => ({ ...result, decidedBy: result.decision === "allow" ? "rbac" : "none" });
  const authorize = (attributes: AuthorizationAttributes): ChainDecision => {
    if (attributes.user.groups.includes(SYSTEM_MASTERS)) return mastersDecision();
    return fromRbac(rbac.authorize(attributes));
  };
  return {
    authorize,
    rbac,
    traceStep(attributes) {
      if (attributes.user.groups.includes(SYSTEM_MASTERS)) return mastersTrace(attributes);
      return rbac.traceStep(attributes);
    },
    authorizeWithTrace(attributes) {
      if (attributes.user.groups.includes(SYSTEM_MASTERS)) return { decision: mastersDecision(), trace: mastersTrace(attributes) };
      const result = rbac.authorize(attributes);
      return { decision: fromRbac(result), trace: rbac.traceStepFor(attributes, result) };
    },
  };
}
