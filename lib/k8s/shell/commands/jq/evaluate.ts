/** jq's evaluator: an AST applied to one input gives its outputs, every value built charged to the run's budget. */
import { SHELL_LIMITS } from "../../limits";
import { callFunction } from "./builtins";
import { applyFormat } from "./format";
import type { Ast } from "./parser";
import { checkLength, compareJson, describe, isObject, JqError, MAX_OUTPUTS, tostring, truthy, typeOf, type Json } from "./values";

export interface Env {
  vars: Record<string, Json>;
  budget: { steps: number; chars: number };
}

/** Characters (and array cells) one jq run may build in total: bounds time and memory. */
const MAX_WORK = 4 * SHELL_LIMITS.maxString;

export function indexValue(target: Json, key: Json): Json {
  if (target === null) return null;
  if (typeof key === "string") {
    if (isObject(target)) return Object.prototype.hasOwnProperty.call(target, key) ? (target[key] ?? null) : null;
    throw new JqError(`Cannot index ${typeOf(target)} with string "${key}"`);
  }
  if (typeof key === "number") {
    if (Array.isArray(target)) {
      const index = Math.floor(key < 0 ? target.length + key : key);
      return target[index] ?? null;
    }
    throw new JqError(`Cannot index ${typeOf(target)} with number`);
  }
  throw new JqError(`Cannot index ${typeOf(target)} with ${typeOf(key)}`);
}

export function iterate(value: Json): Json[] {
  if (Array.isArray(value)) return value;
  if (isObject(value)) return Object.values(value);
  throw new JqError(`Cannot iterate over ${describe(value)}`);
}

export function arithmetic(op: string, a: Json, b: Json): Json {
  if (op === "+") {
    if (a === null) return b;
    if (b === null) return a;
    if (typeof a === "number" && typeof b === "number") return a + b;
    if (typeof a === "string" && typeof b === "string") {
      checkLength(a.length + b.length);
      return a + b;
    }
    if (Array.isArray(a) && Array.isArray(b)) {
      checkLength(a.length + b.length, "array");
      return [...a, ...b];
    }
    if (isObject(a) && isObject(b)) return { ...a, ...b };
  } else if (op === "-") {
    if (typeof a === "number" && typeof b === "number") return a - b;
    if (Array.isArray(a) && Array.isArray(b)) return a.filter((x) => !b.some((y) => compareJson(x, y) === 0));
  } else if (op === "*") {
    if (typeof a === "number" && typeof b === "number") return a * b;
    if (typeof a === "string" && typeof b === "number") {
      if (b <= 0) return null;
      const times = Math.max(1, Math.floor(b));
      checkLength(a.length * times);
      return a.repeat(times);
    }
    if (isObject(a) && isObject(b)) return deepMerge(a, b);
  } else if (op === "/") {
    if (typeof a === "number" && typeof b === "number") {
      if (b === 0) throw new JqError(`${describe(a)} and ${describe(b)} cannot be divided because the divisor is zero`);
      return a / b;
    }
    if (typeof a === "string" && typeof b === "string") return a.split(b);
  } else if (op === "%") {
    if (typeof a === "number" && typeof b === "number") {
      if (Math.trunc(b) === 0)
        throw new JqError(`${describe(a)} and ${describe(b)} cannot be divided (remainder) because the divisor is zero`);
      return Math.trunc(a) % Math.trunc(b);
    }
  }
  const verb = { "+": "added", "-": "subtracted", "*": "multiplied", "/": "divided", "%": "divided" }[op] ?? "combined";
  throw new JqError(`${describe(a)} and ${describe(b)} cannot be ${verb}`);
}

function deepMerge(a: { [key: string]: Json }, b: { [key: string]: Json }): Json {
  const out: { [key: string]: Json } = { ...a };
  for (const [key, value] of Object.entries(b)) {
    const existing = out[key];
    out[key] = existing !== undefined && isObject(existing) && isObject(value) ? deepMerge(existing, value) : value;
  }
  return out;
}

export function paths(value: Json, prefix: Json[] = []): Json[][] {
  const out: Json[][] = [];
  if (Array.isArray(value)) {
    value.forEach((item, index) => {
      out.push([...prefix, index]);
      out.push(...paths(item, [...prefix, index]));
    });
  } else if (isObject(value)) {
    for (const [key, item] of Object.entries(value)) {
      out.push([...prefix, key]);
      out.push(...paths(item, [...prefix, key]));
    }
  }
  return out;
}

