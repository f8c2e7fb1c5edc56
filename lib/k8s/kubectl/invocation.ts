/**
 * A kubectl command line reduced to what it means, so two spellings of the same command compare
 * equal: the command path with aliases resolved (`config use` → `config use-context`), flags by
 * their long name whatever the spelling (`-n dev`, `--namespace=dev`, anywhere on the line), bool
 * flags as true/false (an explicit `=false` is the same as leaving the flag out), durations in
 * milliseconds (`2h` = `120m` = `7200s` = `2h0m0s`) and resource types as the resource the
 * simulated discovery data maps them to (`po` = `pod` = `pods` = `Pod`). Nothing is run.
 */
import { RESOURCES } from "../api/resources";
import { parseDuration } from "../clock";
import type { FlagKind } from "./args";
import { findResource, qualifiedResource, type Discovery } from "./discovery";
import { renderError } from "./errors";
import { commandFlagSpecs, resolveCommand } from "./kubectl";

export interface NormalizedInvocation {
  /** "kubectl config use-context" */
  commandPath: string;
  positional: string[];
  /** Long flag name → normalized values (the last one for single-valued flags). */
  flags: Map<string, string[]>;
}

export type InvocationResult = { ok: true; invocation: NormalizedInvocation } | { ok: false; error: string };

/** Flags whose value is a Go duration (metav1.Duration / time.Duration). */
export const DURATION_FLAGS: ReadonlySet<string> = new Set(["duration", "request-timeout"]);

/** kubectl's bool flags that default to true (describe --show-events, delete --wait, config view --merge). */
const BOOL_DEFAULT_TRUE = new Set(["show-events", "wait", "merge"]);

/** String flags given their default value mean the same as leaving them out (`config view -o yaml`). */
const STRING_DEFAULTS: Record<string, Record<string, string>> = {
  "kubectl config view": { output: "yaml" },
};

/** Which positional arguments name resource types, per command path. */
const RESOURCE_ARGUMENTS: Record<string, "types" | "second"> = {
  "kubectl get": "types",
  "kubectl describe": "types",
  "kubectl delete": "types",
  "kubectl auth can-i": "second",
};

const DISCOVERY: Discovery = {
  resources: RESOURCES.map((resource) => ({
    name: resource.name,
    singularName: resource.singularName,
    kind: resource.kind,
    group: resource.group,
    version: resource.version,
    namespaced: resource.namespaced,
    verbs: resource.verbs,
    shortNames: resource.shortNames ?? [],
    categories: resource.categories ?? [],
  })),
  groupVersions: [],
};

/** `po` → `pods`, `csr` → `certificatesigningrequests.certificates.k8s.io`; unknown types stay as typed. */
export function normalizeResourceType(typed: string): string {
  const resource = findResource(DISCOVERY, typed);
  return resource === undefined ? typed : qualifiedResource(resource);
}

function normalizeTypeList(arg: string): string {
  const slash = arg.indexOf("/");
  if (slash !== -1) return `${normalizeResourceType(arg.slice(0, slash))}/${arg.slice(slash + 1)}`;
  return arg
    .split(",")
    .map((type) => normalizeResourceType(type))
    .join(",");
}

function normalizePositional(commandPath: string, positional: string[]): string[] {
  const rule = RESOURCE_ARGUMENTS[commandPath];
  if (rule === "types") return positional.map((arg, index) => (index === 0 || arg.includes("/") ? normalizeTypeList(arg) : arg));
  if (rule === "second") {
    return positional.map((arg, index) => {
      if (index !== 1 || arg.startsWith("/")) return arg;
      // can-i takes RESOURCE[/SUBRESOURCE] or TYPE/NAME; only the type part is a resource type.
      const slash = arg.indexOf("/");
      return slash === -1 ? normalizeResourceType(arg) : `${normalizeResourceType(arg.slice(0, slash))}${arg.slice(slash)}`;
    });
  }
  return positional;
}

/**
 * The value as kubectl would use it. Durations: Go's time.ParseDuration has no `d` unit, so a
 * value with one stays as typed (and then matches nothing but itself).
 */
function normalizeValue(name: string, kind: FlagKind, value: string): string {
  if (DURATION_FLAGS.has(name) && !value.includes("d")) {
    const ms = parseDuration(value);
    if (ms !== undefined) return `${ms}ms`;
  }
  if (kind === "int" && /^-?[0-9]+$/.test(value)) return String(Number(value));
  return value;
}

/** Parses kubectl's arguments (without the leading `kubectl`) into a normalized invocation. Never throws. */
export function normalizeKubectlInvocation(args: readonly string[]): InvocationResult {
  let resolved: ReturnType<typeof resolveCommand>;
  try {
    resolved = resolveCommand(args);
  } catch (error) {
    return { ok: false, error: renderError(error).text.trim() };
  }
  const specs = new Map(commandFlagSpecs(resolved.command).map((spec) => [spec.name, spec]));
  const flags = new Map<string, string[]>();
  for (const [name, values] of resolved.parsed.flags) {
    const kind = specs.get(name)?.kind ?? "string";
    const normalized = values.map((value) => normalizeValue(name, kind, value));
    if (kind === "stringArray") {
      flags.set(name, normalized);
      continue;
    }
    const last = normalized[normalized.length - 1] ?? "";
    // A bool flag set to its default means the same as leaving it out (`--raw=false`, `--wait=true`).
    if (kind === "bool" && last === (BOOL_DEFAULT_TRUE.has(name) ? "true" : "false")) continue;
    if (STRING_DEFAULTS[resolved.commandPath]?.[name] === last) continue;
    flags.set(name, [last]);
  }
  return {
    ok: true,
    invocation: {
      commandPath: resolved.commandPath,
      positional: normalizePositional(resolved.commandPath, resolved.parsed.positional),
      flags,
    },
  };
}
