/**
 * The simulated kubelet's volumes: the files a container of a running Pod sees under its
 * volumeMounts. Projected `serviceAccountToken` sources hold a real bound token the kubelet asked
 * for (TokenRequest semantics of lib/k8s/authn/serviceaccount, signed with the issuer key), bound
 * to the Pod and its node; it is kept in the cluster state and replaced as the kubelet's token
 * manager does: once 80% of the requested lifetime, or 24 hours, have passed. ConfigMap, Secret and
 * downward API sources (and plain configMap/secret volumes) are read from the store.
 */
import { issueBoundServiceAccountToken, validateTokenRequest } from "../../authn/serviceaccount";
import { nextRandomBytes } from "../../cluster/ids";
import { serviceAccountSigningKey } from "../../cluster/signing-keys";
import { getObject, listObjects } from "../../cluster/store";
import type { ClusterState } from "../../cluster/state";
import { arrayField, isJsonObject, numberField, objectField, stringField, type JsonObject } from "../../json";

const DAY_MS = 24 * 3600 * 1000;

/** Path (relative to the mount) → content. */
type VolumeFiles = Map<string, string>;

function keyedItems(data: JsonObject | undefined, items: JsonObject[] | undefined, decode: boolean): VolumeFiles {
  const files: VolumeFiles = new Map();
  const text = (value: unknown) => (typeof value !== "string" ? undefined : decode ? Buffer.from(value, "base64").toString("utf8") : value);
  if (items === undefined || items.length === 0) {
    for (const [key, value] of Object.entries(data ?? {})) {
      const content = text(value);
      if (content !== undefined) files.set(key, content);
    }
    return files;
  }
  for (const item of items) {
    const content = text(data?.[stringField(item, "key") ?? ""]);
    const path = stringField(item, "path");
    if (content !== undefined && path !== undefined) files.set(path, content);
  }
  return files;
}

function configMapFiles(state: ClusterState, namespace: string, source: JsonObject): VolumeFiles {
  const configMap = getObject(state, "configmaps", namespace, stringField(source, "name") ?? "");
  return keyedItems(objectField(configMap, "data"), arrayField(source, "items")?.filter(isJsonObject), false);
}

function secretFiles(state: ClusterState, namespace: string, name: string, source: JsonObject): VolumeFiles {
  const secret = getObject(state, "secrets", namespace, name);
  return keyedItems(objectField(secret, "data"), arrayField(source, "items")?.filter(isJsonObject), true);
}

/** fieldRef of the downward API: the metadata and spec fields a learner would project. */
function fieldValue(pod: JsonObject, fieldPath: string): string {
  const [section, field] = fieldPath.split(".", 2);
  const value = section === "metadata" || section === "spec" ? objectField(pod, section)?.[field ?? ""] : undefined;
  return typeof value === "string" ? value : "";
}

function downwardFiles(pod: JsonObject, source: JsonObject): VolumeFiles {
  const files: VolumeFiles = new Map();
  for (const item of (arrayField(source, "items") ?? []).filter(isJsonObject)) {
    const path = stringField(item, "path");
    const fieldPath = stringField(objectField(item, "fieldRef"), "fieldPath");
    if (path !== undefined && fieldPath !== undefined) files.set(path, fieldValue(pod, fieldPath));
  }
  return files;
}

/** Tokens of Pods that no longer exist are forgotten, so the cache stays as small as the Pods. */
function prunePodTokens(state: ClusterState): Record<string, { token: string; refreshAtMs: number }> {
  const tokens = state.podTokens ?? {};
  const live = new Set(listObjects(state, "pods", undefined).map((pod) => stringField(objectField(pod, "metadata"), "uid") ?? ""));
  for (const key of Object.keys(tokens)) if (!live.has(key.split("/")[0] ?? "")) delete tokens[key];
  state.podTokens = tokens;
  return tokens;
}

