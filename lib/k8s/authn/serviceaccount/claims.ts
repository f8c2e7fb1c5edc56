/**
 * Claim sets of ServiceAccount tokens (spec §3.2 bound tokens, §3.5 legacy Secret tokens),
 * laid out as go-jose serializes them: keys sorted (Go marshals the merged claims as a map).
 */
import { randomBytes } from "node:crypto";

/** Injected bound service account token expiration which triggers monitoring of its time-bound feature. */
export const WARN_ONLY_BOUND_TOKEN_EXPIRATION_SECONDS = 60 * 60 + 7;
/** Extended expiration for those modified tokens involved in safe rollout of the time-bound feature. */
export const EXPIRATION_EXTENSION_SECONDS = 24 * 365 * 60 * 60;
export const LEGACY_SERVICE_ACCOUNT_ISSUER = "kubernetes/serviceaccount";

export interface ObjectRefClaim {
  name?: string;
  uid?: string;
}

export interface KubernetesClaim {
  namespace?: string;
  node?: ObjectRefClaim;
  pod?: ObjectRefClaim;
  secret?: ObjectRefClaim;
  serviceaccount?: ObjectRefClaim;
  warnafter?: number;
}

export interface BoundTokenClaims {
  aud: string[];
  exp: number;
  iat: number;
  iss: string;
  jti: string;
  "kubernetes.io": KubernetesClaim;
  nbf: number;
  sub: string;
}

export interface LegacyTokenClaims {
  iss: string;
  "kubernetes.io/serviceaccount/namespace": string;
  "kubernetes.io/serviceaccount/secret.name": string;
  "kubernetes.io/serviceaccount/service-account.name": string;
  "kubernetes.io/serviceaccount/service-account.uid": string;
  sub: string;
}

export interface ServiceAccountRef {
  namespace: string;
  name: string;
  uid: string;
}

export interface BoundObject {
  kind: "Pod" | "Secret" | "Node";
  name: string;
  uid: string;
  /** Pod only: the node the pod is scheduled on (ServiceAccountTokenPodNodeInfo, GA in 1.32). */
  nodeName?: string;
  /** Pod only: omitted from the claim when the Node object was not found. */
  nodeUid?: string;
}

/** Source of random bytes; pass a seeded one in tests to get stable jti values. */
export type RandomBytes = (size: number) => Uint8Array;

export const SERVICE_ACCOUNT_USERNAME_PREFIX = "system:serviceaccount:";

export function serviceAccountUsername(namespace: string, name: string): string {
  return `${SERVICE_ACCOUNT_USERNAME_PREFIX}${namespace}:${name}`;
}

/** uuid.NewString(): a random (version 4) UUID. */
export function randomUuid(random: RandomBytes = randomBytes): string {
  const bytes = Uint8Array.from(random(16));
  bytes[6] = ((bytes[6] ?? 0) & 0x0f) | 0x40;
  bytes[8] = ((bytes[8] ?? 0) & 0x3f) | 0x80;
  const hex = Buffer.from(bytes).toString("hex").padEnd(32, "0");
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20, 32)}`;
}

/** `ref` with omitempty fields, as Go drops empty name/uid. */
function ref(name: string | undefined, uid: string | undefined): ObjectRefClaim {
  const out: ObjectRefClaim = {};
  if (name) out.name = name;
  if (uid) out.uid = uid;
  return out;
}

export interface BoundClaimsInput {
  issuer: string;
  audiences: string[];
  /** Seconds until `exp` (after any extension). */
  expirationSeconds: number;
  /** Seconds until `kubernetes.io.warnafter`; only for extended (3607) tokens. */
  warnAfterSeconds?: number;
  serviceAccount: ServiceAccountRef;
  boundObject?: BoundObject;
  now: Date;
  jti: string;
}

/** pkg/serviceaccount/claims.go Claims(), with the 1.32 gates (JTI, PodNodeInfo, NodeBinding) on. */
export function buildBoundClaims(input: BoundClaimsInput): BoundTokenClaims {
  const nowSeconds = Math.floor(input.now.getTime() / 1000);
  const { serviceAccount: sa, boundObject } = input;
  const kubernetes: KubernetesClaim = { namespace: sa.namespace };
  if (boundObject?.kind === "Pod") {
    if (boundObject.nodeName) kubernetes.node = ref(boundObject.nodeName, boundObject.nodeUid);
    kubernetes.pod = ref(boundObject.name, boundObject.uid);
  } else if (boundObject?.kind === "Secret") {
    kubernetes.secret = ref(boundObject.name, boundObject.uid);
  } else if (boundObject?.kind === "Node") {
    kubernetes.node = ref(boundObject.name, boundObject.uid);
  }
  kubernetes.serviceaccount = ref(sa.name, sa.uid);
  if (input.warnAfterSeconds) kubernetes.warnafter = nowSeconds + input.warnAfterSeconds;
  return {
    // UNVERIFIED in spec: chose an array even for one audience, as the docs' decoded tokens show.
    aud: [...input.audiences],
    exp: nowSeconds + input.expirationSeconds,
    iat: nowSeconds,
    iss: input.issuer,
    jti: input.jti,
    "kubernetes.io": kubernetes,
    nbf: nowSeconds,
    sub: serviceAccountUsername(sa.namespace, sa.name),
  };
}

/** pkg/serviceaccount/legacy.go LegacyClaims(): no exp, aud or jti. */
export function buildLegacyClaims(serviceAccount: ServiceAccountRef, secretName: string): LegacyTokenClaims {
  return {
    iss: LEGACY_SERVICE_ACCOUNT_ISSUER,
    "kubernetes.io/serviceaccount/namespace": serviceAccount.namespace,
    "kubernetes.io/serviceaccount/secret.name": secretName,
    "kubernetes.io/serviceaccount/service-account.name": serviceAccount.name,
    "kubernetes.io/serviceaccount/service-account.uid": serviceAccount.uid,
    sub: serviceAccountUsername(serviceAccount.namespace, serviceAccount.name),
  };
}
