/**
 * k8s.io/apiserver/pkg/authentication/serviceaccount ServiceAccountInfo.UserInfo() (spec §3.1).
 */
import type { UserInfo } from "../../types";
import { serviceAccountUsername } from "./claims";

export const POD_NAME_EXTRA_KEY = "authentication.kubernetes.io/pod-name";
export const POD_UID_EXTRA_KEY = "authentication.kubernetes.io/pod-uid";
export const NODE_NAME_EXTRA_KEY = "authentication.kubernetes.io/node-name";
export const NODE_UID_EXTRA_KEY = "authentication.kubernetes.io/node-uid";
export const CREDENTIAL_ID_EXTRA_KEY = "authentication.kubernetes.io/credential-id";

export const ALL_SERVICE_ACCOUNTS_GROUP = "system:serviceaccounts";

export interface ServiceAccountInfo {
  namespace: string;
  name: string;
  uid: string;
  podName?: string;
  podUid?: string;
  nodeName?: string;
  nodeUid?: string;
  /** CredentialIDForJTI: "JTI=<jti>", empty when the token has no jti. */
  credentialId?: string;
}

export function credentialIdForJti(jti: string | undefined): string {
  return jti ? `JTI=${jti}` : "";
}

export function serviceAccountUserInfo(info: ServiceAccountInfo): UserInfo {
  const extra: Record<string, string[]> = {};
  if (info.podName && info.podUid) {
    extra[POD_NAME_EXTRA_KEY] = [info.podName];
    extra[POD_UID_EXTRA_KEY] = [info.podUid];
  }
  if (info.credentialId) extra[CREDENTIAL_ID_EXTRA_KEY] = [info.credentialId];
  if (info.nodeName) {
    extra[NODE_NAME_EXTRA_KEY] = [info.nodeName];
    if (info.nodeUid) extra[NODE_UID_EXTRA_KEY] = [info.nodeUid];
  }
  return {
    name: serviceAccountUsername(info.namespace, info.name),
    uid: info.uid,
    groups: [ALL_SERVICE_ACCOUNTS_GROUP, `${ALL_SERVICE_ACCOUNTS_GROUP}:${info.namespace}`],
    extra,
  };
}
