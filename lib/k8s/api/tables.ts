/**
 * Server-side printing (meta.k8s.io/v1 Table), the columns of kubernetes/pkg/printers/internalversion
 * for each kind we serve. The server computes every cell, including AGE.
 */
import { arrayField, isJsonObject, numberField, objectField, stringField, type JsonObject, type JsonValue } from "../json";
import { ageSince, humanDuration } from "./human-duration";

interface ColumnDefinition {
  name: string;
  type: string;
  format: string;
  description: string;
  priority: number;
}

type Cell = string | number;

interface Printer {
  columns: ColumnDefinition[];
  cells(object: JsonObject, nowMs: number): Cell[];
}

const NAME_DESCRIPTION =
  "Name must be unique within a namespace. Is required when creating resources, although some resources may allow a client to request the generation of an appropriate name automatically. Name is primarily intended for creation idempotence and configuration definition. Cannot be updated. More info: https://kubernetes.io/docs/concepts/overview/working-with-objects/names#names";
const AGE_DESCRIPTION =
  "CreationTimestamp is a timestamp representing the server time when this object was created. It is not guaranteed to be set in happens-before order across separate operations. Clients may not set this value. It is represented in RFC3339 form and is in UTC.\n\nPopulated by the system. Read-only. Null for lists. More info: https://git.k8s.io/community/contributors/devel/sig-architecture/api-conventions.md#metadata";

function column(name: string, description: string, priority = 0, type = "string", format = ""): ColumnDefinition {
  return { name, type, format, description, priority };
}
const nameColumn = column("Name", NAME_DESCRIPTION, 0, "string", "name");
const ageColumn = column("Age", AGE_DESCRIPTION);

function meta(object: JsonObject): JsonObject | undefined {
  return objectField(object, "metadata");
}
function name(object: JsonObject): string {
  return stringField(meta(object), "name") ?? "";
}
function age(object: JsonObject, nowMs: number): string {
  return ageSince(stringField(meta(object), "creationTimestamp"), nowMs);
}
function countKeys(value: JsonObject | undefined): number {
  return value === undefined ? 0 : Object.keys(value).length;
}
function orNone(value: string | undefined): string {
  return value === undefined || value === "" ? "<none>" : value;
}

const podPrinter: Printer = {
  columns: [
    nameColumn,
    column("Ready", "The aggregate readiness state of this pod for accepting traffic."),
    column("Status", "The aggregate status of the containers in this pod."),
    column(
      "Restarts",
      "The number of times the containers in this pod have been restarted and when the last container in this pod has restarted.",
    ),
    ageColumn,
    column("IP", "The IP address assigned to the pod", 1),
    column("Node", "The node that the pod is assigned to", 1),
    column("Nominated Node", "The node that the pod is nominated to", 1),
    column("Readiness Gates", "The readiness gates of the pod", 1),
  ],
  cells(object, nowMs) {
    const spec = objectField(object, "spec");
    const status = objectField(object, "status");
    const containers = arrayField(spec, "containers") ?? [];
    const containerStatuses = (arrayField(status, "containerStatuses") ?? []).filter(isJsonObject);
    let ready = 0;
    let restarts = 0;
    let reason = stringField(status, "reason") ?? stringField(status, "phase") ?? "Pending";
    for (const containerStatus of containerStatuses) {
      restarts += numberField(containerStatus, "restartCount") ?? 0;
      if (containerStatus.ready === true) ready += 1;
      const waiting = stringField(objectField(objectField(containerStatus, "state"), "waiting"), "reason");
      if (waiting !== undefined && waiting !== "") reason = waiting;
    }
    if (stringField(meta(object), "deletionTimestamp") !== undefined) reason = "Terminating";
    const gates = arrayField(spec, "readinessGates") ?? [];
    return [
      name(object),
      `${ready}/${containers.length}`,
      reason,
      String(restarts),
      age(object, nowMs),
      orNone(stringField(status, "podIP")),
      orNone(stringField(spec, "nodeName")),
      orNone(stringField(status, "nominatedNodeName")),
      gates.length === 0 ? "<none>" : `0/${gates.length}`,
    ];
  },
};

const serviceAccountPrinter: Printer = {
  columns: [
    nameColumn,
    column(
      "Secrets",
      "Secrets is a list of the secrets in the same namespace that pods running using this ServiceAccount are allowed to use.",
    ),
    ageColumn,
  ],
  cells: (object, nowMs) => [name(object), (arrayField(object, "secrets") ?? []).length, age(object, nowMs)],
};

const secretPrinter: Printer = {
  columns: [nameColumn, column("Type", "The type of the secret"), column("Data", "The number of entries in the secret data"), ageColumn],
  cells: (object, nowMs) => [
    name(object),
    stringField(object, "type") ?? "Opaque",
    countKeys(objectField(object, "data")),
    age(object, nowMs),
  ],
};

