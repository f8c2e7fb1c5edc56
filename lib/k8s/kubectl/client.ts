/**
 * The REST transport kubectl builds from its kubeconfig (client-go rest.Config + transport): server
 * reachability, TLS verification of the serving chain against the kubeconfig CA, client certificates,
 * bearer tokens, impersonation headers; each exchange is recorded for the "why?" panel.
 */
import { X509Certificate, createPrivateKey, createPublicKey } from "node:crypto";
import { TextMemo } from "./memo";
import { CertPool, certificatesFromPem, parseCertificateDer, parsePemBlocks, verifyCertificate } from "../pki";
import type { ApiRequest } from "../types";
import type { ApiExchange } from "../shell/types";
import { Flags } from "./args";
import { ConfigurationError, NetworkError, RenderedError } from "./errors";
import { bool, findEntry, loadKubeconfig, resolveConfigPath, str, strings, type Kubeconfig, type NamedEntry } from "./kubeconfig";
import { USER_AGENT, type Runtime } from "./runtime";
import { goQuote } from "../go";

export const DISCOVERY_ACCEPT =
  "application/json;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList,application/json;g=apidiscovery.k8s.io;v=v2beta1;as=APIGroupDiscoveryList,application/json";
export const TABLE_ACCEPT =
  "application/json;as=Table;v=v1;g=meta.k8s.io,application/json;as=Table;v=v1beta1;g=meta.k8s.io,application/json";
export const PROTOBUF_ACCEPT = "application/vnd.kubernetes.protobuf,application/json";
export const DEFAULT_ACCEPT = "application/json, */*";
const SERVER_AUTH_OID = "1.3.6.1.5.5.7.3.1";

export interface ClientSettings {
  server: string;
  contextName: string;
  clusterName: string;
  userName: string;
  namespace: string;
  /** -n/--namespace was given on the command line. */
  namespaceFromFlag: boolean;
  insecure: boolean;
  tlsServerName?: string;
  /** PEM bundle of trusted roots; undefined: the (simulated) system roots. */
  caPem?: string;
  clientCertPem?: string;
  clientKeyPem?: string;
  token?: string;
  basic?: { username: string; password: string };
  impersonate: { user: string; groups: string[]; uid: string };
}

function readFileOrError(runtime: Runtime, path: string): { ok: true; content: string } | { ok: false; error: string } {
  const file = runtime.context.fs.readFile(path);
  if (file.ok) return file;
  return { ok: false, error: `open ${path}: no such file or directory` };
}

function decodeData(value: string): string {
  return Buffer.from(value, "base64").toString("utf8");
}

/** The loaded kubeconfig, or the error kubectl prints when it cannot be read. */
export function loadConfig(runtime: Runtime, flags: Flags): Kubeconfig {
  const loaded = loadKubeconfig(runtime.context.fs, runtime.context.env, flags.optional("kubeconfig"));
  if (!loaded.ok) throw new RenderedError(`error: ${loaded.error}`);
  return loaded.config;
}

/**
 * clientcmd DirectClientConfig: merges the selected context, cluster and user with the command-line
 * overrides and validates them (ConfirmUsable). `prompt` is set when kubectl would ask for a username.
 */
