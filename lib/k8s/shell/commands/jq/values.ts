/** jq's values: the JSON model, its errors, type names and ordering, and the run's size limits. */
import { SHELL_LIMITS } from "../../limits";

export type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

/** A jq runtime error; `value` is what `try … catch` receives (`error(v)` may raise any value). */
export class JqError extends Error {
  constructor(
    message: string,
    readonly value: Json = message,
  ) {
    super(message);
  }
}
export class JqSyntaxError extends Error {}

export const MAX_OUTPUTS = 100_000;

export function tooLong(what: string): JqError {
  return new JqError(
    `${what} too long (this jq builds values of at most ${SHELL_LIMITS.maxString} characters or ${SHELL_LIMITS.maxArray} elements)`,
  );
}

export function checkLength(length: number, what = "string"): void {
  if (length > (what === "array" ? SHELL_LIMITS.maxArray : SHELL_LIMITS.maxString)) throw tooLong(what);
}

/** Estimated JSON text size of a value, stopping as soon as it passes `limit` (never walks more). */
export function jsonSize(value: Json, limit: number, perElement = 0): number {
  let size = 0;
  const stack: Json[] = [value];
  while (stack.length > 0) {
    const item = stack.pop() ?? null;
    if (item === null || typeof item !== "object") size += typeof item === "string" ? item.length + 2 : 24;
    else if (Array.isArray(item)) {
      size += 2 + item.length * (1 + perElement);
      for (const child of item) stack.push(child);
    } else {
      const keys = Object.keys(item);
      size += 2 + keys.length * (4 + perElement);
      for (const key of keys) {
        size += key.length;
        stack.push(item[key] ?? null);
      }
    }
    if (size > limit) return size;
  }
  return size;
}

/** JSON.stringify that refuses to build a text longer than the string limit. */
/**
 * A number as jq 1.7 prints it (its dtoa): the shortest digits that read back the same, written
 * with an exponent (at least two digits) below 1e-4 or beyond 15 zeros after the digits.
 */
export function formatNumber(value: number): string {
  const [mantissa = "0", exponentText = "0"] = value.toExponential().split("e");
  const negative = mantissa.startsWith("-");
  const digits = mantissa.replace(/^-/, "").replace(".", "");
  const exponent = Number(exponentText);
  const point = exponent + 1;
  if (point <= -4 || point > digits.length + 15) {
    const fraction = digits.length > 1 ? `${digits[0]}.${digits.slice(1)}` : digits;
    return `${negative ? "-" : ""}${fraction}e${exponent < 0 ? "-" : "+"}${String(Math.abs(exponent)).padStart(2, "0")}`;
  }
  if (Math.abs(value) < 1e21) return JSON.stringify(value);
  return `${negative ? "-" : ""}${digits}${"0".repeat(point - digits.length)}`;
}

export function toJson(value: Json): string {
  if (typeof value === "number" && Number.isFinite(value)) return formatNumber(value);
  if (value !== null && typeof value === "object" && jsonSize(value, SHELL_LIMITS.maxString) > SHELL_LIMITS.maxString)
    throw tooLong("string");
  const text = JSON.stringify(value);
  checkLength(text.length);
  return text;
}

/** Code points of a string, without spreading it into an array. */
export function codePointLength(text: string): number {
  let count = 0;
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    if (code >= 0xd800 && code <= 0xdbff && i + 1 < text.length) {
      const low = text.charCodeAt(i + 1);
      if (low >= 0xdc00 && low <= 0xdfff) i++;
    }
    count++;
  }
  return count;
}

export function typeOf(value: Json): string {
  if (value === null) return "null";
  if (Array.isArray(value)) return "array";
  return typeof value === "object" ? "object" : typeof value;
}

export function describe(value: Json): string {
  const text =
    value !== null && typeof value === "object" && jsonSize(value, 1000) > 1000
      ? `${Array.isArray(value) ? "[" : "{"}...`
      : JSON.stringify(value);
  return `${typeOf(value)} (${text.length > 11 ? `${text.slice(0, 10)}...` : text})`;
}

export function truthy(value: Json): boolean {
  return value !== null && value !== false;
}

const TYPE_ORDER = ["null", "boolean", "number", "string", "array", "object"];

export function compareJson(a: Json, b: Json): number {
  const ta = TYPE_ORDER.indexOf(typeOf(a) === "boolean" ? "boolean" : typeOf(a));
  const tb = TYPE_ORDER.indexOf(typeOf(b));
  if (ta !== tb) return ta - tb;
  if (typeof a === "boolean" && typeof b === "boolean") return Number(a) - Number(b);
  if (typeof a === "number" && typeof b === "number") return a - b;
  if (typeof a === "string" && typeof b === "string") return a < b ? -1 : a > b ? 1 : 0;
  if (Array.isArray(a) && Array.isArray(b)) {
    for (let i = 0; i < Math.min(a.length, b.length); i++) {
      const c = compareJson(a[i] ?? null, b[i] ?? null);
      if (c !== 0) return c;
    }
    return a.length - b.length;
  }
  if (isObject(a) && isObject(b)) {
    const ka = Object.keys(a).sort();
    const kb = Object.keys(b).sort();
    const c = compareJson(ka, kb);
    if (c !== 0) return c;
    for (const key of ka) {
      const d = compareJson(a[key] ?? null, b[key] ?? null);
      if (d !== 0) return d;
    }
  }
  return 0;
}

export function isObject(value: Json): value is { [key: string]: Json } {
  return value !== null && typeof value === "object" && !Array.isArray(value);
}

export function tostring(value: Json): string {
  return typeof value === "string" ? value : toJson(value);
}

/**
 * jq's message for a JSON text that does not parse, for the common shapes: a word that is not a
 * literal ("Invalid numeric literal") or a value cut short ("Unfinished JSON term"), both at the
 * end of the text (`fromjson`, `tonumber`).
 */
export function jsonTextError(text: string): string {
  const line = (text.match(/\n/g) ?? []).length + 1;
  const column = text.length - (text.lastIndexOf("\n") + 1);
  const kind =
    /[A-Za-z0-9.+-]$/.test(text) && !/^\s*-?\d+(\.\d+)?([eE][+-]?\d+)?$/.test(text.slice(text.search(/[A-Za-z0-9.+-]+$/)))
      ? "Invalid numeric literal"
      : "Unfinished JSON term";
  return `${kind} at EOF at line ${line}, column ${column}`;
}
