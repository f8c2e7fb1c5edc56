/**
 * Tab completion for the simulated kubectl: commands, subcommands, flags, resource types, resource
 * names (from `lookup` when the caller has the engine state, else a quiet list request), contexts.
 */
import { isJsonObject } from "../json";
import type { CommandContext } from "../shell/types";
import { Flags, GLOBAL_FLAGS, parseArgs, takesSeparateValue } from "./args";
import { RestClient, resolveSettings } from "./client";
import type { CommandSpec } from "./command";
import { COMMANDS, findCommand } from "./kubectl";
import { loadKubeconfig } from "./kubeconfig";
import { Runtime } from "./runtime";

export const RESOURCE_TYPES = [
  "pods",
  "deployments",
  "serviceaccounts",
  "secrets",
  "configmaps",
  "namespaces",
  "nodes",
  "roles",
  "rolebindings",
  "clusterroles",
  "clusterrolebindings",
  "certificatesigningrequests",
];

const RESOURCE_PATHS: Record<string, { path: string; namespaced: boolean }> = {
  pods: { path: "/api/v1", namespaced: true },
  deployments: { path: "/apis/apps/v1", namespaced: true },
  serviceaccounts: { path: "/api/v1", namespaced: true },
  secrets: { path: "/api/v1", namespaced: true },
  configmaps: { path: "/api/v1", namespaced: true },
  namespaces: { path: "/api/v1", namespaced: false },
  nodes: { path: "/api/v1", namespaced: false },
  roles: { path: "/apis/rbac.authorization.k8s.io/v1", namespaced: true },
  rolebindings: { path: "/apis/rbac.authorization.k8s.io/v1", namespaced: true },
  clusterroles: { path: "/apis/rbac.authorization.k8s.io/v1", namespaced: false },
  clusterrolebindings: { path: "/apis/rbac.authorization.k8s.io/v1", namespaced: false },
  certificatesigningrequests: { path: "/apis/certificates.k8s.io/v1", namespaced: false },
};

const ALIASES: Record<string, string> = {
  po: "pods",
  pod: "pods",
  deploy: "deployments",
  deployment: "deployments",
  sa: "serviceaccounts",
  serviceaccount: "serviceaccounts",
  secret: "secrets",
  cm: "configmaps",
  configmap: "configmaps",
  ns: "namespaces",
  namespace: "namespaces",
  no: "nodes",
  node: "nodes",
  role: "roles",
  rolebinding: "rolebindings",
  clusterrole: "clusterroles",
  clusterrolebinding: "clusterrolebindings",
  csr: "certificatesigningrequests",
  certificatesigningrequest: "certificatesigningrequests",
};

export interface CompletionOptions {
  /** Names of a resource type ("pods") in a namespace (undefined: cluster-scoped or all). */
  lookup?: (resource: string, namespace: string | undefined) => string[] | Promise<string[]>;
}

function canonical(typed: string): string | undefined {
  const lower = typed.toLowerCase().split(".")[0] ?? "";
  if (RESOURCE_PATHS[lower] !== undefined) return lower;
  return ALIASES[lower];
}

function flagNames(command: CommandSpec | undefined): string[] {
  return [...GLOBAL_FLAGS, ...(command?.flags ?? [])].map((flag) => `--${flag.name}`).sort();
}

async function listNames(
  context: CommandContext,
  flags: Flags,
  resource: string,
  namespace: string | undefined,
  options: CompletionOptions,
): Promise<string[]> {
  if (options.lookup !== undefined) return options.lookup(resource, namespace);
  const info = RESOURCE_PATHS[resource];
  if (info === undefined || context.network === undefined) return [];
  try {
    const quiet = { ...context, exchanges: [] };
    const runtime = new Runtime(quiet);
    const settings = resolveSettings(runtime, flags);
    const client = new RestClient(runtime, settings, "kubectl __complete");
    const path = `${info.path}${info.namespaced && namespace !== undefined ? `/namespaces/${namespace}` : ""}/${resource}?limit=500`;
    const response = await client.request("GET", path, { accept: "application/json" });
    if (response.status !== 200) return [];
    const parsed: unknown = JSON.parse(response.text);
    if (!isJsonObject(parsed) || !Array.isArray(parsed.items)) return [];
    return parsed.items
      .filter(isJsonObject)
      .map((item) => (isJsonObject(item.metadata) && typeof item.metadata.name === "string" ? item.metadata.name : ""))
      .filter((name) => name !== "");
  } catch {
    return [];
  }
}

