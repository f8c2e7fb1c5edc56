/**
 * kubectl 1.32's `explain` plaintext output: a line-for-line port of the Go template
 * staging/src/k8s.io/kubectl/pkg/explain/v2/templates/plaintext.tmpl and its helper functions
 * (funcs.go: wrap via go-wordwrap, indent, resolveRef), run on an OpenAPI v3 document.
 *
 * Go templates write as they go, so an error after the header leaves the header on stdout: the
 * result carries both the text written and the error.
 */
import { isJsonObject, type JsonObject, type JsonValue } from "../json";

export interface ExplainTarget {
  group: string;
  version: string;
  resource: string;
  fieldPath: string[];
  recursive: boolean;
}

export interface ExplainResult {
  text: string;
  error?: string;
}

/** Deepest nesting the renderer follows; schemas are finite, this only bounds hostile documents. */
const MAX_DEPTH = 64;

class ExplainError extends Error {}

function obj(value: JsonValue | undefined): JsonObject | undefined {
  return isJsonObject(value) ? value : undefined;
}

/** Go template truthiness of a value taken from JSON. */
function truthy(value: JsonValue | undefined): boolean {
  if (value === undefined || value === null || value === false || value === 0 || value === "") return false;
  if (Array.isArray(value)) return value.length > 0;
  if (isJsonObject(value)) return Object.keys(value).length > 0;
  return true;
}

/** github.com/mitchellh/go-wordwrap WrapString (v1.0.1): breaks at spaces, never splits a word. */
export function wordWrap(text: string, limit: number): string {
  let out = "";
  let current = 0;
  let word = "";
  let wordLen = 0;
  let space = "";
  let spaceLen = 0;
  for (const char of text) {
    if (char === "\n") {
      if (wordLen === 0) {
        if (current + spaceLen > limit) current = 0;
        else {
          current += spaceLen;
          out += space;
        }
      } else {
        current += spaceLen + wordLen;
        out += space + word;
        word = "";
        wordLen = 0;
      }
      space = "";
      spaceLen = 0;
      out += char;
      current = 0;
    } else if (/\s/u.test(char) && char !== "\u00a0") {
      if (space.length === 0 || wordLen > 0) {
        current += spaceLen + wordLen;
        out += space + word;
        space = "";
        spaceLen = 0;
        word = "";
        wordLen = 0;
      }
      space += char;
      spaceLen += 1;
    } else {
      word += char;
      wordLen += 1;
      if (current + spaceLen + wordLen > limit && wordLen < limit) {
        out += "\n";
        current = 0;
        space = "";
        spaceLen = 0;
      }
    }
  }
  if (wordLen === 0) {
    if (current + spaceLen <= limit) out += space;
  } else out += space + word;
  return out;
}

function indent(amount: number, text: string): string {
  const pad = " ".repeat(Math.max(0, amount));
  return pad + text.split("\n").join(`\n${pad}`);
}

class Renderer {
  constructor(private readonly document: JsonObject) {}

  /** funcs.go resolveRef: only local "#/a/b" fragments. */
  resolveRef(ref: JsonValue | undefined): JsonObject | undefined {
    if (typeof ref !== "string" || !ref.startsWith("#")) return undefined;
    let current: JsonObject | undefined = this.document;
    for (const part of ref.slice(1).split("/")) {
      if (part === "") continue;
      current = obj(current?.[decodeURIComponent(part).replace(/~1/g, "/").replace(/~0/g, "~")]);
      if (current === undefined) return undefined;
    }
    return current;
  }

  private resolved(schema: JsonObject): { refString: string; resolved: JsonObject } {
    const refString = typeof schema.$ref === "string" ? schema.$ref : "";
    const target = this.resolveRef(refString);
    return { refString, resolved: target !== undefined && Object.keys(target).length > 0 ? target : schema };
  }

  output(schema: JsonObject, history: Set<string>, fieldPath: string[], recursive: boolean, depth: number): string {
    if (depth > MAX_DEPTH) return "";
    const { refString, resolved } = this.resolved(schema);
    const nextHistory = new Set(history).add(refString);
    if (fieldPath.length === 0) {
      let text = `DESCRIPTION:\n${indent(4, wordWrap(this.description(resolved, 0) || "<empty>", 76))}\n`;
      const docs = this.externalDocs(resolved);
      if (docs !== "") text += `\n${docs}`;
      const fields = this.fieldList(resolved, 1, undefined, recursive, 0);
      if (fields !== "") text += `FIELDS:\n${fields}`;
      return text;
    }
    if (refString !== "" && history.has(refString)) return "";
    const first = fieldPath[0] ?? "";
    const properties = obj(resolved.properties);
    const subschema = properties !== undefined && Object.hasOwn(properties, first) ? obj(properties[first]) : undefined;
    if (subschema !== undefined && truthy(subschema)) {
      let text = "";
      if (fieldPath.length === 1)
        text += `FIELD: ${first} <${this.typeGuess(subschema, 0)}>\n${this.extractEnum(subschema, true, -1, 0)}\n\n`;
      return text + this.output(subschema, new Set(), fieldPath.slice(1), recursive, depth + 1);
    }
    const items = obj(resolved.items);
    if (items !== undefined && truthy(items)) return this.output(items, nextHistory, fieldPath, recursive, depth + 1);
    const additional = obj(resolved.additionalProperties);
    if (additional !== undefined && truthy(additional)) return this.output(additional, nextHistory, fieldPath, recursive, depth + 1);
    for (const alternative of Array.isArray(resolved.allOf) ? resolved.allOf : []) {
      const text = isJsonObject(alternative) ? this.output(alternative, nextHistory, fieldPath, recursive, depth + 1) : "";
      if (text !== "") return text;
    }
    return "";
  }

