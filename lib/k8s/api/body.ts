/** Request body decoding by Content-Type: JSON, YAML or Kubernetes protobuf (for the kinds kubectl sends so). */
import { parse as parseYaml } from "yaml";
import { isJsonObject, parseJson, type JsonObject } from "../json";
import type { ApiRequest } from "../types";
import { decodeProtobufObject, isProtobufContentType } from "../protobuf";

export type DecodedBody = { ok: true; object: JsonObject } | { ok: false; status: "unsupported" | "bad" | "tooLarge"; message: string };

export function headerValue(request: ApiRequest, name: string): string {
  const value = request.headers[name];
  if (Array.isArray(value)) return value.join(",");
  return typeof value === "string" ? value : "";
}

/** kube-apiserver's MaxRequestBodyBytes for write requests (3 MiB). */
export const MAX_BODY_BYTES = 3 * 1024 * 1024;

export function decodeBody(request: ApiRequest): DecodedBody {
  const body = request.body ?? new Uint8Array();
  if (body.length > MAX_BODY_BYTES)
    return { ok: false, status: "tooLarge", message: `Request entity too large: limit is ${MAX_BODY_BYTES}` };
  const contentType = (headerValue(request, "content-type").split(";")[0] ?? "").trim().toLowerCase();
  if (isProtobufContentType(contentType)) {
    const decoded = decodeProtobufObject(body);
    return decoded.ok ? { ok: true, object: decoded.object } : { ok: false, status: "bad", message: decoded.error };
  }
  const text = Buffer.from(body).toString("utf8");
  if (contentType === "application/yaml") {
    try {
      const parsed = parseJson(JSON.stringify(parseYaml(text, { maxAliasCount: 100 }) ?? null));
      if (isJsonObject(parsed)) return { ok: true, object: parsed };
    } catch {
      // fall through to the decode error below
    }
    return { ok: false, status: "bad", message: "error converting YAML to JSON" };
  }
  if (contentType === "" || contentType === "application/json" || contentType.endsWith("+json")) {
    const parsed = parseJson(text);
    if (isJsonObject(parsed)) return { ok: true, object: parsed };
    return {
      ok: false,
      status: "bad",
      message: text.trim() === "" ? "Object 'Kind' is missing in ''" : "couldn't get version/kind; json parse error: invalid character",
    };
  }
  return { ok: false, status: "unsupported", message: contentType };
}
