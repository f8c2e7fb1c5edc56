/**
 * kubectl's output printers: the server-side Table printer (tabwriter, -o wide, -A, --show-labels),
 * -o json / yaml (List wrapper for lists), -o name, -o jsonpath, -o custom-columns.
 */
import { isJsonObject, type JsonObject, type JsonValue } from "../json";
import { GET_TABWRITER, goJson, goQuote, tabwrite } from "../go";
import { RenderedError } from "./errors";
import { evaluateRelaxed, executeJsonPath, JsonPathError, valueText } from "./jsonpath";
import { toYaml } from "./yaml-output";

export type OutputFormat =
  | { type: "table"; wide: boolean }
  | { type: "json" }
  | { type: "yaml" }
  | { type: "name" }
  | { type: "jsonpath"; template: string; asJson: boolean }
  | { type: "custom-columns"; columns: { header: string; expression: string }[] };

const ALLOWED =
  "custom-columns,custom-columns-file,go-template,go-template-file,json,jsonpath,jsonpath-as-json,jsonpath-file,name,template,templatefile,wide,yaml";

export function parseOutputFormat(value: string, allowed = ALLOWED): OutputFormat {
  if (value === "") return { type: "table", wide: false };
  if (value === "wide") return { type: "table", wide: true };
  if (value === "json") return { type: "json" };
  if (value === "yaml") return { type: "yaml" };
  if (value === "name") return { type: "name" };
  const eq = value.indexOf("=");
  const kind = eq === -1 ? value : value.slice(0, eq);
  const argument = eq === -1 ? "" : value.slice(eq + 1);
  if (kind === "jsonpath" || kind === "jsonpath-as-json") {
    if (argument === "") throw new RenderedError("error: template format specified but no template given");
    return { type: "jsonpath", template: argument, asJson: kind === "jsonpath-as-json" };
  }
  if (kind === "custom-columns") {
    if (argument === "") throw new RenderedError("error: custom-columns format specified but no custom columns given");
    const columns = argument.split(",").map((spec) => {
      const colon = spec.indexOf(":");
      if (colon === -1) throw new RenderedError(`error: unexpected custom-columns spec: ${spec}, expected <header>:<json-path-expr>`);
      return { header: spec.slice(0, colon), expression: spec.slice(colon + 1) };
    });
    return { type: "custom-columns", columns };
  }
  throw new RenderedError(`error: unable to match a printer suitable for the output format "${value}", allowed formats are: ${allowed}`);
}

export function formatLabels(labels: JsonValue | undefined): string {
  if (!isJsonObject(labels)) return "<none>";
  const keys = Object.keys(labels).sort();
  if (keys.length === 0) return "<none>";
  return keys.map((key) => `${key}=${typeof labels[key] === "string" ? labels[key] : ""}`).join(",");
}

function cellText(cell: JsonValue | undefined): string {
  if (cell === null || cell === undefined) return "";
  if (typeof cell === "string") {
    const cut = cell.search(/[\f\n\r]/);
    return cut === -1 ? cell : `${cell.slice(0, cut)}...`;
  }
  if (typeof cell === "number" || typeof cell === "boolean") return String(cell);
  return JSON.stringify(cell);
}

export interface TableOptions {
  wide: boolean;
  withNamespace: boolean;
  showLabels: boolean;
  noHeaders: boolean;
  /** "pod/" when several kinds are printed (or --show-kind). */
  kindPrefix?: string;
}

