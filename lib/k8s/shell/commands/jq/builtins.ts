/** jq's builtin functions (name/arity), including the regular-expression family on the linear-time engine. */
import { compileOniguruma, RegexSyntaxError, type LinearRegex, type RegexMatch } from "../../regex";
import { arithmetic, evaluate, getPath, indexValue, iterate, one, paths, pathsOf, deletePaths, recurseAll, type Env } from "./evaluate";
import type { Ast } from "./parser";
import {
  checkLength,
  codePointLength,
  compareJson,
  describe,
  isObject,
  JqError,
  jsonTextError,
  MAX_OUTPUTS,
  toJson,
  tostring,
  truthy,
  typeOf,
  type Json,
} from "./values";

interface JqRegex {
  regex: LinearRegex;
  global: boolean;
  skipEmpty: boolean;
}

const regexCache = new Map<string, JqRegex>();

function compileJqRegex(pattern: string, flags: string): JqRegex {
  const key = `${flags}/${pattern}`;
  const cached = regexCache.get(key);
  if (cached) return cached;
  if (!/^[gixnslp]*$/.test(flags)) throw new JqError(`${flags} is not a valid modifier string`);
  let regex: LinearRegex;
  try {
    regex = compileOniguruma(pattern, {
      ignoreCase: flags.includes("i"),
      extended: flags.includes("x"),
      dotAll: flags.includes("p"),
      longest: flags.includes("l"),
    });
  } catch (error) {
    if (error instanceof RegexSyntaxError) throw new JqError(`${pattern} (at offset 0) is not a valid regex: ${error.message}`);
    throw error;
  }
  const compiled = { regex, global: flags.includes("g"), skipEmpty: flags.includes("n") };
  if (regexCache.size > 200) regexCache.clear();
  regexCache.set(key, compiled);
  return compiled;
}

/** test/match/capture/scan/split/sub: the pattern may be a string or [pattern, flags]. */
function regexCall(
  patternAst: Ast | undefined,
  flagsAst: Ast | undefined,
  input: Json,
  env: Env,
  apply: (text: string, regex: JqRegex) => Json[],
): Json[] {
  if (typeof input !== "string") throw new JqError(`${describe(input)} cannot be matched, as it is not a string`);
  const flagValues: Json[] = flagsAst ? one(flagsAst, input, env) : [null];
  const out: Json[] = [];
  for (const pattern of one(patternAst, input, env)) {
    for (const flagValue of flagValues) {
      let source = pattern;
      let flags = flagValue;
      if (Array.isArray(pattern)) {
        source = pattern[0] ?? null;
        flags = pattern[1] ?? flagValue;
      }
      if (typeof source !== "string") throw new JqError(`${describe(source)} cannot be matched, as it is not a string`);
      if (flags !== null && typeof flags !== "string") throw new JqError(`${describe(flags)} is not a string`);
      out.push(...apply(input, compileJqRegex(source, flags ?? "")));
      checkLength(out.length, "array");
    }
  }
  return out;
}

interface FoundMatch {
  m: RegexMatch;
  /** Offsets and lengths in code points, as jq reports them. */
  offset: number;
  length: number;
  captureOffsets: number[];
}

function regexMatches(text: string, regex: JqRegex): FoundMatch[] {
  const found: FoundMatch[] = [];
  let unit = 0;
  let point = 0;
  for (const m of regex.regex.matches(text)) {
    if (regex.skipEmpty && m.end === m.index) continue;
    point += codePointLength(text.slice(unit, m.index));
    unit = m.index;
    const captureOffsets = m.offsets.map((start) => (start < 0 ? -1 : point + codePointLength(text.slice(m.index, start))));
    found.push({ m, offset: point, length: codePointLength(m.groups[0] ?? ""), captureOffsets });
    checkLength(found.length, "array");
    if (!regex.global) break;
  }
  return found;
}

function groupNames(regex: LinearRegex): Map<number, string> {
  return new Map(Object.entries(regex.names()).map(([groupName, index]) => [index, groupName]));
}

