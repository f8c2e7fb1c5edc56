/**
 * Discovery as kubectl's memory-cached client does it (spec §10.1): GET /api and /apis with the
 * aggregated-discovery Accept, then every group version. A failure of /api or /apis is logged as a
 * memcache.go:265 klog line per attempt, and the last error is returned to the command.
 */
import { goPathEscape } from "../go";
import { isJsonObject, parseJson, type JsonObject } from "../json";
import { DEFAULT_ACCEPT, DISCOVERY_ACCEPT, type RestClient } from "./client";
import { genericServerError, NetworkError, StatusError } from "./errors";

export interface ApiResource {
  name: string;
  singularName: string;
  kind: string;
  group: string;
  version: string;
  namespaced: boolean;
  verbs: string[];
  shortNames: string[];
  categories: string[];
}

/** core/v1 pods, for the commands that address Pods without discovery (run, exec). */
export const POD_RESOURCE: ApiResource = {
  name: "pods",
  singularName: "pod",
  kind: "Pod",
  group: "",
  version: "v1",
  namespaced: true,
  verbs: [],
  shortNames: ["po"],
  categories: ["all"],
};

export interface Discovery {
  resources: ApiResource[];
  /** "v1" then "<group>/<version>" in /apis order. */
  groupVersions: string[];
}

function strings(value: unknown): string[] {
  return Array.isArray(value) ? value.filter((item): item is string => typeof item === "string") : [];
}

async function getText(client: RestClient, path: string, accept: string): Promise<string> {
  const response = await client.request("GET", path, { accept });
  if (response.status < 200 || response.status > 299) throw genericServerError(response.status, response.text, response.contentType);
  return response.text;
}

function asJsonObject(text: string): JsonObject {
  const parsed = parseJson(text);
  if (!isJsonObject(parsed)) throw new Error(`couldn't get version/kind; json parse error: invalid character`);
  return parsed;
}

async function getJson(client: RestClient, path: string, accept: string): Promise<JsonObject> {
  return asJsonObject(await getText(client, path, accept));
}

/**
 * The resources of one group version's APIResourceList, by the document's text: every command
 * fetches the same documents again, so each is read once (bounded). Callers get copies.
 */
const resourceLists = new Map<string, readonly ApiResource[]>();

function resourcesOf(groupVersion: string, text: string): ApiResource[] {
  const key = `${groupVersion}\n${text}`;
  let known = resourceLists.get(key);
  if (known === undefined) {
    const list = asJsonObject(text);
    const [group, version] = groupVersion.includes("/") ? (groupVersion.split("/") as [string, string]) : ["", groupVersion];
    const resources: ApiResource[] = [];
    for (const entry of Array.isArray(list.resources) ? list.resources : []) {
      if (!isJsonObject(entry) || typeof entry.name !== "string" || entry.name.includes("/")) continue;
      resources.push({
        name: entry.name,
        singularName: typeof entry.singularName === "string" && entry.singularName !== "" ? entry.singularName : entry.name,
        kind: typeof entry.kind === "string" ? entry.kind : "",
        group,
        version,
        namespaced: entry.namespaced === true,
        verbs: strings(entry.verbs),
        shortNames: strings(entry.shortNames),
        categories: strings(entry.categories),
      });
    }
    known = resources;
    if (resourceLists.size >= 64) resourceLists.clear();
    resourceLists.set(key, known);
  }
  return known.map((resource) => ({
    ...resource,
    verbs: [...resource.verbs],
    shortNames: [...resource.shortNames],
    categories: [...resource.categories],
  }));
}

function discoveryErrorText(error: unknown): string {
  if (error instanceof NetworkError) return error.message;
  if (error instanceof Error) return error.message;
  return String(error);
}

/** Runs discovery; `attempts` is how many times the cached client retries a failing /api (5 for get, 2 for can-i). */
export async function discover(client: RestClient, attempts: number): Promise<Discovery> {
  let lastError: unknown;
  for (let attempt = 0; attempt < attempts; attempt += 1) {
    try {
      await getJson(client, "/api?timeout=32s", DISCOVERY_ACCEPT);
      const groups = await getJson(client, "/apis?timeout=32s", DISCOVERY_ACCEPT);
      const groupVersions = ["v1"];
      for (const group of Array.isArray(groups.groups) ? groups.groups : []) {
        if (!isJsonObject(group)) continue;
        const preferred = isJsonObject(group.preferredVersion) ? group.preferredVersion.groupVersion : undefined;
        if (typeof preferred === "string") groupVersions.push(preferred);
      }
      const resources: ApiResource[] = [];
      for (const groupVersion of groupVersions) {
        const path = groupVersion === "v1" ? "/api/v1?timeout=32s" : `/apis/${groupVersion}?timeout=32s`;
        try {
          resources.push(...resourcesOf(groupVersion, await getText(client, path, DEFAULT_ACCEPT)));
        } catch (error) {
          // A group version that fails (not a transport error) is left out, as client-go does.
          if (error instanceof NetworkError) throw error;
        }
      }
      return { resources, groupVersions };
    } catch (error) {
      lastError = error;
      client.runtime.klogError(
        "memcache.go:265",
        `"Unhandled Error" err="couldn't get current server API group list: ${discoveryErrorText(error).replace(/\\/g, "\\\\").replace(/"/g, '\\"')}"`,
      );
    }
  }
  throw lastError instanceof Error ? lastError : new StatusError({ code: 0, reason: "", message: String(lastError) });
}

/** schema.ParseResourceArg + RESTMapper.ResourceFor for the forms people type: po, pod, pods, Pod, roles.rbac.authorization.k8s.io, pods.v1. */
export function findResource(discovery: Discovery, typed: string): ApiResource | undefined {
  const arg = typed.toLowerCase();
  const matches = (resource: ApiResource, name: string): boolean =>
    resource.name === name || resource.singularName === name || resource.kind.toLowerCase() === name || resource.shortNames.includes(name);
  const direct = discovery.resources.filter((resource) => matches(resource, arg));
  if (direct.length > 0) return direct.find((resource) => resource.group === "") ?? direct[0];
  const dot = arg.indexOf(".");
  if (dot === -1) return undefined;
  const name = arg.slice(0, dot);
  const rest = arg.slice(dot + 1);
  return discovery.resources.find((resource) => {
    if (!matches(resource, name)) return false;
    if (resource.group === rest) return true;
    if (rest === resource.version && resource.group === "") return true;
    return rest === `${resource.version}.${resource.group}`;
  });
}

/** The "kind.group" form used in messages and -o name ("pod", "role.rbac.authorization.k8s.io"). */
export function kindGroup(resource: Pick<ApiResource, "kind" | "group">): string {
  const kind = resource.kind.toLowerCase();
  return resource.group === "" ? kind : `${kind}.${resource.group}`;
}

/** "pods", "roles.rbac.authorization.k8s.io": the qualified resource of Status messages. */
export function qualifiedResource(resource: Pick<ApiResource, "name" | "group">): string {
  return resource.group === "" ? resource.name : `${resource.name}.${resource.group}`;
}

export function resourcePath(resource: ApiResource, namespace: string | undefined, name?: string): string {
  const base = resource.group === "" ? `/api/${resource.version}` : `/apis/${resource.group}/${resource.version}`;
  const scope =
    resource.namespaced && namespace !== undefined && namespace !== ""
      ? `${base}/namespaces/${namespace}/${resource.name}`
      : `${base}/${resource.name}`;
  return name === undefined ? scope : `${scope}/${goPathEscape(name)}`;
}