/** The kubelet's token for one projected source: a TokenRequest bound to the Pod, cached in the state. */
async function projectedToken(state: ClusterState, pod: JsonObject, volumeName: string, source: JsonObject): Promise<string | undefined> {
  const metadata = objectField(pod, "metadata");
  const spec = objectField(pod, "spec");
  const namespace = stringField(metadata, "namespace") ?? "";
  const podName = stringField(metadata, "name") ?? "";
  const podUid = stringField(metadata, "uid") ?? "";
  const path = stringField(source, "path") ?? "";
  const key = `${podUid}/${volumeName}/${path}`;
  const tokens = prunePodTokens(state);
  const nowMs = state.clock.nowMs;
  const cached = tokens[key];
  if (cached !== undefined && nowMs < cached.refreshAtMs) return cached.token;
  const accountName = stringField(spec, "serviceAccountName") ?? "default";
  const account = getObject(state, "serviceaccounts", namespace, accountName);
  if (account === undefined) return undefined;
  const audience = stringField(source, "audience") ?? "";
  const config = state.config.serviceAccount;
  const validation = validateTokenRequest(
    {
      ...(audience === "" ? {} : { audiences: [audience] }),
      expirationSeconds: numberField(source, "expirationSeconds") ?? 3600,
      boundObjectRef: { kind: "Pod", apiVersion: "v1", name: podName, uid: podUid },
    },
    {
      apiAudiences: state.config.apiAudiences,
      ...(config.maxTokenExpirationSeconds === undefined ? {} : { maxExpirationSeconds: config.maxTokenExpirationSeconds }),
      extendExpiration: config.extendTokenExpiration,
    },
  );
  if (!validation.ok) return undefined;
  const nodeName = stringField(spec, "nodeName");
  const nodeUid = nodeName === undefined ? undefined : stringField(objectField(getObject(state, "nodes", "", nodeName), "metadata"), "uid");
  const normalized = validation.spec;
  const issued = await issueBoundServiceAccountToken({
    key: serviceAccountSigningKey(config.signingKeyPem),
    issuer: config.issuers[0] ?? "",
    audiences: normalized.audiences,
    expirationSeconds: normalized.tokenExpirationSeconds,
    ...(normalized.warnAfterSeconds === undefined ? {} : { warnAfterSeconds: normalized.warnAfterSeconds }),
    serviceAccount: { namespace, name: accountName, uid: stringField(objectField(account, "metadata"), "uid") ?? "" },
    boundObject: {
      kind: "Pod",
      name: podName,
      uid: podUid,
      ...(nodeName === undefined ? {} : { nodeName }),
      ...(nodeUid === undefined ? {} : { nodeUid }),
    },
    now: new Date(nowMs),
    random: (size) => nextRandomBytes(state, size),
  });
  // pkg/kubelet/token: refresh past 80% of the requested lifetime (status.expirationTimestamp), or after 24 h.
  const refreshAtMs = nowMs + Math.min(normalized.expirationSeconds * 1000 * 0.8, DAY_MS);
  tokens[key] = { token: issued.token, refreshAtMs };
  return issued.token;
}

async function volumeFiles(state: ClusterState, pod: JsonObject, volume: JsonObject): Promise<VolumeFiles> {
  const namespace = stringField(objectField(pod, "metadata"), "namespace") ?? "";
  const volumeName = stringField(volume, "name") ?? "";
  const configMap = objectField(volume, "configMap");
  if (configMap !== undefined) return configMapFiles(state, namespace, configMap);
  const secret = objectField(volume, "secret");
  if (secret !== undefined) return secretFiles(state, namespace, stringField(secret, "secretName") ?? "", secret);
  const downward = objectField(volume, "downwardAPI");
  if (downward !== undefined) return downwardFiles(pod, downward);
  const files: VolumeFiles = new Map();
  for (const source of (arrayField(objectField(volume, "projected"), "sources") ?? []).filter(isJsonObject)) {
    const token = objectField(source, "serviceAccountToken");
    let part: VolumeFiles = new Map();
    if (token !== undefined) {
      const text = await projectedToken(state, pod, volumeName, token);
      if (text !== undefined) part.set(stringField(token, "path") ?? "token", text);
    } else if (objectField(source, "configMap") !== undefined) {
      part = configMapFiles(state, namespace, objectField(source, "configMap") ?? {});
    } else if (objectField(source, "secret") !== undefined) {
      const ref = objectField(source, "secret") ?? {};
      part = secretFiles(state, namespace, stringField(ref, "name") ?? "", ref);
    } else if (objectField(source, "downwardAPI") !== undefined) {
      part = downwardFiles(pod, objectField(source, "downwardAPI") ?? {});
    }
    for (const [path, content] of part) files.set(path, content);
  }
  return files;
}

/** A container's view: absolute file path → content, and the directories that exist (mount points and their subfolders). */
export interface ContainerFiles {
  files: Map<string, string>;
  dirs: Set<string>;
}

export async function containerFiles(state: ClusterState, pod: JsonObject, containerName: string): Promise<ContainerFiles | undefined> {
  const spec = objectField(pod, "spec");
  const containers = [...(arrayField(spec, "initContainers") ?? []), ...(arrayField(spec, "containers") ?? [])].filter(isJsonObject);
  const container = containers.find((candidate) => stringField(candidate, "name") === containerName);
  if (container === undefined) return undefined;
  const volumes = new Map(
    (arrayField(spec, "volumes") ?? []).filter(isJsonObject).map((volume) => [stringField(volume, "name") ?? "", volume] as const),
  );
  const view: ContainerFiles = { files: new Map(), dirs: new Set(["/"]) };
  for (const mount of (arrayField(container, "volumeMounts") ?? []).filter(isJsonObject)) {
    const volume = volumes.get(stringField(mount, "name") ?? "");
    const mountPath = (stringField(mount, "mountPath") ?? "").replace(/\/+$/, "");
    if (volume === undefined || mountPath === "") continue;
    const addDirs = (path: string) => {
      const parts = path.split("/").filter(Boolean);
      for (let index = 1; index <= parts.length; index += 1) view.dirs.add(`/${parts.slice(0, index).join("/")}`);
    };
    addDirs(mountPath);
    for (const [relative, content] of await volumeFiles(state, pod, volume)) {
      const full = `${mountPath}/${relative}`.replace(/\/+/g, "/");
      addDirs(full.slice(0, full.lastIndexOf("/")));
      view.files.set(full, content);
    }
  }
  return view;
}
