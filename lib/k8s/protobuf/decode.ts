/**
 * Decoding of Kubernetes protobuf request bodies (spec §10.2): the "k8s\0" magic, a runtime.Unknown
 * envelope {typeMeta(1){apiVersion(1), kind(2)}, raw(2), contentEncoding(3), contentType(4)}, and the
 * raw message decoded by a field table taken from k8s.io/api generated.proto. The result is the object
 * in its JSON shape (bytes as base64, metav1.Time as RFC3339), so handlers only deal with JSON.
 */
import { BinaryReader, WireType } from "@bufbuild/protobuf/wire";
import type { JsonObject, JsonValue } from "../json";

export const PROTOBUF_MAGIC = new Uint8Array([0x6b, 0x38, 0x73, 0x00]);

type Scalar = "string" | "bytes" | "int32" | "int64" | "bool" | "time";
interface FieldSpec {
  name: string;
  type: Scalar | MessageSpec | { map: Scalar | MessageSpec };
  repeated?: boolean;
  /** Go non-pointer ints are always written; zero means unset, like JSON omitempty. */
  omitZero?: boolean;
  /** A message whose JSON form is one inner repeated field (authentication ExtraValue). */
  unwrap?: string;
}
interface MessageSpec {
  fields: Record<number, FieldSpec>;
}

const time: Scalar = "time";
const extraValue: MessageSpec = { fields: { 1: { name: "items", type: "string", repeated: true } } };
const ownerReference: MessageSpec = {
  fields: {
    5: { name: "apiVersion", type: "string" },
    1: { name: "kind", type: "string" },
    3: { name: "name", type: "string" },
    4: { name: "uid", type: "string" },
    6: { name: "controller", type: "bool" },
    7: { name: "blockOwnerDeletion", type: "bool" },
  },
};
const objectMeta: MessageSpec = {
  fields: {
    1: { name: "name", type: "string" },
    2: { name: "generateName", type: "string" },
    3: { name: "namespace", type: "string" },
    4: { name: "selfLink", type: "string" },
    5: { name: "uid", type: "string" },
    6: { name: "resourceVersion", type: "string" },
    7: { name: "generation", type: "int64", omitZero: true },
    8: { name: "creationTimestamp", type: time },
    9: { name: "deletionTimestamp", type: time },
    10: { name: "deletionGracePeriodSeconds", type: "int64" },
    11: { name: "labels", type: { map: "string" } },
    12: { name: "annotations", type: { map: "string" } },
    13: { name: "ownerReferences", type: ownerReference, repeated: true },
    14: { name: "finalizers", type: "string", repeated: true },
  },
};
const userInfo: MessageSpec = {
  fields: {
    1: { name: "username", type: "string" },
    2: { name: "uid", type: "string" },
    3: { name: "groups", type: "string", repeated: true },
    4: { name: "extra", type: { map: extraValue }, unwrap: "items" },
  },
};
const selfSubjectReview: MessageSpec = {
  fields: { 1: { name: "metadata", type: objectMeta }, 2: { name: "status", type: { fields: { 1: { name: "userInfo", type: userInfo } } } } },
};
const resourceAttributes: MessageSpec = {
  fields: {
    1: { name: "namespace", type: "string" },
    2: { name: "verb", type: "string" },
    3: { name: "group", type: "string" },
    4: { name: "version", type: "string" },
    5: { name: "resource", type: "string" },
    6: { name: "subresource", type: "string" },
    7: { name: "name", type: "string" },
  },
};
const nonResourceAttributes: MessageSpec = { fields: { 1: { name: "path", type: "string" }, 2: { name: "verb", type: "string" } } };
const selfSubjectAccessReview: MessageSpec = {
  fields: {
    1: { name: "metadata", type: objectMeta },
    2: {
      name: "spec",
      type: { fields: { 1: { name: "resourceAttributes", type: resourceAttributes }, 2: { name: "nonResourceAttributes", type: nonResourceAttributes } } },
    },
  },
};
const selfSubjectRulesReview: MessageSpec = {
  fields: { 1: { name: "metadata", type: objectMeta }, 2: { name: "spec", type: { fields: { 1: { name: "namespace", type: "string" } } } } },
};
const boundObjectReference: MessageSpec = {
  fields: {
    1: { name: "kind", type: "string" },
    2: { name: "apiVersion", type: "string" },
    3: { name: "name", type: "string" },
    4: { name: "uid", type: "string" },
  },
};
const tokenRequest: MessageSpec = {
  fields: {
    1: { name: "metadata", type: objectMeta },
    2: {
      name: "spec",
      type: {
        fields: {
          1: { name: "audiences", type: "string", repeated: true },
          4: { name: "expirationSeconds", type: "int64" },
          3: { name: "boundObjectRef", type: boundObjectReference },
        },
      },
    },
  },
};
const csrCondition: MessageSpec = {
  fields: {
    1: { name: "type", type: "string" },
    6: { name: "status", type: "string" },
    2: { name: "reason", type: "string" },
    3: { name: "message", type: "string" },
    4: { name: "lastUpdateTime", type: time },
    5: { name: "lastTransitionTime", type: time },
  },
};
const certificateSigningRequest: MessageSpec = {
  fields: {
    1: { name: "metadata", type: objectMeta },
    2: {
      name: "spec",
      type: {
        fields: {
          1: { name: "request", type: "bytes" },
          7: { name: "signerName", type: "string" },
          8: { name: "expirationSeconds", type: "int32" },
          5: { name: "usages", type: "string", repeated: true },
          2: { name: "username", type: "string" },
          3: { name: "uid", type: "string" },
          4: { name: "groups", type: "string", repeated: true },
          6: { name: "extra", type: { map: extraValue }, unwrap: "items" },
        },
      },
    },
    3: {
      name: "status",
      type: { fields: { 1: { name: "conditions", type: csrCondition, repeated: true }, 2: { name: "certificate", type: "bytes" } } },
    },
  },
};