export function resolveSettings(runtime: Runtime, flags: Flags): ClientSettings {
  const config = loadConfig(runtime, flags);
  const contextName = flags.string("context") || config.currentContext;
  const contextEntry = contextName === "" ? undefined : findEntry(config.contexts, contextName);
  const context = contextEntry?.body;
  const clusterName = flags.string("cluster") || str(context, "cluster");
  const userName = flags.string("user") || str(context, "user");
  const clusterEntry = clusterName === "" ? undefined : findEntry(config.clusters, clusterName);
  const userEntry = userName === "" ? undefined : findEntry(config.users, userName);
  const errors: string[] = [];
  if (contextName !== "" && contextEntry === undefined) errors.push(`context was not found for specified context: ${contextName}`);
  if (userName !== "" && userEntry === undefined && flags.has("user")) errors.push(`auth info ${goQuote(userName)} does not exist`);

  const server = flags.string("server") || str(clusterEntry?.body, "server");
  const emptyConfig = config.clusters.length === 0 && config.contexts.length === 0 && config.users.length === 0 && !flags.has("server");
  const namespace = flags.string("namespace") || str(context, "namespace") || "default";
  const settings: ClientSettings = {
    server,
    contextName,
    clusterName,
    userName,
    namespace,
    namespaceFromFlag: flags.has("namespace"),
    insecure: false,
    impersonate: {
      user: flags.string("as") || str(userEntry?.body, "as"),
      groups: flags.has("as-group") ? flags.list("as-group") : strings(userEntry?.body, "as-groups"),
      uid: flags.string("as-uid") || str(userEntry?.body, "as-uid"),
    },
  };
  if (emptyConfig || (server === "" && contextName === "" && errors.length === 0)) {
    // clientcmd.ErrEmptyConfig: kubectl falls back to the insecure default server.
    settings.server = "http://localhost:8080";
    return settings;
  }
  if (server === "")
    errors.push(clusterName === "" ? "default cluster has no server defined" : `no server found for cluster ${goQuote(clusterName)}`);

  // TLS settings of the cluster.
  const clusterBody = clusterEntry?.body;
  if (flags.has("insecure-skip-tls-verify")) settings.insecure = flags.bool("insecure-skip-tls-verify");
  else settings.insecure = bool(clusterBody, "insecure-skip-tls-verify");
  const serverName = flags.string("tls-server-name") || str(clusterBody, "tls-server-name");
  if (serverName !== "") settings.tlsServerName = serverName;
  const caFlag = flags.string("certificate-authority");
  if (caFlag !== "") {
    const file = readFileOrError(runtime, runtime.context.fs.resolve(caFlag));
    if (!file.ok) errors.push(`unable to read certificate-authority ${caFlag} for ${clusterName} due to ${file.error}`);
    else settings.caPem = file.content;
  } else if (!flags.bool("insecure-skip-tls-verify") && clusterEntry !== undefined) {
    const data = str(clusterBody, "certificate-authority-data");
    const path = str(clusterBody, "certificate-authority");
    if (data !== "") settings.caPem = decodeData(data);
    else if (path !== "") {
      const resolved = resolveConfigPath(clusterEntry, path);
      const file = readFileOrError(runtime, runtime.context.fs.resolve(resolved));
      if (!file.ok) errors.push(`unable to read certificate-authority ${resolved} for ${clusterName} due to ${file.error}`);
      else settings.caPem = file.content;
    }
  }

  // Credentials.
  resolveCredentials(runtime, flags, userEntry, userName, settings, errors);
  if (errors.length > 0) throw new ConfigurationError(errors);
  // client-go's clientcmd refuses impersonation details without a user to impersonate, before any
  // request (spec §11; kubectl 1.32 has no --as-user-extra flag, a kubeconfig's as-user-extra counts too).
  const extra = userEntry?.body["as-user-extra"];
  const hasExtra = typeof extra === "object" && extra !== null && Object.keys(extra).length > 0;
  if (settings.impersonate.user === "" && (settings.impersonate.groups.length > 0 || settings.impersonate.uid !== "" || hasExtra)) {
    throw new RenderedError(`error: requesting uid, groups or user-extra for ${userName} without impersonating a user`);
  }
  if (settings.insecure && settings.caPem !== undefined) {
    throw new RenderedError("error: specifying a root certificates file with the insecure flag is not allowed");
  }
  return settings;
}

