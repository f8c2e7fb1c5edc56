/** kubectl get: discovery, then a Table (or JSON) list/get per resource type, printed as kubectl does. */
import { isJsonObject, type JsonObject } from "../../json";
import { DEFAULT_ACCEPT, TABLE_ACCEPT, type RestClient } from "../client";
import { arrayFlag, boolFlag, expectJson, makeClient, OUTPUT_FLAG, stringFlag, type CommandSpec, type Invocation } from "../command";
import { discover, findResource, kindGroup, resourcePath, type ApiResource, type Discovery } from "../discovery";
import { AggregateError, decodedServerError, RenderedError } from "../errors";
import { parseOutputFormat, printObjects, printTables, rowCount } from "../printers";
import { goQuote } from "../../go";

export interface ResourceRequest {
  resource: ApiResource;
  names: string[];
}

/** Parses `TYPE[,TYPE] [NAME...]` or `TYPE/NAME ...` (resource.Builder.ResourceTypeOrNameArgs). */
export function resolveResourceArgs(discovery: Discovery, args: string[], commandPath: string): ResourceRequest[] {
  const first = args[0] ?? "";
  const unknown = (typed: string): never => {
    throw new RenderedError(`error: the server doesn't have a resource type ${goQuote(typed)}`);
  };
  const lookup = (typed: string): ApiResource[] => {
    if (typed.toLowerCase() === "all") return discovery.resources.filter((resource) => resource.categories.includes("all"));
    const found = findResource(discovery, typed);
    return found === undefined ? unknown(typed) : [found];
  };
  if (first.includes("/")) {
    const requests: ResourceRequest[] = [];
    for (const arg of args) {
      const slash = arg.indexOf("/");
      if (slash === -1)
        throw new RenderedError(
          `error: there is no need to specify a resource type as a separate argument when passing arguments in resource/name form (e.g. '${commandPath} resource/<resource_name>' instead of '${commandPath} resource resource/<resource_name>'`,
        );
      const [resource] = lookup(arg.slice(0, slash));
      if (resource === undefined) continue;
      const existing = requests.find((request) => request.resource === resource);
      if (existing !== undefined) existing.names.push(arg.slice(slash + 1));
      else requests.push({ resource, names: [arg.slice(slash + 1)] });
    }
    return requests;
  }
  const types = first.split(",").filter((type) => type !== "");
  const names = args.slice(1);
  if (names.some((name) => name.includes("/"))) {
    throw new RenderedError(
      `error: there is no need to specify a resource type as a separate argument when passing arguments in resource/name form (e.g. '${commandPath} resource/<resource_name>' instead of '${commandPath} resource resource/<resource_name>'`,
    );
  }
  return types.flatMap(lookup).map((resource) => ({ resource, names: [...names] }));
}

function listQuery(flags: Invocation["flags"]): string {
  const params: string[] = [];
  const selector = flags.string("selector");
  if (selector !== "") params.push(`labelSelector=${encodeURIComponent(selector)}`);
  params.push("limit=500");
  return `?${params.join("&")}`;
}

async function fetchOne(client: RestClient, path: string, accept: string): Promise<JsonObject> {
  const response = await client.request("GET", path, { accept });
  return expectJson(response);
}

function emptyMessage(resource: ApiResource, allNamespaces: boolean, namespace: string): string {
  if (!resource.namespaced || allNamespaces) return "No resources found\n";
  return `No resources found in ${namespace} namespace.\n`;
}

