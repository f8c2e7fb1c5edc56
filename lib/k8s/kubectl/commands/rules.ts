/** RBAC rule breakdown, compaction and sorting as kubectl describe role and can-i --list print them. */
import type { JsonObject, JsonValue } from "../../json";
import { goStringSlice } from "../../go";

interface Rule {
  verbs: string[];
  apiGroups: string[];
  resources: string[];
  resourceNames: string[];
  nonResourceURLs: string[];
}

function strings(value: JsonValue | undefined): string[] {
  return Array.isArray(value) ? value.filter((item): item is string => typeof item === "string") : [];
}

function breakdown(rule: Rule): Rule[] {
  const out: Rule[] = [];
  for (const group of rule.apiGroups) {
    for (const resource of rule.resources) {
      if (rule.resourceNames.length > 0) {
        for (const name of rule.resourceNames)
          out.push({ verbs: [...rule.verbs], apiGroups: [group], resources: [resource], resourceNames: [name], nonResourceURLs: [] });
      } else out.push({ verbs: [...rule.verbs], apiGroups: [group], resources: [resource], resourceNames: [], nonResourceURLs: [] });
    }
  }
  for (const url of rule.nonResourceURLs)
    out.push({ verbs: [...rule.verbs], apiGroups: [], resources: [], resourceNames: [], nonResourceURLs: [url] });
  return out;
}

/** rbac.CompactRules: merges single group/resource(/name) rules that differ only by verbs. */
function compact(rules: Rule[]): Rule[] {
  const compacted: Rule[] = [];
  const simple = new Map<string, Rule>();
  for (const rule of rules) {
    const isSimple =
      rule.apiGroups.length === 1 && rule.resources.length === 1 && rule.nonResourceURLs.length === 0 && rule.resourceNames.length <= 1;
    if (!isSimple) {
      compacted.push(rule);
      continue;
    }
    const key = `${rule.apiGroups[0] ?? ""}|${rule.resources[0] ?? ""}|${rule.resourceNames[0] ?? "\u0000"}`;
    const existing = simple.get(key);
    if (existing !== undefined) existing.verbs.push(...rule.verbs);
    else simple.set(key, { ...rule, verbs: [...rule.verbs] });
  }
  return [...compacted, ...simple.values()];
}

/** The gogo String() of a PolicyRule: the sort key of rbac.SortableRuleSlice. */
function ruleString(rule: Rule): string {
  return `&PolicyRule{Verbs:${goStringSlice(rule.verbs)},APIGroups:${goStringSlice(rule.apiGroups)},Resources:${goStringSlice(rule.resources)},ResourceNames:${goStringSlice(rule.resourceNames)},NonResourceURLs:${goStringSlice(rule.nonResourceURLs)},}`;
}

/** describe.CombineResourceGroup. */
function combineResourceGroup(resources: string[], groups: string[]): string {
  const first = resources[0];
  if (first === undefined) return "";
  const [resource = "", subresource] = first.split(/\/(.*)/s);
  let combined = resource;
  const group = groups[0];
  if (group !== undefined && group !== "") combined += `.${group}`;
  if (subresource !== undefined && subresource !== "") combined += `/${subresource}`;
  return combined;
}

/** Rows [Resources, Non-Resource URLs, Resource Names, Verbs] for JSON policy rules. */
export function describeRuleRows(rules: JsonObject[]): string[][] {
  const parsed: Rule[] = rules.map((rule) => ({
    verbs: strings(rule.verbs),
    apiGroups: strings(rule.apiGroups),
    resources: strings(rule.resources),
    resourceNames: strings(rule.resourceNames),
    nonResourceURLs: strings(rule.nonResourceURLs),
  }));
  const sorted = compact(parsed.flatMap(breakdown)).sort((a, b) => {
    const left = ruleString(a);
    const right = ruleString(b);
    return left < right ? -1 : left > right ? 1 : 0;
  });
  return sorted.map((rule) => [
    combineResourceGroup(rule.resources, rule.apiGroups),
    goStringSlice(rule.nonResourceURLs),
    goStringSlice(rule.resourceNames),
    goStringSlice(rule.verbs),
  ]);
}
