/**
 * Decoding of Kubernetes protobuf request bodies (spec §10.2): the "k8s\0" magic, the runtime.Unknown
 * envelope, and the raw message read by its table in schema.ts. The result is the object in its JSON
 * shape (bytes as base64, metav1.Time as RFC3339), so handlers only deal with JSON.
 */
import { BinaryReader, WireType } from "@bufbuild/protobuf/wire";
import { isJsonObject, type JsonObject, type JsonValue } from "../json";
import { message, messageFor, PROTOBUF_CONTENT_TYPE, PROTOBUF_MAGIC, UNKNOWN, type Field, type Message, type Scalar } from "./schema";

export type ProtobufDecodeResult = { ok: true; object: JsonObject } | { ok: false; error: string };

export function isProtobufContentType(contentType: string): boolean {
  return contentType.split(";")[0]?.trim().toLowerCase() === PROTOBUF_CONTENT_TYPE;
}

/** Decodes a full protobuf request body; never throws. */
export function decodeProtobufObject(body: Uint8Array): ProtobufDecodeResult {
  if (body.length < 4 || !PROTOBUF_MAGIC.every((byte, index) => body[index] === byte)) {
    return { ok: false, error: "provided object does not have a protobuf prefix" };
  }
  try {
    const envelope = readMessage(new BinaryReader(body.subarray(4)), UNKNOWN, 0);
    const typeMeta = envelope.typeMeta;
    const apiVersion = isJsonObject(typeMeta) && typeof typeMeta.apiVersion === "string" ? typeMeta.apiVersion : "";
    const kind = isJsonObject(typeMeta) && typeof typeMeta.kind === "string" ? typeMeta.kind : "";
    const spec = messageFor(apiVersion, kind);
    if (spec === undefined) return { ok: false, error: `no kind "${kind}" is registered for version "${apiVersion}"` };
    const raw = typeof envelope.raw === "string" ? Buffer.from(envelope.raw, "base64") : new Uint8Array();
    const object = readMessage(new BinaryReader(raw), spec, 0);
    return { ok: true, object: { kind, apiVersion, ...object } };
  } catch (error) {
    return { ok: false, error: error instanceof Error ? error.message : String(error) };
  }
}

const MAX_DEPTH = 16;
const TIMESTAMP = message([
  { no: 1, name: "seconds", type: "int64" },
  { no: 2, name: "nanos", type: "int32" },
]);
const mapEntries = new WeakMap<Field, Message>();

function mapEntry(field: Field, valueType: "string" | Message): Message {
  let entry = mapEntries.get(field);
  if (entry === undefined) {
    entry = message([
      { no: 1, name: "key", type: "string" },
      { no: 2, name: "value", type: valueType },
    ]);
    mapEntries.set(field, entry);
  }
  return entry;
}

function readMessage(reader: BinaryReader, spec: Message, depth: number): JsonObject {
  if (depth > MAX_DEPTH) throw new Error("protobuf message nested too deeply");
  const result: JsonObject = {};
  while (reader.pos < reader.len) {
    const [fieldNo, wireType] = reader.tag();
    const field = spec.byNumber.get(fieldNo);
    if (field === undefined) {
      reader.skip(wireType, fieldNo);
      continue;
    }
    const value = readField(reader, field, wireType, depth);
    if (value === undefined) continue;
    if (field.repeated === true) {
      const existing = result[field.name];
      result[field.name] = Array.isArray(existing) ? [...existing, value] : [value];
    } else if (typeof field.type === "object" && "map" in field.type && isJsonObject(value)) {
      const existing = result[field.name];
      result[field.name] = { ...(isJsonObject(existing) ? existing : {}), ...value };
    } else {
      result[field.name] = value;
    }
  }
  return result;
}

function expectWire(actual: WireType, expected: WireType): void {
  if (actual !== expected) throw new Error(`unexpected wire type ${actual}`);
}

function readField(reader: BinaryReader, field: Field, wireType: WireType, depth: number): JsonValue | undefined {
  const type = field.type;
  if (typeof type === "object" && "map" in type) {
    expectWire(wireType, WireType.LengthDelimited);
    const entry = readMessage(new BinaryReader(reader.bytes()), mapEntry(field, type.map), depth + 1);
    const key = typeof entry.key === "string" ? entry.key : "";
    let value: JsonValue = entry.value ?? (type.map === "string" ? "" : {});
    if (field.unwrap !== undefined) value = isJsonObject(value) ? (value[field.unwrap] ?? []) : [];
    return { [key]: value };
  }
  if (typeof type === "object") {
    expectWire(wireType, WireType.LengthDelimited);
    return readMessage(new BinaryReader(reader.bytes()), type, depth + 1);
  }
  return readScalar(reader, field, type, wireType, depth);
}

/** A value field's zero is left out (omitempty); an optional (pointer) field's zero is kept. */
function readScalar(reader: BinaryReader, field: Field, type: Scalar, wireType: WireType, depth: number): JsonValue | undefined {
  const keepZero = field.optional === true || field.repeated === true;
  switch (type) {
    case "string": {
      expectWire(wireType, WireType.LengthDelimited);
      const text = reader.string();
      return text === "" && !keepZero ? undefined : text;
    }
    case "bytes": {
      expectWire(wireType, WireType.LengthDelimited);
      const bytes = reader.bytes();
      return bytes.length === 0 ? undefined : Buffer.from(bytes).toString("base64");
    }
    case "bool":
      expectWire(wireType, WireType.Varint);
      return reader.bool();
    case "int32": {
      expectWire(wireType, WireType.Varint);
      const value = reader.int32();
      return value === 0 && !keepZero ? undefined : value;
    }
    case "int64": {
      expectWire(wireType, WireType.Varint);
      const value = Number(reader.int64());
      return value === 0 && !keepZero ? undefined : value;
    }
    case "time": {
      expectWire(wireType, WireType.LengthDelimited);
      const timestamp = readMessage(new BinaryReader(reader.bytes()), TIMESTAMP, depth + 1);
      const seconds = typeof timestamp.seconds === "number" ? timestamp.seconds : 0;
      if (seconds === 0) return undefined;
      const date = new Date(seconds * 1000);
      return Number.isNaN(date.getTime()) ? undefined : date.toISOString().replace(".000Z", "Z");
    }
  }
}
