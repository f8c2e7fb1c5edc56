/**
 * The protobuf messages kubectl's typed clients send and the API server decodes, field numbers from
 * k8s.io/api's generated.proto. One table serves both directions (encode.ts, decode.ts):
 *
 *   - a value field (Go non-pointer string, int, bool, embedded struct) is always written; when decoded,
 *     an empty string or a zero int is left out, as JSON's omitempty leaves it out;
 *   - an optional field (Go pointer, or a []byte) is written only when the JSON has it, and a decoded
 *     zero is kept;
 *   - repeated fields and maps are written element by element (maps in key order), never when empty.
 */

export type Scalar = "string" | "bytes" | "int32" | "int64" | "bool" | "time";

export interface Field {
  no: number;
  name: string;
  type: Scalar | Message | { map: "string" | Message };
  repeated?: boolean;
  optional?: boolean;
  /** A map value message whose JSON form is its single repeated field (authentication's ExtraValue). */
  unwrap?: string;
}

export interface Message {
  /** In field-number order, the order Go's generated marshalers write them. */
  fields: readonly Field[];
  byNumber: ReadonlyMap<number, Field>;
}

export function message(fields: Field[]): Message {
  const sorted = [...fields].sort((a, b) => a.no - b.no);
  return { fields: sorted, byNumber: new Map(sorted.map((field) => [field.no, field])) };
}

const str = (no: number, name: string, extra: Partial<Field> = {}): Field => ({ no, name, type: "string", ...extra });
const strings = (no: number, name: string): Field => ({ no, name, type: "string", repeated: true });

const extraValue = message([strings(1, "items")]);
const ownerReference = message([
  str(1, "kind"),
  str(3, "name"),
  str(4, "uid"),
  str(5, "apiVersion"),
  { no: 6, name: "controller", type: "bool", optional: true },
  { no: 7, name: "blockOwnerDeletion", type: "bool", optional: true },
]);
const objectMeta = message([
  str(1, "name"),
  str(2, "generateName"),
  str(3, "namespace"),
  str(4, "selfLink"),
  str(5, "uid"),
  str(6, "resourceVersion"),
  { no: 7, name: "generation", type: "int64" },
  { no: 8, name: "creationTimestamp", type: "time" },
  { no: 9, name: "deletionTimestamp", type: "time", optional: true },
  { no: 10, name: "deletionGracePeriodSeconds", type: "int64", optional: true },
  { no: 11, name: "labels", type: { map: "string" } },
  { no: 12, name: "annotations", type: { map: "string" } },
  { no: 13, name: "ownerReferences", type: ownerReference, repeated: true },
  strings(14, "finalizers"),
]);
const userInfo = message([
  str(1, "username"),
  str(2, "uid"),
  strings(3, "groups"),
  { no: 4, name: "extra", type: { map: extraValue }, unwrap: "items" },
]);

// k8s.io/api/authentication/v1 and authorization/v1: kubectl auth whoami, can-i, create token.
const selfSubjectReview = message([
  { no: 1, name: "metadata", type: objectMeta },
  { no: 2, name: "status", type: message([{ no: 1, name: "userInfo", type: userInfo }]) },
]);
const resourceAttributes = message([
  str(1, "namespace"),
  str(2, "verb"),
  str(3, "group"),
  str(4, "version"),
  str(5, "resource"),
  str(6, "subresource"),
  str(7, "name"),
]);
const nonResourceAttributes = message([str(1, "path"), str(2, "verb")]);
const subjectAccessReviewStatus = message([
  { no: 1, name: "allowed", type: "bool" },
  str(2, "reason"),
  str(3, "evaluationError"),
  { no: 4, name: "denied", type: "bool" },
]);
const selfSubjectAccessReview = message([
  { no: 1, name: "metadata", type: objectMeta },
  {
    no: 2,
    name: "spec",
    type: message([
      { no: 1, name: "resourceAttributes", type: resourceAttributes, optional: true },
      { no: 2, name: "nonResourceAttributes", type: nonResourceAttributes, optional: true },
    ]),
  },
  { no: 3, name: "status", type: subjectAccessReviewStatus },
]);
const selfSubjectRulesReview = message([
  { no: 1, name: "metadata", type: objectMeta },
  { no: 2, name: "spec", type: message([str(1, "namespace")]) },
  { no: 3, name: "status", type: message([{ no: 3, name: "incomplete", type: "bool" }, str(4, "evaluationError")]) },
]);
const boundObjectReference = message([str(1, "kind"), str(2, "apiVersion"), str(3, "name"), str(4, "uid")]);
const tokenRequest = message([
  { no: 1, name: "metadata", type: objectMeta },
  {
    no: 2,
    name: "spec",
    type: message([
      strings(1, "audiences"),
      { no: 3, name: "boundObjectRef", type: boundObjectReference, optional: true },
      { no: 4, name: "expirationSeconds", type: "int64", optional: true },
    ]),
  },
  { no: 3, name: "status", type: message([str(1, "token"), { no: 2, name: "expirationTimestamp", type: "time" }]) },
]);