const configMapPrinter: Printer = {
  columns: [nameColumn, column("Data", "Data contains the configuration data."), ageColumn],
  cells: (object, nowMs) => [
    name(object),
    countKeys(objectField(object, "data")) + countKeys(objectField(object, "binaryData")),
    age(object, nowMs),
  ],
};

const namespacePrinter: Printer = {
  columns: [nameColumn, column("Status", "The status of the namespace"), ageColumn],
  cells: (object, nowMs) => [name(object), stringField(objectField(object, "status"), "phase") ?? "Active", age(object, nowMs)],
};

const nodePrinter: Printer = {
  columns: [
    nameColumn,
    column("Status", "The status of the node"),
    column("Roles", "The roles of the node"),
    ageColumn,
    column("Version", "Kubelet Version reported by the node."),
    column("Internal-IP", "List of internal IPs for the node.", 1),
    column("External-IP", "List of external IPs for the node.", 1),
    column("OS-Image", "OS Image reported by the node from /etc/os-release (e.g. Debian GNU/Linux 7 (wheezy)).", 1),
    column("Kernel-Version", "Kernel Version reported by the node from 'uname -r' (e.g. 3.16.0-0.bpo.4-amd64).", 1),
    column("Container-Runtime", "ContainerRuntime Version reported by the node through runtime remote API (e.g. containerd://1.4.2).", 1),
  ],
  cells(object, nowMs) {
    const labels = objectField(meta(object), "labels") ?? {};
    const roles = Object.keys(labels)
      .filter((label) => label.startsWith("node-role.kubernetes.io/"))
      .map((label) => label.slice("node-role.kubernetes.io/".length))
      .sort();
    const nodeInfo = objectField(objectField(object, "status"), "nodeInfo");
    const addresses = (arrayField(objectField(object, "status"), "addresses") ?? []).filter(isJsonObject);
    const address = (type: string): string =>
      orNone(
        stringField(
          addresses.find((a) => a.type === type),
          "address",
        ),
      );
    return [
      name(object),
      "Ready",
      roles.length === 0 ? "<none>" : roles.join(","),
      age(object, nowMs),
      stringField(nodeInfo, "kubeletVersion") ?? "v1.32.0",
      address("InternalIP"),
      address("ExternalIP"),
      orNone(stringField(nodeInfo, "osImage")),
      orNone(stringField(nodeInfo, "kernelVersion")),
      orNone(stringField(nodeInfo, "containerRuntimeVersion")),
    ];
  },
};

const roleColumns = [nameColumn, column("Created At", AGE_DESCRIPTION, 0, "date")];
const rolePrinter: Printer = {
  columns: roleColumns,
  cells: (object) => [name(object), stringField(meta(object), "creationTimestamp") ?? ""],
};

function subjectsOf(object: JsonObject, kind: string): JsonObject[] {
  return (arrayField(object, "subjects") ?? []).filter(isJsonObject).filter((subject) => subject.kind === kind);
}

const bindingPrinter: Printer = {
  columns: [
    nameColumn,
    column(
      "Role",
      "RoleRef can reference a Role in the current namespace or a ClusterRole in the global namespace. If the RoleRef cannot be resolved, the Authorizer must return an error.",
    ),
    ageColumn,
    column("Users", "Users in the binding", 1),
    column("Groups", "Groups in the binding", 1),
    column("ServiceAccounts", "ServiceAccounts in the binding", 1),
  ],
  cells(object, nowMs) {
    const roleRef = objectField(object, "roleRef");
    const names = (kind: string): string =>
      subjectsOf(object, kind)
        .map((subject) => stringField(subject, "name") ?? "")
        .join(", ");
    const serviceAccounts = subjectsOf(object, "ServiceAccount")
      .map((subject) => `${stringField(subject, "namespace") ?? ""}/${stringField(subject, "name") ?? ""}`)
      .join(", ");
    return [
      name(object),
      `${stringField(roleRef, "kind") ?? ""}/${stringField(roleRef, "name") ?? ""}`,
      age(object, nowMs),
      names("User"),
      names("Group"),
      serviceAccounts,
    ];
  },
};

/** printers.go extractCSRStatus: precedence Denied > Approved > Pending, then ",Failed", ",Issued". */
export function csrCondition(object: JsonObject): string {
  const status = objectField(object, "status");
  const types = new Set((arrayField(status, "conditions") ?? []).filter(isJsonObject).map((condition) => condition.type));
  let text = types.has("Denied") ? "Denied" : types.has("Approved") ? "Approved" : "Pending";
  if (types.has("Failed")) text += ",Failed";
  const certificate = stringField(status, "certificate");
  if (certificate !== undefined && certificate !== "") text += ",Issued";
  return text;
}