/** Candidates for the last element of `args` (the word being completed; "" for a new word). */
export async function completeKubectl(args: string[], context: CommandContext, options: CompletionOptions = {}): Promise<string[]> {
  const current = args[args.length - 1] ?? "";
  const before = args.slice(0, -1);
  const path: CommandSpec[] = [];
  let list = COMMANDS;
  const positional: string[] = [];
  for (let index = 0; index < before.length; index += 1) {
    const arg = before[index] ?? "";
    if (arg.startsWith("-")) {
      if (takesSeparateValue(arg, [...GLOBAL_FLAGS, ...(path[path.length - 1]?.flags ?? [])])) index += 1;
      continue;
    }
    const next = list.length > 0 ? findCommand(list, arg) : undefined;
    if (next !== undefined && positional.length === 0) {
      path.push(next);
      list = next.subcommands ?? [];
    } else positional.push(arg);
  }
  const command = path[path.length - 1];
  const parsed = parseArgs(
    before.filter((arg) => arg.startsWith("-") || positional.includes(arg)),
    [...GLOBAL_FLAGS, ...(command?.flags ?? [])],
  );
  const flags = new Flags(parsed.ok ? parsed.parsed : { positional: [], flags: new Map() });
  const match = (candidates: string[]): string[] => [...new Set(candidates)].filter((candidate) => candidate.startsWith(current)).sort();
  const previous = before[before.length - 1] ?? "";
  const contexts = (): string[] => {
    const loaded = loadKubeconfig(context.fs, context.env, flags.optional("kubeconfig"));
    return loaded.ok ? loaded.config.contexts.map((entry) => entry.name) : [];
  };

  if (previous === "--context" || current.startsWith("--context=")) {
    return match(contexts().map((name) => (current.startsWith("--context=") ? `--context=${name}` : name)));
  }
  if (previous === "-n" || previous === "--namespace") return match(await listNames(context, flags, "namespaces", undefined, options));
  if (previous === "-o" || previous === "--output") return match(["json", "yaml", "wide", "name", "jsonpath=", "custom-columns="]);
  if (current.startsWith("-")) return match(flagNames(command));
  if (command === undefined) return match(COMMANDS.map((item) => item.name));
  if ((command.subcommands ?? []).length > 0 && positional.length === 0) {
    const subs = (command.subcommands ?? []).map((item) => item.name);
    return match(command.name === "create" ? [...subs] : subs);
  }
  const name = command.name;
  if (["use-context", "delete-context", "rename-context", "get-contexts", "set-context"].includes(name)) return match(contexts());
  if (["get", "describe", "delete"].includes(name)) {
    if (positional.length === 0) return match([...RESOURCE_TYPES, ...Object.keys(ALIASES)]);
    const resource = canonical(positional[0] ?? "");
    if (resource === undefined) return [];
    const info = RESOURCE_PATHS[resource];
    const namespace = info?.namespaced === true ? flags.string("namespace") || "default" : undefined;
    return match(await listNames(context, flags, resource, namespace, options));
  }
  if (name === "explain" && positional.length === 0) return match([...RESOURCE_TYPES, ...Object.keys(ALIASES)]);
  if (name === "approve" || name === "deny")
    return match(await listNames(context, flags, "certificatesigningrequests", undefined, options));
  if (name === "token") return match(await listNames(context, flags, "serviceaccounts", flags.string("namespace") || "default", options));
  if (name === "can-i") {
    if (positional.length === 0)
      return match([
        "get",
        "list",
        "watch",
        "create",
        "update",
        "patch",
        "delete",
        "deletecollection",
        "impersonate",
        "approve",
        "sign",
        "bind",
        "escalate",
        "*",
      ]);
    if (positional.length === 1) return match([...RESOURCE_TYPES, "users", "groups"]);
  }
  return [];
}
