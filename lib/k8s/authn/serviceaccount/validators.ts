/**
 * The two ServiceAccount token validators: bound tokens (pkg/serviceaccount/claims.go) and legacy
 * Secret tokens (pkg/serviceaccount/legacy.go). Each returns the ServiceAccountInfo or the
 * apiserver's error text (spec §3.4, §3.5).
 */
import { timingSafeEqual } from "node:crypto";
import { SERVICE_ACCOUNT_USERNAME_PREFIX } from "./claims";
import type { BoundPrivateClaims, LegacyPrivateClaims, PublicClaims } from "./decode-claims";
import { credentialIdForJti, type ServiceAccountInfo } from "./identity";
import { notFoundMessage, timestampMillis, type ServiceAccountLookup, type Timestamp } from "./lookup";

/** go-jose jwt.DefaultLeeway, also used for the "deleted more than a minute ago" rule. */
export const LEEWAY_MS = 60_000;

export type Validation = { ok: true; info: ServiceAccountInfo; staleSeconds?: number } | { ok: false; error: string };

const fail = (error: string): Validation => ({ ok: false, error });

/** jwt.Claims.ValidateWithLeeway order: nbf, exp, iat. */
function timeError(claims: PublicClaims, nowMs: number): string | undefined {
  if (claims.nbf !== undefined && nowMs + LEEWAY_MS < claims.nbf * 1000) return "service account token is not valid yet";
  if (claims.exp !== undefined && nowMs - LEEWAY_MS > claims.exp * 1000) return "service account token has expired";
  if (claims.iat !== undefined && nowMs + LEEWAY_MS < claims.iat * 1000) return "service account token is issued in the future";
  return undefined;
}

function deletedBefore(timestamp: Timestamp | undefined, limitMs: number): boolean {
  const ms = timestampMillis(timestamp);
  return ms !== undefined && ms < limitMs;
}

export function validateBoundToken(claims: PublicClaims, priv: BoundPrivateClaims, lookup: ServiceAccountLookup, now: Date): Validation {
  const nowMs = now.getTime();
  const timeProblem = timeError(claims, nowMs);
  if (timeProblem) return fail(timeProblem);

  const invalidIfDeletedBefore = nowMs - LEEWAY_MS;
  const namespace = priv.namespace;
  const saRef = priv.serviceaccount;
  const serviceAccount = lookup.getServiceAccount(namespace, saRef.name);
  if (!serviceAccount) return fail(notFoundMessage("serviceaccounts", saRef.name));
  if (serviceAccount.uid !== saRef.uid) {
    return fail(`service account UID (${serviceAccount.uid}) does not match claim (${saRef.uid})`);
  }
  if (deletedBefore(serviceAccount.deletionTimestamp, invalidIfDeletedBefore)) {
    return fail(`service account ${namespace}/${saRef.name} has been deleted`);
  }

  if (priv.secret) {
    const secret = lookup.getSecret(namespace, priv.secret.name);
    if (!secret) return fail("service account token has been invalidated");
    if (priv.secret.uid !== secret.uid) {
      return fail(`secret UID (${secret.uid}) does not match service account secret ref claim (${priv.secret.uid})`);
    }
    if (deletedBefore(secret.deletionTimestamp, invalidIfDeletedBefore)) return fail("service account token has been invalidated");
  }

  const info: ServiceAccountInfo = { namespace, name: saRef.name, uid: saRef.uid };
  if (priv.pod) {
    const pod = lookup.getPod(namespace, priv.pod.name);
    if (!pod) return fail("service account token has been invalidated");
    if (priv.pod.uid !== pod.uid) {
      return fail(`pod UID (${pod.uid}) does not match service account pod ref claim (${priv.pod.uid})`);
    }
    if (deletedBefore(pod.deletionTimestamp, invalidIfDeletedBefore)) return fail("service account token has been invalidated");
    info.podName = priv.pod.name;
    info.podUid = priv.pod.uid;
  }

  if (priv.node) {
    if (priv.pod) {
      // Pod-bound tokens just carry the node claims along (ServiceAccountTokenPodNodeInfo).
      info.nodeName = priv.node.name;
      info.nodeUid = priv.node.uid;
    } else {
      const node = lookup.getNode(priv.node.name);
      if (!node) return fail("service account token has been invalidated");
      if (priv.node.uid !== node.uid) {
        return fail(`node UID (${node.uid}) does not match service account node ref claim (${priv.node.uid})`);
      }
      if (deletedBefore(node.deletionTimestamp, invalidIfDeletedBefore)) return fail("service account token has been invalidated");
      info.nodeName = priv.node.name;
      info.nodeUid = priv.node.uid;
    }
  }

  const credentialId = credentialIdForJti(claims.jti);
  if (credentialId) info.credentialId = credentialId;
  // Past warnafter only adds the audit annotation authentication.k8s.io/stale-token.
  const stale = priv.warnafter && nowMs > priv.warnafter * 1000;
  return stale && priv.warnafter ? { ok: true, info, staleSeconds: Math.floor(nowMs / 1000) - priv.warnafter } : { ok: true, info };
}

