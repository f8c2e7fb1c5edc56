/** Reading -f inputs (files, directories, "-") into objects, and the write path kubectl create/apply share. */
import { parseAllDocuments } from "yaml";
import { isJsonObject, parseJson, type JsonObject } from "../json";
import { DEFAULT_ACCEPT, type RestClient } from "./client";
import type { Invocation } from "./command";
import { discover, type ApiResource, type Discovery } from "./discovery";
import { genericServerError, RenderedError, StatusError } from "./errors";
import { goQuote } from "../go";

export interface ManifestObject {
  object: JsonObject;
  /** The file name as typed, or "STDIN". */
  source: string;
}

function readSource(invocation: Invocation, path: string): { text: string; source: string }[] {
  const fs = invocation.runtime.context.fs;
  if (path === "-") return [{ text: invocation.runtime.context.stdin, source: "STDIN" }];
  const absolute = fs.resolve(path);
  if (!fs.exists(absolute)) throw new RenderedError(`error: the path "${path}" does not exist`);
  if (fs.isDirectory(absolute)) {
    return (fs.list(absolute) ?? [])
      .filter((name) => /\.(ya?ml|json)$/.test(name))
      .sort()
      .flatMap((name) => readSource(invocation, `${path.replace(/\/+$/, "")}/${name}`));
  }
  const file = fs.readFile(absolute);
  if (!file.ok) throw new RenderedError(`error: open ${path}: ${file.error.toLowerCase()}`);
  return [{ text: file.content, source: path }];
}

export function readManifests(invocation: Invocation, filenames: string[]): ManifestObject[] {
  const objects: ManifestObject[] = [];
  for (const filename of filenames) {
    for (const { text, source } of readSource(invocation, filename)) {
      let documents: unknown[];
      try {
        documents = parseAllDocuments(text).map((document) => {
          if (document.errors.length > 0) throw document.errors[0] ?? new Error("invalid YAML");
          return document.toJSON() as unknown;
        });
      } catch (error) {
        const message = error instanceof Error ? (error.message.split("\n")[0] ?? "") : String(error);
        throw new RenderedError(`error: error parsing ${source}: error converting YAML to JSON: yaml: ${message}`);
      }
      for (const document of documents) {
        if (document === null || document === undefined) continue;
        const json = parseJson(JSON.stringify(document));
        if (!isJsonObject(json))
          throw new RenderedError(
            `error: error validating "${source}": error validating data: invalid object to validate; if you choose to ignore these errors, turn validation off with --validate=false`,
          );
        if (json.kind === "List" && Array.isArray(json.items)) {
          for (const item of json.items) if (isJsonObject(item)) objects.push({ object: item, source });
          continue;
        }
        objects.push({ object: json, source });
      }
    }
  }
  if (objects.length === 0) throw new RenderedError("error: no objects passed to create");
  return objects;
}

/** --validate: the openapi v3 downloads kubectl does before discovery; returns the fieldValidation value. */
export async function validationDirective(invocation: Invocation, client: RestClient, objects: ManifestObject[]): Promise<string> {
  const value = invocation.flags.string("validate", "strict").toLowerCase();
  if (value === "false" || value === "ignore") return "Ignore";
  const directive = value === "warn" ? "Warn" : "Strict";
  const index = await client.request("GET", "/openapi/v3?timeout=32s", { accept: DEFAULT_ACCEPT });
  if (index.status === 404) {
    const v2 = await client.request("GET", "/openapi/v2?timeout=32s", {
      accept: "application/com.github.proto-openapi.spec.v2@v1.0+protobuf",
    });
    if (v2.status !== 200) {
      const source = objects[0]?.source ?? "";
      const reason = genericServerError(v2.status, v2.text, v2.contentType).message;
      throw new RenderedError(
        `error: error validating "${source}": error validating data: failed to download openapi: ${reason}; if you choose to ignore these errors, turn validation off with --validate=false`,
      );
    }
    return directive;
  }
  if (index.status !== 200) throw genericServerError(index.status, index.text, index.contentType);
  const parsed = parseJson(index.text);
  const paths = isJsonObject(parsed) && isJsonObject(parsed.paths) ? parsed.paths : {};
  const groupVersions = new Set(
    objects.map(({ object }) => {
      const apiVersion = typeof object.apiVersion === "string" ? object.apiVersion : "";
      return apiVersion.includes("/") ? `apis/${apiVersion}` : `api/${apiVersion}`;
    }),
  );
  for (const key of groupVersions) {
    const entry = paths[key];
    const url = isJsonObject(entry) && typeof entry.serverRelativeURL === "string" ? entry.serverRelativeURL : undefined;
    if (url !== undefined) await client.request("GET", `${url}${url.includes("?") ? "&" : "?"}timeout=32s`, { accept: "application/json" });
  }
  return directive;
}

export interface MappedObject extends ManifestObject {
  resource: ApiResource;
  name: string;
  namespace: string;
}

export async function mapObjects(
  invocation: Invocation,
  client: RestClient,
  objects: ManifestObject[],
  discovery?: Discovery,
): Promise<MappedObject[]> {
  const found = discovery ?? (await discover(client, 5));
  const namespaceFlag = invocation.flags.string("namespace");
  return objects.map((item) => {
    const { object, source } = item;
    const apiVersion = typeof object.apiVersion === "string" ? object.apiVersion : "";
    const kind = typeof object.kind === "string" ? object.kind : "";
    const metadata = isJsonObject(object.metadata) ? object.metadata : {};
    const name = typeof metadata.name === "string" ? metadata.name : "";
    const objectNamespace = typeof metadata.namespace === "string" ? metadata.namespace : "";
    if (kind === "" || apiVersion === "") {
      const missing = [apiVersion === "" ? "apiVersion not set" : "", kind === "" ? "kind not set" : ""].filter((text) => text !== "");
      throw new RenderedError(
        `error: error validating "${source}": error validating data: [${missing.join(", ")}]; if you choose to ignore these errors, turn validation off with --validate=false`,
      );
    }
    const [group, version] = apiVersion.includes("/") ? (apiVersion.split("/") as [string, string]) : ["", apiVersion];
    const resource =
      found.resources.find((candidate) => candidate.kind === kind && candidate.group === group && candidate.version === version) ??
      undefined;
    if (resource === undefined) {
      throw new RenderedError(
        `error: resource mapping not found for name: ${goQuote(name)} namespace: ${goQuote(objectNamespace)} from ${goQuote(source)}: no matches for kind ${goQuote(kind)} in version ${goQuote(apiVersion)}\nensure CRDs are installed first`,
      );
    }
    let namespace = "";
    if (resource.namespaced) {
      namespace = objectNamespace || client.settings.namespace;
      if (objectNamespace !== "" && namespaceFlag !== "" && objectNamespace !== namespaceFlag) {
        throw new RenderedError(
          `error: the namespace from the provided object ${goQuote(objectNamespace)} does not match the namespace ${goQuote(namespaceFlag)}. You must pass '--namespace=${objectNamespace}' to perform this operation.`,
        );
      }
      object.metadata = { ...metadata, namespace };
    }
    return { ...item, resource, name, namespace };
  });
}

/** cmdutil.AddSourceToErr. */
export function withSource(verb: string, source: string, error: unknown): unknown {
  if (source === "") return error;
  if (error instanceof StatusError) {
    if (error.status.reason === "Invalid") return error;
    return new StatusError({ ...error.status, message: `error when ${verb} ${goQuote(source)}: ${error.status.message}` });
  }
  return new Error(`error when ${verb} ${goQuote(source)}: ${error instanceof Error ? error.message : String(error)}`);
}