export function recurseAll(value: Json): Json[] {
  const out: Json[] = [value];
  if (Array.isArray(value) || isObject(value)) for (const child of iterate(value)) out.push(...recurseAll(child));
  return out;
}

/** Path expressions for del(): simple `.a.b[0]`, `.a[]` forms. */
export function pathsOf(ast: Ast, input: Json, env: Env): Json[][] {
  switch (ast.k) {
    case "identity":
      return [[]];
    case "index": {
      const out: Json[][] = [];
      for (const base of pathsOf(ast.target, input, env)) for (const key of evaluate(ast.key, input, env)) out.push([...base, key]);
      return out;
    }
    case "iterate": {
      const out: Json[][] = [];
      for (const base of pathsOf(ast.target, input, env)) {
        const container = getPath(input, base);
        if (Array.isArray(container)) container.forEach((_v, index) => out.push([...base, index]));
        else if (isObject(container)) for (const key of Object.keys(container)) out.push([...base, key]);
      }
      return out;
    }
    case "pipe": {
      const out: Json[][] = [];
      for (const base of pathsOf(ast.left, input, env))
        for (const rest of pathsOf(ast.right, getPath(input, base), env)) out.push([...base, ...rest]);
      return out;
    }
    case "comma":
      return [...pathsOf(ast.left, input, env), ...pathsOf(ast.right, input, env)];
    case "call":
      if (ast.name === "select" && ast.args[0]) return evaluate(ast.args[0], input, env).some(truthy) ? [[]] : [];
      if (ast.name === "empty") return [];
      break;
    default:
      break;
  }
  throw new JqError("Invalid path expression");
}

export function getPath(value: Json, path: Json[]): Json {
  let current = value;
  for (const key of path) current = indexValue(current, key);
  return current;
}

export function deletePaths(value: Json, pathList: Json[][]): Json {
  const sorted = [...pathList].sort((a, b) => compareJson(b, a));
  let result: Json = JSON.parse(JSON.stringify(value)) as Json;
  for (const path of sorted) result = deletePath(result, path);
  return result;
}

function deletePath(value: Json, path: Json[]): Json {
  if (path.length === 0) return null;
  const [key, ...rest] = path;
  if (Array.isArray(value) && typeof key === "number") {
    const index = key < 0 ? value.length + key : key;
    if (rest.length === 0) return value.filter((_v, i) => i !== index);
    return value.map((item, i) => (i === index ? deletePath(item, rest) : item));
  }
  if (isObject(value) && typeof key === "string") {
    if (!(key in value)) return value;
    if (rest.length === 0) {
      const copy = { ...value };
      delete copy[key];
      return copy;
    }
    return { ...value, [key]: deletePath(value[key] ?? null, rest) };
  }
  return value;
}

/** Evaluates a node and charges what it built to the run's budget. */
export function evaluate(ast: Ast, input: Json, env: Env): Json[] {
  const results = evaluateNode(ast, input, env);
  checkLength(results.length, "array");
  for (const value of results) {
    if (typeof value === "string") {
      checkLength(value.length);
      env.budget.chars += value.length;
    } else if (Array.isArray(value)) {
      checkLength(value.length, "array");
      env.budget.chars += value.length;
    }
  }
  charge(env, results.length);
  return results;
}

/** Adds work (characters or cells built) to the run's budget. */
function charge(env: Env, amount: number): void {
  env.budget.chars += amount;
  if (env.budget.chars > MAX_WORK) throw new JqError(`evaluation too large (more than ${MAX_WORK} characters built)`);
}

