/** A ClusterNetwork over the simulation engine: the server answers at its serverAddress over HTTPS. */
import { handleRequest } from "../api/handle-request";
import type { ClusterState } from "../cluster/state";
import type { ClusterNetwork } from "../shell/types";
import { apiServerServing } from "../node/kubelet";

export interface SimulatedNetwork extends ClusterNetwork {
  /** True once any request changed the cluster state (the caller then persists it). */
  changed: boolean;
}

export interface NetworkOptions {
  /**
   * Where the server answers (default `https://<serverAddress>`). A URL with a path, such as the
   * practice listener's `https://host:6443/i/<id>`, is a prefix kubectl puts before every API
   * path; it is removed before the engine sees the request, as the listener does.
   */
  serverUrls?: string[];
  /** The serving certificate presented (default: the cluster's own). */
  servingCertificateChainPem?: string;
}

export function createClusterNetwork(state: ClusterState, options: NetworkOptions = {}): SimulatedNetwork {
  const serverUrls = options.serverUrls ?? [`https://${state.config.serverAddress}`];
  const prefixes = serverUrls.map((url) => new URL(url).pathname.replace(/\/$/, "")).filter((prefix) => prefix !== "");
  const network: SimulatedNetwork = {
    serverUrls,
    servingCertificateChainPem: options.servingCertificateChainPem ?? state.config.serving?.certPem ?? "",
    changed: false,
    refused: () => !apiServerServing(state),
    async send(request) {
      const prefix = prefixes.find((candidate) => request.url.startsWith(`${candidate}/`));
      const result = await handleRequest(state, prefix ? { ...request, url: request.url.slice(prefix.length) } : request);
      if (result.changed) network.changed = true;
      return { response: result.response, trace: result.trace };
    },
  };
  return network;
}
