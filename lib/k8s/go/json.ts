/** encoding/json output as kubectl prints it (-o json, the jsonpath debug dump). */
import { goJsonString } from "./quote";

/**
 * encoding/json MarshalIndent(value, "", indent): HTML-safe escaping, `{}`/`[]` for empty containers.
 * sortKeys mimics marshaling a map (unstructured objects); otherwise insertion order (typed structs).
 */
export function goJson(value: unknown, options: { indent?: string; sortKeys?: boolean } = {}): string {
  const indent = options.indent ?? "";
  const render = (item: unknown, depth: number): string => {
    if (item === null || item === undefined) return "null";
    if (typeof item === "string") return goJsonString(item);
    if (typeof item === "number" || typeof item === "boolean") return JSON.stringify(item);
    const pad = indent === "" ? "" : `\n${indent.repeat(depth + 1)}`;
    const close = indent === "" ? "" : `\n${indent.repeat(depth)}`;
    const separator = indent === "" ? ":" : ": ";
    if (Array.isArray(item)) {
      if (item.length === 0) return "[]";
      return `[${item.map((element) => `${pad}${render(element, depth + 1)}`).join(",")}${close}]`;
    }
    if (typeof item === "object") {
      let entries = Object.entries(item).filter(([, element]) => element !== undefined);
      if (options.sortKeys === true) entries = entries.sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
      if (entries.length === 0) return "{}";
      return `{${entries.map(([key, element]) => `${pad}${goJsonString(key)}${separator}${render(element, depth + 1)}`).join(",")}${close}}`;
    }
    return "null";
  };
  return render(value, 0);
}