function evaluateNode(ast: Ast, input: Json, env: Env): Json[] {
  if (++env.budget.steps > 2_000_000) throw new JqError("evaluation too long (step limit reached)");
  switch (ast.k) {
    case "identity":
      return [input];
    case "recurse":
      return recurseAll(input);
    case "literal":
      return [ast.v];
    case "string": {
      let results = [""];
      for (const part of ast.parts) {
        if (typeof part === "string") {
          results = results.map((r) => r + part);
          continue;
        }
        const values = evaluate(part, input, env);
        const next: string[] = [];
        for (const v of values) {
          for (const r of results) {
            const piece = ast.format ? applyFormat(ast.format, v) : tostring(v);
            checkLength(r.length + piece.length);
            next.push(r + piece);
          }
        }
        checkLength(next.length, "array");
        results = next;
      }
      return results;
    }
    case "format":
      return [applyFormat(ast.name, input)];
    case "index": {
      const out: Json[] = [];
      for (const target of evaluate(ast.target, input, env)) {
        for (const key of evaluate(ast.key, input, env)) {
          try {
            out.push(indexValue(target, key));
          } catch (error) {
            if (!ast.optional) throw error;
          }
        }
      }
      return out;
    }
    case "slice": {
      const out: Json[] = [];
      for (const target of evaluate(ast.target, input, env)) {
        if (target === null) {
          out.push(null);
          continue;
        }
        const from = ast.from ? evaluate(ast.from, input, env)[0] : 0;
        const to = ast.to ? evaluate(ast.to, input, env)[0] : undefined;
        if (typeof target !== "string" && !Array.isArray(target)) {
          if (ast.optional) continue;
          throw new JqError(`Cannot index ${typeOf(target)} with object`);
        }
        const start = typeof from === "number" ? from : 0;
        const end = typeof to === "number" ? to : undefined;
        out.push(target.slice(start, end));
      }
      return out;
    }
    case "iterate": {
      const out: Json[] = [];
      for (const target of evaluate(ast.target, input, env)) {
        try {
          out.push(...iterate(target));
        } catch (error) {
          if (!ast.optional) throw error;
        }
      }
      return out;
    }
    case "pipe": {
      const out: Json[] = [];
      for (const value of evaluate(ast.left, input, env)) {
        out.push(...evaluate(ast.right, value, env));
        if (out.length > MAX_OUTPUTS) throw new JqError("too many results");
      }
      return out;
    }
    case "comma":
      return [...evaluate(ast.left, input, env), ...evaluate(ast.right, input, env)];
    case "neg":
      return evaluate(ast.value, input, env).map((v) => {
        if (typeof v !== "number") throw new JqError(`${describe(v)} cannot be negated`);
        return -v;
      });
    case "binary": {
      if (ast.op === "//") {
        let left: Json[] = [];
        try {
          left = evaluate(ast.left, input, env).filter(truthy);
        } catch {
          left = [];
        }
        return left.length > 0 ? left : evaluate(ast.right, input, env);
      }
      if (ast.op === "and" || ast.op === "or") {
        const out: Json[] = [];
        for (const l of evaluate(ast.left, input, env)) {
          if (ast.op === "and" && !truthy(l)) out.push(false);
          else if (ast.op === "or" && truthy(l)) out.push(true);
          else for (const r of evaluate(ast.right, input, env)) out.push(truthy(r));
        }
        return out;
      }
      const out: Json[] = [];
      const rights = evaluate(ast.right, input, env);
      for (const r of rights) {
        for (const l of evaluate(ast.left, input, env)) {
          switch (ast.op) {
            case "==":
              out.push(compareJson(l, r) === 0);
              break;
            case "!=":
              out.push(compareJson(l, r) !== 0);
              break;
            case "<":
              out.push(compareJson(l, r) < 0);
              break;
            case "<=":
              out.push(compareJson(l, r) <= 0);
              break;
            case ">":
              out.push(compareJson(l, r) > 0);
              break;
            case ">=":
              out.push(compareJson(l, r) >= 0);
              break;
            default:
              out.push(arithmetic(ast.op, l, r));
          }
        }
      }
      return out;
    }
    case "array":
      return [ast.body ? evaluate(ast.body, input, env) : []];
    case "object": {
      let results: { [key: string]: Json }[] = [{}];
      for (const entry of ast.entries) {
        const keys = evaluate(entry.key, input, env);
        const next: { [key: string]: Json }[] = [];
        for (const key of keys) {
          if (typeof key !== "string") throw new JqError(`Object keys must be strings`);
          const values = entry.value ? evaluate(entry.value, input, env) : [indexValue(input, key)];
          for (const base of results) for (const value of values) next.push({ ...base, [key]: value });
        }
        results = next;
      }
      return results;
    }
    case "var": {
      if (ast.name === "ENV" || ast.name === "__loc__") return [env.vars[ast.name] ?? null];
      if (!(ast.name in env.vars)) throw new JqError(`$${ast.name} is not defined`);
      return [env.vars[ast.name] ?? null];
    }
    case "if": {
      const out: Json[] = [];
      for (const cond of evaluate(ast.cond, input, env)) {
        if (truthy(cond)) {
          out.push(...evaluate(ast.then, input, env));
          continue;
        }
        let handled = false;
        for (const elif of ast.elifs) {
          if (evaluate(elif.cond, input, env).some(truthy)) {
            out.push(...evaluate(elif.then, input, env));
            handled = true;
            break;
          }
        }
        if (!handled) out.push(...(ast.otherwise ? evaluate(ast.otherwise, input, env) : [input]));
      }
      return out;
    }
    case "try":
      try {
        return evaluate(ast.body, input, env);
      } catch (error) {
        if (!(error instanceof JqError)) throw error;
        return ast.handler ? evaluate(ast.handler, error.value, env) : [];
      }
    case "as": {
      const out: Json[] = [];
      for (const value of evaluate(ast.source, input, env))
        out.push(...evaluate(ast.body, input, { ...env, vars: { ...env.vars, [ast.name]: value } }));
      return out;
    }
    case "reduce": {
      let accumulators = evaluate(ast.init, input, env);
      for (const value of evaluate(ast.source, input, env)) {
        accumulators = accumulators
          .flatMap((acc) => evaluate(ast.update, acc, { ...env, vars: { ...env.vars, [ast.name]: value } }))
          .slice(-1);
      }
      return accumulators;
    }
    case "call":
      return callFunction(ast.name, ast.args, input, env);
    case "assign":
      return assign(ast.op, ast.left, ast.right, input, env);
  }
}

