/** kubectl describe: the describers of k8s.io/kubectl/pkg/describe for the kinds scenarios use, through its tabwriter. */
import { isJsonObject, type JsonObject, type JsonValue } from "../../json";
import { parseCertificateSigningRequest } from "../../pki";
import { humanDuration } from "../../api/human-duration";
import { csrCondition } from "../../api/tables";
import { boolFlag, expectJson, makeClient, stringFlag, type CommandSpec, type Invocation } from "../command";
import { discover, resourcePath, type ApiResource } from "../discovery";
import { AggregateError, RenderedError } from "../errors";
import { DESCRIBE_TABWRITER, rfc1123z, tabwrite } from "../../go";
import { formatLabels } from "../printers";
import { describeRuleRows } from "./rules";
import { resolveResourceArgs } from "./get";
import { LAST_APPLIED } from "./apply";

const L1 = "  ";
const L2 = "    ";
const L3 = "      ";

function obj(value: JsonValue | undefined): JsonObject {
  return isJsonObject(value) ? value : {};
}
function list(value: JsonValue | undefined): JsonObject[] {
  return Array.isArray(value) ? value.filter(isJsonObject) : [];
}
function text(value: JsonValue | undefined): string {
  return typeof value === "string" ? value : typeof value === "number" || typeof value === "boolean" ? String(value) : "";
}
function strings(value: JsonValue | undefined): string[] {
  return Array.isArray(value) ? value.filter((item): item is string => typeof item === "string") : [];
}

function labelsBlock(title: string, labels: JsonValue | undefined): string {
  const map = obj(labels);
  const keys = Object.keys(map).sort();
  if (keys.length === 0) return `${title}:\t<none>\n`;
  return keys.map((key, index) => `${index === 0 ? `${title}:\t` : "\t"}${key}=${text(map[key])}\n`).join("");
}

function annotationsBlock(title: string, annotations: JsonValue | undefined): string {
  const map = obj(annotations);
  const keys = Object.keys(map)
    .filter((key) => key !== LAST_APPLIED)
    .sort();
  if (keys.length === 0) return `${title}:\t<none>\n`;
  return keys
    .map((key, index) => {
      let value = text(map[key]);
      if (value.length > 140 || value.includes("\n")) value = `${value.replace(/\n/g, " ").slice(0, 140)}...`;
      return `${index === 0 ? `${title}:\t` : "\t"}${key}: ${value}\n`;
    })
    .join("");
}

const EVENTS_NONE = "Events:\t<none>\n";

