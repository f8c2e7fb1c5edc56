/**
 * Public entry point of the simulation engine: a kube-apiserver 1.32 for everything around identity.
 *
 *   const state = await createCluster(spec);          // declarative scenario -> plain JSON state
 *   const { response, trace, changed } = await handleRequest(state, request);
 *   if (changed) save(serializeCluster(state));        // restoreCluster(text) gives it back
 */
export type * from "./types";
export { createCluster, addObject } from "./setup/create-cluster";
export { clusterSpecSchema, type ClusterSpec } from "./cluster/spec";
export type { ClusterState, ClusterConfig, UserCredential, IdentityProviderConfig } from "./cluster/state";
export { serializeCluster, restoreCluster, advanceClock, type RestoreResult } from "./cluster/serialize";
export { getObject } from "./cluster/store";
export type { JsonObject, JsonValue } from "./json";
export { handleRequest, type HandleResult } from "./api/handle-request";
export { type RequestInfo } from "./api/request-info";
export { serviceAccountSigningKey } from "./cluster/signing-keys";
export { identityProviderFrom } from "./cluster/jwt-authenticators";
export { createSeededRandom, parseDuration } from "./clock";
export { statusResponse, pathNotFoundStatus, type KubeStatus } from "./api/status";
export { issueBoundServiceAccountToken, issueLegacyServiceAccountToken } from "./authn/serviceaccount";
export { clearAuthenticationCaches } from "./cluster/authentication";
