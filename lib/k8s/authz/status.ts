/**
 * metav1.Status objects and their exact wire form, plus the 403 Forbidden built by
 * responsewriters.Forbidden + apierrors.NewForbidden (spec §2.2) and the plain-text 500 of
 * responsewriters.InternalError (spec §7.3).
 */
import type { ApiResponse } from "../types";
import type { AuthorizationAttributes } from "./types";
import { goJsonString, goQuote } from "../go";

export interface StatusCause {
  reason?: string;
  message?: string;
  field?: string;
}

/** Field order here is the Go struct order, which statusJson reproduces. */
export interface StatusDetails {
  name?: string;
  group?: string;
  kind?: string;
  uid?: string;
  causes?: StatusCause[];
  retryAfterSeconds?: number;
}

export interface ListMeta {
  selfLink?: string;
  resourceVersion?: string;
  continue?: string;
  remainingItemCount?: number;
}

export interface KubeStatus {
  kind: "Status";
  apiVersion: "v1";
  metadata: ListMeta;
  status?: "Success" | "Failure";
  message?: string;
  reason?: string;
  /** Undefined = nil pointer (omitted); `{}` = empty details (emitted as `{}`). */
  details?: StatusDetails;
  code?: number;
}

type JsonField = readonly [key: string, encoded: string | undefined];

function jsonObject(fields: readonly JsonField[]): string {
  const parts = fields.filter((field) => field[1] !== undefined).map(([key, encoded]) => `"${key}":${encoded}`);
  return `{${parts.join(",")}}`;
}

/** Go's `omitempty` for strings: empty string is left out. */
function optionalString(value: string | undefined): string | undefined {
  return value === undefined || value === "" ? undefined : goJsonString(value);
}

function optionalNumber(value: number | undefined): string | undefined {
  return value === undefined || value === 0 || !Number.isFinite(value) ? undefined : String(Math.trunc(value));
}

function causeJson(cause: StatusCause): string {
  return jsonObject([
    ["reason", optionalString(cause.reason)],
    ["message", optionalString(cause.message)],
    ["field", optionalString(cause.field)],
  ]);
}

function detailsJson(details: StatusDetails): string {
  const causes = details.causes;
  return jsonObject([
    ["name", optionalString(details.name)],
    ["group", optionalString(details.group)],
    ["kind", optionalString(details.kind)],
    ["uid", optionalString(details.uid)],
    ["causes", causes === undefined || causes.length === 0 ? undefined : `[${causes.map(causeJson).join(",")}]`],
    ["retryAfterSeconds", optionalNumber(details.retryAfterSeconds)],
  ]);
}

function listMetaJson(meta: ListMeta): string {
  return jsonObject([
    ["selfLink", optionalString(meta.selfLink)],
    ["resourceVersion", optionalString(meta.resourceVersion)],
    ["continue", optionalString(meta.continue)],
    ["remainingItemCount", meta.remainingItemCount === undefined ? undefined : String(Math.trunc(meta.remainingItemCount))],
  ]);
}

/**
 * metav1.Status as encoding/json writes it: kind, apiVersion, metadata, status, message, reason,
 * details, code, with Go's omitempty rules. No trailing newline (see statusResponseBody).
 */
export function statusJson(status: KubeStatus): string {
  return jsonObject([
    ["kind", goJsonString(status.kind)],
    ["apiVersion", goJsonString(status.apiVersion)],
    ["metadata", listMetaJson(status.metadata)],
    ["status", optionalString(status.status)],
    ["message", optionalString(status.message)],
    ["reason", optionalString(status.reason)],
    ["details", status.details === undefined ? undefined : detailsJson(status.details)],
    ["code", optionalNumber(status.code)],
  ]);
}

/**
 * The apiserver's JSON serializer uses json.Encoder.Encode, which ends every body with "\n".
 * UNVERIFIED in spec: §1.5 shows the body without it; chose the newline because that is what
 * apimachinery's json serializer writes.
 */
