/**
 * Encoding of the protobuf request bodies kubectl's typed clients send (spec §10.2): the "k8s\0" magic
 * and a runtime.Unknown envelope around the object's gogo-protobuf encoding. Go's generated marshalers
 * always write non-pointer scalars and embedded structs (even when empty) and skip nil pointers, empty
 * slices and empty maps; fields appear in field-number order. The decoder twin is lib/k8s/api/protobuf.ts.
 */
import { BinaryWriter, WireType } from "@bufbuild/protobuf/wire";
import { isJsonObject, type JsonObject, type JsonValue } from "../json";

type Scalar = "string" | "bytes" | "int" | "bool" | "time";
interface Field {
  no: number;
  name: string;
  type: Scalar | Message | { map: "string" | Message };
  repeated?: boolean;
  /** Pointer / optional field: written only when present in the JSON. */
  optional?: boolean;
  /** Map value message whose JSON form is its single repeated field (ExtraValue). */
  unwrap?: string;
}
interface Message {
  fields: Field[];
}

const extraValue: Message = { fields: [{ no: 1, name: "items", type: "string", repeated: true }] };
const ownerReference: Message = {
  fields: [
    { no: 1, name: "kind", type: "string" },
    { no: 3, name: "name", type: "string" },
    { no: 4, name: "uid", type: "string" },
    { no: 5, name: "apiVersion", type: "string" },
    { no: 6, name: "controller", type: "bool", optional: true },
    { no: 7, name: "blockOwnerDeletion", type: "bool", optional: true },
  ],
};
const objectMeta: Message = {
  fields: [
    { no: 1, name: "name", type: "string" },
    { no: 2, name: "generateName", type: "string" },
    { no: 3, name: "namespace", type: "string" },
    { no: 4, name: "selfLink", type: "string" },
    { no: 5, name: "uid", type: "string" },
    { no: 6, name: "resourceVersion", type: "string" },
    { no: 7, name: "generation", type: "int" },
    { no: 8, name: "creationTimestamp", type: "time" },
    { no: 9, name: "deletionTimestamp", type: "time", optional: true },
    { no: 10, name: "deletionGracePeriodSeconds", type: "int", optional: true },
    { no: 11, name: "labels", type: { map: "string" } },
    { no: 12, name: "annotations", type: { map: "string" } },
    { no: 13, name: "ownerReferences", type: ownerReference, repeated: true },
    { no: 14, name: "finalizers", type: "string", repeated: true },
  ],
};
const userInfo: Message = {
  fields: [
    { no: 1, name: "username", type: "string" },
    { no: 2, name: "uid", type: "string" },
    { no: 3, name: "groups", type: "string", repeated: true },
    { no: 4, name: "extra", type: { map: extraValue }, unwrap: "items" },
  ],
};
const selfSubjectReview: Message = {
  fields: [
    { no: 1, name: "metadata", type: objectMeta },
    { no: 2, name: "status", type: { fields: [{ no: 1, name: "userInfo", type: userInfo }] } },
  ],
};
const resourceAttributes: Message = {
  fields: [
    { no: 1, name: "namespace", type: "string" },
    { no: 2, name: "verb", type: "string" },
    { no: 3, name: "group", type: "string" },
    { no: 4, name: "version", type: "string" },
    { no: 5, name: "resource", type: "string" },
    { no: 6, name: "subresource", type: "string" },
    { no: 7, name: "name", type: "string" },
  ],
};
const nonResourceAttributes: Message = {
  fields: [
    { no: 1, name: "path", type: "string" },
    { no: 2, name: "verb", type: "string" },
  ],
};
const subjectAccessReviewStatus: Message = {
  fields: [
    { no: 1, name: "allowed", type: "bool" },
    { no: 2, name: "reason", type: "string" },
    { no: 3, name: "evaluationError", type: "string" },
    { no: 4, name: "denied", type: "bool" },
  ],
};
const selfSubjectAccessReview: Message = {
  fields: [
    { no: 1, name: "metadata", type: objectMeta },
    {
      no: 2,
      name: "spec",
      type: {
        fields: [
          { no: 1, name: "resourceAttributes", type: resourceAttributes, optional: true },
          { no: 2, name: "nonResourceAttributes", type: nonResourceAttributes, optional: true },
        ],
      },
    },
    { no: 3, name: "status", type: subjectAccessReviewStatus },
  ],
};
const selfSubjectRulesReview: Message = {
  fields: [
    { no: 1, name: "metadata", type: objectMeta },
    { no: 2, name: "spec", type: { fields: [{ no: 1, name: "namespace", type: "string" }] } },
    {
      no: 3,
      name: "status",
      type: {
        fields: [
          { no: 3, name: "incomplete", type: "bool" },
          { no: 4, name: "evaluationError", type: "string" },
        ],
      },
    },
  ],
};
const tokenRequest: Message = {
  fields: [
    { no: 1, name: "metadata", type: objectMeta },
    {
      no: 2,
      name: "spec",
      type: {
        fields: [
          { no: 1, name: "audiences", type: "string", repeated: true },
          {
            no: 3,
            name: "boundObjectRef",
            optional: true,
            type: {
              fields: [
                { no: 1, name: "kind", type: "string" },
                { no: 2, name: "apiVersion", type: "string" },
                { no: 3, name: "name", type: "string" },
                { no: 4, name: "uid", type: "string" },
              ],
            },
          },
          { no: 4, name: "expirationSeconds", type: "int", optional: true },
        ],
      },
    },
    {
      no: 3,
      name: "status",
      type: {
        fields: [
          { no: 1, name: "token", type: "string" },
          { no: 2, name: "expirationTimestamp", type: "time" },
        ],
      },
    },
  ],
};
const csrCondition: Message = {
  fields: [
    { no: 1, name: "type", type: "string" },
    { no: 2, name: "reason", type: "string" },
    { no: 3, name: "message", type: "string" },
    { no: 4, name: "lastUpdateTime", type: "time" },
    { no: 5, name: "lastTransitionTime", type: "time" },
    { no: 6, name: "status", type: "string" },
  ],
};
const certificateSigningRequest: Message = {
  fields: [
    { no: 1, name: "metadata", type: objectMeta },
    {
      no: 2,
      name: "spec",
      type: {
        fields: [
          { no: 1, name: "request", type: "bytes", optional: true },
          { no: 2, name: "username", type: "string" },
          { no: 3, name: "uid", type: "string" },
          { no: 4, name: "groups", type: "string", repeated: true },
          { no: 5, name: "usages", type: "string", repeated: true },
          { no: 6, name: "extra", type: { map: extraValue }, unwrap: "items" },
          { no: 7, name: "signerName", type: "string" },
          { no: 8, name: "expirationSeconds", type: "int", optional: true },
        ],
      },
    },
    {
      no: 3,
      name: "status",
      type: {
        fields: [
          { no: 1, name: "conditions", type: csrCondition, repeated: true },
          { no: 2, name: "certificate", type: "bytes", optional: true },
        ],
      },
    },
  ],
};

