/** A ClusterNetwork over the simulation engine: the server answers at its serverAddress over HTTPS. */
import { handleRequest } from "../api/handle-request";
import type { ClusterState } from "../cluster/state";
import type { ClusterNetwork } from "../shell/types";

export interface SimulatedNetwork extends ClusterNetwork {
  /** True once any request changed the cluster state (the caller then persists it). */
  changed: boolean;
}

export function createClusterNetwork(state: ClusterState, options: { serverUrls?: string[] } = {}): SimulatedNetwork {
  const serving = state.config.serving;
  const network: SimulatedNetwork = {
    serverUrls: options.serverUrls ?? [`https://${state.config.serverAddress}`],
    servingCertificateChainPem: serving === undefined ? "" : serving.certPem,
    changed: false,
    async send(request) {
      const result = await handleRequest(state, request);
      if (result.changed) network.changed = true;
      return { response: result.response, trace: result.trace };
    },
  };
  return network;
}
