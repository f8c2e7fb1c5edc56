/**
 * The cluster's authenticator chain, built from its configuration. Parsed pieces (CA pool, token file,
 * verification keys, ServiceAccount verifiers) are cached per configuration content, so restoring a
 * stored cluster and serving many requests never re-parses PEMs or re-derives key ids.
 *
 * Verified credentials are cached per configuration content too, and only where the answer depends on
 * nothing but the configuration, the credential and the clock:
 * - x509 and OIDC/JWT: a success cache (lib/k8s/authn/cache.ts) keyed by a SHA-256 of
 *   the certificate chain or token, bounded, honouring validUntil (certificate or token expiry) against
 *   the simulated clock, and never used when the clock was moved back before the entry was stored.
 * - ServiceAccount tokens: only the signature check and claim decoding are remembered; the clock checks
 *   and the ServiceAccount/Secret/Pod/Node lookups read the live state on every request, so deleting a
 *   ServiceAccount takes effect on the very next request.
 * - The token file is a map lookup and needs no cache.
 */
import { createHash } from "node:crypto";
import { resolveAnonymousConfig, type AnonymousConfig } from "../authn/anonymous";
import { SuccessCache, withCredentialCache, withTokenCache, type AuthnCacheStats } from "../authn/cache";
import { createAuthenticationChain, type AuthenticationChain, type ChainDecision } from "../authn/chain";
import {
  createServiceAccountTokenVerifier,
  publicKeyOf,
  type LookupSecret,
  type ServiceAccountLookup,
  type ServiceAccountTokenVerifier,
} from "../authn/serviceaccount";
import { createTokenFileAuthenticator, parseTokenFile } from "../authn/token-file";
import { createX509Authenticator } from "../authn/x509";
import type { ApiRequest, Authenticator, TokenAuthenticator, TraceStep } from "../types";
import { objectField, stringField, type JsonObject } from "../json";
import type { ClusterConfig, ClusterState } from "./state";
import { getObject } from "./store";
import { jwtAuthenticatorsFor } from "./jwt-authenticators";

interface AuthenticationRuntime {
  x509?: Authenticator;
  tokenFile?: TokenAuthenticator;
  jwt: TokenAuthenticator[];
  serviceAccountKeyPems: string[];
  /** Legacy (Secret-based) then bound token verifiers, in apiserver order; empty without keys. */
  serviceAccount: ServiceAccountTokenVerifier[];
  anonymous: AnonymousConfig;
  /** Start-up problems (a bad token file, conflicting anonymous settings), shown in the trace. */
  startupErrors: string[];
}

const byConfigObject = new WeakMap<ClusterConfig, AuthenticationRuntime>();
const byContentHash = new Map<string, AuthenticationRuntime>();

/** Entries per credential cache (certificates, each token authenticator, ServiceAccount signature memo). */
export const CREDENTIAL_CACHE_ENTRIES = 1024;
/** Bumped by clearAuthenticationCaches: every cached success is stored under the epoch it was verified in. */
let cacheEpoch = 0;
const cacheOptions = { maxEntries: CREDENTIAL_CACHE_ENTRIES, generation: (): number => cacheEpoch };

/** Forgets every cached verification (tests and benchmarks measure the uncached path with it). */
export function clearAuthenticationCaches(): void {
  cacheEpoch += 1;
}

export function configHash(config: ClusterConfig): string {
  return createHash("sha256").update(JSON.stringify(config)).digest("hex");
}

function runtimeFor(config: ClusterConfig): AuthenticationRuntime {
  const direct = byConfigObject.get(config);
  if (direct !== undefined) return direct;
  const hash = configHash(config);
  let runtime = byContentHash.get(hash);
  if (runtime === undefined) {
    runtime = buildRuntime(config);
    if (byContentHash.size > 500) byContentHash.clear();
    byContentHash.set(hash, runtime);
  }
  byConfigObject.set(config, runtime);
  return runtime;
}

/** Hit/miss counters of the cluster's credential caches (for tests and diagnostics). */
export function authenticationCacheStats(state: ClusterState): { x509?: AuthnCacheStats; jwt: AuthnCacheStats[] } {
  const runtime = runtimeFor(state.config);
  const statsOf = (authenticator: Authenticator | TokenAuthenticator | undefined): AuthnCacheStats | undefined =>
    authenticator !== undefined && "cache" in authenticator && authenticator.cache instanceof SuccessCache
      ? { ...authenticator.cache.stats }
      : undefined;
  const x509 = statsOf(runtime.x509);
  const jwt = runtime.jwt.map(statsOf).filter((stats): stats is AuthnCacheStats => stats !== undefined);
  return x509 === undefined ? { jwt } : { x509, jwt };
}