async function runGet(invocation: Invocation): Promise<number> {
  const { flags, runtime } = invocation;
  const raw = flags.string("raw");
  const format = parseOutputFormat(flags.string("output"));
  if (raw !== "") {
    const client = makeClient(invocation);
    const response = await client.request("GET", raw, { accept: DEFAULT_ACCEPT });
    if (response.status < 200 || response.status > 299) throw decodedServerError(response.status, response.text, response.contentType);
    runtime.stdout(response.text);
    return 0;
  }
  if (invocation.args.length === 0) {
    runtime.stderr(
      'You must specify the type of resource to get. Use "kubectl api-resources" for a complete list of supported resources.\n\n',
    );
    throw new RenderedError(
      "error: Required resource not specified.\nUse \"kubectl explain <resource>\" for a detailed description of that resource (e.g. kubectl explain pods).\nSee 'kubectl get -h' for help and examples",
    );
  }
  const client = makeClient(invocation);
  const discovery = await discover(client, 5);
  const requests = resolveResourceArgs(discovery, invocation.args, invocation.commandPath);
  const allNamespaces = flags.bool("all-namespaces");
  const namespace = client.settings.namespace;
  const errors: unknown[] = [];
  const table = format.type === "table";
  const accept = table ? TABLE_ACCEPT : "application/json";
  const showKind = flags.bool("show-kind") || requests.length > 1;
  let printedTables = 0;
  const objects: JsonObject[] = [];
  let single = false;

  for (const request of requests) {
    const scope = request.resource.namespaced && !allNamespaces ? namespace : undefined;
    const tables: JsonObject[] = [];
    if (request.names.length === 0) {
      try {
        const body = await fetchOne(client, `${resourcePath(request.resource, scope)}${listQuery(flags)}`, accept);
        if (table) tables.push(body);
        else
          objects.push(
            ...(Array.isArray(body.items) ? body.items.filter(isJsonObject) : []).map((item) => withTypeMeta(item, request.resource)),
          );
      } catch (error) {
        errors.push(error);
        continue;
      }
    } else {
      for (const name of request.names) {
        try {
          const body = await fetchOne(
            client,
            resourcePath(request.resource, request.resource.namespaced ? namespace : undefined, name),
            accept,
          );
          if (table) tables.push(body);
          else objects.push(withTypeMeta(body, request.resource));
        } catch (error) {
          errors.push(error);
        }
      }
      single = requests.length === 1 && request.names.length === 1;
    }
    if (!table) continue;
    if (rowCount(tables) === 0) {
      if (request.names.length === 0 && requests.length === 1) runtime.stderr(emptyMessage(request.resource, allNamespaces, namespace));
      continue;
    }
    if (printedTables > 0) runtime.stdout("\n");
    printedTables += 1;
    runtime.stdout(
      printTables(tables, {
        wide: format.type === "table" && format.wide,
        withNamespace: allNamespaces && request.resource.namespaced,
        showLabels: flags.bool("show-labels"),
        noHeaders: flags.bool("no-headers"),
        ...(showKind ? { kindPrefix: `${kindGroup(request.resource)}/` } : {}),
      }),
    );
  }
  if (!table) {
    if (objects.length === 0 && format.type !== "json" && format.type !== "yaml" && errors.length === 0) {
      const first = requests[0];
      if (first !== undefined && first.names.length === 0) runtime.stderr(emptyMessage(first.resource, allNamespaces, namespace));
    } else if (objects.length > 0 || single === false) {
      runtime.stdout(
        printObjects(
          format,
          objects,
          single && objects.length === 1,
          (object) => `${kindOf(object, requests)}/${nameOf(object)}`,
          flags.bool("no-headers"),
        ),
      );
    }
  }
  if (errors.length > 0) throw new AggregateError(errors);
  return 0;
}

function nameOf(object: JsonObject): string {
  return isJsonObject(object.metadata) && typeof object.metadata.name === "string" ? object.metadata.name : "";
}

function kindOf(object: JsonObject, requests: ResourceRequest[]): string {
  const kind = typeof object.kind === "string" ? object.kind : "";
  const resource = requests.find((request) => request.resource.kind === kind)?.resource;
  return resource === undefined ? kind.toLowerCase() : kindGroup(resource);
}

export function withTypeMeta(object: JsonObject, resource: ApiResource): JsonObject {
  return { ...object, apiVersion: resource.group === "" ? resource.version : `${resource.group}/${resource.version}`, kind: resource.kind };
}

export const getCommand: CommandSpec = {
  name: "get",
  flags: [
    OUTPUT_FLAG,
    boolFlag("all-namespaces", "A"),
    stringFlag("selector", "l"),
    boolFlag("show-labels"),
    boolFlag("show-kind"),
    boolFlag("no-headers"),
    boolFlag("watch", "w"),
    stringFlag("raw"),
    stringFlag("field-selector"),
    stringFlag("sort-by"),
    arrayFlag("label-columns", "L"),
    stringFlag("chunk-size"),
    boolFlag("ignore-not-found"),
  ],
  run: runGet,
};