function matchObject(m: RegexMatch, offset: number, length: number, captureOffsets: number[], regex: LinearRegex): Json {
  const names = groupNames(regex);
  const captures: Json[] = m.groups.slice(1).map((group, i) => ({
    offset: group === undefined ? -1 : (captureOffsets[i + 1] ?? -1),
    length: group === undefined ? 0 : codePointLength(group),
    string: group ?? null,
    name: names.get(i + 1) ?? null,
  }));
  return { offset, length, string: m.groups[0] ?? "", captures };
}

function captureObject(m: RegexMatch, regex: LinearRegex): Json {
  const out: { [key: string]: Json } = {};
  for (const [index, groupName] of groupNames(regex)) out[groupName] = m.groups[index] ?? null;
  return out;
}

function requireArray(name: string, value: Json): Json[] {
  if (!Array.isArray(value)) throw new JqError(`Cannot ${name} ${describe(value)}`);
  return value;
}

/** The input (or argument) as a string, else jq's error `message`. */
function requireString(message: string, value: Json): string {
  if (typeof value !== "string") throw new JqError(message);
  return value;
}

/** The functions callFunction knows, as name/arity: the compile step refuses any other (its test keeps the two in step). */
export const BUILTINS: ReadonlySet<string> = new Set([
  "empty/0",
  "not/0",
  "length/0",
  "utf8bytelength/0",
  "keys/0",
  "keys_unsorted/0",
  "has/1",
  "in/1",
  "select/1",
  "map/1",
  "map_values/1",
  "to_entries/0",
  "from_entries/0",
  "with_entries/1",
  "values/0",
  "nulls/0",
  "booleans/0",
  "numbers/0",
  "strings/0",
  "arrays/0",
  "objects/0",
  "iterables/0",
  "scalars/0",
  "type/0",
  "tostring/0",
  "tonumber/0",
  "tojson/0",
  "fromjson/0",
  "ascii_downcase/0",
  "ascii_upcase/0",
  "explode/0",
  "implode/0",
  "join/1",
  "split/1",
  "test/1",
  "test/2",
  "match/1",
  "match/2",
  "capture/1",
  "capture/2",
  "scan/1",
  "scan/2",
  "split/2",
  "sub/2",
  "sub/3",
  "gsub/2",
  "gsub/3",
  "contains/1",
  "inside/1",
  "startswith/1",
  "endswith/1",
  "ltrimstr/1",
  "rtrimstr/1",
  "indices/1",
  "index/1",
  "rindex/1",
  "first/0",
  "last/0",
  "first/1",
  "last/1",
  "limit/2",
  "range/1",
  "range/2",
  "sort/0",
  "sort_by/1",
  "group_by/1",
  "unique/0",
  "unique_by/1",
  "min/0",
  "max/0",
  "min_by/1",
  "max_by/1",
  "add/0",
  "any/0",
  "all/0",
  "any/1",
  "all/1",
  "any/2",
  "all/2",
  "flatten/0",
  "flatten/1",
  "reverse/0",
  "error/0",
  "error/1",
  "env/0",
  "paths/0",
  "paths/1",
  "getpath/1",
  "del/1",
  "recurse/0",
  "tostream/0",
  "input/0",
  "inputs/0",
  "splits/1",
  "splits/2",
  "halt/0",
  "now/0",
  "floor/0",
  "ceil/0",
  "round/0",
  "sqrt/0",
  "fabs/0",
]);