/** Renders one or more server Tables of the same resource as one kubectl table (without the final flush). */
export function tableLines(tables: JsonObject[], options: TableOptions): string {
  const first = tables[0];
  const definitions = (Array.isArray(first?.columnDefinitions) ? first.columnDefinitions : []).filter(isJsonObject);
  const visible = definitions
    .map((definition, index) => ({ definition, index }))
    .filter(({ definition }) => options.wide || definition.priority === 0 || definition.priority === undefined);
  const lines: string[] = [];
  if (!options.noHeaders) {
    const header = visible.map(({ definition }) => String(definition.name ?? "").toUpperCase());
    if (options.withNamespace) header.unshift("NAMESPACE");
    if (options.showLabels) header.push("LABELS");
    lines.push(header.join("\t"));
  }
  for (const table of tables) {
    for (const row of (Array.isArray(table.rows) ? table.rows : []).filter(isJsonObject)) {
      const cells = Array.isArray(row.cells) ? row.cells : [];
      const metadata = isJsonObject(row.object) && isJsonObject(row.object.metadata) ? row.object.metadata : {};
      const rendered = visible.map(({ definition, index }) => {
        const text = cellText(cells[index]);
        return definition.format === "name" && options.kindPrefix !== undefined ? `${options.kindPrefix}${text}` : text;
      });
      if (options.withNamespace) rendered.unshift(typeof metadata.namespace === "string" ? metadata.namespace : "");
      if (options.showLabels) rendered.push(formatLabels(metadata.labels));
      lines.push(rendered.join("\t"));
    }
  }
  return lines.length === 0 ? "" : `${lines.join("\n")}\n`;
}

export function printTables(tables: JsonObject[], options: TableOptions): string {
  return tabwrite(tableLines(tables, options), GET_TABWRITER);
}

export function rowCount(tables: JsonObject[]): number {
  return tables.reduce((count, table) => count + (Array.isArray(table.rows) ? table.rows.length : 0), 0);
}

/** The List kubectl prints for several objects. */
export function listWrapper(items: JsonObject[]): JsonObject {
  return { apiVersion: "v1", items, kind: "List", metadata: { resourceVersion: "" } };
}

export function printJson(value: JsonValue): string {
  return `${goJson(value, { indent: "    ", sortKeys: true })}\n`;
}

export function printYaml(value: JsonValue): string {
  return toYaml(value);
}

export function printJsonPath(template: string, data: JsonValue, asJson: boolean): string {
  try {
    if (asJson) {
      const values = evaluateRelaxed(template, data);
      return `${goJson(values, { indent: "    ", sortKeys: true })}\n`;
    }
    return executeJsonPath(template, data);
  } catch (error) {
    const message = error instanceof JsonPathError ? error.message : String(error);
    throw new RenderedError(
      `error: error executing jsonpath ${goQuote(template)}: Error executing template: ${message}. Printing more information for debugging the template:\n\ttemplate was:\n\t\t${template}\n\tobject given to jsonpath engine was:\n\t\t${goJson(data, { sortKeys: true })}\n\n`,
    );
  }
}

export function printCustomColumns(columns: { header: string; expression: string }[], objects: JsonObject[], noHeaders: boolean): string {
  const lines: string[] = [];
  if (!noHeaders) lines.push(columns.map((column) => column.header).join("\t"));
  for (const object of objects) {
    lines.push(
      columns
        .map((column) => {
          const values = evaluateRelaxed(column.expression, object);
          return values.length === 0 ? "<none>" : values.map(valueText).join(",");
        })
        .join("\t"),
    );
  }
  return tabwrite(`${lines.join("\n")}\n`, GET_TABWRITER);
}

/** Prints objects in a non-table format; `single` prints the object itself instead of a List. */
export function printObjects(
  format: OutputFormat,
  objects: JsonObject[],
  single: boolean,
  nameOf: (object: JsonObject) => string,
  noHeaders = false,
): string {
  const data: JsonObject = single && objects[0] !== undefined ? objects[0] : listWrapper(objects);
  switch (format.type) {
    case "json":
      return printJson(data);
    case "yaml":
      return printYaml(data);
    case "name":
      return objects.map((object) => `${nameOf(object)}\n`).join("");
    case "jsonpath":
      return printJsonPath(format.template, data, format.asJson);
    case "custom-columns":
      return printCustomColumns(format.columns, objects, noHeaders);
    case "table":
      return "";
  }
}
