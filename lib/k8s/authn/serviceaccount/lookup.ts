/**
 * What the ServiceAccount authenticator needs from the API-object store. The API-object layer
 * implements this over its own store; tests use plain maps.
 */

/** RFC 3339 text (as in object metadata) or a Date. */
export type Timestamp = string | Date;

export interface LookupServiceAccount {
  uid: string;
  deletionTimestamp?: Timestamp;
}

export interface LookupSecret {
  uid: string;
  /** Secret.type, e.g. "kubernetes.io/service-account-token". */
  type?: string;
  annotations?: Record<string, string>;
  labels?: Record<string, string>;
  /** Secret.data as in the API: values base64-encoded. Legacy tokens compare `data.token`. */
  data?: Record<string, string>;
  deletionTimestamp?: Timestamp;
}

export interface LookupPod {
  uid: string;
  nodeName?: string;
  deletionTimestamp?: Timestamp;
}

export interface LookupNode {
  uid: string;
  deletionTimestamp?: Timestamp;
}

export interface ServiceAccountLookup {
  getServiceAccount(namespace: string, name: string): LookupServiceAccount | undefined;
  getSecret(namespace: string, name: string): LookupSecret | undefined;
  getPod(namespace: string, name: string): LookupPod | undefined;
  getNode(name: string): LookupNode | undefined;
}

export function timestampMillis(timestamp: Timestamp | undefined): number | undefined {
  if (timestamp === undefined) return undefined;
  const ms = typeof timestamp === "string" ? Date.parse(timestamp) : timestamp.getTime();
  return Number.isNaN(ms) ? undefined : ms;
}

/** apierrors.NewNotFound(...).Error() for a core resource. */
export function notFoundMessage(resource: "serviceaccounts" | "secrets" | "pods" | "nodes", name: string): string {
  return `${resource} "${name}" not found`;
}
