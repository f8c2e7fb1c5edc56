/**
 * ClusterRole aggregation, as the clusterrole-aggregation controller does it
 * (pkg/controller/clusterroleaggregation): for each selector, the matching ClusterRoles sorted by
 * name (excluding the aggregated role itself) contribute each rule not already present.
 * Only matchLabels selectors are supported.
 */
import type { ClusterRole, LabelSelector, PolicyRule } from "./types";

function selectorMatches(selector: LabelSelector, labels: Record<string, string> | undefined): boolean {
  return Object.entries(selector.matchLabels ?? {}).every(([key, value]) => labels?.[key] === value);
}

function sameStrings(a: readonly string[] | undefined, b: readonly string[] | undefined): boolean {
  const left = a ?? [];
  const right = b ?? [];
  return left.length === right.length && left.every((value, index) => value === right[index]);
}

/** reflect.DeepEqual on PolicyRule, treating nil and empty slices alike. */
function sameRule(a: PolicyRule, b: PolicyRule): boolean {
  return (
    sameStrings(a.verbs, b.verbs) &&
    sameStrings(a.apiGroups, b.apiGroups) &&
    sameStrings(a.resources, b.resources) &&
    sameStrings(a.resourceNames, b.resourceNames) &&
    sameStrings(a.nonResourceURLs, b.nonResourceURLs)
  );
}

function aggregatedRules(role: ClusterRole, byName: Map<string, ClusterRole>, resolving: Set<string>): PolicyRule[] | null {
  const selectors = role.aggregationRule?.clusterRoleSelectors;
  if (selectors === undefined) return role.rules;
  resolving.add(role.metadata.name);
  const rules: PolicyRule[] = [];
  const sorted = [...byName.values()].sort((a, b) => (a.metadata.name < b.metadata.name ? -1 : a.metadata.name > b.metadata.name ? 1 : 0));
  for (const selector of selectors) {
    for (const candidate of sorted) {
      if (candidate.metadata.name === role.metadata.name || !selectorMatches(selector, candidate.metadata.labels)) continue;
      // The controller converges over several passes; resolving nested aggregates directly gives
      // the same fixed point, and a cycle just contributes the rules stored so far.
      const candidateRules = resolving.has(candidate.metadata.name) ? candidate.rules : aggregatedRules(candidate, byName, resolving);
      for (const rule of candidateRules ?? []) {
        if (!rules.some((existing) => sameRule(existing, rule))) rules.push(rule);
      }
    }
  }
  resolving.delete(role.metadata.name);
  return rules;
}

/** Returns copies of the roles with every aggregated role's `rules` recomputed. */
export function aggregateClusterRoles(roles: readonly ClusterRole[]): ClusterRole[] {
  const byName = new Map(roles.map((role) => [role.metadata.name, role] as const));
  return roles.map((role) =>
    role.aggregationRule === undefined ? { ...role } : { ...role, rules: aggregatedRules(role, byName, new Set()) },
  );
}
