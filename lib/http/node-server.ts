/**
 * The Node HTTP server in front of the app's request handler (scripts/server.ts puts Next behind
 * it). It decides the client address so that a client cannot spoof it with a header, bounds how
 * long a request may take to arrive, and closes a connection whose request body the app did not
 * read to the end (a 413 from lib/http/body.ts, or a route that takes no body), as Go's net/http
 * does: the answer goes out, what the client still sends is discarded, and the connection ends.
 * Without that, Node would either read and discard the rest of a huge upload before the next
 * request, or keep the half-read connection open until the request timeout.
 */
import http from "node:http";
import { CLIENT_IP_HEADER, resolveClientIp } from "../auth/client-ip";

/** How long an idle keep-alive connection stays open. */
const KEEP_ALIVE_MS = 65_000;

export interface AppServerOptions {
  /** Reverse proxies in front (TRUST_PROXY): the client address is read from X-Forwarded-For. */
  trustedHops: number;
  /** How long what a client still sends after a refused body is discarded before the socket is closed. */
  lingerMs?: number;
}

export function createAppServer(
  handle: (request: http.IncomingMessage, response: http.ServerResponse) => Promise<void> | void,
  options: AppServerOptions,
): http.Server {
  const lingerMs = options.lingerMs ?? 2_000;
  const server = http.createServer((request, response) => {
    request.headers[CLIENT_IP_HEADER] = resolveClientIp(
      request.socket.remoteAddress,
      request.headers["x-forwarded-for"],
      options.trustedHops,
    );
    request.headers["x-kubeprep-path"] = (request.url ?? "/").slice(0, 2048);
    response.once("finish", () => {
      if (!request.complete) closeAfterUnreadBody(request, lingerMs);
    });
    void handle(request, response);
  });
  server.headersTimeout = 30_000;
  server.requestTimeout = 60_000;
  // Keep an idle browser's connection for a minute (Node's default is 5 s). Since libuv 1.45 a
  // busy event loop accepts one new connection per turn, so a cohort that reconnects at once (an
  // exam opening) waits in the kernel's accept queue for seconds to minutes; a learner whose page
  // is open keeps the connection it loaded the page with. Longer than the 60 s idle timeout
  // proxies commonly use, so the proxy, not the app, closes an idle upstream connection.
  server.keepAliveTimeout = KEEP_ALIVE_MS;
  return server;
}

/**
 * The response is out but the request body is not: stop feeding it to whoever half-read it, end our
 * side (the client reads the response, then end of stream), discard what still arrives (closing
 * with unread data would send a reset that can destroy the response in the client's buffer), and
 * cut the connection after `lingerMs`.
 */
function closeAfterUnreadBody(request: http.IncomingMessage, lingerMs: number): void {
  const socket = request.socket;
  request.removeAllListeners("data");
  request.removeAllListeners("readable");
  request.on("data", () => undefined);
  request.on("error", () => undefined);
  request.resume();
  socket.end();
  setTimeout(() => socket.destroy(), lingerMs).unref();
}
