/** Non-resource paths: health, version, discovery and OpenAPI. Everything else is a 404 Status. */
import type { ClusterState } from "../cluster/state";
import type { ApiResponse } from "../types";
import {
  apiGroup,
  apiGroupList,
  apiResourceList,
  apiVersions,
  healthResponse,
  openApiForPath,
  openApiIndex,
  openApiV2,
  versionResponse,
} from "./discovery";
import { methodNotAllowedStatus, pathNotFoundStatus, statusResponse } from "./status";

export function routeNonResource(state: ClusterState, method: string, url: URL): ApiResponse {
  const path = url.pathname.length > 1 ? url.pathname.replace(/\/+$/, "") : url.pathname;
  const response = lookup(state, path, url.searchParams);
  if (response === undefined) return statusResponse(pathNotFoundStatus());
  if (method !== "GET" && method !== "HEAD") return statusResponse(methodNotAllowedStatus());
  return method === "HEAD" ? { ...response, body: "" } : response;
}

function lookup(state: ClusterState, path: string, query: URLSearchParams): ApiResponse | undefined {
  const health = /^\/(healthz|livez|readyz)(?:\/[a-z0-9/_-]+)?$/.exec(path);
  if (health !== null) return healthResponse(health[1] ?? "healthz", query);
  if (path === "/version") return versionResponse();
  if (path === "/api") return apiVersions(state.config.serverAddress);
  if (path === "/apis") return apiGroupList();
  if (path === "/api/v1") return apiResourceList("", "v1");
  const group = /^\/apis\/([^/]+)$/.exec(path);
  if (group !== null) return apiGroup(group[1] ?? "");
  const groupVersion = /^\/apis\/([^/]+)\/([^/]+)$/.exec(path);
  if (groupVersion !== null) return apiResourceList(groupVersion[1] ?? "", groupVersion[2] ?? "");
  if (path === "/openapi/v2") return openApiV2();
  if (path === "/openapi/v3") return openApiIndex();
  if (path.startsWith("/openapi/v3/")) return openApiForPath(path);
  return undefined;
}
