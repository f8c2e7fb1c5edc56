/**
 * Discovery (/api, /apis, /api/v1, /apis/<g>/<v>), /version, health endpoints and the /openapi/v3
 * documents (spec §10.2, §10.3): the operations kubectl create/apply look for, and the schemas of the
 * served kinds that kubectl explain renders. Discovery is served as plain
 * APIVersions/APIGroupList JSON, which kubectl 1.32 accepts and then fetches per group version.
 */
import { createHash } from "node:crypto";
import type { ApiResponse } from "../types";
import { schemasOfGroup } from "./openapi-schemas";
import { API_GROUPS, resourcesOfGroup, type ResourceDefinition } from "./resources";

/** Encoding of the apiserver's JSON serializer: compact, one trailing newline. */
export function jsonResponse(status: number, value: unknown, extraHeaders: Record<string, string> = {}): ApiResponse {
  return { status, headers: { "Content-Type": "application/json", ...extraHeaders }, body: jsonBody(value) };
}

function jsonBody(value: unknown): string {
  return `${JSON.stringify(value)}\n`;
}

export function plainTextResponse(status: number, text: string): ApiResponse {
  return { status, headers: { "Content-Type": "text/plain; charset=utf-8", "X-Content-Type-Options": "nosniff" }, body: text };
}

export function apiVersions(serverAddress: string): ApiResponse {
  return jsonResponse(200, {
    kind: "APIVersions",
    versions: ["v1"],
    serverAddressByClientCIDRs: [{ clientCIDR: "0.0.0.0/0", serverAddress }],
  });
}

/**
 * Discovery documents of the served groups, which never change: each serialized once (kubectl asks
 * for every group version before each command).
 */
const staticBodies = new Map<string, string>();

function staticJson(key: string, value: () => unknown): ApiResponse {
  let body = staticBodies.get(key);
  if (body === undefined) {
    body = jsonBody(value());
    staticBodies.set(key, body);
  }
  return { status: 200, headers: { "Content-Type": "application/json" }, body };
}

export function apiGroupList(): ApiResponse {
  return staticJson("/apis", () => ({
    kind: "APIGroupList",
    apiVersion: "v1",
    groups: API_GROUPS.map((group) => {
      const version = { groupVersion: `${group}/v1`, version: "v1" };
      return { name: group, versions: [version], preferredVersion: version };
    }),
  }));
}

export function apiGroup(group: string): ApiResponse | undefined {
  if (!API_GROUPS.includes(group)) return undefined;
  const version = { groupVersion: `${group}/v1`, version: "v1" };
  return staticJson(`/apis/${group}`, () => ({
    kind: "APIGroup",
    apiVersion: "v1",
    name: group,
    versions: [version],
    preferredVersion: version,
  }));
}

interface ApiResourceJson {
  name: string;
  singularName: string;
  namespaced: boolean;
  group?: string;
  version?: string;
  kind: string;
  verbs: string[];
  shortNames?: string[];
  categories?: string[];
}

function resourceEntries(resource: ResourceDefinition): ApiResourceJson[] {
  const main: ApiResourceJson = {
    name: resource.name,
    singularName: resource.singularName,
    namespaced: resource.namespaced,
    kind: resource.kind,
    verbs: resource.verbs,
  };
  if (resource.shortNames !== undefined) main.shortNames = resource.shortNames;
  if (resource.categories !== undefined) main.categories = resource.categories;
  const subresources = Object.entries(resource.subresources).map(([name, sub]): ApiResourceJson => {
    // APIResource field order: name, singularName, namespaced, group, version, kind, verbs.
    const crossGroup = sub.kind === "TokenRequest" ? { group: "authentication.k8s.io", version: "v1" } : {};
    return {
      name: `${resource.name}/${name}`,
      singularName: "",
      namespaced: resource.namespaced,
      ...crossGroup,
      kind: sub.kind,
      verbs: sub.verbs,
    };
  });
  return [main, ...subresources];
}

/** APIResourceList for "v1" (core) or "<group>/v1"; undefined for group versions we do not serve. */
export function apiResourceList(group: string, version: string): ApiResponse | undefined {
  if (version !== "v1" || (group !== "" && !API_GROUPS.includes(group))) return undefined;
  return staticJson(group === "" ? "/api/v1" : `/apis/${group}/v1`, () => {
    const entries = resourcesOfGroup(group)
      .flatMap(resourceEntries)
      .sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    return group === ""
      ? { kind: "APIResourceList", groupVersion: "v1", resources: entries }
      : { kind: "APIResourceList", apiVersion: "v1", groupVersion: `${group}/v1`, resources: entries };
  });
}

// UNVERIFIED in spec: chose the v1.32.5 build identity because the [EXP] kubectl is v1.32.5; only the
// short commit 9894294 was observed, so gitCommit is that prefix and buildDate/goVersion are plausible values.
export const SERVER_VERSION = {
  major: "1",
  minor: "32",
  gitVersion: "v1.32.5",
  gitCommit: "9894294ef13a5b32803e3ca2c0d620a088cc84d1",
  gitTreeState: "clean",
  buildDate: "2025-05-15T08:46:00Z",
  goVersion: "go1.23.8",
  compiler: "gc",
  platform: "linux/amd64",
};

/** /version is written with responsewriters.WriteRawJSON, which indents. */
export function versionResponse(): ApiResponse {
  return { status: 200, headers: { "Content-Type": "application/json" }, body: JSON.stringify(SERVER_VERSION, null, "  ") };
}

