/**
 * Objects every kube-apiserver creates at start-up: the four system namespaces, their "default"
 * ServiceAccounts and the bootstrap RBAC policy. They are derived from the seed and bootstrap time,
 * never stored, and memoized per (seed, bootstrap time).
 */
import { createHash } from "node:crypto";
import { derivedUid, rfc3339 } from "./ids";
import type { JsonObject } from "../json";
import type { ClusterState } from "./state";
import { bootstrapRbacJson } from "./bootstrap-rbac";

export const SYSTEM_NAMESPACES = ["default", "kube-node-lease", "kube-public", "kube-system"];

type DerivedObjects = Map<string, Map<string, JsonObject>>;
const memo = new Map<string, DerivedObjects>();

/** SHA-256 of CA PEMs seen (every object read goes through bootstrapObjects: hash each PEM once). */
const caDigests = new Map<string, string>();

function caDigest(caPem: string): string {
  let digest = caDigests.get(caPem);
  if (digest === undefined) {
    digest = createHash("sha256").update(caPem).digest("hex");
    if (caDigests.size > 1000) caDigests.clear();
    caDigests.set(caPem, digest);
  }
  return digest;
}

export function bootstrapObjects(state: ClusterState): DerivedObjects {
  const caPem = rootCaPem(state);
  const memoKey = `${state.random.seed}|${state.bootstrapMs}|${caDigest(caPem)}`;
  const cached = memo.get(memoKey);
  if (cached !== undefined) return cached;
  const built = buildBootstrapObjects(state.random.seed, state.bootstrapMs, caPem);
  if (memo.size > 1000) memo.clear();
  memo.set(memoKey, built);
  return built;
}

/** What the root-ca-cert-publisher controller puts in every namespace's kube-root-ca.crt ConfigMap. */
export function rootCaPem(state: ClusterState): string {
  return state.config.serving?.caCertPem ?? state.config.clientCaBundlePem;
}

export function rootCaConfigMap(namespace: string, caPem: string, metadata: JsonObject): JsonObject {
  return {
    apiVersion: "v1",
    kind: "ConfigMap",
    metadata: { name: "kube-root-ca.crt", namespace, ...metadata, annotations: { "kubernetes.io/description": ROOT_CA_DESCRIPTION } },
    data: { "ca.crt": caPem },
  };
}

const ROOT_CA_DESCRIPTION =
  "Contains a CA bundle that can be used to verify the kube-apiserver when using internal endpoints such as the internal service IP or kubernetes.default.svc. No other usage is guaranteed across distributions of Kubernetes clusters.";

function buildBootstrapObjects(seed: string, bootstrapMs: number, caPem: string): DerivedObjects {
  const created = rfc3339(bootstrapMs);
  const result: DerivedObjects = new Map();
  const add = (resourceKey: string, namespace: string, object: JsonObject): void => {
    const bucket = result.get(resourceKey) ?? new Map<string, JsonObject>();
    const metadata = object.metadata;
    const name = typeof metadata === "object" && metadata !== null && !Array.isArray(metadata) ? metadata.name : undefined;
    bucket.set(`${namespace}/${typeof name === "string" ? name : ""}`, object);
    result.set(resourceKey, bucket);
  };
  for (const namespace of SYSTEM_NAMESPACES) {
    add("namespaces", "", {
      metadata: {
        name: namespace,
        uid: derivedUid(seed, `bootstrap:namespace:${namespace}`),
        resourceVersion: "1",
        creationTimestamp: created,
        labels: { "kubernetes.io/metadata.name": namespace },
      },
      spec: { finalizers: ["kubernetes"] },
      status: { phase: "Active" },
    });
    add(
      "configmaps",
      namespace,
      rootCaConfigMap(namespace, caPem, {
        uid: derivedUid(seed, `bootstrap:kube-root-ca:${namespace}`),
        resourceVersion: "1",
        creationTimestamp: created,
      }),
    );
    add("serviceaccounts", namespace, {
      metadata: {
        name: "default",
        namespace,
        uid: derivedUid(seed, `bootstrap:serviceaccount:${namespace}`),
        resourceVersion: "1",
        creationTimestamp: created,
      },
    });
  }
  for (const { resourceKey, object } of bootstrapRbacJson()) {
    const metadata: JsonObject =
      typeof object.metadata === "object" && object.metadata !== null && !Array.isArray(object.metadata) ? { ...object.metadata } : {};
    const name = typeof metadata.name === "string" ? metadata.name : "";
    const namespace = typeof metadata.namespace === "string" ? metadata.namespace : "";
    metadata.uid = derivedUid(seed, `bootstrap:${resourceKey}:${namespace}/${name}`);
    metadata.resourceVersion = "1";
    metadata.creationTimestamp = created;
    add(resourceKey, namespace, { ...object, metadata });
  }
  return result;
}
