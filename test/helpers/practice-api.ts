/** Test support for the practice API server: a fixture server and small HTTP/1.1 and HTTP/2 clients. */
import { request as httpsRequest } from "node:https";
import { connect as http2Connect, type ClientHttp2Session, type IncomingHttpHeaders } from "node:http2";
import {
  FIXTURE_INSTANCE_ID,
  MemoryInstanceStore,
  createIdentitiesFixture,
  createServingIdentity,
  startPracticeApiServer,
  type FixtureCredential,
  type IdentitiesFixture,
  type PracticeApiServer,
  type PracticeApiServerOptions,
  type ServingIdentity,
} from "../../lib/practice-api";

export interface FixtureServer {
  fixture: IdentitiesFixture;
  serving: ServingIdentity;
  store: MemoryInstanceStore;
  server: PracticeApiServer;
  url: string;
}

export async function startFixtureServer(extra: Partial<PracticeApiServerOptions> = {}): Promise<FixtureServer> {
  const fixture = await createIdentitiesFixture();
  const signer = fixture.state.config.clusterSigner;
  const serving = await createServingIdentity({ ca: signer, hostNames: ["practice.kubeprep.test"] });
  const store = new MemoryInstanceStore({ [FIXTURE_INSTANCE_ID]: fixture.state });
  const server = await startPracticeApiServer({ store, serving, onError: () => undefined, ...extra });
  return { fixture, serving, store, server, url: server.instanceUrl(FIXTURE_INSTANCE_ID) };
}

export function credentialOf(fixture: IdentitiesFixture, name: string): FixtureCredential {
  const identity = fixture.identities.find((candidate) => candidate.name === name);
  if (identity === undefined) throw new Error(`no fixture identity ${name}`);
  return identity.credential;
}

export interface CallOptions {
  method?: string;
  credential?: FixtureCredential;
  headers?: Record<string, string | string[]>;
  body?: string | Buffer;
  caCertPem: string;
  /** The TLS server name to send and verify (a kubeconfig's tls-server-name). */
  servername?: string;
}

export interface CallResult {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: string;
  /** HTTP/2 only: the server sent GOAWAY on this connection. */
  goaway?: boolean;
}

function tlsOptions(options: CallOptions): { ca: string; cert?: string; key?: string; servername?: string } {
  const credential = options.credential;
  const base = { ca: options.caCertPem, ...(options.servername === undefined ? {} : { servername: options.servername }) };
  return credential?.kind === "certificate" ? { ...base, cert: credential.certPem, key: credential.keyPem } : base;
}

function authHeaders(options: CallOptions): Record<string, string | string[]> {
  const headers: Record<string, string | string[]> = { accept: "application/json", ...(options.headers ?? {}) };
  if (options.credential?.kind === "token") headers.authorization = `Bearer ${options.credential.token}`;
  return headers;
}

/** One HTTP/1.1 request on a fresh connection. */
export function callHttp1(url: string, options: CallOptions): Promise<CallResult> {
  return new Promise((resolve, reject) => {
    const request = httpsRequest(
      url,
      { method: options.method ?? "GET", headers: authHeaders(options), agent: false, ...tlsOptions(options) },
      (response) => {
        const chunks: Buffer[] = [];
        response.on("data", (chunk: Buffer) => chunks.push(chunk));
        response.on("end", () =>
          resolve({ status: response.statusCode ?? 0, headers: response.headers, body: Buffer.concat(chunks).toString("utf8") }),
        );
        response.on("error", reject);
      },
    );
    request.on("error", reject);
    request.end(options.body);
  });
}

/** One HTTP/2 request on a fresh session; reports whether the server sent GOAWAY. */
export async function callHttp2(url: string, options: CallOptions): Promise<CallResult> {
  const target = new URL(url);
  const session = http2Connect(target.origin, tlsOptions(options));
  try {
    return await requestOnSession(session, `${target.pathname}${target.search}`, options);
  } finally {
    session.close();
  }
}

export function requestOnSession(session: ClientHttp2Session, path: string, options: CallOptions): Promise<CallResult> {
  return new Promise((resolve, reject) => {
    let goaway = false;
    const onGoaway = (): void => {
      goaway = true;
    };
    session.on("goaway", onGoaway);
    session.on("error", reject);
    const cleanup = (): void => {
      session.off("goaway", onGoaway);
      session.off("error", reject);
    };
    const stream = session.request({ ":method": options.method ?? "GET", ":path": path, ...authHeaders(options) });
    let headers: IncomingHttpHeaders = {};
    const chunks: Buffer[] = [];
    stream.on("response", (received) => {
      headers = received;
    });
    stream.on("data", (chunk: Buffer) => chunks.push(chunk));
    stream.on("end", () => {
      // GOAWAY follows the response frames; give it a tick to arrive.
      setTimeout(() => {
        cleanup();
        resolve({ status: Number(headers[":status"] ?? 0), headers, body: Buffer.concat(chunks).toString("utf8"), goaway });
      }, 20);
    });
    stream.on("error", (error) => {
      cleanup();
      reject(error);
    });
    stream.end(options.body);
  });
}

export const UNAUTHORIZED_BODY =
  '{"kind":"Status","apiVersion":"v1","metadata":{},"status":"Failure","message":"Unauthorized","reason":"Unauthorized","code":401}\n';

export function forbiddenPodsMessage(user: string, namespace = "default"): string {
  return `pods is forbidden: User "${user}" cannot list resource "pods" in API group "" in the namespace "${namespace}"`;
}