export function one(ast: Ast | undefined, input: Json, env: Env): Json[] {
  if (!ast) throw new JqError("missing argument");
  return evaluate(ast, input, env);
}

/** `lhs = rhs`, `lhs |= f` and `lhs op= rhs`, over the paths `lhs` names (as jq 1.7 defines them). */
function assign(op: string, left: Ast, right: Ast, input: Json, env: Env): Json[] {
  const targets = pathsOf(left, input, env);
  if (op === "|=") {
    const writer = new PathWriter(input, env);
    const removed: Json[][] = [];
    for (const path of targets) {
      const [updated] = evaluate(right, getPath(writer.root, path), env);
      if (updated === undefined) removed.push(path);
      else writer.set(path, updated);
    }
    return [removed.length > 0 ? deletePaths(writer.root, removed) : writer.root];
  }
  return evaluate(right, input, env).map((value) => {
    const writer = new PathWriter(input, env);
    for (const path of targets) {
      if (op === "=") writer.set(path, value);
      else {
        const old = getPath(writer.root, path);
        writer.set(path, op === "//=" ? (truthy(old) ? old : value) : arithmetic(op.slice(0, -1), old, value));
      }
    }
    return writer.root;
  });
}

/** Sets paths in a value without changing it: each container on the way is copied once, then written in place. */
class PathWriter {
  private readonly owned = new WeakSet<object>();
  constructor(
    public root: Json,
    private readonly env: Env,
  ) {}

  set(path: Json[], replacement: Json): void {
    const [first] = path;
    if (first === undefined) {
      this.root = replacement;
      return;
    }
    let container = this.writable(this.root, first);
    this.root = container;
    path.forEach((key, depth) => {
      const next = path[depth + 1];
      const child = next === undefined ? replacement : this.writable(indexValue(container, key), next);
      if (Array.isArray(container) && typeof key === "number") {
        const index = key < 0 ? container.length + Math.floor(key) : Math.floor(key);
        if (index < 0) throw new JqError("Out of bounds negative array index");
        checkLength(index + 1, "array");
        while (container.length < index) container.push(null);
        container[index] = child;
      } else if (isObject(container) && typeof key === "string") container[key] = child;
      if (child !== null && typeof child === "object") container = child;
    });
  }

  /** The container to write `key` into: null becomes a new one, and one not yet copied is copied. */
  private writable(value: Json, key: Json): Json[] | { [key: string]: Json } {
    if (typeof key === "string") {
      if (value !== null && !isObject(value)) throw new JqError(`Cannot index ${typeOf(value)} with string "${key}"`);
      if (value !== null && this.owned.has(value)) return value;
      const copy = { ...(value ?? {}) };
      charge(this.env, Object.keys(copy).length + 1);
      this.owned.add(copy);
      return copy;
    }
    if (typeof key === "number") {
      if (value !== null && !Array.isArray(value)) throw new JqError(`Cannot index ${typeOf(value)} with number`);
      if (value !== null && this.owned.has(value)) return value;
      const copy = [...(value ?? [])];
      charge(this.env, copy.length + 1);
      this.owned.add(copy);
      return copy;
    }
    throw new JqError(`Cannot update field at object index of ${typeOf(value)}`);
  }
}
