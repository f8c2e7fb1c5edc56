/**
 * createCluster: turns a declarative spec into a ClusterState: CAs and certificates, ServiceAccount
 * signing key, token file, OIDC settings, identity-provider keys, and the declared objects.
 */
import { generateKeyPairSync } from "node:crypto";
import { createSeededRandom, parseDuration, positiveSerialHex } from "../clock";
import { createIdentityProvider } from "../authn/oidc";
import { createCertificateAuthority, issueCertificate } from "../pki/issue";
import { generateKeyPair } from "../pki/keys";
import { RESOURCES, apiVersionOf, resourceKey } from "../api/resources";
import { prepareNewObject, afterCreate } from "../api/handlers/kinds";
import { populateTokenSecret } from "../api/handlers/token-secret";
import { nextRandomBytes, nextResourceVersion, nextUid, rfc3339 } from "../cluster/ids";
import { isJsonObject, parseJson, stringField, type JsonObject } from "../json";
import { getObject, metadataOf, putObject } from "../cluster/store";
import { clusterSpecSchema, type ClusterSpec, type ParsedClusterSpec } from "../cluster/spec";
import type { ClusterState, IdentityProviderConfig } from "../cluster/state";
import { goTimeQuote } from "../go";
import { createKubeadmNode } from "../node/create";

const DAY_MS = 24 * 3600 * 1000;

function toMs(value: string | number): number {
  const ms = typeof value === "number" ? value : Date.parse(value);
  if (Number.isNaN(ms)) throw new RangeError(`invalid timestamp ${JSON.stringify(value)}`);
  return ms;
}

function durationMs(text: string): number {
  const ms = parseDuration(text);
  if (ms === undefined) throw new RangeError(`time: invalid duration ${goTimeQuote(text)}`);
  return ms;
}

