/**
 * Encoding of the protobuf request bodies kubectl's typed clients send (spec §10.2): the "k8s\0" magic
 * and a runtime.Unknown envelope around the object's gogo-protobuf encoding, by the tables in schema.ts.
 * Go's generated marshalers always write value fields (embedded structs even when empty), skip nil
 * pointers, empty slices and empty maps, and write fields in field-number order.
 */
import { BinaryWriter, WireType } from "@bufbuild/protobuf/wire";
import { isJsonObject, type JsonObject, type JsonValue } from "../json";
import { messageFor, PROTOBUF_MAGIC, type Field, type Message, type Scalar } from "./schema";

function timeSeconds(value: JsonValue | undefined): { seconds: bigint; nanos: number } | undefined {
  if (typeof value !== "string" || value === "") return undefined;
  const ms = Date.parse(value);
  if (Number.isNaN(ms)) return undefined;
  const fraction = /\.(\d+)/.exec(value)?.[1] ?? "";
  const nanos = fraction === "" ? 0 : Number(fraction.padEnd(9, "0").slice(0, 9));
  return { seconds: BigInt(Math.floor(ms / 1000)), nanos };
}

function writeMessage(writer: BinaryWriter, message: Message, value: JsonObject): void {
  for (const field of message.fields) writeField(writer, field, value[field.name]);
}

function writeScalar(writer: BinaryWriter, field: Field, type: Scalar, value: JsonValue | undefined): void {
  switch (type) {
    case "string":
      writer.tag(field.no, WireType.LengthDelimited).string(typeof value === "string" ? value : "");
      return;
    case "bytes":
      writer.tag(field.no, WireType.LengthDelimited).bytes(typeof value === "string" ? Buffer.from(value, "base64") : new Uint8Array());
      return;
    case "int32":
    case "int64":
      writer.tag(field.no, WireType.Varint).int64(typeof value === "number" ? BigInt(Math.trunc(value)) : 0n);
      return;
    case "bool":
      writer.tag(field.no, WireType.Varint).bool(value === true);
      return;
    case "time": {
      writer.tag(field.no, WireType.LengthDelimited).fork();
      const time = timeSeconds(value);
      if (time !== undefined) writer.tag(1, WireType.Varint).int64(time.seconds).tag(2, WireType.Varint).int32(time.nanos);
      writer.join();
      return;
    }
  }
}

function writeField(writer: BinaryWriter, field: Field, value: JsonValue | undefined): void {
  const type = field.type;
  if (typeof type === "object" && "map" in type) {
    if (!isJsonObject(value)) return;
    for (const key of Object.keys(value).sort()) {
      const entry = value[key];
      writer.tag(field.no, WireType.LengthDelimited).fork();
      writer.tag(1, WireType.LengthDelimited).string(key);
      if (type.map === "string") writer.tag(2, WireType.LengthDelimited).string(typeof entry === "string" ? entry : "");
      else {
        writer.tag(2, WireType.LengthDelimited).fork();
        writeMessage(writer, type.map, field.unwrap !== undefined ? { [field.unwrap]: entry ?? [] } : isJsonObject(entry) ? entry : {});
        writer.join();
      }
      writer.join();
    }
    return;
  }
  if (field.repeated === true) {
    if (!Array.isArray(value)) return;
    for (const item of value) {
      if (typeof type === "object") {
        writer.tag(field.no, WireType.LengthDelimited).fork();
        writeMessage(writer, type, isJsonObject(item) ? item : {});
        writer.join();
      } else writeScalar(writer, field, type, item);
    }
    return;
  }
  if (field.optional === true && (value === undefined || value === null)) return;
  if (typeof type === "object") {
    writer.tag(field.no, WireType.LengthDelimited).fork();
    writeMessage(writer, type, isJsonObject(value) ? value : {});
    writer.join();
    return;
  }
  writeScalar(writer, field, type, value);
}

/** Encodes a JSON-shaped object of one of the kinds in schema.ts. */
export function encodeProtobufObject(object: JsonObject): Uint8Array {
  const apiVersion = typeof object.apiVersion === "string" ? object.apiVersion : "";
  const kind = typeof object.kind === "string" ? object.kind : "";
  const message = messageFor(apiVersion, kind);
  if (message === undefined) throw new TypeError(`no protobuf encoding for ${apiVersion}/${kind}`);
  const raw = new BinaryWriter();
  writeMessage(raw, message, object);
  const envelope = new BinaryWriter();
  envelope
    .tag(1, WireType.LengthDelimited)
    .fork()
    .tag(1, WireType.LengthDelimited)
    .string(apiVersion)
    .tag(2, WireType.LengthDelimited)
    .string(kind)
    .join();
  envelope.tag(2, WireType.LengthDelimited).bytes(raw.finish());
  envelope.tag(3, WireType.LengthDelimited).string("");
  envelope.tag(4, WireType.LengthDelimited).string("");
  const body = envelope.finish();
  const out = new Uint8Array(PROTOBUF_MAGIC.length + body.length);
  out.set(PROTOBUF_MAGIC, 0);
  out.set(body, PROTOBUF_MAGIC.length);
  return out;
}