export function callFunction(name: string, args: Ast[], input: Json, env: Env): Json[] {
  const arity = `${name}/${args.length}`;
  const [a0, a1] = args;
  switch (arity) {
    case "empty/0":
      return [];
    case "not/0":
      return [!truthy(input)];
    case "length/0":
      if (input === null) return [0];
      if (typeof input === "boolean") throw new JqError(`${describe(input)} has no length`);
      if (typeof input === "number") return [Math.abs(input)];
      if (typeof input === "string") return [codePointLength(input)];
      return [Array.isArray(input) ? input.length : Object.keys(input).length];
    case "utf8bytelength/0":
      return [Buffer.byteLength(requireString(`${describe(input)} only strings have UTF-8 byte length`, input))];
    case "keys/0":
    case "keys_unsorted/0":
      if (Array.isArray(input)) return [input.map((_v, i) => i)];
      if (isObject(input)) return [name === "keys" ? Object.keys(input).sort() : Object.keys(input)];
      throw new JqError(`${describe(input)} has no keys`);
    case "has/1":
      return one(a0, input, env).map((key) => {
        if (isObject(input) && typeof key === "string") return Object.prototype.hasOwnProperty.call(input, key);
        if (Array.isArray(input) && typeof key === "number") return key >= 0 && key < input.length;
        throw new JqError(`Cannot check whether ${typeOf(input)} has a ${typeOf(key)} key`);
      });
    case "in/1":
      return one(a0, input, env).flatMap((container) => callFunction("has", [{ k: "literal", v: input }], container, env));
    case "select/1":
      return one(a0, input, env).some(truthy) ? [input] : [];
    case "map/1":
      return [iterate(input).flatMap((item) => one(a0, item, env))];
    case "map_values/1":
      if (Array.isArray(input)) return [input.flatMap((item) => one(a0, item, env).slice(0, 1))];
      if (isObject(input)) {
        const out: { [key: string]: Json } = {};
        for (const [key, value] of Object.entries(input)) {
          const mapped = one(a0, value, env);
          if (mapped.length > 0) out[key] = mapped[0] ?? null;
        }
        return [out];
      }
      throw new JqError(`Cannot iterate over ${describe(input)}`);
    case "to_entries/0":
      if (Array.isArray(input)) return [input.map((value, key) => ({ key, value }))];
      if (!isObject(input)) throw new JqError(`${describe(input)} has no keys`);
      return [Object.entries(input).map(([key, value]) => ({ key, value }))];
    case "from_entries/0":
      return [
        Object.fromEntries(
          requireArray("use from_entries on", input).map((entry) => {
            if (!isObject(entry)) throw new JqError(`Cannot index ${typeOf(entry)} with string "key"`);
            const key = entry.key ?? entry.k ?? entry.name ?? entry.Name ?? entry.Key ?? null;
            const value = entry.value ?? entry.v ?? entry.Value ?? null;
            return [typeof key === "string" ? key : JSON.stringify(key), value];
          }),
        ) as Json,
      ];
    case "with_entries/1": {
      const entries = callFunction("to_entries", [], input, env)[0] ?? [];
      const mapped = iterate(entries).flatMap((entry) => one(a0, entry, env));
      return callFunction("from_entries", [], mapped, env);
    }
    case "values/0":
      return input === null ? [] : [input];
    case "nulls/0":
      return input === null ? [input] : [];
    case "booleans/0":
      return typeof input === "boolean" ? [input] : [];
    case "numbers/0":
      return typeof input === "number" ? [input] : [];
    case "strings/0":
      return typeof input === "string" ? [input] : [];
    case "arrays/0":
      return Array.isArray(input) ? [input] : [];
    case "objects/0":
      return isObject(input) ? [input] : [];
    case "iterables/0":
      return Array.isArray(input) || isObject(input) ? [input] : [];
    case "scalars/0":
      return Array.isArray(input) || isObject(input) ? [] : [input];
    case "type/0":
      return [typeOf(input)];
    case "tostring/0":
      return [tostring(input)];
    case "tonumber/0": {
      if (typeof input === "number") return [input];
      const n = typeof input === "string" && input.trim() !== "" ? Number(input) : NaN;
      if (!Number.isFinite(n))
        throw new JqError(
          typeof input === "string"
            ? `${jsonTextError(input)} (while parsing '${input}')`
            : `${describe(input)} cannot be parsed as a number`,
        );
      return [n];
    }
    case "tojson/0":
      return [toJson(input)];
    case "fromjson/0":
      try {
        return [JSON.parse(requireString(`${describe(input)} only strings can be parsed`, input)) as Json];
      } catch (error) {
        if (error instanceof JqError) throw error;
        throw new JqError(`${jsonTextError(tostring(input))} (while parsing '${tostring(input)}')`);
      }
    case "ascii_downcase/0":
      return [requireString("explode input must be a string", input).replace(/[A-Z]/g, (c) => c.toLowerCase())];
    case "ascii_upcase/0":
      return [requireString("explode input must be a string", input).replace(/[a-z]/g, (c) => c.toUpperCase())];
    case "explode/0":
      return [Array.from(requireString("explode input must be a string", input), (char) => char.codePointAt(0) ?? 0)];
    case "implode/0":
      if (!Array.isArray(input)) throw new JqError("implode input must be an array");
      checkLength(input.length);
      return [
        input
          .map((code) => {
            if (typeof code !== "number") throw new JqError(`${describe(input)} can't be imploded, unicode codepoint needs to be numeric`);
            return String.fromCodePoint(code >= 0 && code <= 0x10ffff && (code < 0xd800 || code > 0xdfff) ? Math.trunc(code) : 0xfffd);
          })
          .join(""),
      ];
    case "join/1":
      return one(a0, input, env).map((separator) => {
        const glue = typeof separator === "string" ? separator : "";
        let joined = "";
        iterate(input).forEach((item, index) => {
          const prefix = index > 0 ? joined + glue : joined;
          if (item !== null && typeof item === "object") throw new JqError(`${describe(prefix)} and ${describe(item)} cannot be added`);
          const text = item === null ? "" : String(item);
          checkLength(prefix.length + text.length);
          joined = prefix + text;
        });
        return joined;
      });
    case "split/1":
      return one(a0, input, env).map((separator) =>
        requireString("split input and separator must be strings", input).split(
          requireString("split input and separator must be strings", separator),
        ),
      );
    case "test/1":
    case "test/2":
      return regexCall(a0, a1, input, env, (text, regex) => [regex.regex.test(text)]);
    case "match/1":
    case "match/2":
      return regexCall(a0, a1, input, env, (text, regex) =>
        regexMatches(text, regex).map((match) => matchObject(match.m, match.offset, match.length, match.captureOffsets, regex.regex)),
      );
    case "capture/1":
    case "capture/2":
      return regexCall(a0, a1, input, env, (text, regex) => regexMatches(text, regex).map((match) => captureObject(match.m, regex.regex)));
    case "scan/1":
    case "scan/2":
      return regexCall(a0, a1, input, env, (text, regex) =>
        regexMatches(text, { ...regex, global: true }).map((match) =>
          match.m.groups.length > 1 ? match.m.groups.slice(1).map((group) => group ?? null) : (match.m.groups[0] ?? ""),
        ),
      );
    case "split/2":
      return regexCall(a0, a1, input, env, (text, regex) => {
        const parts: Json[] = [];
        let last = 0;
        for (const match of regexMatches(text, { ...regex, global: true })) {
          parts.push(text.slice(last, match.m.index));
          last = match.m.end;
        }
        parts.push(text.slice(last));
        return [parts];
      });
    case "sub/2":
    case "sub/3":
    case "gsub/2":
    case "gsub/3": {
      const replacement = a1;
      if (!replacement) throw new JqError("missing argument");
      return regexCall(a0, args[2], input, env, (text, regex) => {
        const found = regexMatches(text, { ...regex, global: regex.global || name === "gsub" });
        let results = [""];
        let last = 0;
        for (const match of found) {
          const prefix = text.slice(last, match.m.index);
          const outputs = evaluate(replacement, captureObject(match.m, regex.regex), env).map((value) => {
            if (typeof value !== "string") throw new JqError(`${describe(value)} cannot be added to a string`);
            return value;
          });
          const next: string[] = [];
          for (const r of results) {
            for (const value of outputs) {
              checkLength(r.length + prefix.length + value.length);
              next.push(r + prefix + value);
            }
          }
          checkLength(next.length, "array");
          results = next;
          last = match.m.end;
        }
        return results.map((r) => {
          checkLength(r.length + text.length - last);
          return r + text.slice(last);
        });
      });
    }
    case "contains/1":
      return one(a0, input, env).map((b) => contains(input, b));
    case "inside/1":
      return one(a0, input, env).map((b) => contains(b, input));
    case "startswith/1":
      return one(a0, input, env).map((prefix) =>
        requireString("startswith() requires string inputs", input).startsWith(
          requireString("startswith() requires string inputs", prefix),
        ),
      );
    case "endswith/1":
      return one(a0, input, env).map((suffix) =>
        requireString("endswith() requires string inputs", input).endsWith(requireString("endswith() requires string inputs", suffix)),
      );
    case "ltrimstr/1":
      return one(a0, input, env).map((prefix) =>
        typeof input === "string" && typeof prefix === "string" && input.startsWith(prefix) ? input.slice(prefix.length) : input,
      );
    case "rtrimstr/1":
      return one(a0, input, env).map((suffix) =>
        typeof input === "string" && typeof suffix === "string" && suffix !== "" && input.endsWith(suffix)
          ? input.slice(0, -suffix.length)
          : input,
      );
    case "indices/1":
      return one(a0, input, env).map((needle) => indices(input, needle));
    case "index/1":
    case "rindex/1":
      return one(a0, input, env).map((needle) => {
        const found = indices(input, needle);
        if (!Array.isArray(found)) return null;
        return (name === "index" ? found[0] : found[found.length - 1]) ?? null;
      });
    case "first/0":
      return [indexValue(input, 0)];
    case "last/0":
      return [indexValue(input, -1)];
    case "first/1":
      return one(a0, input, env).slice(0, 1);
    case "last/1":
      return one(a0, input, env).slice(-1);
    case "limit/2": {
      const count = one(a0, input, env)[0];
      return one(a1, input, env).slice(0, typeof count === "number" ? Math.max(0, count) : 0);
    }
    case "range/1":
    case "range/2": {
      const from = a1 ? (one(a0, input, env)[0] ?? 0) : 0;
      const to = a1 ? (one(a1, input, env)[0] ?? 0) : (one(a0, input, env)[0] ?? 0);
      const out: Json[] = [];
      if (typeof from === "number" && typeof to === "number") for (let i = from; i < to && out.length < MAX_OUTPUTS; i++) out.push(i);
      return out;
    }
    case "sort/0":
      if (!Array.isArray(input)) throw new JqError(`${describe(input)} cannot be sorted, as it is not an array`);
      return [[...input].sort(compareJson)];
    case "sort_by/1":
      return [
        [...requireArray("sort", input)]
          .map((item) => ({ item, key: one(a0, item, env) as Json }))
          .sort((x, y) => compareJson(x.key, y.key))
          .map((entry) => entry.item),
      ];
    case "group_by/1": {
      const sorted = [...requireArray("group", input)]
        .map((item) => ({ item, key: one(a0, item, env) as Json }))
        .sort((x, y) => compareJson(x.key, y.key));
      const groups: Json[][] = [];
      let lastKey: Json | undefined;
      for (const entry of sorted) {
        if (lastKey !== undefined && compareJson(lastKey, entry.key) === 0) groups[groups.length - 1]?.push(entry.item);
        else groups.push([entry.item]);
        lastKey = entry.key;
      }
      return [groups];
    }
    case "unique/0":
      return [
        [...requireArray("unique", input)]
          .sort(compareJson)
          .filter((item, index, all) => index === 0 || compareJson(all[index - 1] ?? null, item) !== 0),
      ];
    case "unique_by/1": {
      const groups = callFunction("group_by", args, input, env)[0];
      return [Array.isArray(groups) ? groups.map((group) => (Array.isArray(group) ? (group[0] ?? null) : null)) : []];
    }
    case "min/0":
    case "max/0": {
      const sorted = [...requireArray(name, input)].sort(compareJson);
      return [(name === "min" ? sorted[0] : sorted[sorted.length - 1]) ?? null];
    }
    case "min_by/1":
    case "max_by/1": {
      const sorted = callFunction("sort_by", args, input, env)[0];
      const list = Array.isArray(sorted) ? sorted : [];
      return [(name === "min_by" ? list[0] : list[list.length - 1]) ?? null];
    }
    case "add/0":
      return [iterate(input).reduce<Json>((sum, item) => arithmetic("+", sum, item), null)];
    case "any/0":
      return [iterate(input).some(truthy)];
    case "all/0":
      return [iterate(input).every(truthy)];
    case "any/1":
      return [iterate(input).some((item) => one(a0, item, env).some(truthy))];
    case "all/1":
      return [iterate(input).every((item) => one(a0, item, env).every(truthy))];
    case "any/2":
      return [one(a0, input, env).some((item) => one(a1, item, env).some(truthy))];
    case "all/2":
      return [one(a0, input, env).every((item) => one(a1, item, env).every(truthy))];
    case "flatten/0":
    case "flatten/1": {
      const depth = a0 ? one(a0, input, env)[0] : 1e9;
      const flat = (value: Json[], level: number): Json[] =>
        value.flatMap((item) => (Array.isArray(item) && level > 0 ? flat(item, level - 1) : [item]));
      return [flat(requireArray("flatten", input), typeof depth === "number" ? depth : 1e9)];
    }
    case "reverse/0":
      if (typeof input === "string") return [[...input].reverse().join("")];
      return input === null ? [[]] : [[...requireArray("reverse", input)].reverse()];
    case "error/0":
      throw new JqError(tostring(input), input);
    case "error/1": {
      const value = one(a0, input, env)[0] ?? null;
      throw new JqError(tostring(value), value);
    }
    case "env/0":
      return [env.vars.ENV ?? {}];
    case "paths/0":
      return paths(input);
    case "paths/1":
      return paths(input).filter((path) => one(a0, getPath(input, path), env).some(truthy));
    case "getpath/1":
      return one(a0, input, env).map((path) => getPath(input, requireArray("getpath", path)));
    case "del/1":
      return [deletePaths(input, pathsOf(a0 ?? { k: "identity" }, input, env))];
    case "recurse/0":
      return recurseAll(input);
    case "tostream/0":
      return toStream(input, []);
    case "input/0":
    case "inputs/0":
      return [];
    case "splits/1":
    case "splits/2":
      return callFunction("split", args.length === 1 ? [...args, { k: "literal", v: null }] : args, input, env).flatMap((parts) =>
        Array.isArray(parts) ? parts : [],
      );
    case "halt/0":
      return [];
    case "now/0":
      return [Date.now() / 1000];
    case "floor/0":
    case "ceil/0":
    case "round/0":
    case "sqrt/0":
    case "fabs/0": {
      if (typeof input !== "number") throw new JqError(`${describe(input)} number required`);
      // C's round(): halves away from zero.
      const round = (x: number): number => Math.sign(x) * Math.round(Math.abs(x));
      const fn = { floor: Math.floor, ceil: Math.ceil, round, sqrt: Math.sqrt, fabs: Math.abs }[name] ?? Math.floor;
      return [fn(input)];
    }
    default:
      throw new JqError(`${arity} is not defined`);
  }
}

