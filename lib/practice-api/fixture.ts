/**
 * The "identities" fixture: one cluster with a credential of every kind the authentication chain
 * knows, valid and broken, plus a little RBAC and a few objects so lists are not empty. Used by
 * `npm run practice-api -- --fixture identities`, the practice-api tests and the benchmark; its
 * expected outcomes are documented in docs/practice-api.md.
 */
import {
  createCluster,
  handleRequest,
  identityProviderFrom,
  serviceAccountSigningKey,
  type ClusterState,
  type JsonObject,
  issueBoundServiceAccountToken,
  issueLegacyServiceAccountToken,
  addObject,
  getObject,
} from "../k8s";
import { pemToDer } from "../k8s/pki";

export const FIXTURE_INSTANCE_ID = "fixture";
export const STATIC_TOKEN = "kubeprep-static-token-bob-7f3c9a1e";
export const BAD_TOKEN = "this-token-is-known-to-nobody";
export const OIDC_EMAIL_ISSUER = "https://idp.example.com";
export const OIDC_SUB_ISSUER = "https://sso.example.com";
export const OIDC_AUDIENCE = "kubeprep";

export type FixtureCredential =
  { kind: "certificate"; certPem: string; keyPem: string } | { kind: "token"; token: string } | { kind: "none" };

export interface FixtureIdentity {
  name: string;
  description: string;
  credential: FixtureCredential;
  /** The user the API server ends up with; undefined: 401. */
  expectedUser?: { username: string; groups: string[] };
}

export interface IdentitiesFixture {
  state: ClusterState;
  identities: FixtureIdentity[];
}

const AUTHENTICATION_CONFIG = `apiVersion: apiserver.config.k8s.io/v1beta1
kind: AuthenticationConfiguration
jwt:
- issuer:
    url: ${OIDC_EMAIL_ISSUER}
    audiences: [${OIDC_AUDIENCE}]
  claimMappings:
    username:
      claim: email
      prefix: ""
    groups:
      claim: groups
      prefix: "oidc:"
- issuer:
    url: ${OIDC_SUB_ISSUER}
    audiences: [${OIDC_AUDIENCE}]
  claimMappings:
    username:
      claim: sub
      prefix: "${OIDC_SUB_ISSUER}#"
`;

function role(namespace: string, name: string, resource: string, verbs: string[]): JsonObject {
  return {
    apiVersion: "rbac.authorization.k8s.io/v1",
    kind: "Role",
    metadata: { name, namespace },
    rules: [{ apiGroups: [""], resources: [resource], verbs }],
  };
}

function roleBinding(namespace: string, name: string, roleName: string, subject: JsonObject): JsonObject {
  return {
    apiVersion: "rbac.authorization.k8s.io/v1",
    kind: "RoleBinding",
    metadata: { name, namespace },
    roleRef: { apiGroup: "rbac.authorization.k8s.io", kind: "Role", name: roleName },
    subjects: [subject],
  };
}

function pod(namespace: string, name: string, image: string, created: string): JsonObject {
  return {
    apiVersion: "v1",
    kind: "Pod",
    metadata: { name, namespace, creationTimestamp: created },
    spec: { containers: [{ name: "main", image }] },
  };
}

function configMap(namespace: string, name: string, data: Record<string, string>): JsonObject {
  return { apiVersion: "v1", kind: "ConfigMap", metadata: { name, namespace }, data };
}

function rfc3339(ms: number): string {
  return new Date(ms).toISOString().replace(/\.\d{3}Z$/, "Z");
}

/** Asks the engine (as system:masters) and fails loudly: the fixture must be exactly as documented. */
async function adminCall(state: ClusterState, method: string, url: string, body?: unknown): Promise<JsonObject> {
  const admin = state.credentials.admin;
  const adminDer = admin === undefined ? undefined : pemToDer(admin.certPem);
  if (adminDer === undefined) throw new Error("fixture: admin credential missing");
  const result = await handleRequest(state, {
    method,
    url,
    headers: { accept: "application/json", "content-type": "application/json" },
    tls: true,
    peerCertificates: [adminDer],
    ...(body === undefined ? {} : { body: new TextEncoder().encode(JSON.stringify(body)) }),
  });
  const text = typeof result.response.body === "string" ? result.response.body : Buffer.from(result.response.body).toString("utf8");
  if (result.response.status >= 300) throw new Error(`fixture: ${method} ${url} -> ${result.response.status} ${text}`);
  return JSON.parse(text) as JsonObject;
}