function resolveCredentials(
  runtime: Runtime,
  flags: Flags,
  entry: NamedEntry | undefined,
  userName: string,
  settings: ClientSettings,
  errors: string[],
): void {
  const body = entry?.body;
  const fs = runtime.context.fs;
  const readPath = (label: string, path: string, fromFlag: boolean): string | undefined => {
    const resolved = fromFlag || entry === undefined ? path : resolveConfigPath(entry, path);
    const file = readFileOrError(runtime, fs.resolve(resolved));
    if (!file.ok) {
      errors.push(`unable to read ${label} ${resolved} for ${userName} due to ${file.error}`);
      return undefined;
    }
    return file.content;
  };
  const certFlag = flags.string("client-certificate");
  const keyFlag = flags.string("client-key");
  let certPem: string | undefined;
  let keyPem: string | undefined;
  let certGiven = false;
  let keyGiven = false;
  if (certFlag !== "") {
    certGiven = true;
    certPem = readPath("client-cert", certFlag, true);
  } else if (str(body, "client-certificate-data") !== "") {
    certGiven = true;
    certPem = decodeData(str(body, "client-certificate-data"));
  } else if (str(body, "client-certificate") !== "") {
    certGiven = true;
    certPem = readPath("client-cert", str(body, "client-certificate"), false);
  }
  if (keyFlag !== "") {
    keyGiven = true;
    keyPem = readPath("client-key", keyFlag, true);
  } else if (str(body, "client-key-data") !== "") {
    keyGiven = true;
    keyPem = decodeData(str(body, "client-key-data"));
  } else if (str(body, "client-key") !== "") {
    keyGiven = true;
    keyPem = readPath("client-key", str(body, "client-key"), false);
  }
  if (certGiven && !keyGiven)
    errors.push(`client-key-data or client-key must be specified for ${userName} to use the clientCert authentication method.`);
  if (keyGiven && !certGiven)
    errors.push(`client-cert-data or client-cert must be specified for ${userName} to use the clientCert authentication method.`);
  if (certPem !== undefined && keyPem !== undefined && certGiven && keyGiven) {
    settings.clientCertPem = certPem;
    settings.clientKeyPem = keyPem;
  }

  const tokenFlag = flags.string("token");
  if (tokenFlag !== "") settings.token = tokenFlag;
  else if (str(body, "token") !== "") settings.token = str(body, "token");
  else if (str(body, "tokenFile") !== "") {
    const content = readPath("tokenFile", str(body, "tokenFile"), false);
    if (content !== undefined) settings.token = content.trim();
  }
  const username = flags.string("username") || str(body, "username");
  const password = flags.string("password") || str(body, "password");
  if (username !== "" || password !== "") settings.basic = { username, password };
}

/** canIdentifyUser: without any credential kubectl falls back to an interactive basic-auth prompt. */
export function needsPrompt(settings: ClientSettings): boolean {
  return (
    settings.server.startsWith("https://") &&
    settings.clientCertPem === undefined &&
    settings.token === undefined &&
    settings.basic === undefined
  );
}

export interface HttpResponse {
  status: number;
  headers: Record<string, string>;
  body: Uint8Array;
  text: string;
  contentType: string;
}

export interface RequestOptions {
  accept: string;
  contentType?: string;
  body?: Uint8Array;
  /** Extra request headers (the web terminal's buffered exec). */
  headers?: Record<string, string>;
}

function defaultPort(url: URL): string {
  return url.port !== "" ? url.port : url.protocol === "https:" ? "443" : "80";
}

function sameServer(a: URL, b: URL): boolean {
  return a.protocol === b.protocol && a.hostname === b.hostname && defaultPort(a) === defaultPort(b);
}

function isIpLiteral(host: string): boolean {
  return /^\d+\.\d+\.\d+\.\d+$/.test(host) || host.startsWith("[");
}

/** Whether a client certificate's public key is the key's (tls.X509KeyPair). */
function keyPairCheck(leafDer: Uint8Array | undefined, keyPem: string): "match" | "mismatch" | "unparsable" {
  try {
    const certKey = new X509Certificate(Buffer.from(leafDer ?? new Uint8Array())).publicKey.export({ type: "spki", format: "der" });
    const ownKey = createPublicKey(createPrivateKey(keyPem)).export({ type: "spki", format: "der" });
    return Buffer.compare(certKey, ownKey) === 0 ? "match" : "mismatch";
  } catch {
    return "unparsable";
  }
}

/** A client certificate and key as tls.X509KeyPair takes them: the certificates, or kubectl's error. */
type ClientPair = { certs: Uint8Array[]; subject: string } | { error: string };

/** Client key pairs, host name checks and parsed PEM bundles by the text they read (lib/k8s/kubectl/memo.ts). */
const clientPairs = new TextMemo<ClientPair>();
const hostnameErrors = new TextMemo<string | undefined>();
const parsedBundles = new TextMemo<ReturnType<typeof parseCertificateDer>[]>();

function clientPair(certPem: string, keyPem: string): ClientPair {
  return clientPairs.get(`${certPem}\0${keyPem}`, () => {
    const certs = certificatesFromPem(certPem);
    if (certs.length === 0) return { error: "error: tls: failed to find any PEM data in certificate input" };
    if (parsePemBlocks(keyPem).length === 0) return { error: "error: tls: failed to find any PEM data in key input" };
    const leafDer = certs[0];
    const pair = keyPairCheck(leafDer, keyPem);
    if (pair === "unparsable") return { error: "error: tls: failed to parse private key" };
    if (pair === "mismatch") return { error: "error: tls: private key does not match public key" };
    const parsed = leafDer === undefined ? undefined : parseCertificateDer(leafDer);
    const subject =
      parsed?.ok === true ? `CN=${parsed.cert.subjectCommonName}${parsed.cert.subjectOrganizations.map((o) => `, O=${o}`).join("")}` : "?";
    return { certs, subject };
  });
}

