/** Test support: one small cluster with every credential type, and request builders. */
import { pemToDer } from "../pki/pem";
import { createCluster } from "../setup/create-cluster";
import type { ClusterState } from "../cluster/state";
import type { ApiRequest, ApiResponse } from "../types";

export const START = "2025-01-01T00:00:00Z";
export const START_MS = Date.parse(START);
export const JSON_ACCEPT = "application/json";
export const TABLE_ACCEPT =
  "application/json;as=Table;v=v1;g=meta.k8s.io,application/json;as=Table;v=v1beta1;g=meta.k8s.io,application/json";
export const PROTOBUF_ACCEPT = "application/vnd.kubernetes.protobuf,application/json";

export async function createTestCluster(): Promise<ClusterState> {
  return createCluster({
    start: START,
    seed: "test-seed",
    users: [
      { name: "jane", groups: ["dev", "qa"] },
      { name: "admin", groups: ["system:masters"] },
      { id: "nocn", name: "" },
      { id: "rogue", name: "jane", groups: ["dev"], signedBy: "untrusted" },
      { id: "expired", name: "jane", notBefore: "2023-01-01T00:00:00Z", validFor: "24h" },
      { id: "serverauth", name: "jane", extKeyUsage: ["serverAuth"] },
    ],
    tokenFile: [{ token: "admintoken", user: "admin", uid: "1", groups: ["system:masters"] }],
    serviceAccounts: [{ name: "sa1" }],
    objects: [
      {
        apiVersion: "v1",
        kind: "Pod",
        metadata: {
          name: "web-1",
          namespace: "default",
          creationTimestamp: new Date(START_MS - 100 * 86400_000).toISOString().replace(".000Z", "Z"),
        },
        spec: { containers: [{ name: "nginx", image: "nginx:1.27" }] },
      },
    ],
  });
}

export interface RequestOptions {
  cert?: string;
  token?: string;
  accept?: string;
  contentType?: string;
  body?: string | Uint8Array;
  headers?: Record<string, string | string[]>;
}

export function request(state: ClusterState, method: string, url: string, options: RequestOptions = {}): ApiRequest {
  const headers: ApiRequest["headers"] = { accept: options.accept ?? JSON_ACCEPT, ...(options.headers ?? {}) };
  if (options.token !== undefined) headers.authorization = `Bearer ${options.token}`;
  if (options.contentType !== undefined) headers["content-type"] = options.contentType;
  const credential = options.cert === undefined ? undefined : state.credentials[options.cert];
  const der = credential === undefined ? undefined : pemToDer(credential.certPem);
  const body =
    options.body === undefined ? undefined : typeof options.body === "string" ? new TextEncoder().encode(options.body) : options.body;
  return {
    method,
    url,
    headers,
    tls: true,
    ...(der === undefined ? {} : { peerCertificates: [der] }),
    ...(body === undefined ? {} : { body }),
  };
}

export function bodyText(response: ApiResponse): string {
  return typeof response.body === "string" ? response.body : Buffer.from(response.body).toString("utf8");
}

export function bodyJson(response: ApiResponse): Record<string, unknown> {
  const parsed: unknown = JSON.parse(bodyText(response));
  if (typeof parsed !== "object" || parsed === null || Array.isArray(parsed)) throw new Error("not a JSON object");
  return Object.fromEntries(Object.entries(parsed));
}
