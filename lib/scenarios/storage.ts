import { restoreCluster, serializeCluster } from "../k8s";
import type { InstanceState } from "./instance";

/** The stored form: the cluster in the engine's own serialization, the rest as JSON. */
export function serializeInstance(instance: InstanceState): string {
  return JSON.stringify({ ...instance, cluster: serializeCluster(instance.cluster) });
}

export function parseInstance(text: string): InstanceState {
  const raw = JSON.parse(text) as Omit<InstanceState, "cluster"> & { cluster: string };
  const cluster = restoreCluster(raw.cluster);
  if (!cluster.ok) throw new Error(`stored scenario instance is damaged: ${cluster.error}`);
  return { ...raw, cluster: cluster.state };
}