export function statusResponseBody(status: KubeStatus): string {
  return `${statusJson(status)}\n`;
}

/** A Status as an HTTP response, JSON only (kubectl accepts JSON even when it asked for protobuf). */
export function statusResponse(status: KubeStatus, extraHeaders: Record<string, string> = {}): ApiResponse {
  return {
    status: status.code ?? 500,
    headers: { "Content-Type": "application/json", ...extraHeaders },
    body: statusResponseBody(status),
  };
}

/** responsewriters' sanitizer: avoid emitting errors that look like HTML. Quotes are okay. */
export function sanitizeForHtml(text: string): string {
  return text.replace(/[&<>]/g, (char) => (char === "&" ? "&amp;" : char === "<" ? "&lt;" : "&gt;"));
}

/** responsewriters.forbiddenMessage: the sentence after "is forbidden: ". */
export function forbiddenMessage(attributes: AuthorizationAttributes): string {
  const username = goQuote(attributes.user.name);
  if (!attributes.resourceRequest) {
    return `User ${username} cannot ${attributes.verb} path ${goQuote(attributes.path)}`;
  }
  const resource = attributes.subresource === "" ? attributes.resource : `${attributes.resource}/${attributes.subresource}`;
  const head = `User ${username} cannot ${attributes.verb} resource ${goQuote(resource)} in API group ${goQuote(attributes.apiGroup)}`;
  return attributes.namespace === "" ? `${head} at the cluster scope` : `${head} in the namespace ${goQuote(attributes.namespace)}`;
}

/** schema.GroupResource.String(): `resource` or `resource.group`. */
function qualifiedResource(resource: string, group: string): string {
  return group === "" ? resource : `${resource}.${group}`;
}

/**
 * The Status of a 403: responsewriters.Forbidden (message sanitized, `: <reason>` appended when the
 * authorizer gave one) wrapped by apierrors.NewForbidden. The HTTP layer must also send
 * `X-Content-Type-Options: nosniff` (see FORBIDDEN_HEADERS).
 */
export function forbiddenStatus(attributes: AuthorizationAttributes, reason = ""): KubeStatus {
  const sentence = sanitizeForHtml(forbiddenMessage(attributes));
  const errorText = reason === "" ? sentence : `${sentence}: ${reason}`;
  const group = attributes.apiGroup;
  const resource = attributes.resource;
  const name = attributes.name;
  let message: string;
  if (group === "" && resource === "") {
    message = `forbidden: ${errorText}`;
  } else if (name === "") {
    message = `${qualifiedResource(resource, group)} is forbidden: ${errorText}`;
  } else {
    message = `${qualifiedResource(resource, group)} ${goQuote(name)} is forbidden: ${errorText}`;
  }
  const details: StatusDetails = {};
  if (name !== "") details.name = name;
  if (group !== "") details.group = group;
  if (resource !== "") details.kind = resource;
  return { kind: "Status", apiVersion: "v1", metadata: {}, status: "Failure", message, reason: "Forbidden", details, code: 403 };
}

/** Set by responsewriters.Forbidden besides the JSON content type. */
export const FORBIDDEN_HEADERS: Readonly<Record<string, string>> = { "X-Content-Type-Options": "nosniff" };

export function forbiddenResponse(attributes: AuthorizationAttributes, reason = ""): ApiResponse {
  return statusResponse(forbiddenStatus(attributes, reason), { ...FORBIDDEN_HEADERS });
}

/**
 * responsewriters.InternalError: http.Error(w, sanitize(fmt.Sprintf("Internal Server Error: %q: %v",
 * RequestURI, err)), 500). http.Error adds the newline and these two headers.
 */
export function internalErrorResponse(requestUri: string, error: string): ApiResponse & { body: string } {
  return {
    status: 500,
    headers: { "Content-Type": "text/plain; charset=utf-8", "X-Content-Type-Options": "nosniff" },
    body: `${sanitizeForHtml(`Internal Server Error: ${goQuote(requestUri)}: ${error}`)}\n`,
  };
}
