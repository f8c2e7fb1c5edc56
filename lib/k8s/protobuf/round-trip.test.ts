import { describe, expect, it } from "vitest";
import { decodeProtobufObject } from "./decode";
import { encodeProtobufObject } from "./encode";
import { MESSAGES, type Message } from "./schema";
import type { JsonObject, JsonValue } from "../json";

const b64 = (bytes: Uint8Array): string => Buffer.from(bytes).toString("base64");

describe("protobuf bodies, byte for byte as kubectl v1.32.5 sent them", () => {
  it("whoami: an empty SelfSubjectReview", () => {
    const body = encodeProtobufObject({
      apiVersion: "authentication.k8s.io/v1",
      kind: "SelfSubjectReview",
      metadata: {},
      status: { userInfo: {} },
    });
    expect(b64(body)).toBe(
      "azhzAAotChhhdXRoZW50aWNhdGlvbi5rOHMuaW8vdjESEVNlbGZTdWJqZWN0UmV2aWV3EhoKEAoAEgAaACIAKgAyADgAQgASBgoECgASABoAIgA=",
    );
  });

  it("can-i list pods", () => {
    const body = encodeProtobufObject({
      apiVersion: "authorization.k8s.io/v1",
      kind: "SelfSubjectAccessReview",
      metadata: {},
      spec: {
        resourceAttributes: { namespace: "default", verb: "list", group: "", version: "", resource: "pods", subresource: "", name: "" },
      },
      status: {},
    });
    expect(b64(body)).toBe(
      "azhzAAoyChdhdXRob3JpemF0aW9uLms4cy5pby92MRIXU2VsZlN1YmplY3RBY2Nlc3NSZXZpZXcSPQoQCgASABoAIgAqADIAOABCABIfCh0KB2RlZmF1bHQSBGxpc3QaACIAKgRwb2RzMgA6ABoICAASABoAIAAaACIA",
    );
  });

  it("create token --duration=10m", () => {
    const body = encodeProtobufObject({
      apiVersion: "authentication.k8s.io/v1",
      kind: "TokenRequest",
      metadata: {},
      spec: { expirationSeconds: 600 },
      status: {},
    });
    expect(b64(body)).toBe("azhzAAooChhhdXRoZW50aWNhdGlvbi5rOHMuaW8vdjESDFRva2VuUmVxdWVzdBIdChAKABIAGgAiACoAMgA4AEIAEgMg2AQaBAoAEgAaACIA");
  });

  it("the CSR approval PUT starts as the observed body and round-trips through the engine's decoder", () => {
    const csr = {
      apiVersion: "certificates.k8s.io/v1",
      kind: "CertificateSigningRequest",
      metadata: {
        name: "jane",
        uid: "a1b2c3d4-0000-4000-8000-000000000001",
        resourceVersion: "77",
        creationTimestamp: "2025-01-01T00:00:00Z",
      },
      spec: {
        request: Buffer.from("-----BEGIN CERTIFICATE REQUEST-----\n").toString("base64"),
        username: "admin",
        groups: ["system:masters", "system:authenticated"],
        usages: ["client auth"],
        signerName: "kubernetes.io/kube-apiserver-client",
        expirationSeconds: 86400,
      },
      status: {
        conditions: [{ type: "Approved", status: "True", reason: "KubectlApprove", message: "m", lastUpdateTime: "2025-01-01T00:10:00Z" }],
      },
    };
    const body = encodeProtobufObject(csr);
    const observed = Buffer.from(
      "azhzAAozChZjZXJ0aWZpY2F0ZXMuazhzLmlvL3YxEhlDZXJ0aWZpY2F0ZVNpZ25pbmdSZXF1ZXN0ErkCCkIKBGphbmUSABoAIgAqJGExYjJjM2Q0LTAwMDAtNDAwMC04MDAwLTAwMDAwMDAwMDAwMTICNzc4AEIICICL0rsGEAASiwEKJC0tLS0tQkVHSU4gQ0VSVElGSUNBVEUgUkVRVUVTVC0tLS0tChIFYWRtaW4aACIOc3lzdGVtOm1hc3RlcnMiFHN5c3RlbTphdXRoZW50aWNhdGVk",
      "base64",
    );
    // Envelope head and the whole ObjectMeta are identical; the object length differs (conditions).
    expect(Buffer.from(body).subarray(0, 0x3a).equals(observed.subarray(0, 0x3a))).toBe(true);
    expect(
      Buffer.from(body)
        .subarray(0x3c, 0x3c + 0x44)
        .equals(observed.subarray(0x3c, 0x3c + 0x44)),
    ).toBe(true);
    // spec: request, username, uid "", groups
    expect(Buffer.from(body).includes(observed.subarray(0x83))).toBe(true);
    const decoded = decodeProtobufObject(body);
    expect(decoded.ok).toBe(true);
    if (!decoded.ok) return;
    expect(decoded.object.spec).toMatchObject({ username: "admin", usages: ["client auth"], expirationSeconds: 86400 });
    expect(decoded.object.status).toMatchObject({
      conditions: [{ type: "Approved", status: "True", reason: "KubectlApprove", lastUpdateTime: "2025-01-01T00:10:00Z" }],
    });
  });
});

