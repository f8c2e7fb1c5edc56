/**
 * Per-kind defaulting, validation and admission on create, and the controllers whose effect a
 * learner would see immediately (a new namespace gets its "default" ServiceAccount).
 */
import { rootCaConfigMap, rootCaPem } from "../../cluster/bootstrap";
import { nextResourceVersion, nextUid, rfc3339 } from "../../cluster/ids";
import { arrayField, isJsonObject, objectField, stringField, type JsonObject } from "../../json";
import { getObject, listObjects, putObject } from "../../cluster/store";
import type { ClusterState } from "../../cluster/state";
import { goQuote } from "../../go";
import { type FieldError, type KubeStatus } from "../status";
import { admitPodServiceAccount } from "./pod-serviceaccount";
import { validateLabelName, validatePathSegmentName, validateSubdomainName } from "./names";

export type CreateCheck = { ok: true } | { ok: false; errors: FieldError[] } | { ok: false; status: KubeStatus };

export function validateName(kind: string, name: string): FieldError[] {
  if (kind === "Namespace") return validateLabelName(name);
  if (["Role", "ClusterRole", "RoleBinding", "ClusterRoleBinding"].includes(kind)) return validatePathSegmentName(name);
  return validateSubdomainName(name);
}

/** Defaulting + validation + admission for a new object (mutates it with defaults). */
export function prepareNewObject(state: ClusterState, kind: string, object: JsonObject): CreateCheck {
  switch (kind) {
    case "Pod":
      return preparePod(state, object);
    case "Namespace":
      object.spec = { finalizers: ["kubernetes"] };
      object.status = { phase: "Active" };
      labelsOf(object)["kubernetes.io/metadata.name"] = stringField(objectField(object, "metadata"), "name") ?? "";
      return { ok: true };
    case "Secret":
      return prepareSecret(object);
    case "Deployment":
      return prepareDeployment(object);
    case "Role":
    case "ClusterRole":
      return checkRules(object);
    case "RoleBinding":
    case "ClusterRoleBinding":
      return checkBinding(object);
    default:
      return { ok: true };
  }
}

function labelsOf(object: JsonObject): JsonObject {
  const metadata = objectField(object, "metadata") ?? {};
  object.metadata = metadata;
  const labels = objectField(metadata, "labels") ?? {};
  metadata.labels = labels;
  return labels;
}

function preparePod(state: ClusterState, pod: JsonObject): CreateCheck {
  const spec = objectField(pod, "spec");
  const containers = (arrayField(spec, "containers") ?? []).filter(isJsonObject);
  const errors: FieldError[] = [];
  if (containers.length === 0) errors.push({ type: "Required value", field: "spec.containers", detail: "" });
  containers.forEach((container, index) => {
    if ((stringField(container, "name") ?? "") === "")
      errors.push({ type: "Required value", field: `spec.containers[${index}].name`, detail: "" });
    if ((stringField(container, "image") ?? "") === "")
      errors.push({ type: "Required value", field: `spec.containers[${index}].image`, detail: "" });
  });
  if (errors.length > 0 || spec === undefined) return { ok: false, errors };
  const admitted = admitPodServiceAccount(state, pod, spec);
  if (!admitted.ok) return admitted;
  const metadata = objectField(pod, "metadata") ?? {};
  spec.restartPolicy ??= "Always";
  spec.dnsPolicy ??= "ClusterFirst";
  spec.schedulerName ??= "default-scheduler";
  spec.terminationGracePeriodSeconds ??= 30;
  // The simulated scheduler and kubelet: the first node, containers started and ready. A deliberate
  // simplification (no images are pulled here), so learners see Running pods as on a healthy cluster.
  const firstNode = listObjects(state, "nodes", undefined)[0];
  const nodeName = stringField(spec, "nodeName") ?? stringField(objectField(firstNode, "metadata"), "name");
  if (nodeName !== undefined) spec.nodeName = nodeName;
  if (pod.status === undefined || !isJsonObject(pod.status) || Object.keys(pod.status).length === 0) {
    const started = stringField(metadata, "creationTimestamp") ?? rfc3339(state.clock.nowMs);
    const podIndex = state.random.counter % 250;
    pod.status = {
      phase: "Running",
      podIP: `10.244.0.${podIndex + 2}`,
      startTime: started,
      containerStatuses: containers.map((container) => ({
        name: stringField(container, "name") ?? "",
        image: stringField(container, "image") ?? "",
        ready: true,
        restartCount: 0,
        started: true,
        state: { running: { startedAt: started } },
      })),
    };
  }
  return { ok: true };
}

