/** RFC 6902 JSON Patch (kubectl patch --type=json): add, remove, replace, test, move, copy. */
import { cloneJson, isJsonObject, type JsonValue } from "../../json";

export type JsonPatchResult = { ok: true; value: JsonValue } | { ok: false; error: string };

function pointer(path: string): string[] | undefined {
  if (path === "") return [];
  if (!path.startsWith("/")) return undefined;
  return path
    .slice(1)
    .split("/")
    .map((token) => token.replace(/~1/g, "/").replace(/~0/g, "~"));
}

function parentOf(root: JsonValue, tokens: string[]): JsonValue | undefined {
  let current: JsonValue | undefined = root;
  for (const token of tokens.slice(0, -1)) {
    if (Array.isArray(current)) current = current[Number(token)];
    else if (isJsonObject(current)) current = current[token];
    else return undefined;
  }
  return current;
}

function get(root: JsonValue, tokens: string[]): JsonValue | undefined {
  if (tokens.length === 0) return root;
  const parent = parentOf(root, tokens);
  const last = tokens[tokens.length - 1] ?? "";
  if (Array.isArray(parent)) return parent[Number(last)];
  return isJsonObject(parent) ? parent[last] : undefined;
}

function remove(root: JsonValue, tokens: string[]): boolean {
  const parent = parentOf(root, tokens);
  const last = tokens[tokens.length - 1] ?? "";
  if (Array.isArray(parent)) {
    const index = Number(last);
    if (!Number.isInteger(index) || index < 0 || index >= parent.length) return false;
    parent.splice(index, 1);
    return true;
  }
  if (!isJsonObject(parent) || !(last in parent)) return false;
  delete parent[last];
  return true;
}

function add(root: JsonValue, tokens: string[], value: JsonValue, replace: boolean): boolean {
  const parent = parentOf(root, tokens);
  const last = tokens[tokens.length - 1] ?? "";
  if (Array.isArray(parent)) {
    const index = last === "-" ? parent.length : Number(last);
    if (!Number.isInteger(index) || index < 0 || index > parent.length || (replace && index >= parent.length)) return false;
    parent.splice(index, replace ? 1 : 0, value);
    return true;
  }
  if (!isJsonObject(parent) || (replace && !(last in parent))) return false;
  parent[last] = value;
  return true;
}

export function applyJsonPatch(document: JsonValue, patch: JsonValue): JsonPatchResult {
  if (!Array.isArray(patch)) return { ok: false, error: "json: cannot unmarshal object into Go value of type jsonpatch.Patch" };
  const root = cloneJson(document);
  for (const operation of patch) {
    if (!isJsonObject(operation)) return { ok: false, error: "invalid JSON Patch" };
    const op = typeof operation.op === "string" ? operation.op : "";
    const tokens = pointer(typeof operation.path === "string" ? operation.path : "/");
    if (tokens === undefined || tokens.length === 0) return { ok: false, error: `invalid JSON Patch` };
    const value = operation.value ?? null;
    let ok = true;
    switch (op) {
      case "add":
        ok = add(root, tokens, cloneJson(value), false);
        break;
      case "replace":
        ok = add(root, tokens, cloneJson(value), true);
        break;
      case "remove":
        ok = remove(root, tokens);
        break;
      case "test":
        ok = JSON.stringify(get(root, tokens)) === JSON.stringify(value);
        if (!ok) return { ok: false, error: "testing value failed" };
        break;
      case "move":
      case "copy": {
        const from = pointer(typeof operation.from === "string" ? operation.from : "");
        const moved = from === undefined ? undefined : get(root, from);
        if (from === undefined || moved === undefined) return { ok: false, error: `unable to get from path` };
        const copy = cloneJson(moved);
        if (op === "move") ok = remove(root, from);
        ok = ok && add(root, tokens, copy, false);
        break;
      }
      default:
        return { ok: false, error: `Unexpected kind: ${op}` };
    }
    if (!ok)
      return { ok: false, error: `doc is missing path: "${typeof operation.path === "string" ? operation.path : ""}": missing value` };
  }
  return { ok: true, value: root };
}
