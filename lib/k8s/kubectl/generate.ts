/**
 * What kubectl's object generators (run, create deployment) share: the --dry-run flag as
 * cmdutil.GetDryRunStrategy reads it, image reference validation (distribution/reference), and
 * Go's sorted map order for labels.
 */
import { RE2JS } from "re2js";
import { isJsonObject, type JsonObject } from "../json";
import type { FlagSpec } from "./args";
import type { Invocation } from "./command";
import { RenderedError } from "./errors";
import { goJson, goQuote } from "../go";
import { parseOutputFormat, printObjects, type OutputFormat } from "./printers";

/** `--dry-run` with pflag's NoOptDefVal "unchanged": alone it means client (deprecated). */
export const DRY_RUN_FLAG: FlagSpec = { name: "dry-run", kind: "string", noOptValue: "unchanged" };

export type DryRun = "none" | "client" | "server";

/** cmdutil.GetDryRunStrategy. */
export function dryRunStrategy(invocation: Invocation): DryRun {
  const value = invocation.flags.string("dry-run", "none");
  switch (value) {
    case "unchanged":
      invocation.runtime.klogWarning("helpers.go:702", "--dry-run is deprecated and can be replaced with --dry-run=client.");
      return "client";
    case "client":
    case "server":
    case "none":
      return value;
    default:
      throw new RenderedError(`error: Invalid dry-run value (${value}). Must be "none", "server", or "client".`);
  }
}

// github.com/distribution/reference's ReferenceRegexp, run by RE2 (linear time on any input).
const ALPHANUMERIC = "[a-z0-9]+";
const SEPARATOR = "(?:[._]|__|[-]+)";
const PATH_COMPONENT = `${ALPHANUMERIC}(?:${SEPARATOR}${ALPHANUMERIC})*`;
const DOMAIN_COMPONENT = "(?:[a-zA-Z0-9]|[a-zA-Z0-9][a-zA-Z0-9-]*[a-zA-Z0-9])";
const DOMAIN = `(?:(?:${DOMAIN_COMPONENT}(?:\\.${DOMAIN_COMPONENT})*)|(?:\\[(?:[a-fA-F0-9:]+)\\]))(?::[0-9]+)?`;
const TAG = "[\\w][\\w.-]{0,127}";
const DIGEST = "[A-Za-z][A-Za-z0-9]*(?:[-_+.][A-Za-z][A-Za-z0-9]*)*[:][0-9a-fA-F]{32,}";
const NAME = `(?:${DOMAIN}/)?${PATH_COMPONENT}(?:/${PATH_COMPONENT})*`;
const REFERENCE = RE2JS.compile(`^(${NAME})(?::(${TAG}))?(?:@(${DIGEST}))?$`);

/** `Invalid image name "x": invalid reference format` unless the image is a valid reference. */
export function checkImage(image: string): void {
  if (!REFERENCE.test(image)) throw new RenderedError(`error: Invalid image name ${goQuote(image)}: invalid reference format`);
}

/** A Go map[string]string as encoding/json writes it: keys sorted. */
export function sortedMap(entries: Iterable<[string, string]>): JsonObject {
  const map = new Map(entries);
  const result: JsonObject = {};
  for (const key of [...map.keys()].sort()) result[key] = map.get(key) ?? "";
  return result;
}

/** Go's strconv.Atoi (64-bit int) with its error texts, then int32(x) as the generators convert it (wrapping). */
export function atoiInt32(text: string): number {
  if (!/^[+-]?[0-9]+$/.test(text)) throw new RenderedError(`error: strconv.Atoi: parsing ${goQuote(text)}: invalid syntax`);
  const value = BigInt(text);
  if (value >= 2n ** 63n || value < -(2n ** 63n))
    throw new RenderedError(`error: strconv.Atoi: parsing ${goQuote(text)}: value out of range`);
  return Number(BigInt.asIntN(32, value));
}

const GENERATOR_FORMATS = "go-template,go-template-file,json,jsonpath,jsonpath-as-json,jsonpath-file,name,template,templatefile,yaml";

/** -o for commands whose printer has no table (run, create <generator>): wide and custom-columns are refused. */
export function parseGeneratorOutput(value: string): OutputFormat {
  const kind = value.split("=")[0] ?? "";
  if (value === "wide" || kind === "custom-columns" || kind === "custom-columns-file") {
    throw new RenderedError(
      `error: unable to match a printer suitable for the output format ${goQuote(value)}, allowed formats are: ${GENERATOR_FORMATS}`,
    );
  }
  return parseOutputFormat(value, GENERATOR_FORMATS);
}

/**
 * Prints a generated (typed) object as kubectl does before sending it: -o json keeps the Go struct
 * field order the generator built; every other format is the common printer's.
 */
export function printGenerated(format: OutputFormat, object: JsonObject, nameOf: (object: JsonObject) => string): string {
  if (format.type === "json") return `${goJson(object, { indent: "    " })}\n`;
  return printObjects(format, [object], true, nameOf);
}

const LAST_APPLIED_ANNOTATION = "kubectl.kubernetes.io/last-applied-configuration";

/** --save-config (util.CreateOrUpdateAnnotation): the object as JSON in Go field order, newline-terminated. */
export function addLastApplied(object: JsonObject): void {
  const encoded = `${goJson(object)}\n`;
  const metadata = isJsonObject(object.metadata) ? object.metadata : {};
  object.metadata = metadata;
  const annotations = isJsonObject(metadata.annotations) ? metadata.annotations : {};
  annotations[LAST_APPLIED_ANNOTATION] = encoded;
  metadata.annotations = annotations;
}
