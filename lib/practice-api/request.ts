/**
 * From a Node request (HTTP/1.1 or HTTP/2 compat API) to the engine's ApiRequest: lower-cased headers
 * with repeated headers kept apart (Go's http.Header), the client's certificate chain as DER (leaf
 * first, exactly what it sent: the handshake never verifies it), and a size-capped body.
 */
import type { IncomingMessage } from "node:http";
import type { Http2ServerRequest, Http2Session } from "node:http2";
import type { Socket } from "node:net";
import type { DetailedPeerCertificate, TLSSocket } from "node:tls";
import type { ApiRequest } from "../k8s";

export type NodeRequest = IncomingMessage | Http2ServerRequest;

export function isHttp2(request: NodeRequest): request is Http2ServerRequest {
  return "stream" in request;
}

/**
 * Headers as `req.headersDistinct` would give them, from rawHeaders (Http2ServerRequest has no
 * headersDistinct, and its `headers` joins repeats with ", "). HTTP/2 pseudo-headers are dropped;
 * a header seen once is a string, a repeated one an array in arrival order.
 */
export function distinctHeaders(rawHeaders: readonly string[]): ApiRequest["headers"] {
  const collected = new Map<string, string[]>();
  for (let index = 0; index + 1 < rawHeaders.length; index += 2) {
    const name = (rawHeaders[index] ?? "").toLowerCase();
    if (name === "" || name.startsWith(":")) continue;
    const values = collected.get(name);
    const value = rawHeaders[index + 1] ?? "";
    if (values === undefined) collected.set(name, [value]);
    else values.push(value);
  }
  const headers: ApiRequest["headers"] = {};
  for (const [name, values] of collected) headers[name] = values.length === 1 ? (values[0] ?? "") : values;
  return headers;
}

/** The peer chain, leaf first, following issuerCertificate until it ends or points back to itself. */
export function peerChainDer(socket: Pick<TLSSocket, "getPeerCertificate">): Uint8Array[] {
  let current: DetailedPeerCertificate | undefined = socket.getPeerCertificate(true);
  const chain: Uint8Array[] = [];
  const seen = new Set<string>();
  while (current !== undefined && current.raw !== undefined && current.raw.length > 0 && chain.length < 10) {
    const fingerprint = current.fingerprint256 ?? String(chain.length);
    if (seen.has(fingerprint)) break;
    seen.add(fingerprint);
    chain.push(new Uint8Array(current.raw));
    const next: DetailedPeerCertificate | undefined = current.issuerCertificate;
    current = next === current ? undefined : next;
  }
  return chain;
}

const chainsByConnection = new WeakMap<object, Uint8Array[]>();

/** The certificate chain of the connection the request came on, computed once per connection. */
export function peerCertificatesOf(request: NodeRequest): Uint8Array[] {
  const owner: Http2Session | Socket | undefined = isHttp2(request) ? request.stream.session : request.socket;
  if (owner === undefined) return [];
  const cached = chainsByConnection.get(owner);
  if (cached !== undefined) return cached;
  // For HTTP/2 this is the session's socket proxy: `in` checks would look at the session, so only
  // ask for the method itself.
  const socket = (isHttp2(request) ? request.stream.session?.socket : request.socket) as Partial<TLSSocket> | undefined;
  const chain = socket !== undefined && typeof socket.getPeerCertificate === "function" ? peerChainDer(socket as TLSSocket) : [];
  chainsByConnection.set(owner, chain);
  return chain;
}

/**
 * A request that cannot have a body (most of kubectl's: every GET): HTTP/2 ended the stream with its
 * headers; HTTP/1.1 sent neither Content-Length nor Transfer-Encoding (RFC 9112 §6.3: no body).
 */
function hasNoBody(request: NodeRequest): boolean {
  if (isHttp2(request)) return request.stream.endAfterHeaders;
  return request.headers["content-length"] === undefined && request.headers["transfer-encoding"] === undefined;
}

export type BodyResult = { ok: true; body: Uint8Array } | { ok: false; reason: "too-large" | "timeout" | "aborted" | "over-budget" };

/**
 * Reads the body up to `limit` bytes. A declared Content-Length over the limit fails before reading
 * anything; a body that grows past it fails as soon as it does. A client that sends too slowly fails
 * after `timeoutMs`. Each chunk is first accounted with `hold` (the process-wide budget of buffered
 * body bytes); when that refuses, reading stops with "over-budget".
 */
export function readBody(
  request: NodeRequest,
  limit: number,
  timeoutMs: number,
  hold: (bytes: number) => boolean = () => true,
): Promise<BodyResult> {
  const declared = Number(request.headers["content-length"] ?? "0");
  if (Number.isFinite(declared) && declared > limit) return Promise.resolve({ ok: false, reason: "too-large" });
  if (hasNoBody(request)) return Promise.resolve({ ok: true, body: new Uint8Array(0) });
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let settled = false;
    const finish = (result: BodyResult): void => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      request.off("data", onData);
      request.off("end", onEnd);
      request.off("error", onError);
      request.off("aborted", onAborted);
      request.off("close", onClose);
      resolve(result);
    };
    const onData = (chunk: Buffer | string): void => {
      const buffer = typeof chunk === "string" ? Buffer.from(chunk) : chunk;
      size += buffer.length;
      if (size > limit) {
        request.pause();
        finish({ ok: false, reason: "too-large" });
        return;
      }
      if (!hold(buffer.length)) {
        request.pause();
        finish({ ok: false, reason: "over-budget" });
        return;
      }
      chunks.push(buffer);
    };
    const onEnd = (): void => finish({ ok: true, body: new Uint8Array(Buffer.concat(chunks, size)) });
    const onError = (): void => finish({ ok: false, reason: "aborted" });
    const onAborted = (): void => finish({ ok: false, reason: "aborted" });
    const onClose = (): void => {
      if (!request.complete) finish({ ok: false, reason: "aborted" });
    };
    const timer = setTimeout(() => finish({ ok: false, reason: "timeout" }), timeoutMs);
    timer.unref();
    request.on("data", onData);
    request.on("end", onEnd);
    request.on("error", onError);
    request.on("aborted", onAborted);
    request.on("close", onClose);
  });
}
