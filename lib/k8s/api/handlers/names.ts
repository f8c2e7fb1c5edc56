/** apimachinery name validation (validation.IsDNS1123Subdomain / IsDNS1123Label) with its messages. */
import type { FieldError } from "../status";

const DNS1123_SUBDOMAIN = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;
const DNS1123_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;

export function validateSubdomainName(name: string, field = "metadata.name"): FieldError[] {
  if (name.length > 253) {
    return [{ type: "Invalid value", field, badValue: name, detail: "must be no more than 253 characters" }];
  }
  if (!DNS1123_SUBDOMAIN.test(name)) {
    return [
      {
        type: "Invalid value",
        field,
        badValue: name,
        detail:
          "a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character (e.g. 'example.com', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')",
      },
    ];
  }
  return [];
}

export function validateLabelName(name: string, field = "metadata.name"): FieldError[] {
  if (name.length > 63) return [{ type: "Invalid value", field, badValue: name, detail: "must be no more than 63 characters" }];
  if (!DNS1123_LABEL.test(name)) {
    return [
      {
        type: "Invalid value",
        field,
        badValue: name,
        detail:
          "a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and must start and end with an alphanumeric character (e.g. 'my-name',  or '123-abc', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?')",
      },
    ];
  }
  return [];
}

/** RBAC object names only need to be valid path segments (path.ValidatePathSegmentName). */
export function validatePathSegmentName(name: string, field = "metadata.name"): FieldError[] {
  if (name === "." || name === "..") return [{ type: "Invalid value", field, badValue: name, detail: `may not be '${name}'` }];
  for (const bad of ["/", "%"]) {
    if (name.includes(bad)) return [{ type: "Invalid value", field, badValue: name, detail: `may not contain '${bad}'` }];
  }
  return [];
}

const QUALIFIED_NAME_PART = /^([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]$/;
const LABEL_VALUE = /^(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?$/;

/** validation.IsQualifiedName's messages for one label key. */
function qualifiedNameErrors(key: string): string[] {
  const slash = key.indexOf("/");
  const parts = key.split("/");
  if (parts.length > 2) {
    return [
      "a qualified name must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyName',  or 'my.name',  or '123-abc', regex used for validation is '([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]') with an optional DNS subdomain prefix and '/' (e.g. 'example.com/MyName')",
    ];
  }
  const messages: string[] = [];
  const name = slash === -1 ? key : key.slice(slash + 1);
  if (slash !== -1) {
    const prefix = key.slice(0, slash);
    if (prefix.length === 0) messages.push("prefix part must be non-empty");
    else {
      for (const error of validateSubdomainName(prefix)) messages.push(`prefix part ${error.detail}`);
    }
  }
  if (name.length === 0) messages.push("name part must be non-empty");
  else if (name.length > 63) messages.push("name part must be no more than 63 characters");
  if (!QUALIFIED_NAME_PART.test(name)) {
    messages.push(
      "name part must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyName',  or 'my.name',  or '123-abc', regex used for validation is '([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]')",
    );
  }
  return messages;
}

/** ValidateLabels (metav1 validation): keys are qualified names, values valid label values; keys in sorted order. */
export function validateLabels(labels: Record<string, unknown> | undefined, field = "metadata.labels"): FieldError[] {
  const errors: FieldError[] = [];
  for (const key of Object.keys(labels ?? {}).sort()) {
    for (const detail of qualifiedNameErrors(key)) errors.push({ type: "Invalid value", field, badValue: key, detail });
    const value = labels?.[key];
    if (typeof value !== "string") continue;
    if (value.length > 63) errors.push({ type: "Invalid value", field, badValue: value, detail: "must be no more than 63 characters" });
    if (!LABEL_VALUE.test(value)) {
      errors.push({
        type: "Invalid value",
        field,
        badValue: value,
        detail:
          "a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyValue',  or 'my_value',  or '12345', regex used for validation is '(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?')",
      });
    }
  }
  return errors;
}
