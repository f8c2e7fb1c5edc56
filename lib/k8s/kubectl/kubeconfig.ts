/**
 * kubeconfig loading as client-go's clientcmd does it: --kubeconfig, or $KUBECONFIG (colon-separated,
 * first file to define a name wins), or ~/.kube/config; then --context/--cluster/--user/-n overrides.
 * Entries are kept as JSON objects so unknown fields survive a rewrite.
 */
import { TextMemo } from "./memo";
import { parse as parseYaml } from "yaml";
import { isJsonObject, parseJson, type JsonObject } from "../json";
import type { Vfs } from "../shell/types";
import { toYaml } from "./yaml-output";

export interface NamedEntry {
  name: string;
  /** The cluster / user / context body. */
  body: JsonObject;
  /** Absolute path of the file that defined it (relative paths inside resolve against its directory). */
  origin: string;
}

export interface Kubeconfig {
  clusters: NamedEntry[];
  users: NamedEntry[];
  contexts: NamedEntry[];
  currentContext: string;
  preferences: JsonObject;
  /** Files that were read, in precedence order. */
  files: string[];
  /** Where modifications go. */
  destination: string;
}

export type LoadResult = { ok: true; config: Kubeconfig } | { ok: false; error: string };

const SECTIONS = [
  { key: "clusters", field: "cluster" },
  { key: "users", field: "user" },
  { key: "contexts", field: "context" },
] as const;

export function defaultKubeconfigPath(env: Record<string, string>): string {
  const home = env.HOME ?? "/root";
  return `${home.replace(/\/+$/, "")}/.kube/config`;
}

export function kubeconfigPaths(
  env: Record<string, string>,
  explicit: string | undefined,
  fs: Vfs,
): { paths: string[]; explicit: boolean } {
  if (explicit !== undefined && explicit !== "") return { paths: [fs.resolve(explicit)], explicit: true };
  const variable = env.KUBECONFIG;
  if (variable !== undefined && variable !== "") {
    const paths = variable
      .split(":")
      .filter((path) => path !== "")
      .map((path) => fs.resolve(path));
    return { paths: [...new Set(paths)], explicit: false };
  }
  return { paths: [fs.resolve(defaultKubeconfigPath(env))], explicit: false };
}

interface FileContent {
  clusters: NamedEntry[];
  users: NamedEntry[];
  contexts: NamedEntry[];
  currentContext: string;
  preferences: JsonObject;
}

type ParsedKubeconfig = { ok: true; content: FileContent } | { ok: false; error: string };

/** Keyed by the text alone (a file's text is read as the same string each time, so its hash is V8's cached one). */
const parsedKubeconfigs = new TextMemo<{ path: string; parsed: ParsedKubeconfig }>();

/** A kubeconfig file's content; each caller gets its own copy (the YAML is parsed once per text and path). */
export function parseKubeconfigText(path: string, text: string): ParsedKubeconfig {
  const known = parsedKubeconfigs.get(text, () => ({ path, parsed: parseKubeconfigUncached(path, text) }));
  // The same text at another path (a copy): its messages name that path.
  return structuredClone(known.path === path ? known.parsed : parseKubeconfigUncached(path, text));
}

function parseKubeconfigUncached(path: string, text: string): ParsedKubeconfig {
  let raw: unknown;
  try {
    raw = text.trim() === "" ? {} : parseYaml(text, { maxAliasCount: 50 });
  } catch (error) {
    const message = error instanceof Error ? (error.message.split("\n")[0] ?? "") : String(error);
    return { ok: false, error: `error loading config file "${path}": yaml: ${message}` };
  }
  const json = parseJson(JSON.stringify(raw ?? {}));
  if (!isJsonObject(json)) {
    return {
      ok: false,
      error: `error loading config file "${path}": couldn't get version/kind; json parse error: json: cannot unmarshal string into Go value of type struct { APIVersion string "json:\\"apiVersion,omitempty\\""; Kind string "json:\\"kind,omitempty\\"" }`,
    };
  }
  const content: FileContent = { clusters: [], users: [], contexts: [], currentContext: "", preferences: {} };
  for (const { key, field } of SECTIONS) {
    const list = json[key];
    if (list === null || list === undefined) continue;
    if (!Array.isArray(list))
      return { ok: false, error: `error loading config file "${path}": v1.Config.${key}: decode slice: expect [ or n, but found {` };
    for (const item of list) {
      if (!isJsonObject(item)) continue;
      const name = typeof item.name === "string" ? item.name : "";
      const body = isJsonObject(item[field]) ? { ...(item[field] as JsonObject) } : {};
      content[key].push({ name, body, origin: path });
    }
  }
  if (typeof json["current-context"] === "string") content.currentContext = json["current-context"];
  if (isJsonObject(json.preferences)) content.preferences = json.preferences;
  return { ok: true, content };
}

