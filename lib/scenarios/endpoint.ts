import "server-only";
import crypto from "node:crypto";
import { getEnv } from "../env";
import { practiceListenerUrl, practiceServerUrl, readPracticeIdentity } from "../practice/identity";
import { instanceServerName } from "../practice-api/serving";
import type { EndpointPlan } from "../isolation/jobs";

/**
 * Where a new instance is served: the practice listener, or the cluster's own address when it is
 * off. On the listener the instance is reached by TLS server name and presents a serving
 * certificate signed by its own cluster CA (kubeadm's one-CA layout), in the web terminal and to a
 * real kubectl alike; the worker issues it once the cluster exists. Instances whose id is no DNS
 * label (made before server-name routing) keep the `/i/<id>` URL and the listener's own certificate.
 */
export function endpointFor(instanceId: string): EndpointPlan | undefined {
  const env = getEnv();
  if (env.practiceApi.port === 0) return undefined;
  const serverName = instanceServerName(instanceId);
  if (serverName === undefined) {
    const identity = readPracticeIdentity(env);
    return {
      kind: "fixed",
      endpoint: { serverUrl: practiceServerUrl(env, instanceId), caCertPem: identity.caCertPem, servingCertPem: identity.certPem },
    };
  }
  return { kind: "server-name", serverUrl: practiceListenerUrl(env), serverName, host: env.practiceApi.host };
}

/** Instance ids name the instance in TLS server names: unguessable, one lower-case DNS label. */
export function newInstanceId(): string {
  return crypto.randomBytes(16).toString("hex");
}
