/**
 * The simulated kubectl v1.32.5 for the web terminal:
 *
 *   const network = createClusterNetwork(state);       // the engine as an HTTPS server
 *   const result = await kubectlCommand({ ...context, network });
 *   const words = await completeKubectl(["get", "po"], context);
 */
export { kubectlCommand } from "./kubectl";
export { completeKubectl, type CompletionOptions } from "./complete";
export { createClusterNetwork, type SimulatedNetwork } from "./network";
export type { KubectlContext } from "./runtime";
export { normalizeKubectlInvocation, DURATION_FLAGS, type NormalizedInvocation } from "./invocation";