// k8s.io/api/rbac/v1/generated.proto: real kubectl's typed `create role|clusterrole|rolebinding|
// clusterrolebinding` send these as protobuf.
const policyRule: MessageSpec = {
  fields: {
    1: { name: "verbs", type: "string", repeated: true },
    2: { name: "apiGroups", type: "string", repeated: true },
    3: { name: "resources", type: "string", repeated: true },
    4: { name: "resourceNames", type: "string", repeated: true },
    5: { name: "nonResourceURLs", type: "string", repeated: true },
  },
};
const labelSelector: MessageSpec = {
  fields: {
    1: { name: "matchLabels", type: { map: "string" } },
    2: {
      name: "matchExpressions",
      repeated: true,
      type: { fields: { 1: { name: "key", type: "string" }, 2: { name: "operator", type: "string" }, 3: { name: "values", type: "string", repeated: true } } },
    },
  },
};
const role: MessageSpec = { fields: { 1: { name: "metadata", type: objectMeta }, 2: { name: "rules", type: policyRule, repeated: true } } };
const clusterRole: MessageSpec = {
  fields: {
    1: { name: "metadata", type: objectMeta },
    2: { name: "rules", type: policyRule, repeated: true },
    3: { name: "aggregationRule", type: { fields: { 1: { name: "clusterRoleSelectors", type: labelSelector, repeated: true } } } },
  },
};
const roleBinding: MessageSpec = {
  fields: {
    1: { name: "metadata", type: objectMeta },
    2: {
      name: "subjects",
      repeated: true,
      type: { fields: { 1: { name: "kind", type: "string" }, 2: { name: "apiGroup", type: "string" }, 3: { name: "name", type: "string" }, 4: { name: "namespace", type: "string" } } },
    },
    3: { name: "roleRef", type: { fields: { 1: { name: "apiGroup", type: "string" }, 2: { name: "kind", type: "string" }, 3: { name: "name", type: "string" } } } },
  },
};
// k8s.io/api/core/v1/generated.proto: `kubectl create serviceaccount|namespace`.
const serviceAccount: MessageSpec = {
  fields: {
    1: { name: "metadata", type: objectMeta },
    2: {
      name: "secrets",
      repeated: true,
      type: {
        fields: {
          1: { name: "kind", type: "string" },
          2: { name: "namespace", type: "string" },
          3: { name: "name", type: "string" },
          4: { name: "uid", type: "string" },
          5: { name: "apiVersion", type: "string" },
          6: { name: "resourceVersion", type: "string" },
          7: { name: "fieldPath", type: "string" },
        },
      },
    },
    3: { name: "imagePullSecrets", repeated: true, type: { fields: { 1: { name: "name", type: "string" } } } },
    4: { name: "automountServiceAccountToken", type: "bool" },
  },
};
const namespace: MessageSpec = {
  fields: {
    1: { name: "metadata", type: objectMeta },
    2: { name: "spec", type: { fields: { 1: { name: "finalizers", type: "string", repeated: true } } } },
  },
};

/** Kinds whose protobuf bodies we decode, by "apiVersion/kind". */
const MESSAGES: Record<string, MessageSpec> = {
  "authentication.k8s.io/v1/SelfSubjectReview": selfSubjectReview,
  "authorization.k8s.io/v1/SelfSubjectAccessReview": selfSubjectAccessReview,
  "authorization.k8s.io/v1/SelfSubjectRulesReview": selfSubjectRulesReview,
  "authentication.k8s.io/v1/TokenRequest": tokenRequest,
  "certificates.k8s.io/v1/CertificateSigningRequest": certificateSigningRequest,
  "rbac.authorization.k8s.io/v1/Role": role,
  "rbac.authorization.k8s.io/v1/ClusterRole": clusterRole,
  "rbac.authorization.k8s.io/v1/RoleBinding": roleBinding,
  "rbac.authorization.k8s.io/v1/ClusterRoleBinding": roleBinding,
  "v1/ServiceAccount": serviceAccount,
  "v1/Namespace": namespace,
};

