/**
 * The HTTPS practice API server: one TLS listener (HTTP/2 and HTTP/1.1 by ALPN) in front of many
 * simulated clusters. Real kubectl talks to it. A connection is routed by its TLS server name
 * (`tls-server-name: <id>.instances.kubeprep.internal` in the kubeconfig), and then presents that
 * instance's own serving certificate (signed by its cluster CA, like kubeadm's apiserver.crt), so
 * every absolute path a client builds (`get --raw /healthz`) reaches the instance. Clients that cannot
 * set a server name address an instance as https://host:port/i/<instanceId>/... and see the
 * listener's default certificate.
 *
 * TLS is set up as kube-apiserver's secure serving (spec §1.1): the client certificate is requested
 * but never verified in the handshake, TLS 1.2 minimum; authentication happens per request in the
 * engine. Requests to one instance run one at a time (InstanceStore.withLock), and a state that a
 * request changed is saved before the response goes out. Nothing a client sends can crash it: every
 * failure is a Status response or a closed connection.
 */
import { randomUUID } from "node:crypto";
import { constants, createSecureServer, type Http2SecureServer, type Http2ServerResponse, type ServerHttp2Session } from "node:http2";
import type { ServerResponse } from "node:http";
import { Socket, type AddressInfo } from "node:net";
import { createSecureContext, type SecureContext, type TLSSocket } from "node:tls";
import {
  handleRequest,
  type ApiRequest,
  type ApiResponse,
  type TraceStep,
  pathNotFoundStatus,
  statusResponse,
  type KubeStatus,
} from "../k8s";
import { practiceRequestRecord, type InstanceServing, type InstanceStore } from "./instance-store";
import { apiServerServing } from "../k8s/node";
import { RequestLimiter, tooManyRequests, type PracticeApiLimits } from "./limits";
import { distinctHeaders, isHttp2, peerCertificatesOf, readBody, type NodeRequest } from "./request";
import { instanceIdFromServerName, type ServingIdentity } from "./serving";

/** kube-apiserver's --max-request-body-bytes default (3 MiB) and its 413 wording. */
export const DEFAULT_MAX_BODY_BYTES = 3 * 1024 * 1024;

/** A TLS alert record (TLS 1.2 framing): fatal (2), internal_error (80). */
const INTERNAL_ERROR_ALERT = Buffer.from([21, 3, 3, 0, 2, 2, 80]);

/**
 * Nothing listens for an instance whose API server is down. One listener serves every instance, so
 * the TCP connection cannot be refused; the closest is a handshake that fails at once with a fatal
 * alert, which clients do not retry (a bare close reads as EOF, which client-go retries ten times a
 * second apart): real kubectl prints "Unable to connect to the server: remote error: tls: internal error".
 * The alert is written on the raw socket under the TLS socket (`_parent`, Node's own field); without
 * it the handshake is ended without an alert.
 */
function refuseHandshake(socket: TLSSocket, callback: (error: Error | null, context?: SecureContext) => void): void {
  const raw = (socket as unknown as { _parent?: unknown })._parent;
  if (raw instanceof Socket && raw.writable) raw.end(INTERNAL_ERROR_ALERT, () => raw.destroy());
  else callback(new Error("the instance's API server is down"));
}

export interface RequestEvent {
  instanceId: string | undefined;
  /** How the instance was named: the TLS server name, or the `/i/<id>` path prefix. */
  via: "server-name" | "path" | undefined;
  method: string;
  /** The path the engine saw (without the `/i/<id>` prefix), or the raw path when no instance was named. */
  url: string;
  protocol: "h2" | "http/1.1";
  status: number;
  durationMs: number;
  trace: TraceStep[];
}