function describePod(pod: JsonObject): string {
  const metadata = obj(pod.metadata);
  const spec = obj(pod.spec);
  const status = obj(pod.status);
  let out = `Name:\t${text(metadata.name)}\nNamespace:\t${text(metadata.namespace)}\n`;
  if (typeof spec.priority === "number") out += `Priority:\t${spec.priority}\n`;
  if (text(spec.priorityClassName) !== "") out += `Priority Class Name:\t${text(spec.priorityClassName)}\n`;
  if (text(spec.serviceAccountName) !== "") out += `Service Account:\t${text(spec.serviceAccountName)}\n`;
  out += text(spec.nodeName) === "" ? "Node:\t<none>\n" : `Node:\t${text(spec.nodeName)}/${text(status.hostIP)}\n`;
  if (text(status.startTime) !== "") out += `Start Time:\t${rfc1123z(new Date(text(status.startTime)))}\n`;
  out += labelsBlock("Labels", metadata.labels);
  out += annotationsBlock("Annotations", metadata.annotations);
  out += `Status:\t${text(status.phase) || "Pending"}\n`;
  if (text(status.reason) !== "") out += `Reason:\t${text(status.reason)}\n`;
  if (text(status.message) !== "") out += `Message:\t${text(status.message)}\n`;
  out += `IP:\t${text(status.podIP)}\n`;
  const podIps = list(status.podIPs);
  out += podIps.length === 0 ? "IPs:\t<none>\n" : `IPs:\n${podIps.map((ip) => `${L1}IP:\t${text(ip.ip)}\n`).join("")}`;
  const statuses = new Map(list(status.containerStatuses).map((item) => [text(item.name), item]));
  const containers = list(spec.containers);
  out += containers.length === 0 ? "Containers:\t<none>\n" : "Containers:\n";
  let hasResources = false;
  for (const container of containers) {
    const containerStatus = statuses.get(text(container.name));
    out += `${L1}${text(container.name)}:\n`;
    if (containerStatus !== undefined) out += `${L2}Container ID:\t${text(containerStatus.containerID)}\n`;
    out += `${L2}Image:\t${text(container.image)}\n`;
    if (containerStatus !== undefined) out += `${L2}Image ID:\t${text(containerStatus.imageID)}\n`;
    const ports = list(container.ports).map((port) => `${text(port.containerPort)}/${text(port.protocol) || "TCP"}`);
    out += ports.length > 1 ? `${L2}Ports:\t${ports.join(", ")}\n` : `${L2}Port:\t${ports[0] ?? "<none>"}\n`;
    const hostPorts = list(container.ports).map((port) => `${text(port.hostPort) || "0"}/${text(port.protocol) || "TCP"}`);
    out += hostPorts.length > 1 ? `${L2}Host Ports:\t${hostPorts.join(", ")}\n` : `${L2}Host Port:\t${hostPorts[0] ?? "<none>"}\n`;
    const command = strings(container.command);
    if (command.length > 0) out += `${L2}Command:\n${command.map((part) => `${L3}${part}\n`).join("")}`;
    const args = strings(container.args);
    if (args.length > 0) out += `${L2}Args:\n${args.map((part) => `${L3}${part}\n`).join("")}`;
    if (containerStatus !== undefined) {
      const state = obj(containerStatus.state);
      if (isJsonObject(state.running)) out += `${L2}State:\tRunning\n${L3}Started:\t${rfc1123z(new Date(text(state.running.startedAt)))}\n`;
      else if (isJsonObject(state.terminated))
        out += `${L2}State:\tTerminated\n${L3}Reason:\t${text(state.terminated.reason)}\n${L3}Exit Code:\t${text(state.terminated.exitCode)}\n`;
      else {
        out += `${L2}State:\tWaiting\n`;
        if (isJsonObject(state.waiting) && text(state.waiting.reason) !== "") out += `${L3}Reason:\t${text(state.waiting.reason)}\n`;
      }
      out += `${L2}Ready:\t${containerStatus.ready === true ? "True" : "False"}\n${L2}Restart Count:\t${text(containerStatus.restartCount) || "0"}\n`;
    }
    const resources = obj(container.resources);
    for (const [title, key] of [
      ["Limits", "limits"],
      ["Requests", "requests"],
    ] as const) {
      const values = obj(resources[key]);
      const names = Object.keys(values).sort();
      if (names.length === 0) continue;
      hasResources = true;
      out += `${L2}${title}:\n${names.map((name) => `${L3}${name}:\t${text(values[name])}\n`).join("")}`;
    }
    const env = list(container.env);
    out +=
      env.length === 0
        ? `${L2}Environment:\t<none>\n`
        : `${L2}Environment:\n${env.map((item) => `${L3}${text(item.name)}:\t${text(item.value)}\n`).join("")}`;
    const mounts = list(container.volumeMounts);
    out += `${L2}Mounts:${mounts.length === 0 ? "\t<none>" : ""}\n`;
    for (const mount of mounts)
      out += `${L3}${text(mount.mountPath)} from ${text(mount.name)} (${mount.readOnly === true ? "ro" : "rw"})\n`;
  }
  const conditions = list(status.conditions);
  if (conditions.length > 0)
    out += `Conditions:\n${L1}Type\tStatus\n${conditions.map((condition) => `${L1}${text(condition.type)} \t${text(condition.status)} \n`).join("")}`;
  const volumes = list(spec.volumes);
  if (volumes.length === 0) out += "Volumes:\t<none>\n";
  else {
    out += "Volumes:\n";
    for (const volume of volumes) {
      const kind = Object.keys(volume).find((key) => key !== "name") ?? "";
      out += `${L1}${text(volume.name)}:\n${L2}Type:\t${kind}\n`;
    }
  }
  out += `QoS Class:\t${text(status.qosClass) || (hasResources ? "Burstable" : "BestEffort")}\n`;
  out += labelsBlock("Node-Selectors", spec.nodeSelector);
  const tolerations = list(spec.tolerations);
  out +=
    tolerations.length === 0
      ? "Tolerations:\t<none>\n"
      : tolerations
          .map((toleration, index) => {
            let line = text(toleration.key);
            if (text(toleration.value) !== "") line += `=${text(toleration.value)}`;
            if (text(toleration.effect) !== "") line += `:${text(toleration.effect)}`;
            if (text(toleration.operator) === "Exists" && text(toleration.key) === "") line = "op=Exists";
            if (typeof toleration.tolerationSeconds === "number") line += ` for ${toleration.tolerationSeconds}s`;
            return `${index === 0 ? "Tolerations:\t" : "\t"}${line}\n`;
          })
          .join("");
  return out + EVENTS_NONE;
}