export type ProtobufDecodeResult = { ok: true; object: JsonObject } | { ok: false; error: string };

export function isProtobufContentType(contentType: string): boolean {
  return contentType.split(";")[0]?.trim().toLowerCase() === "application/vnd.kubernetes.protobuf";
}

/** Decodes a full protobuf request body; never throws. */
export function decodeProtobufObject(body: Uint8Array): ProtobufDecodeResult {
  if (body.length < 4 || !PROTOBUF_MAGIC.every((byte, index) => body[index] === byte)) {
    return { ok: false, error: "provided object does not have a protobuf prefix" };
  }
  try {
    const envelope = readMessage(new BinaryReader(body.subarray(4)), UNKNOWN, 0);
    const typeMeta = envelope.typeMeta;
    const apiVersion = isObject(typeMeta) && typeof typeMeta.apiVersion === "string" ? typeMeta.apiVersion : "";
    const kind = isObject(typeMeta) && typeof typeMeta.kind === "string" ? typeMeta.kind : "";
    const spec = MESSAGES[`${apiVersion}/${kind}`];
    if (spec === undefined) return { ok: false, error: `no kind "${kind}" is registered for version "${apiVersion}"` };
    const raw = typeof envelope.raw === "string" ? Buffer.from(envelope.raw, "base64") : new Uint8Array();
    const object = readMessage(new BinaryReader(raw), spec, 0);
    return { ok: true, object: { kind, apiVersion, ...object } };
  } catch (error) {
    return { ok: false, error: error instanceof Error ? error.message : String(error) };
  }
}

const UNKNOWN: MessageSpec = {
  fields: {
    1: { name: "typeMeta", type: { fields: { 1: { name: "apiVersion", type: "string" }, 2: { name: "kind", type: "string" } } } },
    2: { name: "raw", type: "bytes" },
    3: { name: "contentEncoding", type: "string" },
    4: { name: "contentType", type: "string" },
  },
};

function isObject(value: JsonValue | undefined): value is JsonObject {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

const MAX_DEPTH = 16;

function readMessage(reader: BinaryReader, spec: MessageSpec, depth: number): JsonObject {
  if (depth > MAX_DEPTH) throw new Error("protobuf message nested too deeply");
  const result: JsonObject = {};
  while (reader.pos < reader.len) {
    const [fieldNo, wireType] = reader.tag();
    const field = spec.fields[fieldNo];
    if (field === undefined) {
      reader.skip(wireType, fieldNo);
      continue;
    }
    const value = readField(reader, field, wireType, depth);
    if (value === undefined) continue;
    if (field.repeated === true) {
      const existing = result[field.name];
      result[field.name] = Array.isArray(existing) ? [...existing, value] : [value];
    } else if (typeof field.type === "object" && "map" in field.type && isObject(value)) {
      const existing = result[field.name];
      result[field.name] = { ...(isObject(existing) ? existing : {}), ...value };
    } else {
      result[field.name] = value;
    }
  }
  return result;
}

function expectWire(actual: WireType, expected: WireType): void {
  if (actual !== expected) throw new Error(`unexpected wire type ${actual}`);
}

function readField(reader: BinaryReader, field: FieldSpec, wireType: WireType, depth: number): JsonValue | undefined {
  const type = field.type;
  if (typeof type === "object" && "map" in type) {
    expectWire(wireType, WireType.LengthDelimited);
    const entry = readMessage(
      new BinaryReader(reader.bytes()),
      { fields: { 1: { name: "key", type: "string" }, 2: { name: "value", type: type.map } } },
      depth + 1,
    );
    const key = typeof entry.key === "string" ? entry.key : "";
    let value: JsonValue = entry.value ?? (type.map === "string" ? "" : {});
    if (field.unwrap !== undefined) value = isObject(value) ? (value[field.unwrap] ?? []) : [];
    return { [key]: value };
  }
  if (typeof type === "object") {
    expectWire(wireType, WireType.LengthDelimited);
    return readMessage(new BinaryReader(reader.bytes()), type, depth + 1);
  }
  switch (type) {
    case "string": {
      expectWire(wireType, WireType.LengthDelimited);
      const text = reader.string();
      return text === "" && field.repeated !== true ? undefined : text;
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
      return value === 0 && field.omitZero === true ? undefined : value;
    }
    case "int64": {
      expectWire(wireType, WireType.Varint);
      const value = Number(reader.int64());
      return value === 0 && field.omitZero === true ? undefined : value;
    }
    case "time": {
      expectWire(wireType, WireType.LengthDelimited);
      const timestamp = readMessage(
        new BinaryReader(reader.bytes()),
        { fields: { 1: { name: "seconds", type: "int64" }, 2: { name: "nanos", type: "int32" } } },
        depth + 1,
      );
      const seconds = typeof timestamp.seconds === "number" ? timestamp.seconds : 0;
      if (seconds === 0) return undefined;
      const date = new Date(seconds * 1000);
      return Number.isNaN(date.getTime()) ? undefined : date.toISOString().replace(".000Z", "Z");
    }
  }
}
