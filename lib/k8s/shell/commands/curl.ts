/**
 * A small `curl` for talking to the simulated API server directly (anonymous requests, bearer
 * tokens, client certificates), with curl's own messages for the failures a learner meets.
 * Only the cluster's server URLs resolve: there is no other network.
 */
import { X509Certificate } from "node:crypto";
import { certificatesFromPem, pemToDer } from "../../pki";
import type { CommandHandler, CommandResult } from "../types";

const CERT_PROBLEM = [
  "More details here: https://curl.se/docs/sslcerts.html",
  "",
  "curl failed to verify the legitimacy of the server and therefore could not",
  "establish a secure connection to it. To learn more about this situation and",
  "how to fix it, please visit the web page mentioned above.",
  "",
].join("\n");

function fail(code: number, message: string, extra = ""): CommandResult {
  return { stdout: "", stderr: `curl: (${code}) ${message}\n${extra}`, exitCode: code };
}

interface Options {
  url?: string;
  insecure: boolean;
  caFile?: string;
  certFile?: string;
  keyFile?: string;
  method?: string;
  data?: string;
  headers: string[];
  include: boolean;
  failOnError: boolean;
  output?: string;
}

function parse(args: string[]): Options | string {
  const options: Options = { insecure: false, headers: [], include: false, failOnError: false };
  for (let index = 0; index < args.length; index++) {
    const arg = args[index] ?? "";
    const value = () => args[++index];
    if (arg === "-k" || arg === "--insecure") options.insecure = true;
    else if (arg === "-s" || arg === "--silent" || arg === "-S" || arg === "-sS" || arg === "-L" || arg === "--location") continue;
    else if (arg === "-i" || arg === "--include") options.include = true;
    else if (arg === "-f" || arg === "--fail" || arg === "-fsSL" || arg === "-sf") options.failOnError = true;
    else if (arg === "-ks" || arg === "-sk") options.insecure = true;
    else if (arg === "--cacert") options.caFile = value();
    else if (arg === "--cert" || arg === "-E") options.certFile = value();
    else if (arg === "--key") options.keyFile = value();
    else if (arg === "-X" || arg === "--request") options.method = value();
    else if (arg === "-d" || arg === "--data" || arg === "--data-raw") options.data = value();
    else if (arg === "-H" || arg === "--header") {
      const header = value();
      if (header !== undefined) options.headers.push(header);
    } else if (arg === "-o" || arg === "--output") options.output = value();
    else if (arg.startsWith("-") && arg !== "-") return `option ${arg}: is unknown`;
    else options.url = arg;
  }
  return options;
}

function serverTrusted(chainPem: string, caPem: string, host: string, now: Date): boolean {
  try {
    const [leafDer] = certificatesFromPem(chainPem);
    if (!leafDer) return false;
    const leaf = new X509Certificate(Buffer.from(leafDer));
    if (now < new Date(leaf.validFrom) || now > new Date(leaf.validTo)) return false;
    if (leaf.checkHost(host) === undefined && leaf.checkIP(host) === undefined) return false;
    return certificatesFromPem(caPem).some((der) => {
      const ca = new X509Certificate(Buffer.from(der));
      return leaf.checkIssued(ca) && leaf.verify(ca.publicKey);
    });
  } catch {
    return false;
  }
}

export const curlCommand: CommandHandler = async (context) => {
  const options = parse(context.args);
  if (typeof options === "string")
    return { stdout: "", stderr: `curl: ${options}\ncurl: try 'curl --help' for more information\n`, exitCode: 2 };
  if (!options.url) return { stdout: "", stderr: "curl: try 'curl --help' for more information\n", exitCode: 2 };
  let url: URL;
  try {
    url = new URL(options.url.includes("://") ? options.url : `http://${options.url}`);
  } catch {
    return fail(3, "URL rejected: Malformed input to a URL function");
  }
  const network = context.network;
  const known = network?.serverUrls.map((candidate) => new URL(candidate)).find((candidate) => candidate.host === url.host);
  if (!network || !known) return fail(6, `Could not resolve host: ${url.hostname}`);
  if (network.refused?.() === true)
    return fail(
      7,
      `Failed to connect to ${url.hostname} port ${url.port || (url.protocol === "https:" ? "443" : "80")} after 0 ms: Couldn't connect to server`,
    );
  if (url.protocol !== "https:") return fail(52, "Empty reply from server");

  if (!options.insecure) {
    let caPem = "";
    if (options.caFile) {
      const read = context.fs.readFile(options.caFile);
      if (!read.ok) return fail(77, `error setting certificate file: ${options.caFile}`);
      caPem = read.content;
    }
    if (!serverTrusted(network.servingCertificateChainPem, caPem, url.hostname, context.now)) {
      return fail(60, "SSL certificate problem: unable to get local issuer certificate", CERT_PROBLEM);
    }
  }

  const headers: Record<string, string | string[]> = { "user-agent": "curl/7.88.1", accept: "*/*" };
  for (const header of options.headers) {
    const colon = header.indexOf(":");
    if (colon > 0) headers[header.slice(0, colon).trim().toLowerCase()] = header.slice(colon + 1).trim();
  }
  let peerCertificates: Uint8Array[] | undefined;
  if (options.certFile) {
    const cert = context.fs.readFile(options.certFile);
    const key = context.fs.readFile(options.keyFile ?? options.certFile);
    if (!cert.ok) return fail(58, `could not load PEM client certificate from ${options.certFile}`);
    if (!key.ok) return fail(58, `unable to set private key file: '${options.keyFile ?? ""}' type PEM`);
    const der = pemToDer(cert.content);
    if (!der) return fail(58, `could not load PEM client certificate from ${options.certFile}`);
    peerCertificates = [der];
  }
  const method = options.method ?? (options.data === undefined ? "GET" : "POST");
  if (options.data !== undefined) headers["content-type"] ??= "application/x-www-form-urlencoded";
  const path = `${url.pathname}${url.search}`;
  const { response, trace } = await network.send({
    method,
    url: path,
    headers,
    tls: true,
    body: options.data === undefined ? undefined : new TextEncoder().encode(options.data),
    peerCertificates,
  });
  const body = typeof response.body === "string" ? response.body : new TextDecoder().decode(response.body);
  context.exchanges.push({
    request: {
      method,
      url: path,
      headers,
      identity: peerCertificates ? "client certificate" : headers.authorization ? "bearer token" : "no credentials",
    },
    status: response.status,
    responseBody: body,
    trace,
  });
  if (options.failOnError && response.status >= 400) return fail(22, `The requested URL returned error: ${response.status}`);
  const head = options.include
    ? `HTTP/2 ${response.status} \r\n${Object.entries(response.headers)
        .map(([name, value]) => `${name.toLowerCase()}: ${value}\r\n`)
        .join("")}\r\n`
    : "";
  const text = `${head}${body}`;
  if (options.output) {
    const written = context.fs.writeFile(options.output, text);
    if (!written.ok) return fail(23, `Failure writing output to destination`);
    return { stdout: "", stderr: "", exitCode: 0 };
  }
  return { stdout: text, stderr: "", exitCode: 0 };
};