function describeServiceAccount(account: JsonObject, tokens: string[]): string {
  const metadata = obj(account.metadata);
  let out = `Name:\t${text(metadata.name)}\nNamespace:\t${text(metadata.namespace)}\n`;
  out += labelsBlock("Labels", metadata.labels) + annotationsBlock("Annotations", metadata.annotations);
  const sections: [string, string[]][] = [
    ["Image pull secrets:", list(account.imagePullSecrets).map((item) => text(item.name))],
    ["Mountable secrets: ", list(account.secrets).map((item) => text(item.name))],
    ["Tokens:            ", tokens],
  ];
  for (const [header, names] of sections) {
    if (names.length === 0) out += `${header}\t<none>\n`;
    else names.forEach((name, index) => (out += `${index === 0 ? header : "                   "}\t${name}\n`));
  }
  return out + EVENTS_NONE;
}

function describeSecret(secret: JsonObject): string {
  const metadata = obj(secret.metadata);
  let out = `Name:\t${text(metadata.name)}\nNamespace:\t${text(metadata.namespace)}\n`;
  out += labelsBlock("Labels", metadata.labels) + annotationsBlock("Annotations", metadata.annotations);
  const type = text(secret.type) || "Opaque";
  out += `\nType:\t${type}\n\nData\n====\n`;
  const data = obj(secret.data);
  for (const key of Object.keys(data).sort()) {
    const bytes = Buffer.from(text(data[key]), "base64");
    out +=
      key === "token" && type === "kubernetes.io/service-account-token"
        ? `${key}:\t${bytes.toString()}\n`
        : `${key}:\t${bytes.length} bytes\n`;
  }
  return out;
}

function describeConfigMap(configMap: JsonObject): string {
  const metadata = obj(configMap.metadata);
  let out = `Name:\t${text(metadata.name)}\nNamespace:\t${text(metadata.namespace)}\n`;
  out += labelsBlock("Labels", metadata.labels) + annotationsBlock("Annotations", metadata.annotations);
  out += "\nData\n====\n";
  const data = obj(configMap.data);
  for (const key of Object.keys(data).sort()) out += `${key}:\n----\n${text(data[key])}\n\n`;
  out += "\nBinaryData\n====\n";
  const binary = obj(configMap.binaryData);
  for (const key of Object.keys(binary).sort()) out += `${key}: ${Buffer.from(text(binary[key]), "base64").length} bytes\n`;
  return `${out}\n${EVENTS_NONE}`;
}

function describeNamespace(namespace: JsonObject): string {
  const metadata = obj(namespace.metadata);
  let out = `Name:\t${text(metadata.name)}\n`;
  out += labelsBlock("Labels", metadata.labels) + annotationsBlock("Annotations", metadata.annotations);
  out += `Status:\t${text(obj(namespace.status).phase) || "Active"}\n`;
  return `${out}\nNo resource quota.\n\nNo LimitRange resource.\n`;
}

function describeRole(role: JsonObject): string {
  const metadata = obj(role.metadata);
  let out = `Name:\t${text(metadata.name)}\n`;
  out += labelsBlock("Labels", metadata.labels) + annotationsBlock("Annotations", metadata.annotations);
  out += `PolicyRule:\n${L1}Resources\tNon-Resource URLs\tResource Names\tVerbs\n${L1}---------\t-----------------\t--------------\t-----\n`;
  for (const row of describeRuleRows(list(role.rules))) out += `${L1}${row.join("\t")}\n`;
  return out;
}

function describeBinding(binding: JsonObject): string {
  const metadata = obj(binding.metadata);
  const roleRef = obj(binding.roleRef);
  let out = `Name:\t${text(metadata.name)}\n`;
  out += labelsBlock("Labels", metadata.labels) + annotationsBlock("Annotations", metadata.annotations);
  out += `Role:\n${L1}Kind:\t${text(roleRef.kind)}\n${L1}Name:\t${text(roleRef.name)}\n`;
  out += `Subjects:\n${L1}Kind\tName\tNamespace\n${L1}----\t----\t---------\n`;
  for (const subject of list(binding.subjects)) out += `${L1}${text(subject.kind)}\t${text(subject.name)}\t${text(subject.namespace)}\n`;
  return out;
}

