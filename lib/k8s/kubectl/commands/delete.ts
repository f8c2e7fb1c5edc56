/** kubectl delete TYPE NAME... | TYPE/NAME | -f FILE | --all | -l selector. */
import { isJsonObject, type JsonObject } from "../../json";
import { arrayFlag, boolFlag, expectJson, makeClient, stringFlag, type CommandSpec, type Invocation } from "../command";
import { discover, kindGroup, resourcePath, type ApiResource } from "../discovery";
import { AggregateError, RenderedError, StatusError } from "../errors";
import { goJson } from "../../go";
import { mapObjects, readManifests } from "../manifests";
import { resolveResourceArgs } from "./get";

const DELETE_BODY = new TextEncoder().encode(goJson({ kind: "DeleteOptions", apiVersion: "v1", propagationPolicy: "Background" }));

async function runDelete(invocation: Invocation): Promise<number> {
  const { flags, runtime } = invocation;
  const filenames = flags.list("filename");
  const all = flags.bool("all");
  const selector = flags.string("selector");
  const ignoreNotFound = flags.bool("ignore-not-found");
  if (filenames.length === 0 && invocation.args.length === 0) {
    throw new RenderedError(
      "error: You must provide one or more resources by argument or filename.\nExample resource specifications include:\n   '-f rsrc.yaml'\n   '--filename=rsrc.json'\n   '<resource> <name>'\n   '<resource>'",
    );
  }
  const client = makeClient(invocation);
  const targets: { resource: ApiResource; namespace: string | undefined; name: string }[] = [];
  if (filenames.length > 0) {
    const mapped = await mapObjects(invocation, client, readManifests(invocation, filenames));
    for (const item of mapped)
      targets.push({ resource: item.resource, namespace: item.resource.namespaced ? item.namespace : undefined, name: item.name });
  } else {
    const discovery = await discover(client, 5);
    const requests = resolveResourceArgs(discovery, invocation.args, invocation.commandPath);
    for (const request of requests) {
      const namespace = request.resource.namespaced ? client.settings.namespace : undefined;
      if (request.names.length > 0) {
        for (const name of request.names) targets.push({ resource: request.resource, namespace, name });
        continue;
      }
      if (!all && selector === "") {
        throw new RenderedError(`error: resource(s) were provided, but no name was specified`);
      }
      const query = selector === "" ? "" : `?labelSelector=${encodeURIComponent(selector)}`;
      const list = expectJson(
        await client.request("GET", `${resourcePath(request.resource, namespace)}${query}`, { accept: "application/json" }),
      );
      for (const item of Array.isArray(list.items) ? list.items.filter(isJsonObject) : []) {
        const metadata: JsonObject = isJsonObject(item.metadata) ? item.metadata : {};
        targets.push({ resource: request.resource, namespace, name: typeof metadata.name === "string" ? metadata.name : "" });
      }
    }
  }
  const errors: unknown[] = [];
  let deleted = 0;
  for (const target of targets) {
    try {
      const response = await client.request("DELETE", resourcePath(target.resource, target.namespace, target.name), {
        accept: "application/json",
        contentType: "application/json",
        body: DELETE_BODY,
      });
      expectJson(response);
      deleted += 1;
      runtime.stdout(`${kindGroup(target.resource)} "${target.name}" deleted\n`);
    } catch (error) {
      if (ignoreNotFound && error instanceof StatusError && error.status.code === 404) continue;
      errors.push(error);
    }
  }
  if (deleted === 0 && errors.length === 0 && targets.length === 0) {
    const first = targets[0]?.resource;
    runtime.stdout(
      first === undefined || !first.namespaced ? "No resources found\n" : `No resources found in ${client.settings.namespace} namespace.\n`,
    );
  }
  if (errors.length > 0) throw new AggregateError(errors);
  return 0;
}

export const deleteCommand: CommandSpec = {
  name: "delete",
  flags: [
    arrayFlag("filename", "f"),
    boolFlag("all"),
    stringFlag("selector", "l"),
    boolFlag("ignore-not-found"),
    boolFlag("wait"),
    stringFlag("cascade"),
    boolFlag("force"),
    stringFlag("grace-period"),
    stringFlag("now"),
    stringFlag("output", "o"),
  ],
  run: runDelete,
};
