/** jq's formatting: the `@text` … `@sh` string formats and the JSON printer (-c, --indent, --tab, -S). */
import { SHELL_LIMITS } from "../../limits";
import { describe, formatNumber, JqError, jsonSize, toJson, tooLong, tostring, type Json } from "./values";

export function applyFormat(name: string, value: Json): string {
  switch (name) {
    case "@text":
      return tostring(value);
    case "@json":
      return toJson(value);
    case "@base64":
      return Buffer.from(tostring(value), "utf8").toString("base64");
    case "@base64d": {
      // As jq 1.7: decoding stops at the first "=", and any other character outside the alphabet is an error.
      const text = tostring(value);
      const data = text.includes("=") ? text.slice(0, text.indexOf("=")) : text;
      if (/[^A-Za-z0-9+/]/.test(data)) throw new JqError(`${describe(text)} is not valid base64 data`);
      if (data.length % 4 === 1) throw new JqError(`${describe(text)} trailing base64 byte found`);
      return Buffer.from(data, "base64").toString("utf8");
    }
    case "@uri":
      return encodeURIComponent(tostring(value)).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
    case "@sh":
      return (Array.isArray(value) ? value : [value])
        .map((item) => {
          if (item !== null && typeof item === "object") throw new JqError(`${describe(item)} can not be escaped for shell`);
          return typeof item === "string" ? `'${item.replace(/'/g, "'\\''")}'` : toJson(item);
        })
        .join(" ");
    case "@csv":
    case "@tsv": {
      if (!Array.isArray(value)) throw new JqError(`${describe(value)} cannot be ${name === "@csv" ? "csv" : "tsv"}-formatted, only array`);
      return value
        .map((item) => {
          if (typeof item === "string")
            return name === "@csv"
              ? `"${item.replace(/"/g, '""')}"`
              : item.replace(/\\/g, "\\\\").replace(/\t/g, "\\t").replace(/\n/g, "\\n").replace(/\r/g, "\\r");
          return item === null ? "" : toJson(item);
        })
        .join(name === "@csv" ? "," : "\t");
    }
    default:
      throw new JqError(`${name.slice(1)} is not a valid format`);
  }
}

export function serialize(value: Json, options: { compact: boolean; indent: string; sortKeys: boolean }, level = 0): string {
  if (
    level === 0 &&
    value !== null &&
    typeof value === "object" &&
    jsonSize(value, SHELL_LIMITS.maxString, options.compact ? 0 : 1 + options.indent.length) > SHELL_LIMITS.maxString
  )
    throw tooLong("output");
  if (value === null || typeof value !== "object") {
    if (typeof value === "number") {
      if (!Number.isFinite(value)) return value > 0 ? "1.7976931348623157e+308" : value < 0 ? "-1.7976931348623157e+308" : "null";
      return formatNumber(value);
    }
    return JSON.stringify(value);
  }
  const pad = options.compact ? "" : `\n${options.indent.repeat(level + 1)}`;
  const end = options.compact ? "" : `\n${options.indent.repeat(level)}`;
  const separator = options.compact ? ":" : ": ";
  if (Array.isArray(value)) {
    if (value.length === 0) return "[]";
    return `[${value.map((item) => pad + serialize(item, options, level + 1)).join(",")}${end}]`;
  }
  const keys = options.sortKeys ? Object.keys(value).sort() : Object.keys(value);
  if (keys.length === 0) return "{}";
  return `{${keys.map((key) => `${pad}${JSON.stringify(key)}${separator}${serialize(value[key] ?? null, options, level + 1)}`).join(",")}${end}}`;
}