async function describeCsr(csr: JsonObject): Promise<string> {
  const metadata = obj(csr.metadata);
  const spec = obj(csr.spec);
  let out = `Name:\t${text(metadata.name)}\nLabels:\t${formatLabels(metadata.labels)}\nAnnotations:\t${formatLabels(metadata.annotations)}\n`;
  out += `CreationTimestamp:\t${rfc1123z(new Date(text(metadata.creationTimestamp)))}\nRequesting User:\t${text(spec.username)}\n`;
  if (text(spec.signerName) !== "") out += `Signer:\t${text(spec.signerName)}\n`;
  if (typeof spec.expirationSeconds === "number") out += `Requested Duration:\t${humanDuration(spec.expirationSeconds * 1000)}\n`;
  out += `Status:\t${csrCondition(csr)}\n`;
  const parsed = await parseCertificateSigningRequest(Buffer.from(text(spec.request), "base64").toString());
  if (!parsed.ok) throw new RenderedError(`error: failed to parse csr: ${parsed.error}`);
  out += `Subject:\n\tCommon Name:\t${parsed.csr.subject.commonName}\n\tSerial Number:\t\n`;
  if (parsed.csr.subject.organizations.length > 0) out += `\tOrganization:\t${parsed.csr.subject.organizations.join("\n\t\t")}\n`;
  return out + EVENTS_NONE;
}

function describeGeneric(object: JsonObject): string {
  const metadata = obj(object.metadata);
  let out = `Name:\t${text(metadata.name)}\n`;
  if (text(metadata.namespace) !== "") out += `Namespace:\t${text(metadata.namespace)}\n`;
  out += labelsBlock("Labels", metadata.labels) + annotationsBlock("Annotations", metadata.annotations);
  return `${out}API Version:\t${text(object.apiVersion)}\nKind:\t${text(object.kind)}\n${EVENTS_NONE}`;
}

async function describeObject(resource: ApiResource, object: JsonObject, secrets: JsonObject[]): Promise<string> {
  switch (resource.name) {
    case "pods":
      return describePod(object);
    case "serviceaccounts": {
      const name = text(obj(object.metadata).name);
      const tokens = secrets
        .filter(
          (secret) =>
            text(secret.type) === "kubernetes.io/service-account-token" &&
            text(obj(obj(secret.metadata).annotations)["kubernetes.io/service-account.name"]) === name,
        )
        .map((secret) => text(obj(secret.metadata).name));
      return describeServiceAccount(object, tokens);
    }
    case "secrets":
      return describeSecret(object);
    case "configmaps":
      return describeConfigMap(object);
    case "namespaces":
      return describeNamespace(object);
    case "roles":
    case "clusterroles":
      return describeRole(object);
    case "rolebindings":
    case "clusterrolebindings":
      return describeBinding(object);
    case "certificatesigningrequests":
      return describeCsr(object);
    default:
      return describeGeneric(object);
  }
}

async function runDescribe(invocation: Invocation): Promise<number> {
  const { runtime, flags } = invocation;
  if (invocation.args.length === 0)
    throw new RenderedError(
      'error: You must specify the type of resource to describe. Use "kubectl api-resources" for a complete list of supported resources.',
    );
  const client = makeClient(invocation);
  const discovery = await discover(client, 5);
  const requests = resolveResourceArgs(discovery, invocation.args, invocation.commandPath);
  const allNamespaces = flags.bool("all-namespaces");
  const errors: unknown[] = [];
  const outputs: string[] = [];
  for (const request of requests) {
    const namespace = request.resource.namespaced && !allNamespaces ? client.settings.namespace : undefined;
    let objects: JsonObject[] = [];
    if (request.names.length === 0) {
      try {
        const body = expectJson(
          await client.request("GET", `${resourcePath(request.resource, namespace)}?limit=500`, { accept: "application/json" }),
        );
        objects = list(body.items);
      } catch (error) {
        errors.push(error);
      }
      if (objects.length === 0 && requests.length === 1 && errors.length === 0) {
        runtime.stderr(namespace === undefined ? "No resources found\n" : `No resources found in ${namespace} namespace.\n`);
      }
    } else {
      for (const name of request.names) {
        try {
          objects.push(
            expectJson(
              await client.request(
                "GET",
                resourcePath(request.resource, request.resource.namespaced ? client.settings.namespace : undefined, name),
                { accept: "application/json" },
              ),
            ),
          );
        } catch (error) {
          errors.push(error);
        }
      }
    }
    let secrets: JsonObject[] = [];
    if (request.resource.name === "serviceaccounts" && objects.length > 0) {
      const response = await client.request("GET", `/api/v1/namespaces/${text(obj(objects[0]?.metadata).namespace)}/secrets`, {
        accept: "application/json",
      });
      if (response.status === 200) secrets = list(expectJson(response).items);
    }
    for (const object of objects) outputs.push(tabwrite(await describeObject(request.resource, object, secrets), DESCRIBE_TABWRITER));
  }
  runtime.stdout(outputs.join("\n\n"));
  if (errors.length > 0) throw new AggregateError(errors);
  return 0;
}

export const describeCommand: CommandSpec = {
  name: "describe",
  flags: [boolFlag("all-namespaces", "A"), stringFlag("selector", "l"), boolFlag("show-events"), stringFlag("chunk-size")],
  run: runDescribe,
};
