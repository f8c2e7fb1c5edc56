/**
 * k8s.io/apimachinery/pkg/util/validation/field errors, rendered exactly like `(*field.Error).Error()`
 * so that Status bodies and startup errors read like the apiserver's.
 */
import { goAggregateText, goQuote } from "../../go";

export type FieldErrorType =
  "Required value" | "Invalid value" | "Duplicate value" | "Forbidden" | "Too many" | "Too long" | "Not supported" | "Internal error";

export interface FieldError {
  /** Dotted path, e.g. "spec.expirationSeconds" or "jwt[0].issuer.url". */
  field: string;
  type: FieldErrorType;
  /** The offending value; omitted from the text for the types Go omits it for. */
  value?: string | number | boolean | null;
  detail: string;
}

/** Types whose ErrorBody() prints no value (field.ErrorBody in apimachinery). */
const TYPES_WITHOUT_VALUE: ReadonlySet<FieldErrorType> = new Set(["Required value", "Forbidden", "Too long", "Internal error"]);

function renderValue(value: FieldError["value"]): string {
  if (value === undefined || value === null) return "null";
  if (typeof value === "string") return goQuote(value);
  return String(value);
}

export function formatFieldError(error: FieldError): string {
  let body: string = error.type;
  if (!TYPES_WITHOUT_VALUE.has(error.type)) body += `: ${renderValue(error.value)}`;
  if (error.detail.length > 0) body += `: ${error.detail}`;
  return `${error.field}: ${body}`;
}

/** ErrorList.ToAggregate().Error(): single error bare, several in brackets. */
export function formatFieldErrors(errors: readonly FieldError[]): string {
  return goAggregateText(errors.map(formatFieldError));
}

export const required = (field: string, detail = ""): FieldError => ({ field, type: "Required value", detail });
export const invalid = (field: string, value: FieldError["value"], detail: string): FieldError => ({
  field,
  type: "Invalid value",
  value,
  detail,
});
export const duplicate = (field: string, value: FieldError["value"]): FieldError => ({
  field,
  type: "Duplicate value",
  value,
  detail: "",
});
export const tooMany = (field: string, actual: number, max: number): FieldError => ({
  field,
  type: "Too many",
  value: actual,
  detail: `must have at most ${max} items`,
});
