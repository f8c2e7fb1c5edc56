/**
 * Known fields per kind, for fieldValidation (Strict/Warn/Ignore) and pruning: the apiserver decodes
 * into Go structs, so unknown fields are dropped, and with Strict they are an error
 * `<Kind> in version "<v>" cannot be handled as a <Kind>: strict decoding error: unknown field "<path>"`.
 * Deep structures learners rarely touch are accepted as a whole (ANY).
 */
import { isJsonObject, type JsonObject, type JsonValue } from "../json";
import { goQuote } from "../go";

const ANY = "any" as const;
type Schema = typeof ANY | { [field: string]: Schema };

const objectMeta: Schema = {
  name: ANY,
  generateName: ANY,
  namespace: ANY,
  selfLink: ANY,
  uid: ANY,
  resourceVersion: ANY,
  generation: ANY,
  creationTimestamp: ANY,
  deletionTimestamp: ANY,
  deletionGracePeriodSeconds: ANY,
  labels: ANY,
  annotations: ANY,
  ownerReferences: ANY,
  finalizers: ANY,
  managedFields: ANY,
};
const container: Schema = {
  name: ANY,
  image: ANY,
  command: ANY,
  args: ANY,
  workingDir: ANY,
  ports: ANY,
  envFrom: ANY,
  env: ANY,
  resources: ANY,
  resizePolicy: ANY,
  restartPolicy: ANY,
  volumeMounts: ANY,
  volumeDevices: ANY,
  livenessProbe: ANY,
  readinessProbe: ANY,
  startupProbe: ANY,
  lifecycle: ANY,
  terminationMessagePath: ANY,
  terminationMessagePolicy: ANY,
  imagePullPolicy: ANY,
  securityContext: ANY,
  stdin: ANY,
  stdinOnce: ANY,
  tty: ANY,
};
const podSpec: Schema = {
  volumes: ANY,
  initContainers: container,
  containers: container,
  ephemeralContainers: ANY,
  restartPolicy: ANY,
  terminationGracePeriodSeconds: ANY,
  activeDeadlineSeconds: ANY,
  dnsPolicy: ANY,
  nodeSelector: ANY,
  serviceAccountName: ANY,
  serviceAccount: ANY,
  automountServiceAccountToken: ANY,
  nodeName: ANY,
  hostNetwork: ANY,
  hostPID: ANY,
  hostIPC: ANY,
  shareProcessNamespace: ANY,
  securityContext: ANY,
  imagePullSecrets: ANY,
  hostname: ANY,
  subdomain: ANY,
  affinity: ANY,
  schedulerName: ANY,
  tolerations: ANY,
  hostAliases: ANY,
  priorityClassName: ANY,
  priority: ANY,
  dnsConfig: ANY,
  readinessGates: ANY,
  runtimeClassName: ANY,
  enableServiceLinks: ANY,
  preemptionPolicy: ANY,
  overhead: ANY,
  topologySpreadConstraints: ANY,
  setHostnameAsFQDN: ANY,
  os: ANY,
  hostUsers: ANY,
  schedulingGates: ANY,
  resourceClaims: ANY,
  resources: ANY,
};
const typeMeta = { apiVersion: ANY, kind: ANY };
const policyRule: Schema = { verbs: ANY, apiGroups: ANY, resources: ANY, resourceNames: ANY, nonResourceURLs: ANY };
const subject: Schema = { kind: ANY, apiGroup: ANY, name: ANY, namespace: ANY };
const roleRef: Schema = { apiGroup: ANY, kind: ANY, name: ANY };

const SCHEMAS: Record<string, Schema> = {
  Pod: { ...typeMeta, metadata: objectMeta, spec: podSpec, status: ANY },
  Namespace: { ...typeMeta, metadata: objectMeta, spec: { finalizers: ANY }, status: ANY },
  Node: { ...typeMeta, metadata: objectMeta, spec: ANY, status: ANY },
  ServiceAccount: { ...typeMeta, metadata: objectMeta, secrets: ANY, imagePullSecrets: ANY, automountServiceAccountToken: ANY },
  Secret: { ...typeMeta, metadata: objectMeta, immutable: ANY, data: ANY, stringData: ANY, type: ANY },
  ConfigMap: { ...typeMeta, metadata: objectMeta, immutable: ANY, data: ANY, binaryData: ANY },
  Role: { ...typeMeta, metadata: objectMeta, rules: policyRule },
  ClusterRole: { ...typeMeta, metadata: objectMeta, rules: policyRule, aggregationRule: ANY },
  RoleBinding: { ...typeMeta, metadata: objectMeta, subjects: subject, roleRef },
  ClusterRoleBinding: { ...typeMeta, metadata: objectMeta, subjects: subject, roleRef },
  CertificateSigningRequest: {
    ...typeMeta,
    metadata: objectMeta,
    spec: { request: ANY, signerName: ANY, expirationSeconds: ANY, usages: ANY, username: ANY, uid: ANY, groups: ANY, extra: ANY },
    status: { conditions: ANY, certificate: ANY },
  },
  TokenRequest: { ...typeMeta, metadata: objectMeta, spec: { audiences: ANY, expirationSeconds: ANY, boundObjectRef: ANY }, status: ANY },
  SelfSubjectReview: { ...typeMeta, metadata: objectMeta, status: ANY },
  SelfSubjectAccessReview: {
    ...typeMeta,
    metadata: objectMeta,
    spec: { resourceAttributes: ANY, nonResourceAttributes: ANY },
    status: ANY,
  },
  SelfSubjectRulesReview: { ...typeMeta, metadata: objectMeta, spec: { namespace: ANY }, status: ANY },
};

/** Removes unknown fields in place and returns their JSON paths (e.g. `spec.containers[0].imagex`). */
export function pruneUnknownFields(kind: string, object: JsonObject): string[] {
  const schema = SCHEMAS[kind];
  if (schema === undefined) return [];
  const unknown: string[] = [];
  prune(object, schema, "", unknown);
  return unknown;
}

function prune(value: JsonValue, schema: Schema, path: string, unknown: string[]): void {
  if (schema === ANY) return;
  if (Array.isArray(value)) {
    value.forEach((item, index) => prune(item, schema, `${path}[${index}]`, unknown));
    return;
  }
  if (!isJsonObject(value)) return;
  for (const key of Object.keys(value)) {
    const fieldSchema = schema[key];
    const fieldPath = path === "" ? key : `${path}.${key}`;
    if (fieldSchema === undefined) {
      unknown.push(fieldPath);
      delete value[key];
      continue;
    }
    const child = value[key];
    if (child !== undefined) prune(child, fieldSchema, fieldPath, unknown);
  }
}

// UNVERIFIED in spec: chose the 1.27+ strict decoding text (`<Kind> in version "<v>" cannot be handled as a
// <Kind>: strict decoding error: unknown field "a", unknown field "b"`, in document order) as remembered.
export function strictDecodingMessage(kind: string, version: string, unknownFields: string[]): string {
  const details = unknownFields.map((field) => `unknown field ${goQuote(field)}`).join(", ");
  return `${kind} in version ${goQuote(version)} cannot be handled as a ${kind}: strict decoding error: ${details}`;
}
