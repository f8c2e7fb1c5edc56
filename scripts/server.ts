// The production HTTP entry: Next's request handler behind a thin Node server that decides the
// client address (for rate limits) so that a client cannot spoof it with a header.
import http from "node:http";
import next from "next";
import { CLIENT_IP_HEADER, resolveClientIp } from "../lib/auth/client-ip";

export async function startServer(options: { port: number; hostname?: string; dev?: boolean }): Promise<http.Server> {
  const app = next({ dev: options.dev ?? false, dir: process.cwd(), port: options.port, hostname: options.hostname });
  await app.prepare();
  const handle = app.getRequestHandler();
  const trustedHops = Number(process.env.TRUST_PROXY ?? "0") || 0;
  const server = http.createServer((request, response) => {
    request.headers[CLIENT_IP_HEADER] = resolveClientIp(request.socket.remoteAddress, request.headers["x-forwarded-for"], trustedHops);
    request.headers["x-kubeprep-path"] = (request.url ?? "/").slice(0, 2048);
    void handle(request, response);
  });
  server.headersTimeout = 30_000;
  server.requestTimeout = 60_000;
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(options.port, options.hostname, resolve);
  });
  return server;
}