/** Every certificate of a PEM bundle, parsed (the parsed certificates are shared: never changed). */
function parsedCertificates(pem: string): ReturnType<typeof parseCertificateDer>[] {
  return parsedBundles.get(pem, () => certificatesFromPem(pem).map((der) => parseCertificateDer(der)));
}

/** Go's HostnameError text for the serving certificate. */
function hostnameError(leafPem: string, host: string): string | undefined {
  return hostnameErrors.get(`${leafPem}\0${host}`, () => computeHostnameError(leafPem, host));
}

function computeHostnameError(leafPem: string, host: string): string | undefined {
  let cert: X509Certificate;
  try {
    cert = new X509Certificate(leafPem);
  } catch {
    return undefined;
  }
  const sans = (cert.subjectAltName ?? "").split(", ").filter((entry) => entry !== "");
  const dns = sans.filter((entry) => entry.startsWith("DNS:")).map((entry) => entry.slice(4));
  const ips = sans.filter((entry) => entry.startsWith("IP Address:")).map((entry) => entry.slice(11));
  const bare = host.replace(/^\[|\]$/g, "");
  if (isIpLiteral(host)) {
    if (ips.includes(bare)) return undefined;
    if (ips.length === 0) return `x509: cannot validate certificate for ${bare} because it doesn't contain any IP SANs`;
    return `x509: certificate is valid for ${ips.join(", ")}, not ${bare}`;
  }
  if (cert.checkHost(bare) !== undefined) return undefined;
  if (dns.length === 0) return "x509: certificate relies on legacy Common Name field, use SANs instead";
  return `x509: certificate is valid for ${dns.join(", ")}, not ${bare}`;
}

export class RestClient {
  private tlsChecked: string | undefined | null = null;
  private readonly peerCertificates: Uint8Array[] | undefined;
  readonly identity: string;

  constructor(
    readonly runtime: Runtime,
    readonly settings: ClientSettings,
    readonly commandPath: string,
  ) {
    let peer: Uint8Array[] | undefined;
    const identity: string[] = [];
    if (settings.clientCertPem !== undefined && settings.clientKeyPem !== undefined) {
      const pair = clientPair(settings.clientCertPem, settings.clientKeyPem);
      if ("error" in pair) throw new RenderedError(pair.error);
      peer = pair.certs;
      identity.push(`client certificate ${pair.subject}`);
    }
    if (settings.token !== undefined) identity.push("bearer token");
    if (settings.basic !== undefined) identity.push(`basic auth ${settings.basic.username}`);
    if (settings.impersonate.user !== "") identity.push(`impersonating ${settings.impersonate.user}`);
    this.peerCertificates = peer;
    this.identity = identity.length === 0 ? "no credentials (anonymous)" : identity.join(" + ");
  }

  get serverUrl(): string {
    return this.settings.server.replace(/\/+$/, "");
  }

  /** Whether the serving chain verifies (cached per client, as one TLS session would be). */
  private tlsError(url: URL): string | undefined {
    if (this.tlsChecked !== null) return this.tlsChecked;
    const network = this.runtime.context.network;
    let error: string | undefined;
    if (url.protocol === "https:" && !this.settings.insecure && network !== undefined) {
      const chain = parsedCertificates(network.servingCertificateChainPem);
      const leaf = chain[0];
      if (leaf === undefined || !leaf.ok) error = "tls: failed to parse certificate from server: x509: malformed certificate";
      else {
        const roots = new CertPool();
        for (const parsed of parsedCertificates(this.settings.caPem ?? "")) if (parsed.ok) roots.addCert(parsed.cert);
        const intermediates = new CertPool();
        for (const parsed of chain.slice(1)) if (parsed.ok) intermediates.addCert(parsed.cert);
        const validity =
          this.runtime.now < leaf.cert.notBefore || this.runtime.now > leaf.cert.notAfter
            ? undefined
            : hostnameError(network.servingCertificateChainPem, this.settings.tlsServerName ?? url.hostname);
        if (validity !== undefined) error = `tls: failed to verify certificate: ${validity}`;
        else {
          const verified = verifyCertificate(leaf.cert, {
            roots,
            intermediates,
            currentTime: this.runtime.now,
            keyUsages: [SERVER_AUTH_OID],
          });
          if (!verified.ok) error = `tls: failed to verify certificate: ${verified.error}`;
        }
      }
    }
    this.tlsChecked = error;
    return error;
  }