const MESSAGES: Record<string, Message> = {
  "authentication.k8s.io/v1/SelfSubjectReview": selfSubjectReview,
  "authorization.k8s.io/v1/SelfSubjectAccessReview": selfSubjectAccessReview,
  "authorization.k8s.io/v1/SelfSubjectRulesReview": selfSubjectRulesReview,
  "authentication.k8s.io/v1/TokenRequest": tokenRequest,
  "certificates.k8s.io/v1/CertificateSigningRequest": certificateSigningRequest,
};

export const PROTOBUF_CONTENT_TYPE = "application/vnd.kubernetes.protobuf";
const MAGIC = [0x6b, 0x38, 0x73, 0x00];

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
    case "int":
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

/** Encodes a JSON-shaped object of one of the kinds kubectl sends as protobuf. */
export function encodeProtobufObject(object: JsonObject): Uint8Array {
  const apiVersion = typeof object.apiVersion === "string" ? object.apiVersion : "";
  const kind = typeof object.kind === "string" ? object.kind : "";
  const message = MESSAGES[`${apiVersion}/${kind}`];
  if (message === undefined) throw new TypeError(`no protobuf encoding for ${apiVersion}/${kind}`);
  const raw = new BinaryWriter();
  writeMessage(raw, message, object);
  const envelope = new BinaryWriter();
  envelope.tag(1, WireType.LengthDelimited).fork().tag(1, WireType.LengthDelimited).string(apiVersion).tag(2, WireType.LengthDelimited).string(kind).join();
  envelope.tag(2, WireType.LengthDelimited).bytes(raw.finish());
  envelope.tag(3, WireType.LengthDelimited).string("");
  envelope.tag(4, WireType.LengthDelimited).string("");
  const body = envelope.finish();
  const out = new Uint8Array(MAGIC.length + body.length);
  out.set(MAGIC, 0);
  out.set(body, MAGIC.length);
  return out;
}
