/** Equality- and set-based label selectors (k8s.io/apimachinery/pkg/labels.Parse), enough for kubectl -l. */
import type { JsonObject } from "../../json";

type Requirement =
  | { op: "=" | "!="; key: string; value: string }
  | { op: "in" | "notin"; key: string; values: string[] }
  | { op: "exists" | "!exists"; key: string };

export type SelectorResult = { ok: true; requirements: Requirement[] } | { ok: false; error: string };

/** Splits on commas that are not inside parentheses. */
function splitTerms(selector: string): string[] {
  const terms: string[] = [];
  let depth = 0;
  let current = "";
  for (const char of selector) {
    if (char === "(") depth += 1;
    if (char === ")") depth -= 1;
    if (char === "," && depth === 0) {
      terms.push(current);
      current = "";
    } else current += char;
  }
  terms.push(current);
  return terms.map((term) => term.trim()).filter((term) => term !== "");
}

export function parseLabelSelector(selector: string): SelectorResult {
  const requirements: Requirement[] = [];
  for (const term of splitTerms(selector)) {
    let match = /^([A-Za-z0-9._/-]+)\s*(==|=|!=)\s*([A-Za-z0-9._-]*)$/.exec(term);
    if (match !== null) {
      requirements.push({ op: match[2] === "!=" ? "!=" : "=", key: match[1] ?? "", value: match[3] ?? "" });
      continue;
    }
    match = /^([A-Za-z0-9._/-]+)\s+(in|notin)\s*\(([^)]*)\)$/.exec(term);
    if (match !== null) {
      const values = (match[3] ?? "")
        .split(",")
        .map((value) => value.trim())
        .filter((value) => value !== "");
      requirements.push({ op: match[2] === "in" ? "in" : "notin", key: match[1] ?? "", values });
      continue;
    }
    match = /^(!?)([A-Za-z0-9._/-]+)$/.exec(term);
    if (match !== null) {
      requirements.push({ op: match[1] === "!" ? "!exists" : "exists", key: match[2] ?? "" });
      continue;
    }
    return { ok: false, error: `unable to parse requirement: found '${term}', expected: '=', '!=', '==', 'in', notin'` };
  }
  return { ok: true, requirements };
}

export function matchesLabelSelector(requirements: Requirement[], labels: JsonObject | undefined): boolean {
  return requirements.every((requirement) => {
    const raw = labels?.[requirement.key];
    const value = typeof raw === "string" ? raw : undefined;
    switch (requirement.op) {
      case "=":
        return value === requirement.value;
      case "!=":
        return value !== requirement.value;
      case "in":
        return value !== undefined && requirement.values.includes(value);
      case "notin":
        return value === undefined || !requirement.values.includes(value);
      case "exists":
        return value !== undefined;
      case "!exists":
        return value === undefined;
    }
  });
}