export interface PracticeApiServerOptions {
  store: InstanceStore;
  serving: ServingIdentity;
  /** Loopback by default. */
  host?: string;
  /** 0 (default): any free port. */
  port?: number;
  maxBodyBytes?: number;
  /** Request header cap (HTTP/1.1 header section, HTTP/2 header list). Default 64 KiB. */
  maxHeaderBytes?: number;
  /** Time allowed for the request line and headers (HTTP/1.1). Default 10 s. */
  headersTimeoutMs?: number;
  /** Time allowed to receive a request body. Default 30 s. */
  bodyTimeoutMs?: number;
  /** TLS handshake (and first byte) deadline. Default 10 s. */
  handshakeTimeoutMs?: number;
  /** Idle keep-alive connections are closed after this. Default 90 s, as kube-apiserver. */
  idleTimeoutMs?: number;
  /** Requests waiting for one instance before 429. Default 200. */
  maxQueuedPerInstance?: number;
  /** Open TCP connections; more are closed at once. Default 1024. */
  maxConnections?: number;
  /**
   * HTTP/2 streams one connection may have open. Default 100: the least RFC 9113 §6.5.2 recommends,
   * well above what kubectl opens at once (its cold discovery is a few dozen parallel GETs), and it
   * bounds what one connection can hold in flight (100 bodies) to a quarter of the in-flight limit.
   */
  maxConcurrentStreams?: number;
  /** In-flight requests, buffered body bytes and per-instance rate (lib/practice-api/limits.ts). */
  limits?: Partial<PracticeApiLimits>;
  /** Called after every request (for logs and tests). Must not throw; errors are ignored. */
  onRequest?: (event: RequestEvent) => void;
  /** Unexpected internal errors (never client mistakes). Default: console.error. */
  onError?: (error: unknown) => void;
}

export interface PracticeApiServer {
  host: string;
  port: number;
  /** https://host:port */
  origin: string;
  /** The kubeconfig server URL of an instance: https://host:port/i/<id> */
  instanceUrl(id: string): string;
  close(): Promise<void>;
}

const INSTANCE_PATH = /^\/i\/([A-Za-z0-9][A-Za-z0-9._-]{0,127})(?=$|[/?])(.*)$/s;

function failure(code: number, reason: string, message: string): KubeStatus {
  return { kind: "Status", apiVersion: "v1", metadata: {}, status: "Failure", message, reason, code };
}

/** `/i/<id>/rest?query` -> id and the path the engine sees; undefined for anything else. */
export function splitInstancePath(url: string): { instanceId: string; url: string } | undefined {
  const match = INSTANCE_PATH.exec(url);
  if (match === null) return undefined;
  const instanceId = match[1] ?? "";
  const rest = match[2] ?? "";
  return { instanceId, url: rest === "" ? "/" : rest.startsWith("?") ? `/${rest}` : rest };
}

function isAnonymousOrUnauthenticated(response: ApiResponse, trace: TraceStep[]): boolean {
  if (response.status === 401) return true;
  return trace.some((step) => step.stage === "authentication" && step.outcome === "allow" && step.user?.name === "system:anonymous");
}

