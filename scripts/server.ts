// The production HTTP entry: Next's request handler behind the app's Node server
// (lib/http/node-server.ts: client address for rate limits, request deadlines, refused bodies).
import type http from "node:http";
import next from "next";
import { getEnv } from "../lib/env";
import { createAppServer } from "../lib/http/node-server";

export async function startServer(options: { port: number; hostname?: string; dev?: boolean }): Promise<http.Server> {
  const app = next({ dev: options.dev ?? false, dir: process.cwd(), port: options.port, hostname: options.hostname });
  await app.prepare();
  const handle = app.getRequestHandler();
  const server = createAppServer((request, response) => handle(request, response), { trustedHops: getEnv().trustProxy });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(options.port, options.hostname, resolve);
  });
  return server;
}
