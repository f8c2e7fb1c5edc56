/** Test support: protobuf bodies encoded the way kubectl's typed clients send them. */
import { BinaryWriter } from "@bufbuild/protobuf/wire";
import { PROTOBUF_MAGIC } from "./schema";

/** Wraps a raw message the way client-go's protobuf serializer does. */
export function envelope(apiVersion: string, kind: string, raw: Uint8Array): Uint8Array {
  const writer = new BinaryWriter();
  writer.tag(1, 2).fork().tag(1, 2).string(apiVersion).tag(2, 2).string(kind).join();
  writer.tag(2, 2).bytes(raw).tag(3, 2).string("").tag(4, 2).string("");
  const body = writer.finish();
  const out = new Uint8Array(PROTOBUF_MAGIC.length + body.length);
  out.set(PROTOBUF_MAGIC, 0);
  out.set(body, PROTOBUF_MAGIC.length);
  return out;
}

/** A CertificateSigningRequest with an Approved condition, as `kubectl certificate approve` PUTs it. */
export function approvalBody(
  name: string,
  resourceVersion: string,
  requestPem: string,
  condition: { type: string; reason: string; message: string },
): Uint8Array {
  const writer = new BinaryWriter();
  writer.tag(1, 2).fork().tag(1, 2).string(name).tag(2, 2).string("").tag(6, 2).string(resourceVersion).tag(7, 0).int64(0);
  writer.tag(8, 2).fork().tag(1, 0).int64(1735689600).tag(2, 0).int32(0).join().join();
  writer.tag(2, 2).fork().tag(1, 2).bytes(new TextEncoder().encode(requestPem)).tag(2, 2).string("admin");
  writer.tag(4, 2).string("system:masters").tag(4, 2).string("system:authenticated").tag(5, 2).string("client auth");
  writer.tag(7, 2).string("kubernetes.io/kube-apiserver-client").tag(8, 0).int32(86400).join();
  writer.tag(3, 2).fork().tag(1, 2).fork().tag(1, 2).string(condition.type).tag(2, 2).string(condition.reason);
  writer.tag(3, 2).string(condition.message).tag(4, 2).fork().tag(1, 0).int64(1735693200).join().tag(6, 2).string("True").join().join();
  return envelope("certificates.k8s.io/v1", "CertificateSigningRequest", writer.finish());
}