/** apiserverserviceaccount.SplitUsername. */
function splitUsername(username: string): { namespace: string; name: string } | undefined {
  if (!username.startsWith(SERVICE_ACCOUNT_USERNAME_PREFIX)) return undefined;
  const parts = username.slice(SERVICE_ACCOUNT_USERNAME_PREFIX.length).split(":");
  if (parts.length !== 2 || !parts[0] || !parts[1]) return undefined;
  return { namespace: parts[0], name: parts[1] };
}

export const INVALID_SINCE_LABEL = "kubernetes.io/legacy-token-invalid-since";

function tokenMatchesSecret(dataToken: string | undefined, token: string): boolean {
  const stored = Buffer.from(dataToken ?? "", "base64");
  const presented = Buffer.from(token);
  return stored.length === presented.length && timingSafeEqual(stored, presented);
}

export function validateLegacyToken(
  token: string,
  claims: PublicClaims,
  priv: LegacyPrivateClaims,
  lookup: ServiceAccountLookup,
  serviceAccountLookup: boolean,
): Validation {
  if (!claims.sub) return fail("sub claim is missing");
  const { namespace, secretName, serviceAccountName, serviceAccountUid } = priv;
  if (!namespace) return fail("namespace claim is missing");
  if (!secretName) return fail("secretName claim is missing");
  if (!serviceAccountName) return fail("serviceAccountName claim is missing");
  if (!serviceAccountUid) return fail("serviceAccountUID claim is missing");
  const subject = splitUsername(claims.sub);
  if (!subject || subject.namespace !== namespace || subject.name !== serviceAccountName) return fail("sub claim is invalid");

  if (serviceAccountLookup) {
    const secret = lookup.getSecret(namespace, secretName);
    if (!secret || secret.deletionTimestamp !== undefined) return fail("Token has been invalidated");
    if (!tokenMatchesSecret(secret.data?.token, token)) return fail("Token does not match server's copy");
    const serviceAccount = lookup.getServiceAccount(namespace, serviceAccountName);
    if (!serviceAccount) return fail(notFoundMessage("serviceaccounts", serviceAccountName));
    if (serviceAccount.deletionTimestamp !== undefined) return fail(`ServiceAccount ${namespace}/${serviceAccountName} has been deleted`);
    if (serviceAccount.uid !== serviceAccountUid) {
      return fail(`ServiceAccount UID (${serviceAccount.uid}) does not match claim (${serviceAccountUid})`);
    }
    if (secret.labels?.[INVALID_SINCE_LABEL]) {
      return fail(
        `the token in secret ${namespace}/${secretName} for service account ${namespace}/${serviceAccountName} has been marked invalid. ` +
          `Use tokens from the TokenRequest API or manually created secret-based tokens, or remove the '${INVALID_SINCE_LABEL}' label from the secret to temporarily allow use of this token`,
      );
    }
  }
  return { ok: true, info: { namespace, name: serviceAccountName, uid: serviceAccountUid } };
}
