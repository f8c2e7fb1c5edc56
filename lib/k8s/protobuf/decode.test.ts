import { BinaryWriter } from "@bufbuild/protobuf/wire";
import { describe, expect, it } from "vitest";
import { decodeProtobufObject } from "./decode";
import { PROTOBUF_MAGIC } from "./schema";
import { approvalBody, envelope } from "./test-helpers";

// Bodies captured from kubectl v1.32.5 (transcripts file, "PB:" lines).
const WHOAMI = "azhzAAotChhhdXRoZW50aWNhdGlvbi5rOHMuaW8vdjESEVNlbGZTdWJqZWN0UmV2aWV3EhoKEAoAEgAaACIAKgAyADgAQgASBgoECgASABoAIgA=";
const CAN_I =
  "azhzAAoyChdhdXRob3JpemF0aW9uLms4cy5pby92MRIXU2VsZlN1YmplY3RBY2Nlc3NSZXZpZXcSPQoQCgASABoAIgAqADIAOABCABIfCh0KB2RlZmF1bHQSBGxpc3QaACIAKgRwb2RzMgA6ABoICAASABoAIAAaACIA";
const CREATE_TOKEN = "azhzAAooChhhdXRoZW50aWNhdGlvbi5rOHMuaW8vdjESDFRva2VuUmVxdWVzdBIdChAKABIAGgAiACoAMgA4AEIAEgMg2AQaBAoAEgAaACIA";

function fromBase64(text: string): Uint8Array {
  return new Uint8Array(Buffer.from(text, "base64"));
}

describe("protobuf request bodies", () => {
  it("decodes kubectl auth whoami's empty SelfSubjectReview", () => {
    expect(decodeProtobufObject(fromBase64(WHOAMI))).toEqual({
      ok: true,
      object: { kind: "SelfSubjectReview", apiVersion: "authentication.k8s.io/v1", metadata: {}, status: { userInfo: {} } },
    });
  });

  it("decodes kubectl auth can-i's SelfSubjectAccessReview", () => {
    const result = decodeProtobufObject(fromBase64(CAN_I));
    expect(result).toEqual({
      ok: true,
      object: {
        kind: "SelfSubjectAccessReview",
        apiVersion: "authorization.k8s.io/v1",
        metadata: {},
        spec: { resourceAttributes: { namespace: "default", verb: "list", resource: "pods" } },
        // The (empty) status kubectl sends is decoded too, as the apiserver's Go struct would hold it.
        status: { allowed: false, denied: false },
      },
    });
  });

  it("decodes kubectl create token --duration=10m", () => {
    const result = decodeProtobufObject(fromBase64(CREATE_TOKEN));
    expect(result).toEqual({
      ok: true,
      object: { kind: "TokenRequest", apiVersion: "authentication.k8s.io/v1", metadata: {}, spec: { expirationSeconds: 600 }, status: {} },
    });
  });

  it("decodes a CSR approval PUT with conditions, bytes and times", () => {
    const body = approvalBody("jane", "778", "-----BEGIN CERTIFICATE REQUEST-----\n", {
      type: "Approved",
      reason: "KubectlApprove",
      message: "This CSR was approved by kubectl certificate approve.",
    });
    const result = decodeProtobufObject(body);
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    expect(result.object).toMatchObject({
      kind: "CertificateSigningRequest",
      metadata: { name: "jane", resourceVersion: "778", creationTimestamp: "2025-01-01T00:00:00Z" },
      spec: {
        request: Buffer.from("-----BEGIN CERTIFICATE REQUEST-----\n").toString("base64"),
        username: "admin",
        groups: ["system:masters", "system:authenticated"],
        usages: ["client auth"],
        signerName: "kubernetes.io/kube-apiserver-client",
        expirationSeconds: 86400,
      },
      status: {
        conditions: [
          {
            type: "Approved",
            status: "True",
            reason: "KubectlApprove",
            message: "This CSR was approved by kubectl certificate approve.",
            lastUpdateTime: "2025-01-01T01:00:00Z",
          },
        ],
      },
    });
  });

  it("decodes user extra maps", () => {
    const writer = new BinaryWriter();
    writer.tag(2, 2).fork().tag(1, 2).fork().tag(1, 2).string("u");
    writer.tag(4, 2).fork().tag(1, 2).string("k").tag(2, 2).fork().tag(1, 2).string("a").tag(1, 2).string("b").join().join();
    writer.join().join();
    const result = decodeProtobufObject(envelope("authentication.k8s.io/v1", "SelfSubjectReview", writer.finish()));
    expect(result).toMatchObject({ ok: true, object: { status: { userInfo: { username: "u", extra: { k: ["a", "b"] } } } } });
  });

  it("rejects a missing prefix, unknown kinds and never throws on garbage", () => {
    expect(decodeProtobufObject(new Uint8Array([1, 2, 3]))).toMatchObject({ ok: false });
    expect(decodeProtobufObject(envelope("v1", "Pod", new Uint8Array()))).toEqual({
      ok: false,
      error: 'no kind "Pod" is registered for version "v1"',
    });
    const valid = fromBase64(CAN_I);
    let seed = 7;
    const random = (): number => {
      seed = (seed * 1103515245 + 12345) % 2147483648;
      return seed / 2147483648;
    };
    for (let i = 0; i < 3000; i++) {
      const mutated = Uint8Array.from(valid.subarray(0, 4 + Math.floor(random() * (valid.length - 4))));
      for (let j = 0; j < 3; j++) mutated[4 + Math.floor(random() * (mutated.length - 4))] = Math.floor(random() * 256);
      expect(() => decodeProtobufObject(mutated)).not.toThrow();
      const garbage = Uint8Array.from({ length: Math.floor(random() * 64) }, () => Math.floor(random() * 256));
      garbage.set(PROTOBUF_MAGIC.subarray(0, Math.min(4, garbage.length)));
      expect(() => decodeProtobufObject(garbage)).not.toThrow();
    }
  });
});