function tokenOf(object: JsonObject): string {
  const status = object.status;
  if (typeof status !== "object" || status === null || Array.isArray(status) || typeof status.token !== "string")
    throw new Error("fixture: TokenRequest without status.token");
  return status.token;
}

function uidOf(state: ClusterState, namespace: string, name: string): string {
  const metadata = getObject(state, "serviceaccounts", namespace, name)?.metadata;
  const uid = typeof metadata === "object" && metadata !== null && !Array.isArray(metadata) ? metadata.uid : undefined;
  if (typeof uid !== "string") throw new Error(`fixture: ServiceAccount ${namespace}/${name} has no uid`);
  return uid;
}

/**
 * Builds the fixture. `now` (default: the current minute) is the cluster clock; it is wall-clock based
 * so that the certificates kubectl sees look current. The cluster clock then stays where it is.
 */
export async function createIdentitiesFixture(now: Date = new Date(Math.floor(Date.now() / 60_000) * 60_000)): Promise<IdentitiesFixture> {
  const startMs = now.getTime();
  const hour = 3600_000;
  const state = await createCluster({
    start: startMs,
    installedAt: startMs - 30 * 24 * hour,
    seed: "practice-identities",
    users: [
      { id: "valid-cert", name: "jane", groups: ["dev-team", "qa"] },
      { id: "admin", name: "admin", groups: ["system:masters"] },
      { id: "expired-cert", name: "jane", groups: ["dev-team", "qa"], notBefore: startMs - 48 * hour, validFor: "24h" },
      { id: "not-yet-valid-cert", name: "jane", groups: ["dev-team", "qa"], notBefore: startMs + 24 * hour, validFor: "24h" },
      { id: "untrusted-cert", name: "jane", groups: ["dev-team", "qa"], signedBy: "untrusted" },
      { id: "wrong-eku-cert", name: "jane", groups: ["dev-team", "qa"], extKeyUsage: ["serverAuth"] },
      { id: "no-cn-cert", name: "", groups: ["dev-team"] },
    ],
    tokenFile: [{ token: STATIC_TOKEN, user: "bob", uid: "1001", groups: ["ops", "dev-team"] }],
    oidc: { authenticationConfigYaml: AUTHENTICATION_CONFIG },
    identityProviders: [
      { issuer: OIDC_EMAIL_ISSUER, algorithm: "RS256" },
      { issuer: OIDC_SUB_ISSUER, algorithm: "ES256" },
    ],
    namespaces: ["dev"],
    serviceAccounts: [
      { namespace: "dev", name: "builder" },
      { namespace: "dev", name: "legacy-bot" },
      { namespace: "dev", name: "temp-bot" },
    ],
    objects: [
      pod("default", "web-1", "nginx:1.27", rfc3339(startMs - 10 * 24 * hour)),
      pod("default", "web-2", "nginx:1.27", rfc3339(startMs - 2 * hour)),
      pod("dev", "api-1", "ghcr.io/example/api:2.3", rfc3339(startMs - 3 * 24 * hour)),
      configMap("default", "site-settings", { theme: "dark" }),
      configMap("dev", "app-config", { LOG_LEVEL: "debug", FEATURE_X: "on" }),
      configMap("dev", "feature-flags", { beta: "true" }),
      role("default", "pod-lister", "pods", ["list"]),
      roleBinding("default", "jane-pod-lister", "pod-lister", { kind: "User", apiGroup: "rbac.authorization.k8s.io", name: "jane" }),
      role("dev", "pod-reader", "pods", ["get", "list"]),
      roleBinding("dev", "dev-team-pod-reader", "pod-reader", { kind: "Group", apiGroup: "rbac.authorization.k8s.io", name: "dev-team" }),
      role("dev", "configmap-lister", "configmaps", ["list"]),
      roleBinding("dev", "builder-configmap-lister", "configmap-lister", { kind: "ServiceAccount", name: "builder", namespace: "dev" }),
    ],
  });

  const cert = (id: string): FixtureCredential => {
    const credential = state.credentials[id];
    if (credential === undefined) throw new Error(`fixture: credential ${id} missing`);
    return { kind: "certificate", certPem: credential.certPem, keyPem: credential.keyPem };
  };
  const saKey = serviceAccountSigningKey(state.config.serviceAccount.signingKeyPem);
  const issuer = state.config.serviceAccount.issuers[0] ?? "https://kubernetes.default.svc.cluster.local";
  const builder = { namespace: "dev", name: "builder", uid: uidOf(state, "dev", "builder") };

  // A bound token through the TokenRequest API, as `kubectl create token builder -n dev` would get it.
  const saToken = tokenOf(
    await adminCall(state, "POST", "/api/v1/namespaces/dev/serviceaccounts/builder/token", {
      apiVersion: "authentication.k8s.io/v1",
      kind: "TokenRequest",
      spec: { expirationSeconds: 86400 },
    }),
  );
  const expiredSaToken = (
    await issueBoundServiceAccountToken({
      key: saKey,
      issuer,
      audiences: state.config.apiAudiences,
      expirationSeconds: 600,
      serviceAccount: builder,
      now: new Date(startMs - 2 * hour),
    })
  ).token;
  const wrongAudienceToken = (
    await issueBoundServiceAccountToken({
      key: saKey,
      issuer,
      audiences: ["https://vault.example.com"],
      expirationSeconds: 86400,
      serviceAccount: builder,
      now: new Date(startMs - 60_000),
    })
  ).token;
  const deletedSaToken = tokenOf(
    await adminCall(state, "POST", "/api/v1/namespaces/dev/serviceaccounts/temp-bot/token", {
      apiVersion: "authentication.k8s.io/v1",
      kind: "TokenRequest",
      spec: { expirationSeconds: 86400 },
    }),
  );
  await adminCall(state, "DELETE", "/api/v1/namespaces/dev/serviceaccounts/temp-bot");

  // A pre-1.24 Secret-based token, stored in its kubernetes.io/service-account-token Secret.
  const legacyBot = { namespace: "dev", name: "legacy-bot", uid: uidOf(state, "dev", "legacy-bot") };
  const legacyToken = (await issueLegacyServiceAccountToken({ key: saKey, serviceAccount: legacyBot, secretName: "legacy-bot-token" }))
    .token;
  addObject(state, {
    apiVersion: "v1",
    kind: "Secret",
    type: "kubernetes.io/service-account-token",
    metadata: {
      name: "legacy-bot-token",
      namespace: "dev",
      annotations: { "kubernetes.io/service-account.name": "legacy-bot", "kubernetes.io/service-account.uid": legacyBot.uid },
    },
    data: { token: Buffer.from(legacyToken).toString("base64"), namespace: Buffer.from("dev").toString("base64") },
  });

  const emailIdp = state.config.identityProviders.find((idp) => idp.issuer === OIDC_EMAIL_ISSUER);
  const subIdp = state.config.identityProviders.find((idp) => idp.issuer === OIDC_SUB_ISSUER);
  if (emailIdp === undefined || subIdp === undefined) throw new Error("fixture: identity providers missing");
  const email = identityProviderFrom(emailIdp);
  const sso = identityProviderFrom(subIdp);
  const oidcEmail = await email.issueIdToken({
    claims: { sub: "u-4711", aud: OIDC_AUDIENCE, email: "ana@example.com", email_verified: true, groups: ["developers"] },
    now,
    expiresInSeconds: 86400,
  });
  const oidcSub = await sso.issueIdToken({ claims: { sub: "carol", aud: OIDC_AUDIENCE }, now, expiresInSeconds: 86400 });
  const oidcExpired = await email.issueIdToken({
    claims: { sub: "u-4711", aud: OIDC_AUDIENCE, email: "ana@example.com", email_verified: true },
    now: new Date(startMs - 2 * hour),
    expiresInSeconds: 3600,
  });
  const oidcUnverified = await email.issueIdToken({
    claims: { sub: "u-0815", aud: OIDC_AUDIENCE, email: "mallory@example.com", email_verified: false },
    now,
    expiresInSeconds: 86400,
  });

  const anonymous = { username: "system:anonymous", groups: ["system:unauthenticated"] };
  const identities: FixtureIdentity[] = [
    {
      name: "valid-cert",
      description: "client certificate CN=jane, O=dev-team, O=qa, signed by the cluster CA",
      credential: cert("valid-cert"),
      expectedUser: { username: "jane", groups: ["dev-team", "qa", "system:authenticated"] },
    },
    { name: "expired-cert", description: "jane's certificate, expired a day ago", credential: cert("expired-cert") },
    { name: "not-yet-valid-cert", description: "jane's certificate, valid from tomorrow", credential: cert("not-yet-valid-cert") },
    { name: "untrusted-cert", description: "CN=jane signed by a CA the API server does not know", credential: cert("untrusted-cert") },
    { name: "wrong-eku-cert", description: "CN=jane with extendedKeyUsage serverAuth only", credential: cert("wrong-eku-cert") },
    {
      name: "no-cn-cert",
      description: "cluster-signed certificate without a CN (x509 has no opinion: anonymous)",
      credential: cert("no-cn-cert"),
      expectedUser: anonymous,
    },
    {
      name: "sa-token",
      description: "bound token (TokenRequest) of ServiceAccount dev/builder",
      credential: { kind: "token", token: saToken },
      expectedUser: {
        username: "system:serviceaccount:dev:builder",
        groups: ["system:serviceaccounts", "system:serviceaccounts:dev", "system:authenticated"],
      },
    },
    {
      name: "sa-token-expired",
      description: "bound token of dev/builder that expired 110 minutes ago",
      credential: { kind: "token", token: expiredSaToken },
    },
    {
      name: "sa-token-wrong-audience",
      description: "bound token of dev/builder for audience https://vault.example.com",
      credential: { kind: "token", token: wrongAudienceToken },
    },
    {
      name: "sa-token-deleted-sa",
      description: "bound token of dev/temp-bot, a ServiceAccount deleted after issuing",
      credential: { kind: "token", token: deletedSaToken },
    },
    {
      name: "legacy-sa-token",
      description: "Secret-based token of ServiceAccount dev/legacy-bot (Secret dev/legacy-bot-token)",
      credential: { kind: "token", token: legacyToken },
      expectedUser: {
        username: "system:serviceaccount:dev:legacy-bot",
        groups: ["system:serviceaccounts", "system:serviceaccounts:dev", "system:authenticated"],
      },
    },
    {
      name: "static-token",
      description: "--token-auth-file row: user bob, uid 1001, groups ops, dev-team",
      credential: { kind: "token", token: STATIC_TOKEN },
      expectedUser: { username: "bob", groups: ["ops", "dev-team", "system:authenticated"] },
    },
    {
      name: "oidc-email",
      description: `ID token from ${OIDC_EMAIL_ISSUER}: username from the email claim, groups prefixed oidc:`,
      credential: { kind: "token", token: oidcEmail },
      expectedUser: { username: "ana@example.com", groups: ["oidc:developers", "system:authenticated"] },
    },
    {
      name: "oidc-sub",
      description: `ID token from ${OIDC_SUB_ISSUER}: username from sub with the issuer# prefix`,
      credential: { kind: "token", token: oidcSub },
      expectedUser: { username: `${OIDC_SUB_ISSUER}#carol`, groups: ["system:authenticated"] },
    },
    {
      name: "oidc-expired",
      description: `ID token from ${OIDC_EMAIL_ISSUER} that expired an hour ago`,
      credential: { kind: "token", token: oidcExpired },
    },
    {
      name: "oidc-unverified-email",
      description: `ID token from ${OIDC_EMAIL_ISSUER} with email_verified: false`,
      credential: { kind: "token", token: oidcUnverified },
    },
    { name: "bad-token", description: "a bearer token no authenticator knows", credential: { kind: "token", token: BAD_TOKEN } },
    { name: "anonymous", description: "no credentials at all", credential: { kind: "none" }, expectedUser: anonymous },
    {
      name: "admin",
      description: "client certificate CN=admin, O=system:masters",
      credential: cert("admin"),
      expectedUser: { username: "admin", groups: ["system:masters", "system:authenticated"] },
    },
  ];
  return { state, identities };
}