function contains(a: Json, b: Json): boolean {
  if (typeof a === "string" && typeof b === "string") return a.includes(b);
  if (Array.isArray(a) && Array.isArray(b)) return b.every((item) => a.some((candidate) => contains(candidate, item)));
  if (isObject(a) && isObject(b)) return Object.entries(b).every(([key, value]) => key in a && contains(a[key] ?? null, value));
  if (typeOf(a) !== typeOf(b)) throw new JqError(`${describe(a)} and ${describe(b)} cannot have their containment checked`);
  return compareJson(a, b) === 0;
}

/** jq's `indices`: UTF-8 byte offsets of a substring (overlapping, as jq 1.7 counts), positions of a sub-array or of an element. */
function indices(input: Json, needle: Json): Json {
  if (input === null) return null;
  if (typeof input === "string" && typeof needle === "string") {
    const out: number[] = [];
    if (needle === "") return out;
    for (let at = input.indexOf(needle); at >= 0; at = input.indexOf(needle, at + 1)) out.push(Buffer.byteLength(input.slice(0, at)));
    return out;
  }
  if (Array.isArray(input)) {
    const sub = Array.isArray(needle) ? needle : [needle];
    if (sub.length === 0) return null;
    const out: number[] = [];
    for (let at = 0; at + sub.length <= input.length; at++)
      if (sub.every((item, offset) => compareJson(input[at + offset] ?? null, item) === 0)) out.push(at);
    return out;
  }
  throw new JqError(`Cannot index ${typeOf(input)} with ${typeOf(needle)}`);
}

/** `tostream`: [path, leaf] events, and after a non-empty container [path of its last child] to close it. */
function toStream(value: Json, path: Json[]): Json[] {
  const keys = Array.isArray(value) ? value.map((_item, index) => index) : isObject(value) ? Object.keys(value) : [];
  if (keys.length === 0) return [[path, value]];
  const out: Json[] = [];
  for (const key of keys) out.push(...toStream(indexValue(value, key), [...path, key]));
  out.push([[...path, keys[keys.length - 1] ?? null]]);
  return out;
}