export async function startPracticeApiServer(options: PracticeApiServerOptions): Promise<PracticeApiServer> {
  const host = options.host ?? "127.0.0.1";
  const maxBodyBytes = options.maxBodyBytes ?? DEFAULT_MAX_BODY_BYTES;
  const maxHeaderBytes = options.maxHeaderBytes ?? 64 * 1024;
  const bodyTimeoutMs = options.bodyTimeoutMs ?? 30_000;
  const handshakeTimeoutMs = options.handshakeTimeoutMs ?? 10_000;
  const idleTimeoutMs = options.idleTimeoutMs ?? 90_000;
  const maxQueued = options.maxQueuedPerInstance ?? 200;
  const reportError = options.onError ?? ((error: unknown) => console.error("practice-api:", error));
  const queued = new Map<string, number>();
  const limiter = new RequestLimiter(options.limits);

  const contexts = new Map<string, SecureContext>();
  const contextOf = (identity: InstanceServing): SecureContext => {
    const known = contexts.get(identity.certPem);
    if (known !== undefined) return known;
    const context = createSecureContext({ cert: identity.certPem, key: identity.keyPem, minVersion: "TLSv1.2" });
    if (contexts.size >= 1000) {
      const oldest = contexts.keys().next();
      if (oldest.done !== true) contexts.delete(oldest.value);
    }
    contexts.set(identity.certPem, context);
    return context;
  };

  const tlsServer: Http2SecureServer = createSecureServer({
    allowHTTP1: true,
    // A server name that names an instance selects the instance's serving certificate; any other
    // name (or none) keeps the default one. A failed lookup must not fail the handshake.
    SNICallback(this: TLSSocket, serverName, callback) {
      const instanceId = instanceIdFromServerName(serverName);
      if (instanceId === undefined) {
        callback(null, undefined);
        return;
      }
      options.store.servingIdentity(instanceId).then(
        (identity) => {
          if (identity?.refused === true) refuseHandshake(this, callback);
          else callback(null, identity === undefined ? undefined : contextOf(identity));
        },
        (error: unknown) => {
          reportError(error);
          callback(null, undefined);
        },
      );
    },
    cert: options.serving.certPem,
    key: options.serving.keyPem,
    // tls.RequestClientCert: ask for a certificate, accept any (or none) in the handshake. No `ca`:
    // the CertificateRequest then names no authorities, as one listener fronts many cluster CAs.
    requestCert: true,
    rejectUnauthorized: false,
    minVersion: "TLSv1.2",
    handshakeTimeout: handshakeTimeoutMs,
    settings: { maxConcurrentStreams: options.maxConcurrentStreams ?? 100, maxHeaderListSize: maxHeaderBytes },
    maxSessionMemory: 20,
  });
  // HTTP/1.1 limits of the allowHTTP1 path, read by Node's http connection listener; the header and
  // request deadlines are enforced by a periodic sweep, so sweep often enough to matter.
  const headersTimeoutMs = options.headersTimeoutMs ?? 10_000;
  Object.assign(tlsServer, {
    maxHeaderSize: maxHeaderBytes,
    headersTimeout: headersTimeoutMs,
    requestTimeout: bodyTimeoutMs + headersTimeoutMs,
    keepAliveTimeout: idleTimeoutMs,
    connectionsCheckingInterval: Math.max(250, Math.min(1000, headersTimeoutMs / 2)),
  });
  tlsServer.setTimeout(idleTimeoutMs);

  tlsServer.on("session", (session: ServerHttp2Session) => {
    session.on("error", () => undefined);
    session.setTimeout(idleTimeoutMs, () => session.close());
  });
  tlsServer.on("secureConnection", (socket: TLSSocket) => {
    socket.on("error", () => undefined);
  });
  tlsServer.on("tlsClientError", (_error: Error, socket: TLSSocket) => {
    socket.destroy();
  });
  tlsServer.on("sessionError", () => undefined);
  // HTTP/1.1 parse errors (garbage, header overflow, header timeout). Answer once, keep draining what
  // the client still sends (closing with unread data would reset the connection and lose the answer),
  // and drop the connection shortly after.
  const answered = new WeakSet<Socket>();
  tlsServer.on("clientError", (error: NodeJS.ErrnoException, socket: Socket) => {
    if (answered.has(socket)) return;
    answered.add(socket);
    socket.on("data", () => undefined);
    setTimeout(() => socket.destroy(), 1000).unref();
    if (!socket.writable) {
      socket.destroy();
      return;
    }
    const code = error.code ?? "";
    const status =
      code === "HPE_HEADER_OVERFLOW"
        ? "431 Request Header Fields Too Large"
        : code === "HPE_HEADERS_TIMEOUT" || code === "ERR_HTTP_REQUEST_TIMEOUT"
          ? "408 Request Timeout"
          : "400 Bad Request";
    socket.end(`HTTP/1.1 ${status}\r\nContent-Type: text/plain; charset=utf-8\r\nConnection: close\r\n\r\n${status}`);
  });
  tlsServer.on("request", (request: NodeRequest, response: Http2ServerResponse | ServerResponse) => {
    void serve(request, response).catch((error: unknown) => {
      reportError(error);
      try {
        if (!response.headersSent)
          writeResponse(
            request,
            response,
            statusResponse(failure(500, "InternalError", "Internal error occurred: practice server")),
            "never",
          );
        else response.destroy();
      } catch {
        response.destroy();
      }
    });
  });

  async function serve(request: NodeRequest, response: Http2ServerResponse | ServerResponse): Promise<void> {
    const started = performance.now();
    const method = request.method ?? "GET";
    const rawUrl = request.url ?? "/";
    const byName = instanceIdFromServerName(serverNameOf(request));
    const target = byName !== undefined ? { instanceId: byName, url: rawUrl } : splitInstancePath(rawUrl);
    const via: RequestEvent["via"] = target === undefined ? undefined : byName !== undefined ? "server-name" : "path";
    let trace: TraceStep[] = [];
    const done = (apiResponse: ApiResponse, close: CloseMode): void => {
      writeResponse(request, response, apiResponse, close);
      try {
        options.onRequest?.({
          instanceId: target?.instanceId,
          via,
          method,
          url: target?.url ?? rawUrl,
          protocol: isHttp2(request) ? "h2" : "http/1.1",
          status: apiResponse.status,
          durationMs: performance.now() - started,
          trace,
        });
      } catch {
        // A logging hook must never break serving.
      }
    };

    if (headerListSize(request.rawHeaders) > maxHeaderBytes) {
      // HTTP/2 peers may send a header list before they saw our SETTINGS limit; answer as Go's http2 does.
      drain(request);
      done(
        {
          status: 431,
          headers: { "Content-Type": "text/html; charset=utf-8" },
          body: "<h1>HTTP Error 431</h1><p>Request Header Field(s) Too Large</p>",
        },
        "always",
      );
      return;
    }
    // Refused before its body was read: the body is discarded as it arrives (never buffered). An
    // HTTP/1.1 connection whose body is still coming is closed after the answer; an HTTP/2 stream is
    // reset with NO_ERROR after it, which RFC 9113 §8.1 provides for exactly this.
    const refuse = (apiResponse: ApiResponse): void => {
      drain(request);
      if (isHttp2(request)) {
        const stream = request.stream;
        // The stream's own "finish" (END_STREAM sent); the compat response's comes only at close.
        if (!request.complete) stream.once("finish", () => stream.close(constants.NGHTTP2_NO_ERROR));
        done(apiResponse, "never");
      } else {
        done(apiResponse, request.complete ? "never" : "always");
      }
    };
    if (target === undefined) {
      refuse(statusResponse(pathNotFoundStatus()));
      return;
    }
    // Cheap checks first, nothing read yet: the in-flight limit, whether the instance exists, its
    // request rate, its queue. Only then is the body read (within the process-wide byte budget).
    const ticket = limiter.enter(method);
    if (ticket === undefined) {
      refuse(tooManyRequests());
      return;
    }
    try {
      await serveInstance({ request, target, hold: ticket.hold, done, refuse, setTrace: (next) => (trace = next) });
    } finally {
      ticket.leave();
    }
  }

  async function serveInstance(exchange: Exchange): Promise<void> {
    const { target, refuse } = exchange;
    if (!(await options.store.exists(target.instanceId))) {
      refuse(statusResponse(pathNotFoundStatus()));
      return;
    }
    const wait = limiter.instanceRate(target.instanceId);
    if (wait > 0) {
      refuse(tooManyRequests(wait));
      return;
    }
    const depth = queued.get(target.instanceId) ?? 0;
    if (depth >= maxQueued) {
      refuse(tooManyRequests());
      return;
    }
    queued.set(target.instanceId, depth + 1);
    try {
      await serveQueued(exchange);
    } finally {
      const left = (queued.get(target.instanceId) ?? 1) - 1;
      if (left <= 0) queued.delete(target.instanceId);
      else queued.set(target.instanceId, left);
    }
  }

  /** Reads the body, then runs the request under the instance's lock. */
  async function serveQueued({ request, target, hold, done, refuse, setTrace }: Exchange): Promise<void> {
    const method = request.method ?? "GET";
    const body = await readBody(request, maxBodyBytes, bodyTimeoutMs, hold);
    if (!body.ok) {
      if (body.reason === "aborted") {
        request.destroy();
        return;
      }
      if (body.reason === "over-budget") {
        refuse(tooManyRequests());
        return;
      }
      const status =
        body.reason === "too-large"
          ? failure(413, "RequestEntityTooLarge", `Request entity too large: limit is ${maxBodyBytes}`)
          : failure(408, "Timeout", "request body was not received in time");
      done(statusResponse(status), "always");
      return;
    }
    const apiRequest: ApiRequest = {
      method,
      url: target.url,
      headers: distinctHeaders(request.rawHeaders),
      tls: true,
      peerCertificates: peerCertificatesOf(request),
      ...(body.body.length > 0 ? { body: body.body } : {}),
    };
    const result = await options.store.withLock(target.instanceId, async () => {
      if (options.store.handle) return options.store.handle(target.instanceId, apiRequest);
      const state = await options.store.load(target.instanceId);
      if (state === undefined) return undefined;
      if (!apiServerServing(state)) return "refused" as const;
      const handled = await handleRequest(state, apiRequest);
      if (handled.changed) await options.store.save(target.instanceId, state);
      await options.store.record?.(target.instanceId, practiceRequestRecord(apiRequest, handled));
      return handled;
    });
    if (result === undefined) {
      done(statusResponse(pathNotFoundStatus()), "never");
      return;
    }
    if (result === "refused") {
      // Reached by path (no server name at the handshake): drop the connection unanswered.
      if ("stream" in request) request.stream.session?.destroy();
      else request.socket.destroy();
      return;
    }
    setTrace(result.trace);
    done(result.response, isAnonymousOrUnauthenticated(result.response, result.trace) ? "h2" : "never");
  }

  const sockets = new Set<Socket>();
  tlsServer.on("connection", (socket: Socket) => {
    sockets.add(socket);
    socket.once("close", () => sockets.delete(socket));
    socket.on("error", () => undefined);
  });
  tlsServer.maxConnections = options.maxConnections ?? 1024;

  await new Promise<void>((resolve, reject) => {
    tlsServer.once("error", reject);
    tlsServer.listen({ host, port: options.port ?? 0 }, () => {
      tlsServer.off("error", reject);
      resolve();
    });
  });
  tlsServer.on("error", reportError);
  const address = tlsServer.address() as AddressInfo;
  const port = address.port;
  const origin = `https://${host.includes(":") ? `[${host}]` : host}:${port}`;
  return {
    host,
    port,
    origin,
    instanceUrl: (id: string) => `${origin}/i/${id}`,
    close: () => closeAll(tlsServer, sockets),
  };
}