  fieldList(schema: JsonObject, level: number, history: Set<string> | undefined, recursive: boolean, depth: number): string {
    if (depth > MAX_DEPTH) return "";
    const refString = typeof schema.$ref === "string" ? schema.$ref : "";
    if (refString !== "" && history?.has(refString) === true) return "";
    const nextHistory = new Set(history).add(refString);
    const { resolved } = this.resolved(schema);
    let text = "";
    const properties = obj(resolved.properties) ?? {};
    for (const name of Object.keys(properties).sort()) {
      text += this.fieldDetail(name, resolved, recursive, level);
      const value = obj(properties[name]);
      if (recursive && value !== undefined) text += this.fieldList(value, level + 1, nextHistory, recursive, depth + 1);
    }
    for (const alternative of Array.isArray(resolved.allOf) ? resolved.allOf : []) {
      if (isJsonObject(alternative)) text += this.fieldList(alternative, level, nextHistory, recursive, depth + 1);
    }
    const items = obj(resolved.items);
    if (items !== undefined && truthy(items)) text += this.fieldList(items, level, nextHistory, recursive, depth + 1);
    const additional = obj(resolved.additionalProperties);
    if (additional !== undefined && truthy(additional)) text += this.fieldList(additional, level, nextHistory, recursive, depth + 1);
    return text;
  }

  private fieldDetail(name: string, schema: JsonObject, short: boolean, level: number): string {
    const indentAmount = level * 2;
    const field = obj(obj(schema.properties)?.[name]) ?? {};
    const required = Array.isArray(schema.required) && schema.required.includes(name);
    let text = `${indent(indentAmount, name)}\t<${this.typeGuess(field, 0)}>${required ? " -required-" : ""}${this.extractEnum(field, false, 4, indentAmount)}\n`;
    if (short) return text;
    const description = typeof field.description === "string" && field.description !== "" ? field.description : "<no description>";
    text += `${indent(indentAmount + 2, wordWrap(description, 78 - indentAmount))}\n`;
    const docs = obj(field.externalDocs);
    if (docs !== undefined && truthy(docs)) {
      text += `\n${indent(indentAmount + 2, "EXTERNAL DOCS:")}\n`;
      if (typeof docs.description === "string" && docs.description !== "")
        text += `${indent(indentAmount + 4, wordWrap(docs.description, 76 - indentAmount))}\n`;
      if (typeof docs.url === "string" && docs.url !== "") text += `${indent(indentAmount + 4, `URL: ${docs.url}`)}\n`;
    }
    return `${text}\n`;
  }

  description(schema: JsonObject, depth: number): string {
    if (depth > MAX_DEPTH) return "";
    const target = this.resolveRef(schema.$ref);
    const resolved = target !== undefined && truthy(target) ? target : schema;
    if (!truthy(resolved)) return "";
    let text = typeof resolved.description === "string" && resolved.description !== "" ? `${resolved.description}\n` : "";
    for (const alternative of Array.isArray(resolved.allOf) ? resolved.allOf : [])
      if (isJsonObject(alternative)) text += this.description(alternative, depth + 1);
    const items = obj(resolved.items);
    if (items !== undefined && truthy(items)) text += this.description(items, depth + 1);
    const additional = obj(resolved.additionalProperties);
    if (additional !== undefined && truthy(additional)) text += this.description(additional, depth + 1);
    return text;
  }

  private externalDocs(schema: JsonObject): string {
    const docs = obj(schema.externalDocs);
    if (docs === undefined || !truthy(docs)) return "";
    let text = "EXTERNAL DOCS:\n";
    if (typeof docs.description === "string" && docs.description !== "") text += `${indent(4, wordWrap(docs.description, 76))}\n`;
    if (typeof docs.url === "string" && docs.url !== "") text += `${indent(4, `URL: ${docs.url}`)}\n`;
    return text;
  }

