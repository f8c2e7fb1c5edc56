/** apimachinery name validation (validation.IsDNS1123Subdomain / IsDNS1123Label) with its messages. */
import type { FieldError } from "../status";

const DNS1123_SUBDOMAIN = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;
const DNS1123_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;

export function validateSubdomainName(name: string, field = "metadata.name"): FieldError[] {
  if (name.length > 253) {
    return [{ type: "Invalid value", field, badValue: name, detail: "must be no more than 253 characters" }];
  }
  if (!DNS1123_SUBDOMAIN.test(name)) {
    return [{
      type: "Invalid value",
      field,
      badValue: name,
      detail:
        "a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character (e.g. 'example.com', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')",
    }];
  }
  return [];
}

export function validateLabelName(name: string, field = "metadata.name"): FieldError[] {
  if (name.length > 63) return [{ type: "Invalid value", field, badValue: name, detail: "must be no more than 63 characters" }];
  if (!DNS1123_LABEL.test(name)) {
    return [{
      type: "Invalid value",
      field,
      badValue: name,
      detail:
        "a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and must start and end with an alphanumeric character (e.g. 'my-name',  or '123-abc', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?')",
    }];
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
