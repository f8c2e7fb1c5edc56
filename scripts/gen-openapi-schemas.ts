/**
 * Generates lib/k8s/api/openapi-schemas.generated.ts: the OpenAPI schemas of the kinds the simulated
 * apiserver serves (and every schema they reference), in OpenAPI v3 component form, gzipped. They
 * feed the /openapi/v3 documents, which `kubectl explain` (real and simulated) reads.
 *
 *   npx tsx scripts/gen-openapi-schemas.ts SWAGGER_JSON
 *
 * SWAGGER_JSON is a Kubernetes v1.32 OpenAPI v2 document, e.g. `kubernetes/swagger.json.unprocessed`
 * at tag v32.0.1 of kubernetes-client/python (generated from Kubernetes 1.32). The v2 → v3 changes are
 * the ones kube-openapi makes that explain's template can see: `$ref`s under #/components/schemas, a
 * `$ref` with a description wrapped in `allOf`, IntOrString and Quantity as `oneOf` types. Vendor
 * extensions other than x-kubernetes-group-version-kind are dropped (nothing here reads them).
 */
import { readFileSync, writeFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { gzipSync } from "node:zlib";
import { RESOURCES } from "../lib/k8s/api/resources";

type Schema = Record<string, unknown>;

const KEEP = new Set([
  "description",
  "type",
  "format",
  "items",
  "additionalProperties",
  "properties",
  "required",
  "enum",
  "$ref",
  "allOf",
  "oneOf",
  "externalDocs",
  "x-kubernetes-group-version-kind",
]);
const ONE_OF: Record<string, string[]> = {
  "io.k8s.apimachinery.pkg.util.intstr.IntOrString": ["integer", "string"],
  "io.k8s.apimachinery.pkg.api.resource.Quantity": ["string", "number"],
};

function isSchema(value: unknown): value is Schema {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

function refName(ref: unknown): string | undefined {
  return typeof ref === "string" && ref.startsWith("#/definitions/") ? ref.slice("#/definitions/".length) : undefined;
}

/** One schema in v3 form; `asField`: a property, where a $ref with siblings becomes allOf. */
function convert(schema: Schema, asField: boolean): Schema {
  const out: Schema = {};
  for (const [key, value] of Object.entries(schema)) {
    if (!KEEP.has(key)) continue;
    if (key === "$ref") out.$ref = `#/components/schemas/${refName(value) ?? ""}`;
    else if (key === "properties" && isSchema(value)) {
      out.properties = Object.fromEntries(
        Object.entries(value).map(([name, field]) => [name, isSchema(field) ? convert(field, true) : field]),
      );
    } else if ((key === "items" || key === "additionalProperties") && isSchema(value)) out[key] = convert(value, false);
    else out[key] = value;
  }
  if (asField && typeof out.$ref === "string" && Object.keys(out).length > 1) {
    const { $ref, ...rest } = out;
    return { allOf: [{ $ref }], ...rest };
  }
  return out;
}

function references(schema: unknown, found: Set<string>): void {
  if (Array.isArray(schema)) schema.forEach((item) => references(item, found));
  else if (isSchema(schema)) {
    for (const [key, value] of Object.entries(schema)) {
      const name = key === "$ref" ? refName(value) : undefined;
      if (name !== undefined) found.add(name);
      else references(value, found);
    }
  }
}

function main(): void {
  const input = process.argv[2];
  if (input === undefined) throw new Error("usage: npx tsx scripts/gen-openapi-schemas.ts SWAGGER_JSON");
  const document = JSON.parse(readFileSync(input, "utf8")) as { definitions: Record<string, Schema> };
  const definitions = document.definitions;
  const gvkOf = (schema: Schema): { group: string; version: string; kind: string }[] =>
    Array.isArray(schema["x-kubernetes-group-version-kind"])
      ? (schema["x-kubernetes-group-version-kind"] as { group: string; version: string; kind: string }[])
      : [];
  const groups: Record<string, string[]> = {};
  const used = new Set<string>();
  for (const resource of RESOURCES) {
    const root = Object.keys(definitions).find((name) =>
      gvkOf(definitions[name] ?? {}).some(
        (gvk) => gvk.group === resource.group && gvk.version === resource.version && gvk.kind === resource.kind,
      ),
    );
    if (root === undefined) throw new Error(`no definition for ${resource.group}/${resource.version} ${resource.kind}`);
    const closure = new Set<string>([root]);
    const queue = [root];
    while (queue.length > 0) {
      const name = queue.pop() ?? "";
      const found = new Set<string>();
      references(definitions[name], found);
      for (const next of found) {
        if (!closure.has(next)) {
          closure.add(next);
          queue.push(next);
        }
      }
    }
    groups[resource.group] = [...new Set([...(groups[resource.group] ?? []), ...closure])].sort();
    closure.forEach((name) => used.add(name));
  }
  const schemas: Record<string, Schema> = {};
  for (const name of [...used].sort()) {
    const converted = convert(definitions[name] ?? {}, false);
    const oneOf = ONE_OF[name];
    if (oneOf !== undefined) {
      delete converted.type;
      converted.oneOf = oneOf.map((type) => ({ type }));
    }
    schemas[name] = converted;
  }
  const json = JSON.stringify({ schemas, groups });
  const packed = gzipSync(json, { level: 9 }).toString("base64");
  const root = resolve(dirname(fileURLToPath(import.meta.url)), "..");
  const target = join(root, "lib", "k8s", "api", "openapi-schemas.generated.ts");
  const lines = packed.match(/.{1,120}/g) ?? [];
  writeFileSync(
    target,
    `/* Generated by scripts/gen-openapi-schemas.ts from the Kubernetes 1.32 OpenAPI document; do not edit. */\n` +
      `/** gzip + base64 of {schemas, groups}: ${Object.keys(schemas).length} schemas, ${json.length} bytes of JSON. */\n` +
      `export const OPENAPI_SCHEMAS_GZIP_BASE64 =\n${lines.map((line) => `  "${line}"`).join(" +\n")};\n`,
  );
  console.log(`${target}: ${Object.keys(schemas).length} schemas, ${json.length} bytes JSON, ${packed.length} bytes base64`);
}

main();