/** Go's %#v of a map[string]string: `map[string]string{"app":"web"}`, keys sorted. */
function goMapLiteral(map: JsonObject): string {
  const entries = Object.keys(map)
    .sort()
    .map((key) => `${goQuote(key)}:${goQuote(String(map[key]))}`);
  return `map[string]string{${entries.join(", ")}}`;
}

/**
 * apps/v1 Deployment: SetDefaults_Deployment and the parts of ValidateDeployment a learner meets
 * (replicas, selector, selector/template labels, containers). No deployment controller runs here:
 * no ReplicaSet or Pods are made and status stays empty, so `kubectl get deploy` shows 0/N ready.
 */
function prepareDeployment(deployment: JsonObject): CreateCheck {
  const spec = objectField(deployment, "spec") ?? {};
  deployment.spec = spec;
  const errors: FieldError[] = [];
  spec.replicas ??= 1;
  const replicas = spec.replicas;
  if (typeof replicas !== "number" || !Number.isInteger(replicas))
    errors.push({ type: "Invalid value", field: "spec.replicas", rawValue: JSON.stringify(replicas), detail: "must be an integer" });
  else if (replicas < 0)
    errors.push({ type: "Invalid value", field: "spec.replicas", badValue: replicas, detail: "must be greater than or equal to 0" });
  const selector = objectField(spec, "selector");
  const matchLabels = objectField(selector, "matchLabels") ?? {};
  const expressions = arrayField(selector, "matchExpressions") ?? [];
  const template = objectField(spec, "template") ?? {};
  spec.template = template;
  const templateLabels = objectField(objectField(template, "metadata"), "labels") ?? {};
  if (selector === undefined) errors.push({ type: "Required value", field: "spec.selector", detail: "" });
  else if (Object.keys(matchLabels).length === 0 && expressions.length === 0) {
    errors.push({
      type: "Invalid value",
      field: "spec.selector",
      rawValue: "v1.LabelSelector{MatchLabels:map[string]string(nil), MatchExpressions:[]v1.LabelSelectorRequirement(nil)}",
      detail: "empty selector is invalid for deployment",
    });
  } else if (Object.entries(matchLabels).some(([key, value]) => templateLabels[key] !== value)) {
    errors.push({
      type: "Invalid value",
      field: "spec.template.metadata.labels",
      rawValue: goMapLiteral(templateLabels),
      detail: "`selector` does not match template `labels`",
    });
  }
  const podSpec = objectField(template, "spec") ?? {};
  template.spec = podSpec;
  const containers = (arrayField(podSpec, "containers") ?? []).filter(isJsonObject);
  if (containers.length === 0) errors.push({ type: "Required value", field: "spec.template.spec.containers", detail: "" });
  containers.forEach((container, index) => {
    if ((stringField(container, "name") ?? "") === "")
      errors.push({ type: "Required value", field: `spec.template.spec.containers[${index}].name`, detail: "" });
    if ((stringField(container, "image") ?? "") === "")
      errors.push({ type: "Required value", field: `spec.template.spec.containers[${index}].image`, detail: "" });
  });
  if (errors.length > 0) return { ok: false, errors };
  const strategy = objectField(spec, "strategy") ?? {};
  spec.strategy = strategy;
  strategy.type ??= "RollingUpdate";
  if (strategy.type === "RollingUpdate") {
    const rolling = objectField(strategy, "rollingUpdate") ?? {};
    rolling.maxUnavailable ??= "25%";
    rolling.maxSurge ??= "25%";
    strategy.rollingUpdate = rolling;
  }
  spec.revisionHistoryLimit ??= 10;
  spec.progressDeadlineSeconds ??= 600;
  podSpec.restartPolicy ??= "Always";
  podSpec.terminationGracePeriodSeconds ??= 30;
  podSpec.dnsPolicy ??= "ClusterFirst";
  podSpec.securityContext ??= {};
  podSpec.schedulerName ??= "default-scheduler";
  deployment.status = {};
  return { ok: true };
}

