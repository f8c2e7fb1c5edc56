/**
 * The cluster's authenticator chain, built from its configuration. Parsed pieces (CA pool, token file,
 * verification keys) are cached per configuration content, so restoring a stored cluster and serving
 * many requests never re-parses PEMs. The ServiceAccount authenticator reads live objects, so it is
 * composed per request around the cached keys.
 */
import { createHash } from "node:crypto";
import { resolveAnonymousConfig, type AnonymousConfig } from "../authn/anonymous";
import { createAuthenticationChain, type ChainDecision } from "../authn/chain";
import { createServiceAccountTokenAuthenticator, publicKeyOf, type LookupSecret, type ServiceAccountLookup } from "../authn/serviceaccount";
import { createTokenFileAuthenticator, parseTokenFile } from "../authn/token-file";
import { createX509Authenticator } from "../authn/x509";
import type { ApiRequest, Authenticator, TokenAuthenticator, TraceStep } from "../types";
import { objectField, stringField, type JsonObject } from "./json";
import type { ClusterConfig, ClusterState } from "./state";
import { getObject } from "./store";
import { jwtAuthenticatorsFor } from "./jwt-authenticators";

interface AuthenticationRuntime {
  x509?: Authenticator;
  tokenFile?: TokenAuthenticator;
  jwt: TokenAuthenticator[];
  serviceAccountKeyPems: string[];
  anonymous: AnonymousConfig;
  /** Start-up problems (a bad token file, conflicting anonymous settings), shown in the trace. */
  startupErrors: string[];
}

const byConfigObject = new WeakMap<ClusterConfig, AuthenticationRuntime>();
const byContentHash = new Map<string, AuthenticationRuntime>();

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

function buildRuntime(config: ClusterConfig): AuthenticationRuntime {
  const startupErrors: string[] = [];
  const runtime: AuthenticationRuntime = { jwt: [], serviceAccountKeyPems: [], anonymous: { enabled: config.anonymousAuth ?? true }, startupErrors };
  if (config.clientCaBundlePem.trim() !== "") runtime.x509 = createX509Authenticator({ clientCaBundlePem: config.clientCaBundlePem });
  if (config.tokenAuthFileCsv !== undefined) {
    const parsed = parseTokenFile(config.tokenAuthFileCsv);
    if (parsed.ok) runtime.tokenFile = createTokenFileAuthenticator(parsed.entries);
    else startupErrors.push(parsed.error);
  }
  try {
    const signingPublic = publicKeyOf({ privateKeyPem: config.serviceAccount.signingKeyPem }).export({ type: "spki", format: "pem" }).toString();
    runtime.serviceAccountKeyPems = [signingPublic, ...config.serviceAccount.extraVerificationKeyPems];
  } catch (error) {
    startupErrors.push(`invalid --service-account-signing-key-file: ${error instanceof Error ? error.message : String(error)}`);
  }
  const jwt = jwtAuthenticatorsFor(config);
  runtime.jwt = jwt.authenticators;
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

export async function authenticate(state: ClusterState, request: ApiRequest): Promise<AuthenticationResult> {
  const runtime = runtimeFor(state.config);
  const lookup = serviceAccountLookup(state);
  const { serviceAccount, apiAudiences } = state.config;
  const tokenAuthenticators: TokenAuthenticator[] = [];
  if (runtime.tokenFile !== undefined) tokenAuthenticators.push(runtime.tokenFile);
  if (runtime.serviceAccountKeyPems.length > 0) {
    tokenAuthenticators.push(
      createServiceAccountTokenAuthenticator({ keys: runtime.serviceAccountKeyPems, apiAudiences, lookup, legacy: true }),
      createServiceAccountTokenAuthenticator({ issuers: serviceAccount.issuers, keys: runtime.serviceAccountKeyPems, apiAudiences, lookup }),
    );
  }
  tokenAuthenticators.push(...runtime.jwt);
  const chain = createAuthenticationChain({
    ...(runtime.x509 === undefined ? {} : { x509: runtime.x509 }),
    tokenAuthenticators,
    anonymous: runtime.anonymous,
    apiAudiences,
  });
  const decision = await chain.authenticate(request, { now: new Date(state.clock.nowMs), apiAudiences });
  return { ...decision, startupErrors: runtime.startupErrors };
}

export function startupTrace(errors: string[]): TraceStep[] {
  return errors.map((message) => ({ stage: "startup", outcome: "error", message }));
}
