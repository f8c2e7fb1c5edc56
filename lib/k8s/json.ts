/** JSON values as stored in the cluster state: everything must survive JSON.stringify/parse unchanged. */
export type JsonValue = string | number | boolean | null | JsonValue[] | JsonObject;
export interface JsonObject {
  [key: string]: JsonValue;
}

export function isJsonObject(value: unknown): value is JsonObject {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** Reads a nested object field, creating nothing. */
export function objectField(parent: JsonObject | undefined, key: string): JsonObject | undefined {
  const value = parent?.[key];
  return isJsonObject(value) ? value : undefined;
}

export function stringField(parent: JsonObject | undefined, key: string): string | undefined {
  const value = parent?.[key];
  return typeof value === "string" ? value : undefined;
}

export function numberField(parent: JsonObject | undefined, key: string): number | undefined {
  const value = parent?.[key];
  return typeof value === "number" ? value : undefined;
}

export function arrayField(parent: JsonObject | undefined, key: string): JsonValue[] | undefined {
  const value = parent?.[key];
  return Array.isArray(value) ? value : undefined;
}

export function stringArrayField(parent: JsonObject | undefined, key: string): string[] {
  return (arrayField(parent, key) ?? []).filter((item): item is string => typeof item === "string");
}

/** Deep copy through JSON, so handlers never hand out references into the stored state. */
export function cloneJson<T extends JsonValue>(value: T): T {
  const copy: unknown = JSON.parse(JSON.stringify(value));
  return copy as T;
}

/** Parses untrusted JSON text; undefined when it is not JSON. */
export function parseJson(text: string): JsonValue | undefined {
  try {
    const parsed: unknown = JSON.parse(text);
    return toJsonValue(parsed);
  } catch {
    return undefined;
  }
}

function toJsonValue(value: unknown): JsonValue | undefined {
  if (value === null || typeof value === "string" || typeof value === "boolean") return value;
  if (typeof value === "number") return Number.isFinite(value) ? value : undefined;
  if (Array.isArray(value)) {
    const items: JsonValue[] = [];
    for (const item of value) {
      const converted = toJsonValue(item);
      if (converted === undefined) return undefined;
      items.push(converted);
    }
    return items;
  }
  if (typeof value === "object") {
    const result: JsonObject = {};
    for (const [key, item] of Object.entries(value)) {
      const converted = toJsonValue(item);
      if (converted === undefined) return undefined;
      result[key] = converted;
    }
    return result;
  }
  return undefined;
}