function prepareSecret(secret: JsonObject): CreateCheck {
  secret.type ??= "Opaque";
  const stringData = objectField(secret, "stringData");
  if (stringData !== undefined) {
    const data = objectField(secret, "data") ?? {};
    for (const [key, value] of Object.entries(stringData)) {
      if (typeof value === "string") data[key] = Buffer.from(value, "utf8").toString("base64");
    }
    secret.data = data;
    delete secret.stringData;
  }
  const errors: FieldError[] = [];
  for (const [key, value] of Object.entries(objectField(secret, "data") ?? {})) {
    if (typeof value !== "string" || !/^[A-Za-z0-9+/]*={0,2}$/.test(value)) {
      errors.push({
        type: "Invalid value",
        field: `data[${key}]`,
        badValue: typeof value === "string" ? value : null,
        detail: "illegal base64 data",
      });
    }
  }
  return errors.length > 0 ? { ok: false, errors } : { ok: true };
}

function checkRules(role: JsonObject): CreateCheck {
  const errors: FieldError[] = [];
  (arrayField(role, "rules") ?? []).forEach((rule, index) => {
    const verbs = isJsonObject(rule) ? arrayField(rule, "verbs") : undefined;
    if (verbs === undefined || verbs.length === 0)
      errors.push({ type: "Required value", field: `rules[${index}].verbs`, detail: "verbs must contain at least one value" });
  });
  return errors.length > 0 ? { ok: false, errors } : { ok: true };
}

function checkBinding(binding: JsonObject): CreateCheck {
  const errors: FieldError[] = [];
  const roleRef = objectField(binding, "roleRef");
  const kind = stringField(roleRef, "kind") ?? "";
  if ((stringField(roleRef, "name") ?? "") === "") errors.push({ type: "Required value", field: "roleRef.name", detail: "" });
  if (kind !== "Role" && kind !== "ClusterRole") {
    errors.push({ type: "Unsupported value", field: "roleRef.kind", badValue: kind, detail: 'supported values: "Role", "ClusterRole"' });
  }
  if (binding.kind === "ClusterRoleBinding" && kind === "Role") {
    errors.push({ type: "Unsupported value", field: "roleRef.kind", badValue: kind, detail: 'supported values: "ClusterRole"' });
  }
  (arrayField(binding, "subjects") ?? []).forEach((subject, index) => {
    const subjectKind = isJsonObject(subject) ? (stringField(subject, "kind") ?? "") : "";
    if (!["User", "Group", "ServiceAccount"].includes(subjectKind)) {
      errors.push({
        type: "Unsupported value",
        field: `subjects[${index}].kind`,
        badValue: subjectKind,
        detail: 'supported values: "ServiceAccount", "User", "Group"',
      });
    }
  });
  return errors.length > 0 ? { ok: false, errors } : { ok: true };
}

/** Controllers that react at once: a namespace gets its "default" ServiceAccount and kube-root-ca.crt. */
export function afterCreate(state: ClusterState, kind: string, object: JsonObject): void {
  if (kind !== "Namespace") return;
  const namespace = stringField(objectField(object, "metadata"), "name") ?? "";
  // The controllers act as the namespace appears, so their objects are as old as the namespace.
  const created = stringField(objectField(object, "metadata"), "creationTimestamp") ?? rfc3339(state.clock.nowMs);
  if (getObject(state, "configmaps", namespace, "kube-root-ca.crt") === undefined) {
    putObject(
      state,
      "configmaps",
      rootCaConfigMap(namespace, rootCaPem(state), {
        uid: nextUid(state),
        resourceVersion: nextResourceVersion(state),
        creationTimestamp: created,
      }),
    );
  }
  if (getObject(state, "serviceaccounts", namespace, "default") !== undefined) return;
  putObject(state, "serviceaccounts", {
    apiVersion: "v1",
    kind: "ServiceAccount",
    metadata: {
      name: "default",
      namespace,
      uid: nextUid(state),
      resourceVersion: nextResourceVersion(state),
      creationTimestamp: created,
    },
  });
}