// k8s.io/api/certificates/v1: kubectl certificate approve|deny.
const csrCondition = message([
  str(1, "type"),
  str(2, "reason"),
  str(3, "message"),
  { no: 4, name: "lastUpdateTime", type: "time" },
  { no: 5, name: "lastTransitionTime", type: "time" },
  str(6, "status"),
]);
const certificateSigningRequest = message([
  { no: 1, name: "metadata", type: objectMeta },
  {
    no: 2,
    name: "spec",
    type: message([
      { no: 1, name: "request", type: "bytes", optional: true },
      str(2, "username"),
      str(3, "uid"),
      strings(4, "groups"),
      strings(5, "usages"),
      { no: 6, name: "extra", type: { map: extraValue }, unwrap: "items" },
      str(7, "signerName"),
      { no: 8, name: "expirationSeconds", type: "int32", optional: true },
    ]),
  },
  {
    no: 3,
    name: "status",
    type: message([
      { no: 1, name: "conditions", type: csrCondition, repeated: true },
      { no: 2, name: "certificate", type: "bytes", optional: true },
    ]),
  },
]);

// k8s.io/api/rbac/v1: kubectl create role|clusterrole|rolebinding|clusterrolebinding.
const policyRule = message([
  strings(1, "verbs"),
  strings(2, "apiGroups"),
  strings(3, "resources"),
  strings(4, "resourceNames"),
  strings(5, "nonResourceURLs"),
]);
const labelSelector = message([
  { no: 1, name: "matchLabels", type: { map: "string" } },
  { no: 2, name: "matchExpressions", repeated: true, type: message([str(1, "key"), str(2, "operator"), strings(3, "values")]) },
]);
const role = message([
  { no: 1, name: "metadata", type: objectMeta },
  { no: 2, name: "rules", type: policyRule, repeated: true },
]);
const clusterRole = message([
  { no: 1, name: "metadata", type: objectMeta },
  { no: 2, name: "rules", type: policyRule, repeated: true },
  {
    no: 3,
    name: "aggregationRule",
    type: message([{ no: 1, name: "clusterRoleSelectors", type: labelSelector, repeated: true }]),
    optional: true,
  },
]);
const roleBinding = message([
  { no: 1, name: "metadata", type: objectMeta },
  { no: 2, name: "subjects", repeated: true, type: message([str(1, "kind"), str(2, "apiGroup"), str(3, "name"), str(4, "namespace")]) },
  { no: 3, name: "roleRef", type: message([str(1, "apiGroup"), str(2, "kind"), str(3, "name")]) },
]);

// k8s.io/api/core/v1: kubectl create serviceaccount|namespace.
const objectReference = message([
  str(1, "kind"),
  str(2, "namespace"),
  str(3, "name"),
  str(4, "uid"),
  str(5, "apiVersion"),
  str(6, "resourceVersion"),
  str(7, "fieldPath"),
]);
const serviceAccount = message([
  { no: 1, name: "metadata", type: objectMeta },
  { no: 2, name: "secrets", type: objectReference, repeated: true },
  { no: 3, name: "imagePullSecrets", type: message([str(1, "name")]), repeated: true },
  { no: 4, name: "automountServiceAccountToken", type: "bool", optional: true },
]);
const namespace = message([
  { no: 1, name: "metadata", type: objectMeta },
  { no: 2, name: "spec", type: message([strings(1, "finalizers")]) },
]);

/** The kinds with a protobuf form here, by "apiVersion/kind". */
export const MESSAGES: Readonly<Record<string, Message>> = {
  "authentication.k8s.io/v1/SelfSubjectReview": selfSubjectReview,
  "authorization.k8s.io/v1/SelfSubjectAccessReview": selfSubjectAccessReview,
  "authorization.k8s.io/v1/SelfSubjectRulesReview": selfSubjectRulesReview,
  "authentication.k8s.io/v1/TokenRequest": tokenRequest,
  "certificates.k8s.io/v1/CertificateSigningRequest": certificateSigningRequest,
  "rbac.authorization.k8s.io/v1/Role": role,
  "rbac.authorization.k8s.io/v1/ClusterRole": clusterRole,
  "rbac.authorization.k8s.io/v1/RoleBinding": roleBinding,
  "rbac.authorization.k8s.io/v1/ClusterRoleBinding": roleBinding,
  "v1/ServiceAccount": serviceAccount,
  "v1/Namespace": namespace,
};

export function messageFor(apiVersion: string, kind: string): Message | undefined {
  return Object.hasOwn(MESSAGES, `${apiVersion}/${kind}`) ? MESSAGES[`${apiVersion}/${kind}`] : undefined;
}

/** runtime.Unknown, the envelope after the "k8s\0" magic. */
export const UNKNOWN = message([
  { no: 1, name: "typeMeta", type: message([str(1, "apiVersion"), str(2, "kind")]) },
  { no: 2, name: "raw", type: "bytes" },
  str(3, "contentEncoding"),
  str(4, "contentType"),
]);

export const PROTOBUF_MAGIC = new Uint8Array([0x6b, 0x38, 0x73, 0x00]);
export const PROTOBUF_CONTENT_TYPE = "application/vnd.kubernetes.protobuf";
