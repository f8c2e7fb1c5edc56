/**
 * metav1.Status bodies in apimachinery's exact wording (k8s.io/apimachinery/pkg/api/errors). The wire
 * form (Go field order, omitempty, trailing newline) comes from authz/status.ts so every Status the
 * engine writes is serialized one way.
 */
import type { ApiResponse } from "../types";
import { goAggregateText, goQuote } from "../go";
import { statusJson, statusResponse as writeStatus, type KubeStatus, type StatusDetails } from "../authz/status";

export type { KubeStatus };
export { statusJson };

export function statusResponse(status: KubeStatus, extraHeaders: Record<string, string> = {}): ApiResponse {
  return writeStatus(status, extraHeaders);
}

function failure(code: number, reason: string, message: string, details?: StatusDetails): KubeStatus {
  const status: KubeStatus = { kind: "Status", apiVersion: "v1", metadata: {}, status: "Failure", message, reason, code };
  if (details !== undefined) status.details = details;
  return status;
}

/** "pods" or "certificatesigningrequests.certificates.k8s.io" (schema.GroupResource.String()). */
export function qualifiedResource(resource: string, group: string): string {
  return group === "" ? resource : `${resource}.${group}`;
}

function details(name: string, group: string, kind: string): StatusDetails {
  const result: StatusDetails = {};
  if (name !== "") result.name = name;
  if (group !== "") result.group = group;
  if (kind !== "") result.kind = kind;
  return result;
}

export function unauthorizedStatus(): KubeStatus {
  return failure(401, "Unauthorized", "Unauthorized");
}

export function notFoundStatus(resource: string, group: string, name: string): KubeStatus {
  return failure(404, "NotFound", `${qualifiedResource(resource, group)} ${goQuote(name)} not found`, details(name, group, resource));
}

export function alreadyExistsStatus(resource: string, group: string, name: string): KubeStatus {
  return failure(
    409,
    "AlreadyExists",
    `${qualifiedResource(resource, group)} ${goQuote(name)} already exists`,
    details(name, group, resource),
  );
}

export function conflictStatus(resource: string, group: string, name: string, reason: string): KubeStatus {
  return failure(
    409,
    "Conflict",
    `Operation cannot be fulfilled on ${qualifiedResource(resource, group)} ${goQuote(name)}: ${reason}`,
    details(name, group, resource),
  );
}

export function badRequestStatus(message: string): KubeStatus {
  return failure(400, "BadRequest", message);
}

export function methodNotAllowedStatus(): KubeStatus {
  return failure(405, "MethodNotAllowed", "the server does not allow this method on the requested resource", {});
}

/** The 404 for paths no handler serves (apierrors.NewNotFound(schema.GroupResource{}, "")). */
export function pathNotFoundStatus(): KubeStatus {
  return failure(404, "NotFound", "the server could not find the requested resource", {});
}

export function unsupportedMediaTypeStatus(): KubeStatus {
  return failure(
    415,
    "UnsupportedMediaType",
    "the body of the request was in an unknown format - accepted media types include: application/json, application/yaml, application/vnd.kubernetes.protobuf",
  );
}

export function internalErrorStatus(message: string): KubeStatus {
  return failure(500, "InternalError", `Internal error occurred: ${message}`, { causes: [{ message }] });
}

/** Field errors as k8s.io/apimachinery/pkg/util/validation/field.Error. */
export type FieldErrorType =
  "Required value" | "Invalid value" | "Unsupported value" | "Forbidden" | "Duplicate value" | "Not found" | "Too long";

export interface FieldError {
  type: FieldErrorType;
  field: string;
  /** For Invalid/Unsupported/Duplicate/NotFound: the bad value printed after the type. */
  badValue?: string | number | boolean | null | string[];
  /** Printed verbatim instead of badValue (Go's %#v of values like []byte). */
  rawValue?: string;
  detail: string;
}

const CAUSE_TYPE: Record<FieldErrorType, string> = {
  "Required value": "FieldValueRequired",
  "Invalid value": "FieldValueInvalid",
  "Unsupported value": "FieldValueNotSupported",
  Forbidden: "FieldValueForbidden",
  "Duplicate value": "FieldValueDuplicate",
  "Not found": "FieldValueNotFound",
  "Too long": "FieldValueTooLong",
};

function formatBadValue(value: FieldError["badValue"]): string {
  if (value === null || value === undefined) return "null";
  if (typeof value === "string") return goQuote(value);
  if (Array.isArray(value)) return `[]string{${value.map(goQuote).join(", ")}}`;
  return String(value);
}

/** field.Error.ErrorBody(). */
export function fieldErrorBody(error: FieldError): string {
  const valueless = error.type === "Required value" || error.type === "Forbidden" || error.type === "Too long";
  const value = error.rawValue ?? formatBadValue(error.badValue);
  let body = valueless ? error.type : `${error.type}: ${value}`;
  if (error.detail !== "") body += `: ${error.detail}`;
  return body;
}

export function fieldErrorString(error: FieldError): string {
  return `${error.field}: ${fieldErrorBody(error)}`;
}

/** apierrors.NewInvalid: `<Kind>[.<group>] "<name>" is invalid: <aggregate>`. */
export function invalidStatus(kind: string, group: string, name: string, errors: FieldError[]): KubeStatus {
  const qualifiedKind = group === "" ? kind : `${kind}.${group}`;
  const messages = errors.map(fieldErrorString);
  // ErrorList.ToAggregate(): duplicate messages once, one message bare, several bracketed.
  const message =
    messages.length === 0
      ? `${qualifiedKind} ${goQuote(name)} is invalid`
      : `${qualifiedKind} ${goQuote(name)} is invalid: ${goAggregateText(messages)}`;
  return failure(422, "Invalid", message, {
    ...details(name, group, kind),
    causes: errors.map((error) => ({ reason: CAUSE_TYPE[error.type], message: fieldErrorBody(error), field: error.field })),
  });
}

/** apierrors.NewForbidden for admission and state refusals (RBAC 403s come from authz/status.ts). */
export function forbiddenStatusFor(resource: string, group: string, name: string, reason: string): KubeStatus {
  const qualified = qualifiedResource(resource, group);
  const message = name === "" ? `${qualified} is forbidden: ${reason}` : `${qualified} ${goQuote(name)} is forbidden: ${reason}`;
  return failure(403, "Forbidden", message, details(name, group, resource));
}
