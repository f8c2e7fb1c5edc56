/**
 * Reading the Impersonate-* headers into impersonation requests, as buildImpersonationRequests in
 * k8s.io/apiserver/pkg/endpoints/filters/impersonation.go.
 */

export const IMPERSONATE_USER_HEADER = "impersonate-user";
export const IMPERSONATE_GROUP_HEADER = "impersonate-group";
export const IMPERSONATE_UID_HEADER = "impersonate-uid";
export const IMPERSONATE_EXTRA_PREFIX = "impersonate-extra-";

const AUTHENTICATION_V1 = "authentication.k8s.io/v1";

export type ImpersonationRequest =
  | { kind: "User"; name: string }
  | { kind: "ServiceAccount"; namespace: string; name: string }
  | { kind: "Group"; name: string }
  | { kind: "UserExtra"; key: string; value: string }
  | { kind: "UID"; uid: string };

export type HeaderMap = Record<string, string | readonly string[] | undefined>;

/**
 * All values of a header, matched case-insensitively. A string is one value: Node joins repeated
 * headers with ", " in `req.headers`, so callers should pass `req.headersDistinct` to keep
 * repeated Impersonate-Group headers apart, as Go's http.Header does.
 */
export function headerValues(headers: HeaderMap, lowerName: string): string[] {
  const values: string[] = [];
  for (const [name, value] of Object.entries(headers)) {
    if (name.toLowerCase() !== lowerName || value === undefined) continue;
    if (typeof value === "string") values.push(value);
    else values.push(...value);
  }
  return values;
}

const DNS1123_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
const DNS1123_SUBDOMAIN = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;

/** serviceaccount.SplitUsername: exactly "system:serviceaccount:<ns>:<name>" with valid names. */
export function splitServiceAccountUsername(username: string): { namespace: string; name: string } | undefined {
  const prefix = "system:serviceaccount:";
  if (!username.startsWith(prefix)) return undefined;
  const parts = username.slice(prefix.length).split(":");
  const [namespace, name] = parts;
  if (parts.length !== 2 || namespace === undefined || name === undefined) return undefined;
  if (namespace.length > 63 || !DNS1123_LABEL.test(namespace)) return undefined;
  if (name.length > 253 || !DNS1123_SUBDOMAIN.test(name)) return undefined;
  return { namespace, name };
}

function isHex(byte: number | undefined): boolean {
  return byte !== undefined && ((byte >= 0x30 && byte <= 0x39) || (byte >= 0x41 && byte <= 0x46) || (byte >= 0x61 && byte <= 0x66));
}

/** url.PathUnescape; undefined when a "%" is not followed by two hex digits. */
export function goPathUnescape(encoded: string): string | undefined {
  const bytes = new TextEncoder().encode(encoded);
  const out: number[] = [];
  for (let index = 0; index < bytes.length; index++) {
    const byte = bytes[index];
    if (byte === undefined) break;
    if (byte !== 0x25) {
      out.push(byte);
      continue;
    }
    const high = bytes[index + 1];
    const low = bytes[index + 2];
    if (!isHex(high) || !isHex(low)) return undefined;
    out.push(Number.parseInt(String.fromCharCode(high ?? 0, low ?? 0), 16));
    index += 2;
  }
  return new TextDecoder().decode(new Uint8Array(out));
}

/** unescapeExtraKey: always record the key, even if malformed. */
function extraKeyFromHeaderName(lowerHeaderName: string): string {
  const encoded = lowerHeaderName.slice(IMPERSONATE_EXTRA_PREFIX.length).toLowerCase();
  return goPathUnescape(encoded) ?? encoded;
}

/** fmt %v of the v1.ObjectReference behind a request: {Kind Namespace Name UID APIVersion ResourceVersion FieldPath}. */
export function goObjectReference(request: ImpersonationRequest): string {
  const fields = (kind: string, namespace: string, name: string, apiVersion: string, fieldPath: string): string =>
    `{${[kind, namespace, name, "", apiVersion, "", fieldPath].join(" ")}}`;
  switch (request.kind) {
    case "User":
    case "Group":
      return fields(request.kind, "", request.name, "", "");
    case "ServiceAccount":
      return fields(request.kind, request.namespace, request.name, "", "");
    case "UserExtra":
      return fields(request.kind, "", request.value, AUTHENTICATION_V1, request.key);
    case "UID":
      return fields(request.kind, "", request.uid, AUTHENTICATION_V1, "");
  }
}

export type ParsedImpersonation = { ok: true; requests: ImpersonationRequest[]; groupsSpecified: boolean } | { ok: false; error: string };

export function buildImpersonationRequests(headers: HeaderMap): ParsedImpersonation {
  const requests: ImpersonationRequest[] = [];
  // headers.Get: the first value only.
  const requestedUser = headerValues(headers, IMPERSONATE_USER_HEADER)[0] ?? "";
  const hasUser = requestedUser !== "";
  if (hasUser) {
    const serviceAccount = splitServiceAccountUsername(requestedUser);
    requests.push(serviceAccount === undefined ? { kind: "User", name: requestedUser } : { kind: "ServiceAccount", ...serviceAccount });
  }

  const groups = headerValues(headers, IMPERSONATE_GROUP_HEADER);
  for (const group of groups) requests.push({ kind: "Group", name: group });

  let hasUserExtra = false;
  for (const [name, value] of Object.entries(headers)) {
    const lowerName = name.toLowerCase();
    if (!lowerName.startsWith(IMPERSONATE_EXTRA_PREFIX) || value === undefined) continue;
    hasUserExtra = true;
    const key = extraKeyFromHeaderName(lowerName);
    const values = typeof value === "string" ? [value] : value;
    for (const extraValue of values) requests.push({ kind: "UserExtra", key, value: extraValue });
  }

  const requestedUid = headerValues(headers, IMPERSONATE_UID_HEADER)[0] ?? "";
  const hasUid = requestedUid !== "";
  if (hasUid) requests.push({ kind: "UID", uid: requestedUid });

  if ((groups.length > 0 || hasUserExtra || hasUid) && !hasUser) {
    // UNVERIFIED in spec: chose Go's %v rendering of []v1.ObjectReference (no String() on values)
    // because that is what fmt prints for a slice of structs whose String() has a pointer receiver.
    return { ok: false, error: `requested [${requests.map(goObjectReference).join(" ")}] without impersonating a user` };
  }
  return { ok: true, requests, groupsSpecified: groups.length > 0 };
}

/** The filter deletes every impersonation header before the request continues. */
export function withoutImpersonationHeaders<T>(headers: Record<string, T>): Record<string, T> {
  const kept: Record<string, T> = {};
  for (const [name, value] of Object.entries(headers)) {
    const lower = name.toLowerCase();
    if (
      lower === IMPERSONATE_USER_HEADER ||
      lower === IMPERSONATE_GROUP_HEADER ||
      lower === IMPERSONATE_UID_HEADER ||
      lower.startsWith(IMPERSONATE_EXTRA_PREFIX)
    )
      continue;
    kept[name] = value;
  }
  return kept;
}
