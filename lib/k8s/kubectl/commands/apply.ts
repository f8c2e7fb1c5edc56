/** kubectl apply -f (client-side apply): GET, then create with the last-applied annotation or patch. */
import { cloneJson, isJsonObject, parseJson, type JsonObject, type JsonValue } from "../../json";
import { arrayFlag, expectJson, makeClient, OUTPUT_FLAG, stringFlag, type CommandSpec, type Invocation } from "../command";
import { kindGroup, resourcePath } from "../discovery";
import { AggregateError, StatusError } from "../errors";
import { goJson } from "../../go";
import { mapObjects, readManifests, validationDirective, withSource } from "../manifests";

export const LAST_APPLIED = "kubectl.kubernetes.io/last-applied-configuration";

function equal(a: JsonValue | undefined, b: JsonValue | undefined): boolean {
  return goJson(a ?? null, { sortKeys: true }) === goJson(b ?? null, { sortKeys: true });
}

/** A JSON merge patch from current to modified, deleting what the last applied configuration had and modified dropped. */
function threeWay(original: JsonValue | undefined, modified: JsonValue, current: JsonValue | undefined): JsonValue | undefined {
  if (!isJsonObject(modified) || !isJsonObject(current)) return equal(modified, current) ? undefined : modified;
  const patch: JsonObject = {};
  const originalObject = isJsonObject(original) ? original : {};
  for (const [key, value] of Object.entries(modified)) {
    const sub = threeWay(originalObject[key], value, current[key]);
    if (sub !== undefined) patch[key] = sub;
  }
  for (const key of Object.keys(originalObject)) {
    if (!(key in modified) && key in current) patch[key] = null;
  }
  return Object.keys(patch).length === 0 ? undefined : patch;
}

async function runApply(invocation: Invocation): Promise<number> {
  const { flags, runtime } = invocation;
  const filenames = flags.list("filename");
  if (filenames.length === 0) throw new Error("error: must specify one of -f and -k");
  const objects = readManifests(invocation, filenames);
  const client = makeClient(invocation);
  const validation = await validationDirective(invocation, client, objects);
  const mapped = await mapObjects(invocation, client, objects);
  const errors: unknown[] = [];
  for (const item of mapped) {
    const name = `${kindGroup(item.resource)}/${item.name}`;
    const object = cloneJson(item.object);
    const metadata: JsonObject = isJsonObject(object.metadata) ? object.metadata : {};
    const annotations: JsonObject = isJsonObject(metadata.annotations) ? { ...metadata.annotations } : {};
    delete annotations[LAST_APPLIED];
    if (Object.keys(annotations).length > 0) metadata.annotations = annotations;
    else delete metadata.annotations;
    object.metadata = metadata;
    const lastApplied = `${goJson(object, { sortKeys: true })}\n`;
    const modified = cloneJson(object);
    const modifiedMetadata = isJsonObject(modified.metadata) ? modified.metadata : {};
    modifiedMetadata.annotations = { ...annotations, [LAST_APPLIED]: lastApplied };
    modified.metadata = modifiedMetadata;
    const objectPath = resourcePath(item.resource, item.namespace, item.name);
    try {
      const getResponse = await client.request("GET", objectPath, { accept: "application/json" });
      if (getResponse.status === 404) {
        const body = new TextEncoder().encode(goJson(modified, { sortKeys: true }));
        expectJson(
          await client.request(
            "POST",
            `${resourcePath(item.resource, item.namespace)}?fieldManager=kubectl-client-side-apply&fieldValidation=${validation}`,
            {
              accept: "application/json",
              contentType: "application/json",
              body,
            },
          ),
        );
        runtime.stdout(`${name} created\n`);
        continue;
      }
      const current = expectJson(getResponse);
      const currentMetadata = isJsonObject(current.metadata) ? current.metadata : {};
      const currentAnnotations = isJsonObject(currentMetadata.annotations) ? currentMetadata.annotations : {};
      const previous = currentAnnotations[LAST_APPLIED];
      if (typeof previous !== "string") {
        runtime.stderr(
          `Warning: resource ${item.resource.name}/${item.name} is missing the ${LAST_APPLIED} annotation which is required by kubectl apply. kubectl apply should only be used on resources created declaratively by either kubectl create --save-config or kubectl apply. The missing annotation will be patched automatically.\n`,
        );
      }
      const original = typeof previous === "string" ? parseJson(previous) : undefined;
      const patch = threeWay(original, modified, current);
      if (patch === undefined) {
        runtime.stdout(`${name} unchanged\n`);
        continue;
      }
      expectJson(
        await client.request("PATCH", `${objectPath}?fieldManager=kubectl-client-side-apply&fieldValidation=${validation}`, {
          accept: "application/json",
          contentType: "application/strategic-merge-patch+json",
          body: new TextEncoder().encode(goJson(patch, { sortKeys: true })),
        }),
      );
      runtime.stdout(`${name} configured\n`);
    } catch (error) {
      errors.push(
        withSource(
          error instanceof StatusError && error.status.code === 404 ? "retrieving current configuration of" : "applying",
          item.source,
          error,
        ),
      );
    }
  }
  if (errors.length > 0) throw new AggregateError(errors);
  return 0;
}

export const applyCommand: CommandSpec = {
  name: "apply",
  flags: [
    arrayFlag("filename", "f"),
    OUTPUT_FLAG,
    stringFlag("validate"),
    stringFlag("dry-run"),
    stringFlag("field-manager"),
    stringFlag("server-side"),
    stringFlag("prune"),
  ],
  run: runApply,
};
