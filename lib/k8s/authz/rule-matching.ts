/**
 * PolicyRule matching, as pkg/apis/rbac/v1/evaluation_helpers.go and rbac.RuleAllows.
 */
import type { AuthorizationAttributes, PolicyRule } from "./types";

const ALL = "*";

export function verbMatches(rule: PolicyRule, verb: string): boolean {
  return (rule.verbs ?? []).some((ruleVerb) => ruleVerb === ALL || ruleVerb === verb);
}

export function apiGroupMatches(rule: PolicyRule, group: string): boolean {
  return (rule.apiGroups ?? []).some((ruleGroup) => ruleGroup === ALL || ruleGroup === group);
}

/** `combined` is "resource" or "resource/subresource"; a rule "*\/sub" matches any resource's sub. */
export function resourceMatches(rule: PolicyRule, combined: string, subresource: string): boolean {
  return (rule.resources ?? []).some((ruleResource) => {
    if (ruleResource === ALL || ruleResource === combined) return true;
    if (subresource === "") return false;
    return ruleResource.length === subresource.length + 2 && ruleResource.startsWith("*/") && ruleResource.endsWith(subresource);
  });
}

/** No resourceNames means every name, including the empty name of list/create/watch. */
export function resourceNameMatches(rule: PolicyRule, name: string): boolean {
  const names = rule.resourceNames ?? [];
  return names.length === 0 || names.includes(name);
}

/** Exact URL, "*", or a trailing-star prefix ("/apis/*" matches "/apis/" and below, not "/apis"). */
export function nonResourceUrlMatches(rule: PolicyRule, path: string): boolean {
  return (rule.nonResourceURLs ?? []).some((ruleUrl) => {
    if (ruleUrl === ALL || ruleUrl === path) return true;
    // strings.TrimRight(ruleURL, "*") strips every trailing star.
    return ruleUrl.endsWith("*") && path.startsWith(ruleUrl.replace(/\*+$/, ""));
  });
}

export function ruleAllows(attributes: AuthorizationAttributes, rule: PolicyRule): boolean {
  if (attributes.resourceRequest) {
    const combined = attributes.subresource === "" ? attributes.resource : `${attributes.resource}/${attributes.subresource}`;
    return (
      verbMatches(rule, attributes.verb) &&
      apiGroupMatches(rule, attributes.apiGroup) &&
      resourceMatches(rule, combined, attributes.subresource) &&
      resourceNameMatches(rule, attributes.name)
    );
  }
  return verbMatches(rule, attributes.verb) && nonResourceUrlMatches(rule, attributes.path);
}