/** Go's csv-style token file line: `token,user,uid,"g1,g2"`. */
function tokenFileCsv(spec: ParsedClusterSpec["tokenFile"]): string | undefined {
  if (spec === undefined || typeof spec === "string") return spec;
  const quote = (value: string): string => (/[",\n]/.test(value) ? `"${value.replace(/"/g, '""')}"` : value);
  return spec
    .map((row) => [row.token, row.user, row.uid, ...(row.groups.length > 0 ? [row.groups.join(",")] : [])].map(quote).join(","))
    .join("\n")
    .concat("\n");
}

export async function createCluster(input: ClusterSpec): Promise<ClusterState> {
  const spec = clusterSpecSchema.parse(input);
  const startMs = toMs(spec.start);
  const installedMs = spec.installedAt === undefined ? startMs : toMs(spec.installedAt);
  const caNotBefore = new Date(installedMs - DAY_MS);
  const caNotAfter = new Date(installedMs + 3650 * DAY_MS);

  // Serial numbers come from the seed (keys cannot: node:crypto key generation is not seedable).
  const serials = createSeededRandom(`${spec.seed}:serials`);
  const clientCa = await createCertificateAuthority({
    commonName: "kubernetes",
    keyAlgorithm: spec.keyAlgorithm,
    notBefore: caNotBefore,
    notAfter: caNotAfter,
    serialNumber: serials.serialHex(),
  });
  const servingKey = generateKeyPair(spec.keyAlgorithm);
  const serving = await issueCertificate({
    issuer: clientCa,
    subject: { commonName: "kube-apiserver" },
    publicKeyPem: servingKey.publicKeyPem,
    notBefore: caNotBefore,
    notAfter: new Date(installedMs + 365 * DAY_MS),
    extKeyUsage: ["serverAuth"],
    dnsNames: ["kubernetes", "kubernetes.default", "kubernetes.default.svc", "kubernetes.default.svc.cluster.local", "localhost"],
    ipAddresses: ["127.0.0.1", "10.96.0.1"],
    serialNumber: serials.serialHex(),
  });
  const saKey =
    spec.keyAlgorithm === "RSA" ? generateKeyPairSync("rsa", { modulusLength: 2048 }) : generateKeyPairSync("ec", { namedCurve: "P-256" });

  const identityProviders: IdentityProviderConfig[] = spec.identityProviders.map((idp) => ({
    issuer: idp.issuer,
    alg: idp.algorithm,
    privateKeyPem: createIdentityProvider({ issuer: idp.issuer, alg: idp.algorithm }).state.privateKeyPem,
  }));

  const state: ClusterState = {
    format: "kubeprep.cluster/v1",
    clock: { nowMs: startMs },
    bootstrapMs: installedMs,
    random: { seed: spec.seed, counter: 0 },
    lastResourceVersion: 100,
    config: {
      serverAddress: spec.serverAddress,
      clientCaBundlePem: [clientCa.certPem, ...spec.extraClientCaPems].join(""),
      clusterSigner: clientCa,
      serving: { caCertPem: clientCa.certPem, certPem: serving.certPem, keyPem: servingKey.privateKeyPem },
      serviceAccount: {
        issuers: spec.serviceAccountIssuers,
        signingKeyPem: saKey.privateKey.export({ type: "pkcs8", format: "pem" }).toString(),
        extraVerificationKeyPems: [],
        ...(spec.serviceAccountMaxTokenExpiration === undefined
          ? {}
          : { maxTokenExpirationSeconds: durationMs(spec.serviceAccountMaxTokenExpiration) / 1000 }),
        extendTokenExpiration: spec.serviceAccountExtendTokenExpiration,
      },
      apiAudiences: spec.apiAudiences ?? [...spec.serviceAccountIssuers],
      ...(spec.anonymousAuth === undefined ? {} : { anonymousAuth: spec.anonymousAuth }),
      ...(spec.tokenFile === undefined ? {} : { tokenAuthFileCsv: tokenFileCsv(spec.tokenFile) }),
      ...(spec.oidc === undefined ? {} : { oidc: spec.oidc }),
      identityProviders,
      clusterSigningDurationSeconds: durationMs(spec.clusterSigningDuration) / 1000,
    },
    objects: {},
    shadowedBootstrap: [],
    credentials: {},
  };

  let untrustedCa: Awaited<ReturnType<typeof createCertificateAuthority>> | undefined;
  for (const user of spec.users) {
    if (user.signedBy === "untrusted") {
      untrustedCa ??= await createCertificateAuthority({
        commonName: "kubernetes",
        keyAlgorithm: spec.keyAlgorithm,
        notBefore: caNotBefore,
        notAfter: caNotAfter,
        serialNumber: serials.serialHex(),
      });
    }
    const notBefore = user.notBefore === undefined ? startMs - 3600 * 1000 : toMs(user.notBefore);
    const issued = await issueCertificate({
      issuer: user.signedBy === "untrusted" && untrustedCa !== undefined ? untrustedCa : clientCa,
      subject: { ...(user.name === "" ? {} : { commonName: user.name }), organizations: user.groups },
      keyAlgorithm: spec.keyAlgorithm,
      notBefore: new Date(notBefore),
      notAfter: new Date(notBefore + durationMs(user.validFor)),
      extKeyUsage: user.extKeyUsage,
      serialNumber: positiveSerialHex(nextRandomBytes(state, 16)),
    });
    state.credentials[user.id ?? user.name] = { certPem: issued.certPem, keyPem: issued.keyPem ?? "" };
  }

  const created = rfc3339(installedMs);
  for (const namespace of spec.namespaces) {
    addObject(state, { apiVersion: "v1", kind: "Namespace", metadata: { name: namespace, creationTimestamp: created } });
  }
  for (const account of spec.serviceAccounts) {
    addObject(state, {
      apiVersion: "v1",
      kind: "ServiceAccount",
      metadata: { name: account.name, namespace: account.namespace, creationTimestamp: created },
    });
  }
  for (const manifest of spec.objects) {
    const parsed = parseJson(JSON.stringify(manifest));
    if (!isJsonObject(parsed)) throw new TypeError("cluster spec objects must be JSON objects");
    const metadata = metadataOf(parsed);
    if (parsed.kind === "Secret") metadata.namespace ??= "default";
    await populateTokenSecret(state, parsed);
    addObject(state, parsed);
  }
  if (spec.node === "kubeadm") await createKubeadmNode(state, spec.keyAlgorithm);
  return state;
}

/** Adds a declared object as if it had been created at its creationTimestamp (default: install time). */
export function addObject(state: ClusterState, object: JsonObject): void {
  const kind = stringField(object, "kind") ?? "";
  const resource = RESOURCES.find((candidate) => candidate.kind === kind && candidate.virtual !== true);
  if (resource === undefined) throw new TypeError(`cluster spec: unsupported kind ${JSON.stringify(kind)}`);
  const metadata = metadataOf(object);
  const name = stringField(metadata, "name") ?? "";
  if (name === "") throw new TypeError(`cluster spec: a ${kind} needs metadata.name`);
  if (resource.namespaced) metadata.namespace = stringField(metadata, "namespace") ?? "default";
  else delete metadata.namespace;
  object.apiVersion = apiVersionOf(resource);
  const check = prepareNewObject(state, kind, object);
  if (!check.ok) {
    const detail =
      "errors" in check ? check.errors.map((error) => `${error.field}: ${error.type}`).join(", ") : (check.status.message ?? "");
    throw new TypeError(`cluster spec: ${kind} ${name}: ${detail}`);
  }
  metadata.uid = stringField(metadata, "uid") ?? nextUid(state);
  metadata.resourceVersion = nextResourceVersion(state);
  metadata.creationTimestamp = stringField(metadata, "creationTimestamp") ?? rfc3339(state.bootstrapMs);
  const namespace = stringField(metadata, "namespace") ?? "";
  if (getObject(state, resourceKey(resource), namespace, name) !== undefined && kind !== "Namespace") {
    throw new TypeError(`cluster spec: ${kind} ${namespace}/${name} is declared twice`);
  }
  putObject(state, resourceKey(resource), object);
  afterCreate(state, kind, object);
}