const HEALTH_CHECKS: Record<string, string[]> = {
  healthz: ["ping", "log", "etcd", "poststarthook/start-apiserver-admission-initializer"],
  livez: ["ping", "log", "etcd", "poststarthook/start-apiserver-admission-initializer"],
  readyz: ["ping", "log", "etcd", "etcd-readiness", "informer-sync", "poststarthook/start-apiserver-admission-initializer", "shutdown"],
};

export function healthResponse(endpoint: string, query: URLSearchParams): ApiResponse {
  if (!query.has("verbose")) return plainTextResponse(200, "ok");
  const lines = (HEALTH_CHECKS[endpoint] ?? []).map((check) => `[+]${check} ok`);
  return plainTextResponse(200, `${lines.join("\n")}\n${endpoint} check passed\n`);
}

function openApiGroupVersionDocument(group: string): Record<string, unknown> {
  const paths: Record<string, unknown> = {};
  for (const resource of resourcesOfGroup(group)) {
    const prefix = group === "" ? "/api/v1" : `/apis/${group}/v1`;
    if (resource.virtual === true) {
      // Create-only review resources: their POST operation carries the kind (what explain looks up).
      paths[`${prefix}/${resource.name}`] = {
        post: {
          "x-kubernetes-action": "post",
          "x-kubernetes-group-version-kind": { group, kind: resource.kind, version: resource.version },
          responses: { "201": { description: "Created" } },
        },
      };
      continue;
    }
    const scope = resource.namespaced ? `${prefix}/namespaces/{namespace}/${resource.name}` : `${prefix}/${resource.name}`;
    paths[`${scope}/{name}`] = {
      patch: {
        "x-kubernetes-action": "patch",
        "x-kubernetes-group-version-kind": { group, kind: resource.kind, version: resource.version },
        parameters: [
          { name: "fieldManager", in: "query", schema: { type: "string", uniqueItems: true } },
          { name: "fieldValidation", in: "query", schema: { type: "string", uniqueItems: true } },
        ],
        responses: { "200": { description: "OK" } },
      },
    };
  }
  return {
    openapi: "3.0.0",
    info: { title: "Kubernetes", version: SERVER_VERSION.gitVersion },
    paths,
    components: { schemas: schemasOfGroup(group) },
  };
}

let openApiV2Body: string | undefined;

/**
 * /openapi/v2: the Swagger 2.0 form of the same operations the /openapi/v3 documents describe (the
 * patch operations with their fieldManager/fieldValidation parameters), merged over all groups as
 * kube-apiserver serves it. Like the v3 documents it carries no schemas: kubectl 1.32 reads v3 for
 * explain and validation, and the served subset is what `kubectl get --raw /openapi/v2` can show.
 */
export function openApiV2(): ApiResponse {
  if (openApiV2Body === undefined) {
    const paths: Record<string, unknown> = {};
    for (const group of ["", ...API_GROUPS]) {
      const document = openApiGroupVersionDocument(group) as {
        paths: Record<
          string,
          { patch?: { parameters: { name: string; in: string; schema: Record<string, unknown> }[] } & Record<string, unknown> }
        >;
      };
      for (const [path, item] of Object.entries(document.paths)) {
        if (item.patch === undefined) continue;
        const { parameters, ...operation } = item.patch;
        paths[path] = {
          patch: {
            ...operation,
            consumes: [
              "application/json-patch+json",
              "application/merge-patch+json",
              "application/strategic-merge-patch+json",
              "application/apply-patch+yaml",
            ],
            produces: ["application/json", "application/yaml", "application/vnd.kubernetes.protobuf"],
            schemes: ["https"],
            parameters: parameters.map(({ schema, ...parameter }) => ({ ...parameter, ...schema })),
          },
        };
      }
    }
    openApiV2Body = JSON.stringify({
      swagger: "2.0",
      info: { title: "Kubernetes", version: SERVER_VERSION.gitVersion },
      paths,
      definitions: {},
    });
  }
  return { status: 200, headers: { "Content-Type": "application/json" }, body: openApiV2Body };
}

function openApiKey(group: string): string {
  return group === "" ? "api/v1" : `apis/${group}/v1`;
}

const openApiDocuments = new Map<string, { body: string; hash: string }>();
function openApiDocument(group: string): { body: string; hash: string } {
  const cached = openApiDocuments.get(group);
  if (cached !== undefined) return cached;
  const body = JSON.stringify(openApiGroupVersionDocument(group));
  const built = { body, hash: createHash("sha512").update(body).digest("hex").toUpperCase() };
  openApiDocuments.set(group, built);
  return built;
}

export function openApiIndex(): ApiResponse {
  const paths: Record<string, { serverRelativeURL: string }> = {};
  for (const group of ["", ...API_GROUPS]) {
    paths[openApiKey(group)] = { serverRelativeURL: `/openapi/v3/${openApiKey(group)}?hash=${openApiDocument(group).hash}` };
  }
  return jsonResponse(200, { paths });
}

/** /openapi/v3/api/v1 or /openapi/v3/apis/<group>/v1. */
export function openApiForPath(path: string): ApiResponse | undefined {
  for (const group of ["", ...API_GROUPS]) {
    if (path === `/openapi/v3/${openApiKey(group)}`) {
      return { status: 200, headers: { "Content-Type": "application/json" }, body: openApiDocument(group).body };
    }
  }
  return undefined;
}
