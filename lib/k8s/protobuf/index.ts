/** Kubernetes protobuf bodies ("k8s\0" + runtime.Unknown): kubectl encodes them, the API server decodes them, by one schema. */
export { decodeProtobufObject, isProtobufContentType, type ProtobufDecodeResult } from "./decode";
export { encodeProtobufObject } from "./encode";
export { PROTOBUF_CONTENT_TYPE, PROTOBUF_MAGIC } from "./schema";