/** The TLS server name (SNI) the client sent on this request's connection, if any. */
function serverNameOf(request: NodeRequest): string | undefined {
  // For HTTP/2 the session's socket is a proxy that forwards property reads to the TLS socket.
  const socket = (isHttp2(request) ? request.stream.session?.socket : request.socket) as Partial<TLSSocket> | undefined;
  const name: unknown = socket?.servername;
  return typeof name === "string" && name !== "" ? name : undefined;
}

/** RFC 7540 §6.5.2 accounting: name + value + 32 octets per field. */
function headerListSize(rawHeaders: readonly string[]): number {
  let size = 0;
  for (const field of rawHeaders) size += field.length;
  return size + 16 * rawHeaders.length;
}

function drain(request: NodeRequest): void {
  request.on("error", () => undefined);
  request.resume();
}

/** One request on its way through the limits. */
interface Exchange {
  request: NodeRequest;
  target: { instanceId: string; url: string };
  /** Accounts buffered body bytes against the process budget. */
  hold: (bytes: number) => boolean;
  /** Writes the response (and reports the request). */
  done: (apiResponse: ApiResponse, close: CloseMode) => void;
  /** Answers without reading the body: discards it, closes an HTTP/1.1 connection still sending one. */
  refuse: (apiResponse: ApiResponse) => void;
  setTrace: (trace: TraceStep[]) => void;
}

