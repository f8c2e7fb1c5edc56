/**
 * Walks the rules that apply to a user in a namespace, like DefaultRuleResolver.VisitRulesFor in
 * pkg/registry/rbac/validation/rule.go: every ClusterRoleBinding first, then the RoleBindings of
 * the namespace; a binding applies through its first matching subject; a missing role is an
 * error that is collected while the walk goes on.
 */
import type { UserInfo } from "../types";
import type { ClusterRoleBinding, PolicyRule, RbacSource, RoleBinding, RoleRef, Subject } from "./types";
import { goQuote } from "../go";

const SERVICE_ACCOUNT_PREFIX = "system:serviceaccount:";

/** The binding and subject a rule came from (the fmt.Stringer "source" of the Go visitor). */
export interface RuleSource {
  binding: ClusterRoleBinding | RoleBinding;
  subject: Subject;
  /** clusterRoleBindingDescriber / roleBindingDescriber text, e.g. `ClusterRoleBinding "x" of ClusterRole "y" to User "z"`. */
  description: string;
}

/** Return false to stop the walk (short-circuit), as the Go visitor does. */
export type RuleVisitor = (source: RuleSource | undefined, rule: PolicyRule | undefined, error: string | undefined) => boolean;

/** describeSubject: a ServiceAccount is written "name/namespace" (sic, name first). */
export function describeSubject(subject: Subject, bindingNamespace: string): string {
  if (subject.kind === "ServiceAccount") {
    const namespace = subject.namespace !== undefined && subject.namespace !== "" ? subject.namespace : bindingNamespace;
    return `${subject.kind} ${goQuote(`${subject.name}/${namespace}`)}`;
  }
  return `${subject.kind} ${goQuote(subject.name)}`;
}

export function describeBinding(binding: ClusterRoleBinding | RoleBinding, subject: Subject): string {
  if (binding.kind === "ClusterRoleBinding") {
    return `ClusterRoleBinding ${goQuote(binding.metadata.name)} of ${binding.roleRef.kind} ${goQuote(binding.roleRef.name)} to ${describeSubject(subject, "")}`;
  }
  const namespace = binding.metadata.namespace;
  return `RoleBinding ${goQuote(`${binding.metadata.name}/${namespace}`)} of ${binding.roleRef.kind} ${goQuote(binding.roleRef.name)} to ${describeSubject(subject, namespace)}`;
}

/** appliesToUser: User by name, Group by membership, ServiceAccount by its username (namespace defaulted). */
export function subjectAppliesToUser(user: UserInfo, subject: Subject, namespace: string): boolean {
  switch (subject.kind) {
    case "User":
      return user.name === subject.name;
    case "Group":
      return user.groups.includes(subject.name);
    case "ServiceAccount": {
      const saNamespace = subject.namespace !== undefined && subject.namespace !== "" ? subject.namespace : namespace;
      if (saNamespace === "") return false;
      return user.name === `${SERVICE_ACCOUNT_PREFIX}${saNamespace}:${subject.name}`;
    }
    default:
      return false;
  }
}

/** Index of the first subject that applies, or -1. */
export function firstApplyingSubject(user: UserInfo, subjects: readonly Subject[] | undefined, namespace: string): number {
  return (subjects ?? []).findIndex((subject) => subjectAppliesToUser(user, subject, namespace));
}

export type RoleRulesLookup = { ok: true; rules: PolicyRule[] } | { ok: false; error: string };

/** GetRoleReferenceRules with the informer listers' NotFound wording. */
export function roleReferenceRules(source: RbacSource, roleRef: RoleRef, bindingNamespace: string): RoleRulesLookup {
  switch (roleRef.kind) {
    case "Role": {
      const role = source.roles.find(
        (candidate) => candidate.metadata.namespace === bindingNamespace && candidate.metadata.name === roleRef.name,
      );
      return role === undefined
        ? { ok: false, error: `role.rbac.authorization.k8s.io ${goQuote(roleRef.name)} not found` }
        : { ok: true, rules: role.rules ?? [] };
    }
    case "ClusterRole": {
      const clusterRole = source.clusterRoles.find((candidate) => candidate.metadata.name === roleRef.name);
      return clusterRole === undefined
        ? { ok: false, error: `clusterrole.rbac.authorization.k8s.io ${goQuote(roleRef.name)} not found` }
        : { ok: true, rules: clusterRole.rules ?? [] };
    }
    default:
      return { ok: false, error: `unsupported role reference kind: ${goQuote(roleRef.kind)}` };
  }
}

function visitBinding(
  source: RbacSource,
  user: UserInfo,
  binding: ClusterRoleBinding | RoleBinding,
  namespace: string,
  visitor: RuleVisitor,
): boolean {
  const subjects = binding.subjects ?? [];
  const subjectIndex = firstApplyingSubject(user, subjects, namespace);
  const subject = subjects[subjectIndex];
  if (subject === undefined) return true;
  const lookup = roleReferenceRules(source, binding.roleRef, namespace);
  if (!lookup.ok) return visitor(undefined, undefined, lookup.error);
  // The description is only read when a rule allows: build it on first use.
  let description: string | undefined;
  const ruleSource: RuleSource = {
    binding,
    subject,
    get description(): string {
      description ??= describeBinding(binding, subject);
      return description;
    },
  };
  for (const rule of lookup.rules) {
    if (!visitor(ruleSource, rule, undefined)) return false;
  }
  return true;
}

export function visitRulesFor(source: RbacSource, user: UserInfo, namespace: string, visitor: RuleVisitor): void {
  for (const binding of source.clusterRoleBindings) {
    if (!visitBinding(source, user, binding, "", visitor)) return;
  }
  if (namespace === "") return;
  for (const binding of source.roleBindings) {
    if (binding.metadata.namespace !== namespace) continue;
    if (!visitBinding(source, user, binding, namespace, visitor)) return;
  }
}

/** RulesFor: every rule that applies, plus the resolution errors (the list is still usable). */
export function rulesFor(source: RbacSource, user: UserInfo, namespace: string): { rules: PolicyRule[]; errors: string[] } {
  const rules: PolicyRule[] = [];
  const errors: string[] = [];
  visitRulesFor(source, user, namespace, (_source, rule, error) => {
    if (rule !== undefined) rules.push(rule);
    if (error !== undefined) errors.push(error);
    return true;
  });
  return { rules, errors };
}