/** A JSON object that sets every field of a message (nested to a few levels), with distinct values. */
function sampleOf(message: Message, path: string, depth: number): JsonObject {
  const object: JsonObject = {};
  for (const field of message.fields) {
    const name = `${path}.${field.name}`;
    const one = (index: number): JsonValue | undefined => {
      const type = field.type;
      if (typeof type === "object" && "map" in type) return undefined;
      if (typeof type === "object") return depth < 4 ? sampleOf(type, `${name}[${index}]`, depth + 1) : {};
      switch (type) {
        case "string":
          return `${name}-${index}`;
        case "bytes":
          return Buffer.from(`${name}-${index}`).toString("base64");
        case "int32":
        case "int64":
          return field.no * 100 + index + 1;
        case "bool":
          return true;
        case "time":
          return new Date(Date.UTC(2025, 0, 1 + field.no, 0, index)).toISOString().replace(".000Z", "Z");
      }
    };
    const type = field.type;
    if (typeof type === "object" && "map" in type) {
      const value = (key: string): JsonValue =>
        type.map === "string"
          ? `${name}-${key}`
          : field.unwrap !== undefined
            ? [`${key}-1`, `${key}-2`]
            : sampleOf(type.map, `${name}.${key}`, depth + 1);
      object[field.name] = { b: value("b"), a: value("a") };
      continue;
    }
    const value = field.repeated === true ? [one(0), one(1)].filter((item): item is JsonValue => item !== undefined) : one(0);
    if (value !== undefined) object[field.name] = value;
  }
  return object;
}

describe("every message in the schema survives encode then decode", () => {
  it.each(Object.keys(MESSAGES))("%s", (key) => {
    const slash = key.lastIndexOf("/");
    const apiVersion = key.slice(0, slash);
    const kind = key.slice(slash + 1);
    const message = MESSAGES[key];
    if (message === undefined) throw new Error(key);
    const object: JsonObject = { apiVersion, kind, ...sampleOf(message, kind, 0) };
    const decoded = decodeProtobufObject(encodeProtobufObject(object));
    expect(decoded).toEqual({ ok: true, object });
    expect(JSON.stringify(object).length).toBeGreaterThan(200);
  });

  it("leaves out what Go's JSON leaves out: empty strings and zero value ints, but keeps a pointer's zero", () => {
    const object = {
      apiVersion: "authentication.k8s.io/v1",
      kind: "TokenRequest",
      metadata: { name: "", generation: 0 },
      spec: { audiences: [""], expirationSeconds: 0 },
    };
    const decoded = decodeProtobufObject(encodeProtobufObject(object));
    expect(decoded).toEqual({
      ok: true,
      object: {
        kind: "TokenRequest",
        apiVersion: "authentication.k8s.io/v1",
        metadata: {},
        spec: { audiences: [""], expirationSeconds: 0 },
        status: {},
      },
    });
  });
});