/** "h2": close HTTP/2 connections only (the apiserver's DOS mitigation); "always": both protocols. */
type CloseMode = "never" | "h2" | "always";

function writeResponse(
  request: NodeRequest,
  response: Http2ServerResponse | ServerResponse,
  apiResponse: ApiResponse,
  close: CloseMode,
): void {
  if (response.headersSent || response.destroyed) return;
  const body = typeof apiResponse.body === "string" ? Buffer.from(apiResponse.body, "utf8") : Buffer.from(apiResponse.body);
  const headers: Record<string, string> = {
    "Audit-Id": randomUUID(),
    "Cache-Control": "no-cache, private",
    ...apiResponse.headers,
    "Content-Length": String(body.length),
  };
  if (isHttp2(request)) {
    // HTTP/2 forbids a Connection header: Go's server turns "Connection: close" into a GOAWAY after
    // the response, which session.close() does (UnauthenticatedHTTP2DOSMitigation, spec §1.5, §6).
    const session = request.stream.session;
    if (close !== "never" && session !== undefined) response.once("finish", () => session.close());
    delete headers.Connection;
  } else if (close === "always") {
    headers.Connection = "close";
  }
  response.writeHead(apiResponse.status, headers);
  if (request.method === "HEAD") response.end();
  else response.end(body);
}

/** Stops accepting, lets in-flight responses finish for a moment, then drops what is left. */
function closeAll(tlsServer: Http2SecureServer, sockets: Set<Socket>): Promise<void> {
  return new Promise((resolve) => {
    tlsServer.close();
    const deadline = setTimeout(
      () => {
        for (const socket of sockets) socket.destroy();
        resolve();
      },
      sockets.size === 0 ? 0 : 300,
    );
    deadline.unref();
  });
}