function buildRuntime(config: ClusterConfig): AuthenticationRuntime {
  const startupErrors: string[] = [];
  const runtime: AuthenticationRuntime = {
    jwt: [],
    serviceAccountKeyPems: [],
    serviceAccount: [],
    anonymous: { enabled: config.anonymousAuth ?? true },
    startupErrors,
  };
  if (config.clientCaBundlePem.trim() !== "")
    runtime.x509 = withCredentialCache(createX509Authenticator({ clientCaBundlePem: config.clientCaBundlePem }), cacheOptions);
  if (config.tokenAuthFileCsv !== undefined) {
    const parsed = parseTokenFile(config.tokenAuthFileCsv);
    // A map lookup already: a cache in front would only add a hash.
    if (parsed.ok) runtime.tokenFile = createTokenFileAuthenticator(parsed.entries);
    else startupErrors.push(parsed.error);
  }
  try {
    const signingPublic = publicKeyOf({ privateKeyPem: config.serviceAccount.signingKeyPem })
      .export({ type: "spki", format: "pem" })
      .toString();
    runtime.serviceAccountKeyPems = [signingPublic, ...config.serviceAccount.extraVerificationKeyPems];
  } catch (error) {
    startupErrors.push(`invalid --service-account-signing-key-file: ${error instanceof Error ? error.message : String(error)}`);
  }
  if (runtime.serviceAccountKeyPems.length > 0) {
    const { issuers } = config.serviceAccount;
    const common = {
      keys: runtime.serviceAccountKeyPems,
      apiAudiences: config.apiAudiences,
      verifiedTokenMemo: CREDENTIAL_CACHE_ENTRIES,
      memoGeneration: cacheOptions.generation,
    };
    runtime.serviceAccount = [
      createServiceAccountTokenVerifier({ ...common, legacy: true }),
      createServiceAccountTokenVerifier({ ...common, issuers }),
    ];
  }
  const jwt = jwtAuthenticatorsFor(config);
  runtime.jwt = jwt.authenticators.map((authenticator) => withTokenCache(authenticator, cacheOptions));
  startupErrors.push(...jwt.errors);
  const anonymous = resolveAnonymousConfig({
    ...(config.anonymousAuth === undefined ? {} : { flag: config.anonymousAuth }),
    ...(jwt.anonymous === undefined ? {} : { fileConfig: jwt.anonymous }),
  });
  if (anonymous.ok) runtime.anonymous = anonymous.config;
  else startupErrors.push(anonymous.error);
  return runtime;
}

function timestampOf(object: JsonObject, key: string): string | undefined {
  return stringField(objectField(object, "metadata"), key);
}

function stringMap(value: JsonObject | undefined): Record<string, string> {
  const result: Record<string, string> = {};
  for (const [key, item] of Object.entries(value ?? {})) if (typeof item === "string") result[key] = item;
  return result;
}

/** The ServiceAccount authenticator's getters over the live store. */
export function serviceAccountLookup(state: ClusterState): ServiceAccountLookup {
  const basic = (object: JsonObject | undefined): { uid: string; deletionTimestamp?: string } | undefined => {
    if (object === undefined) return undefined;
    const deletion = timestampOf(object, "deletionTimestamp");
    const uid = timestampOf(object, "uid") ?? "";
    return deletion === undefined ? { uid } : { uid, deletionTimestamp: deletion };
  };
  return {
    getServiceAccount: (namespace, name) => basic(getObject(state, "serviceaccounts", namespace, name)),
    getNode: (name) => basic(getObject(state, "nodes", "", name)),
    getPod(namespace, name) {
      const pod = getObject(state, "pods", namespace, name);
      const found = basic(pod);
      if (pod === undefined || found === undefined) return undefined;
      const nodeName = stringField(objectField(pod, "spec"), "nodeName");
      return nodeName === undefined ? found : { ...found, nodeName };
    },
    getSecret(namespace, name) {
      const secret = getObject(state, "secrets", namespace, name);
      const found = basic(secret);
      if (secret === undefined || found === undefined) return undefined;
      const metadata = objectField(secret, "metadata");
      const result: LookupSecret = {
        ...found,
        annotations: stringMap(objectField(metadata, "annotations")),
        labels: stringMap(objectField(metadata, "labels")),
        data: stringMap(objectField(secret, "data")),
      };
      const type = stringField(secret, "type");
      if (type !== undefined) result.type = type;
      return result;
    },
  };
}

export interface AuthenticationResult extends ChainDecision {
  startupErrors: string[];
}

/**
 * The chain of one state object: its ServiceAccount lookups read that object's store live on every
 * call (no snapshot), so the composed chain can be kept for as long as the configuration is the same.
 */
const chains = new WeakMap<ClusterState, { runtime: AuthenticationRuntime; apiAudiences: string[]; chain: AuthenticationChain }>();

function chainFor(state: ClusterState): { runtime: AuthenticationRuntime; chain: AuthenticationChain } {
  const runtime = runtimeFor(state.config);
  const { apiAudiences } = state.config;
  const known = chains.get(state);
  if (known !== undefined && known.runtime === runtime && known.apiAudiences === apiAudiences) return known;
  const composed = { runtime, apiAudiences, chain: composeChain(state, runtime) };
  chains.set(state, composed);
  return composed;
}

export async function authenticate(state: ClusterState, request: ApiRequest): Promise<AuthenticationResult> {
  const { runtime, chain } = chainFor(state);
  const decision = await chain.authenticate(request, { now: new Date(state.clock.nowMs), apiAudiences: state.config.apiAudiences });
  return { ...decision, startupErrors: runtime.startupErrors };
}

function composeChain(state: ClusterState, runtime: AuthenticationRuntime): AuthenticationChain {
  const lookup = serviceAccountLookup(state);
  const { apiAudiences } = state.config;
  const tokenAuthenticators: TokenAuthenticator[] = [];
  if (runtime.tokenFile !== undefined) tokenAuthenticators.push(runtime.tokenFile);
  for (const verifier of runtime.serviceAccount) {
    tokenAuthenticators.push({
      name: verifier.name,
      authenticateToken: (token, context) => verifier.authenticateToken(token, context, lookup),
    });
  }
  tokenAuthenticators.push(...runtime.jwt);
  return createAuthenticationChain({
    ...(runtime.x509 === undefined ? {} : { x509: runtime.x509 }),
    tokenAuthenticators,
    anonymous: runtime.anonymous,
    apiAudiences,
  });
}

export function startupTrace(errors: string[]): TraceStep[] {
  return errors.map((message) => ({ stage: "startup", outcome: "error", message }));
}