const csrPrinter: Printer = {
  columns: [
    nameColumn,
    ageColumn,
    column("SignerName", "Only the signer name"),
    column("Requestor", "Name of the user who requested the CSR"),
    column("RequestedDuration", "Requested duration of the issued certificate"),
    column("Condition", "The condition of the CSR"),
  ],
  cells(object, nowMs) {
    const spec = objectField(object, "spec");
    const expiration = numberField(spec, "expirationSeconds");
    return [
      name(object),
      age(object, nowMs),
      orNone(stringField(spec, "signerName")),
      stringField(spec, "username") ?? "",
      expiration === undefined ? "<none>" : humanDurationSeconds(expiration),
      csrCondition(object),
    ];
  },
};

/** metav1.FormatLabelSelector. */
function formatSelector(selector: JsonObject | undefined): string {
  if (selector === undefined) return "<none>";
  const parts: string[] = [];
  const matchLabels = objectField(selector, "matchLabels") ?? {};
  for (const key of Object.keys(matchLabels).sort()) parts.push(`${key}=${String(matchLabels[key])}`);
  for (const expression of (arrayField(selector, "matchExpressions") ?? []).filter(isJsonObject)) {
    const key = stringField(expression, "key") ?? "";
    const values = (arrayField(expression, "values") ?? []).map(String);
    const operator = stringField(expression, "operator") ?? "";
    if (operator === "In") parts.push(`${key} in (${values.join(",")})`);
    else if (operator === "NotIn") parts.push(`${key} notin (${values.join(",")})`);
    else if (operator === "Exists") parts.push(key);
    else if (operator === "DoesNotExist") parts.push(`!${key}`);
  }
  const text = parts.join(",");
  return text === "" ? "<none>" : text;
}

/**
 * Deployments: no controller runs in the simulator, so status stays as stored (READY 0/N until
 * something writes status); the columns are the apiserver's.
 */
const deploymentPrinter: Printer = {
  columns: [
    nameColumn,
    column("Ready", "Number of the pod with ready state"),
    column("Up-to-date", "Total number of non-terminated pods targeted by this deployment that have the desired template spec."),
    column("Available", "Total number of available pods (ready for at least minReadySeconds) targeted by this deployment."),
    ageColumn,
    column("Containers", "Names of each container in the template.", 1),
    column("Images", "Images referenced by each container in the template.", 1),
    column(
      "Selector",
      "Label selector for pods. Existing ReplicaSets whose pods are selected by this will be the ones affected by this deployment.",
      1,
    ),
  ],
  cells(object, nowMs) {
    const spec = objectField(object, "spec");
    const status = objectField(object, "status");
    const containers = (arrayField(objectField(objectField(spec, "template"), "spec"), "containers") ?? []).filter(isJsonObject);
    return [
      name(object),
      `${numberField(status, "readyReplicas") ?? 0}/${numberField(spec, "replicas") ?? 0}`,
      numberField(status, "updatedReplicas") ?? 0,
      numberField(status, "availableReplicas") ?? 0,
      age(object, nowMs),
      containers.map((container) => stringField(container, "name") ?? "").join(","),
      containers.map((container) => stringField(container, "image") ?? "").join(","),
      formatSelector(objectField(spec, "selector")),
    ];
  },
};

function humanDurationSeconds(seconds: number): string {
  return humanDuration(seconds * 1000);
}

const PRINTERS: Record<string, Printer> = {
  pods: podPrinter,
  deployments: deploymentPrinter,
  serviceaccounts: serviceAccountPrinter,
  secrets: secretPrinter,
  configmaps: configMapPrinter,
  namespaces: namespacePrinter,
  nodes: nodePrinter,
  roles: rolePrinter,
  clusterroles: rolePrinter,
  rolebindings: bindingPrinter,
  clusterrolebindings: bindingPrinter,
  certificatesigningrequests: csrPrinter,
};

/** Builds the Table for a list (or a single object) of one resource. */
export function buildTable(resource: string, objects: JsonObject[], resourceVersion: string, nowMs: number): JsonObject {
  const printer = PRINTERS[resource];
  const columns: ColumnDefinition[] = printer?.columns ?? [nameColumn, column("Created At", AGE_DESCRIPTION, 0, "date")];
  const rows: JsonValue[] = objects.map((object) => {
    const cells: Cell[] = printer?.cells(object, nowMs) ?? [name(object), stringField(meta(object), "creationTimestamp") ?? ""];
    return {
      cells,
      object: { kind: "PartialObjectMetadata", apiVersion: "meta.k8s.io/v1", metadata: meta(object) ?? {} },
    };
  });
  return {
    kind: "Table",
    apiVersion: "meta.k8s.io/v1",
    metadata: { resourceVersion },
    columnDefinitions: columns.map((definition) => ({ ...definition })),
    rows,
  };
}

/** Whether the Accept header asks for a meta.k8s.io Table (kubectl get does). */
export function wantsTable(accept: string): boolean {
  return accept
    .split(",")
    .map((part) => part.split(";").map((piece) => piece.trim()))
    .some((params) => params.includes("as=Table") && params.includes("g=meta.k8s.io"));
}