  typeGuess(schema: JsonObject, depth: number): string {
    if (!truthy(schema) || depth > MAX_DEPTH) throw new ExplainError("expected schema argument to subtemplate 'typeguess'");
    const items = obj(schema.items);
    if (items !== undefined && truthy(items)) return `[]${this.typeGuess(items, depth + 1)}`;
    const additional = obj(schema.additionalProperties);
    if (additional !== undefined && truthy(additional)) return `map[string]${this.typeGuess(additional, depth + 1)}`;
    const allOf = Array.isArray(schema.allOf) ? schema.allOf : [];
    if (allOf.length === 1 && !truthy(schema.properties)) return this.typeGuess(obj(allOf[0]) ?? {}, depth + 1);
    const type = typeof schema.type === "string" ? schema.type : "";
    if (typeof schema.$ref === "string" && schema.$ref !== "") {
      const target = this.resolveRef(schema.$ref);
      const targetType = typeof target?.type === "string" ? target.type : "";
      if (target === undefined || !truthy(target) || targetType === "" || targetType === "object") {
        const name = schema.$ref.split("/").pop() ?? "";
        return name.split(".").pop() || "Object";
      }
      return targetType;
    }
    return type === "object" ? "Object" : type || "Object";
  }

  private extractEnum(schema: JsonObject, longView: boolean, limit: number, indentAmount: number): string {
    const values = Array.isArray(schema.enum) ? schema.enum : [];
    if (values.length === 0) return "";
    let text = longView ? "ENUM:" : `\n${indent(indentAmount, "")}enum: `;
    for (const [index, value] of values.entries()) {
      if (limit > -1 && index >= limit) {
        text += ", ....";
        break;
      }
      if (index > 0 && !longView) text += ", ";
      else if (longView) text += `\n${indent(4, "")}`;
      text += value === "" ? '""' : typeof value === "string" ? value : JSON.stringify(value);
    }
    return text;
  }
}

function gvrString(group: string, version: string, resource: string): string {
  return `${group}/${version}, Resource=${resource}`;
}

function sameGvk(candidate: JsonValue, gvk: JsonObject): boolean {
  if (!isJsonObject(candidate)) return false;
  const keys = Object.keys(candidate);
  return keys.length === Object.keys(gvk).length && keys.every((key) => candidate[key] === gvk[key]);
}

/** The template run on one group version's OpenAPI v3 document. */
export function renderExplain(document: JsonObject, target: ExplainTarget): ExplainResult {
  const renderer = new Renderer(document);
  const prefix = target.group === "" ? "/api" : `/apis/${target.group}`;
  const base = `${prefix}/${target.version}`;
  const searchPaths = [
    `${base}/${target.resource}`,
    `${base}/${target.resource}/{name}`,
    `${base}/namespaces/{namespace}/${target.resource}`,
    `${base}/namespaces/{namespace}/${target.resource}/{name}`,
  ];
  const paths = obj(document.paths) ?? {};
  let gvk: JsonValue | undefined;
  for (const path of searchPaths) {
    const element = obj(paths[path]);
    if (element === undefined || !truthy(element)) continue;
    for (const method of ["get", "post", "put", "patch", "delete"]) {
      const operation = obj(element[method]);
      if (operation === undefined || !truthy(operation)) continue;
      gvk = operation["x-kubernetes-group-version-kind"];
      if (truthy(gvk)) break;
    }
  }
  const found = obj(gvk);
  if (found === undefined || !truthy(found))
    return { text: "", error: `error: GVR (${gvrString(target.group, target.version, target.resource)}) not found in OpenAPI schema` };
  let text = "";
  if (truthy(found.group)) text += `GROUP:      ${String(found.group)}\n`;
  text += `KIND:       ${String(found.kind ?? "")}\nVERSION:    ${String(found.version ?? "")}\n\n`;
  const schemas = obj(obj(document.components)?.schemas) ?? {};
  try {
    let body = "";
    for (const name of Object.keys(schemas).sort()) {
      const schema = obj(schemas[name]);
      const kinds = schema?.["x-kubernetes-group-version-kind"];
      if (schema === undefined || !Array.isArray(kinds) || !kinds.some((candidate) => sameGvk(candidate, found))) continue;
      body = renderer.output(schema, new Set(), target.fieldPath, target.recursive, 0);
      if (body === "") return { text, error: `error: field "${target.fieldPath[target.fieldPath.length - 1] ?? ""}" does not exist` };
      break;
    }
    if (body === "") {
      const map = Object.keys(found)
        .sort()
        .map((key) => `${key}:${String(found[key])}`)
        .join(" ");
      return { text, error: `error: GVK map[${map}] not found in OpenAPI schema` };
    }
    return { text: `${text}${body}\n` };
  } catch (error) {
    if (error instanceof ExplainError) return { text, error: `error: ${error.message}` };
    throw error;
  }
}
