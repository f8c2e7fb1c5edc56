/** Kubernetes protobuf bodies ("k8s\0" + runtime.Unknown): kubectl encodes them, the API server decodes them. */
export { decodeProtobufObject, isProtobufContentType, PROTOBUF_MAGIC, type ProtobufDecodeResult } from "./decode";
export { encodeProtobufObject, PROTOBUF_CONTENT_TYPE } from "./encode";