  /** Sends one request. Transport failures throw NetworkError (Go's *url.Error). */
  async request(method: string, path: string, options: RequestOptions): Promise<HttpResponse> {
    const fullUrl = `${this.serverUrl}${path}`;
    const network = this.runtime.context.network;
    let url: URL;
    try {
      url = new URL(fullUrl);
    } catch {
      throw new RenderedError(`error: parse "${fullUrl}": invalid URL`);
    }
    const hostPort = `${url.hostname}:${defaultPort(url)}`;
    const reachable =
      network !== undefined &&
      network.serverUrls.some((candidate) => {
        try {
          const known = new URL(candidate);
          return url.hostname === known.hostname && defaultPort(url) === defaultPort(known);
        } catch {
          return false;
        }
      });
    const record = (
      status: number,
      responseBody: string,
      trace: ApiExchange["trace"],
      headers: Record<string, string | string[]>,
    ): void => {
      this.runtime.context.exchanges.push({
        request: { method, url: path, headers, identity: this.identity },
        status,
        responseBody,
        trace,
      });
    };
    const headers: Record<string, string | string[]> = { accept: options.accept, "user-agent": USER_AGENT };
    if (options.contentType !== undefined) headers["content-type"] = options.contentType;
    if (this.settings.token !== undefined) headers.authorization = `Bearer ${this.settings.token}`;
    else if (this.settings.basic !== undefined)
      headers.authorization = `Basic ${Buffer.from(`${this.settings.basic.username}:${this.settings.basic.password}`).toString("base64")}`;
    if (this.settings.impersonate.user !== "") headers["impersonate-user"] = this.settings.impersonate.user;
    if (this.settings.impersonate.groups.length > 0) headers["impersonate-group"] = [...this.settings.impersonate.groups];
    if (this.settings.impersonate.uid !== "") headers["impersonate-uid"] = this.settings.impersonate.uid;
    headers["kubectl-command"] = this.commandPath;
    for (const [name, value] of Object.entries(options.headers ?? {})) headers[name] = value;

    const fail = (cause: string): never => {
      record(0, cause, [{ stage: "kubectl", outcome: "error", message: `${method} ${fullUrl}: ${cause}` }], headers);
      throw new NetworkError(method, fullUrl, cause);
    };
    if (reachable && network?.refused?.() === true) return fail(`dial tcp ${hostPort}: connect: connection refused`);
    if (!reachable || network === undefined) {
      if (isIpLiteral(url.hostname)) return fail(`dial tcp ${hostPort}: connect: connection refused`);
      if (url.hostname === "localhost") return fail(`dial tcp [::1]:${defaultPort(url)}: connect: connection refused`);
      return fail(`dial tcp: lookup ${url.hostname} on 127.0.0.53:53: no such host`);
    }
    const servesHttps = network.serverUrls.some((candidate) => {
      try {
        return sameServer(new URL(candidate), url);
      } catch {
        return false;
      }
    });
    if (url.protocol === "http:" && !servesHttps) {
      const text = "Client sent an HTTP request to an HTTPS server.\n";
      record(400, text, [{ stage: "kubectl", outcome: "error", message: "plain HTTP sent to the HTTPS port" }], headers);
      return {
        status: 400,
        headers: { "Content-Type": "text/plain; charset=utf-8" },
        body: new TextEncoder().encode(text),
        text,
        contentType: "text/plain; charset=utf-8",
      };
    }
    const tls = this.tlsError(url);
    if (tls !== undefined) return fail(tls);

    const request: ApiRequest = {
      method,
      url: path,
      headers: { ...headers },
      tls: url.protocol === "https:",
      ...(options.body === undefined ? {} : { body: options.body }),
      ...(this.peerCertificates === undefined || url.protocol !== "https:" ? {} : { peerCertificates: this.peerCertificates }),
    };
    const { response, trace } = await network.send(request);
    const body = typeof response.body === "string" ? new TextEncoder().encode(response.body) : response.body;
    const text = Buffer.from(body).toString("utf8");
    const contentType = Object.entries(response.headers).find(([key]) => key.toLowerCase() === "content-type")?.[1] ?? "";
    record(response.status, text, trace, headers);
    return { status: response.status, headers: response.headers, body, text, contentType };
  }
}
