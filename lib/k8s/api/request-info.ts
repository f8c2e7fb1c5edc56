/**
 * k8s.io/apiserver/pkg/endpoints/request.RequestInfoFactory.NewRequestInfo: how the apiserver turns a
 * method and path into the attributes RBAC sees (verb, namespace, resource, subresource, name).
 */
export interface RequestInfo {
  isResourceRequest: boolean;
  /** The URL path without the query string. */
  path: string;
  verb: string;
  apiPrefix: string;
  apiGroup: string;
  apiVersion: string;
  namespace: string;
  resource: string;
  subresource: string;
  name: string;
  parts: string[];
}

const API_PREFIXES = new Set(["api", "apis"]);
const GROUPLESS_PREFIXES = new Set(["api"]);
const SPECIAL_VERBS = new Set(["proxy", "watch"]);
const SPECIAL_VERBS_NO_SUBRESOURCES = new Set(["proxy"]);
const NAMESPACE_SUBRESOURCES = new Set(["status", "finalize"]);

export type RequestInfoResult = { ok: true; info: RequestInfo } | { ok: false; error: string };

function verbFromMethod(method: string): string {
  switch (method) {
    case "POST":
      return "create";
    case "GET":
    case "HEAD":
      return "get";
    case "PUT":
      return "update";
    case "PATCH":
      return "patch";
    case "DELETE":
      return "delete";
    default:
      return "";
  }
}

export function parseRequestInfo(method: string, path: string, query: URLSearchParams): RequestInfoResult {
  const info: RequestInfo = {
    isResourceRequest: false,
    path,
    verb: method.toLowerCase(),
    apiPrefix: "",
    apiGroup: "",
    apiVersion: "",
    namespace: "",
    resource: "",
    subresource: "",
    name: "",
    parts: [],
  };
  // splitPath: strings.Trim(path, "/") then split; an empty path gives no parts.
  const trimmed = path.replace(/^\/+|\/+$/g, "");
  let parts = trimmed === "" ? [] : trimmed.split("/");
  if (parts.length < 3) return { ok: true, info };
  const prefix = parts[0] ?? "";
  if (!API_PREFIXES.has(prefix)) return { ok: true, info };
  info.apiPrefix = prefix;
  parts = parts.slice(1);
  if (!GROUPLESS_PREFIXES.has(prefix)) {
    if (parts.length < 3) return { ok: true, info };
    info.apiGroup = parts[0] ?? "";
    parts = parts.slice(1);
  }
  info.isResourceRequest = true;
  info.apiVersion = parts[0] ?? "";
  parts = parts.slice(1);

  const first = parts[0] ?? "";
  if (SPECIAL_VERBS.has(first)) {
    if (parts.length < 2) {
      return { ok: false, error: `unable to determine kind and namespace from url, ${path}` };
    }
    info.verb = first;
    parts = parts.slice(1);
  } else {
    info.verb = verbFromMethod(method);
  }

  if (parts[0] === "namespaces") {
    if (parts.length > 1) {
      info.namespace = parts[1] ?? "";
      if (parts.length > 2 && !NAMESPACE_SUBRESOURCES.has(parts[2] ?? "")) parts = parts.slice(2);
    }
  }
  info.parts = parts;
  if (parts.length >= 3 && !SPECIAL_VERBS_NO_SUBRESOURCES.has(info.verb)) info.subresource = parts[2] ?? "";
  if (parts.length >= 2) info.name = parts[1] ?? "";
  if (parts.length >= 1) info.resource = parts[0] ?? "";

  if (info.name === "" && info.verb === "get") {
    info.verb = isTrue(query.get("watch")) ? "watch" : "list";
    const exactName = metadataNameFromFieldSelector(query.get("fieldSelector"));
    if (exactName !== undefined) info.name = exactName;
  }
  if (info.name === "" && info.verb === "delete") info.verb = "deletecollection";
  return { ok: true, info };
}

function isTrue(value: string | null): boolean {
  return value === "true" || value === "1" || value === "True" || value === "TRUE" || value === "t" || value === "T";
}

/** fieldSelector=metadata.name=foo narrows a list to one name (used by kubectl get <name> -w). */
function metadataNameFromFieldSelector(selector: string | null): string | undefined {
  if (selector === null) return undefined;
  const requirements = selector.split(",");
  for (const requirement of requirements) {
    const match = /^metadata\.name(?:==|=)(.+)$/.exec(requirement.trim());
    const name = match?.[1];
    if (name !== undefined && name !== "." && name !== ".." && !name.includes("/") && !name.includes("%")) return name;
  }
  return undefined;
}
