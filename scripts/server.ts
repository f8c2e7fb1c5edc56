// The production HTTP entry: Next's request handler behind the app's Node server
// (lib/http/node-server.ts: client address for rate limits, request deadlines, refused bodies).
import type http from "node:http";
import next from "next";
import { getEnv } from "../lib/env";
import { createAppServer } from "../lib/http/node-server";

const LISTEN_BACKLOG = 4096;

export async function startServer(options: { port: number; hostname?: string; dev?: boolean }): Promise<http.Server> {
  const app = next({ dev: options.dev ?? false, dir: process.cwd(), port: options.port, hostname: options.hostname });
  await app.prepare();
  const handle = app.getRequestHandler();
  const server = createAppServer((request, response) => handle(request, response), { trustedHops: getEnv().trustProxy });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    // A burst of connections (an exam starting for a whole cohort at once) waits in the kernel's
    // accept queue while the event loop is busy. Node's default backlog of 511 drops the rest: the
    // clients' SYN or handshake is retried after 1, 3, 7, 15… s, or fails. The kernel caps it at
    // net.core.somaxconn (4096 on current Linux).
    server.listen({ port: options.port, host: options.hostname, backlog: LISTEN_BACKLOG }, resolve);
  });
  return server;
}