export function loadKubeconfig(fs: Vfs, env: Record<string, string>, explicit: string | undefined): LoadResult {
  const { paths, explicit: isExplicit } = kubeconfigPaths(env, explicit, fs);
  const config: Kubeconfig = {
    clusters: [],
    users: [],
    contexts: [],
    currentContext: "",
    preferences: {},
    files: [],
    destination: paths[0] ?? "",
  };
  for (const path of paths) {
    const file = fs.readFile(path);
    if (!file.ok) {
      if (isExplicit) return { ok: false, error: `stat ${explicit ?? path}: no such file or directory` };
      continue;
    }
    const parsed = parseKubeconfigText(path, file.content);
    if (!parsed.ok) return parsed;
    config.files.push(path);
    for (const { key } of SECTIONS) {
      for (const entry of parsed.content[key]) {
        if (!config[key].some((existing) => existing.name === entry.name)) config[key].push(entry);
      }
    }
    if (config.currentContext === "" && parsed.content.currentContext !== "") config.currentContext = parsed.content.currentContext;
    if (Object.keys(config.preferences).length === 0) config.preferences = parsed.content.preferences;
  }
  return { ok: true, config };
}

export function findEntry(entries: NamedEntry[], name: string): NamedEntry | undefined {
  return entries.find((entry) => entry.name === name);
}

export function str(body: JsonObject | undefined, key: string): string {
  const value = body?.[key];
  return typeof value === "string" ? value : "";
}

export function bool(body: JsonObject | undefined, key: string): boolean {
  return body?.[key] === true;
}

export function strings(body: JsonObject | undefined, key: string): string[] {
  const value = body?.[key];
  return Array.isArray(value) ? value.filter((item): item is string => typeof item === "string") : [];
}

function dirname(path: string): string {
  const index = path.lastIndexOf("/");
  return index <= 0 ? "/" : path.slice(0, index);
}

/** A file path inside a kubeconfig, resolved against the directory of the file that holds it. */
export function resolveConfigPath(entry: NamedEntry, path: string): string {
  if (path === "" || path.startsWith("/")) return path;
  if (path.startsWith("~/")) return path;
  return `${dirname(entry.origin)}/${path}`.replace(/\/\.\//g, "/");
}

const PATH_FIELDS: Record<string, string[]> = {
  clusters: ["certificate-authority"],
  users: ["client-certificate", "client-key", "tokenFile"],
  contexts: [],
};

const DATA_FIELDS = ["certificate-authority-data", "client-certificate-data", "client-key-data"];

/** The v1.Config document for `config view` / writing: sorted keys, null for empty lists. */
export function kubeconfigDocument(
  parts: Pick<Kubeconfig, "clusters" | "users" | "contexts" | "currentContext" | "preferences">,
  options: { redact?: boolean; resolvePaths?: boolean } = {},
): JsonObject {
  const section = (key: "clusters" | "users" | "contexts", field: string): JsonObject[] | null => {
    const entries = parts[key];
    if (entries.length === 0) return null;
    return entries.map((entry) => {
      const body: JsonObject = { ...entry.body };
      if (options.resolvePaths === true) {
        for (const pathField of PATH_FIELDS[key] ?? []) {
          const value = body[pathField];
          if (typeof value === "string" && value !== "") body[pathField] = resolveConfigPath(entry, value);
        }
      }
      if (options.redact === true) {
        for (const dataField of DATA_FIELDS)
          if (typeof body[dataField] === "string" && body[dataField] !== "") body[dataField] = "DATA+OMITTED";
        for (const secretField of ["token"])
          if (typeof body[secretField] === "string" && body[secretField] !== "") body[secretField] = "REDACTED";
      }
      return { name: entry.name, [field]: body };
    });
  };
  return {
    apiVersion: "v1",
    clusters: section("clusters", "cluster"),
    contexts: section("contexts", "context"),
    "current-context": parts.currentContext,
    kind: "Config",
    preferences: parts.preferences,
    users: section("users", "user"),
  };
}

export function renderKubeconfig(parts: Pick<Kubeconfig, "clusters" | "users" | "contexts" | "currentContext" | "preferences">): string {
  return toYaml(kubeconfigDocument(parts));
}

/** Reads one file for modification (missing file: empty config). */
export function loadForWrite(fs: Vfs, path: string): { ok: true; content: FileContent } | { ok: false; error: string } {
  const file = fs.readFile(path);
  if (!file.ok) return { ok: true, content: { clusters: [], users: [], contexts: [], currentContext: "", preferences: {} } };
  return parseKubeconfigText(path, file.content);
}

export function writeKubeconfig(fs: Vfs, path: string, content: FileContent): { ok: true } | { ok: false; error: string } {
  const dir = dirname(path);
  if (!fs.exists(dir)) {
    const made = fs.mkdir(dir, { parents: true });
    if (!made.ok) return made;
  }
  return fs.writeFile(path, renderKubeconfig(content), { mode: 0o600 });
}

export type { FileContent };
