/**
 * A real HTTP server for route handlers, built like production: lib/http/node-server.ts in front, and
 * each Node request turned into a web Request the way Next's NextRequestAdapter.fromNodeNextRequest
 * does it (the IncomingMessage itself is the streaming body, duplex "half"). Plus the attacker's tools:
 * a chunked upload of any size from one reused buffer on a raw socket, and an RSS sampler.
 */
import { connect, type AddressInfo } from "node:net";
import { NextRequest } from "next/server";
import { createAppServer } from "@/lib/http/node-server";

export type RouteHandler = (request: NextRequest) => Promise<Response>;

export interface RouteServer {
  base: string;
  port: number;
  close(): Promise<void>;
}

export async function startRouteServer(routes: Record<string, RouteHandler>, lingerMs = 1000): Promise<RouteServer> {
  const server = createAppServer(
    async (incoming, outgoing) => {
      const url = new URL(incoming.url ?? "/", "http://127.0.0.1");
      const handler = routes[`${incoming.method ?? "GET"} ${url.pathname}`];
      if (handler === undefined) {
        outgoing.writeHead(404).end();
        return;
      }
      const hasBody = incoming.method !== "GET" && incoming.method !== "HEAD";
      const headers = new Headers();
      for (const [name, value] of Object.entries(incoming.headers)) {
        if (typeof value === "string") headers.set(name, value);
        else if (Array.isArray(value)) for (const item of value) headers.append(name, item);
      }
      const init = {
        method: incoming.method,
        headers,
        duplex: "half",
        ...(hasBody ? { body: incoming as unknown as ReadableStream<Uint8Array> } : {}),
      };
      const response = await handler(new NextRequest(url, init as ConstructorParameters<typeof NextRequest>[1]));
      const body = Buffer.from(await response.arrayBuffer());
      outgoing.writeHead(response.status, Object.fromEntries(response.headers));
      outgoing.end(body);
    },
    { trustedHops: 0, lingerMs },
  );
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const port = (server.address() as AddressInfo).port;
  return {
    base: `http://127.0.0.1:${port}`,
    port,
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

export interface FloodResult {
  status: number;
  body: string;
  /** When the response head arrived, from the start. */
  answeredMs: number;
  /** Bytes handed to the socket before the server ended the exchange. */
  sentBytes: number;
  /** The server closed the connection (rather than keeping it for the rest of the upload). */
  closedMs: number;
}

/**
 * POSTs up to `totalBytes` with Transfer-Encoding: chunked, as fast as the server takes them, and keeps
 * sending after the answer as an attacker would. A raw socket: Node's http client drops a response
 * that arrives together with the end of the connection while it is still writing.
 */
export function chunkedFlood(port: number, path: string, totalBytes: number, headers: Record<string, string>): Promise<FloodResult> {
  return new Promise((resolve, reject) => {
    const started = performance.now();
    const socket = connect(port, "127.0.0.1");
    const frame = Buffer.concat([Buffer.from(`10000\r\n`), Buffer.alloc(0x10000, 0x20), Buffer.from("\r\n")]);
    let sent = 0;
    let answeredMs = Number.NaN;
    let received = "";
    socket.on("data", (data: Buffer) => {
      if (received === "") answeredMs = performance.now() - started;
      received += data.toString("utf8");
    });
    socket.on("error", () => undefined);
    socket.on("close", () => {
      const status = Number(/^HTTP\/1\.1 (\d{3})/.exec(received)?.[1] ?? 0);
      if (status === 0) reject(new Error(`no response; ${sent} bytes sent`));
      else
        resolve({ status, body: /\{.*\}/s.exec(received)?.[0] ?? "", answeredMs, sentBytes: sent, closedMs: performance.now() - started });
    });
    const head = Object.entries({ ...headers, host: "127.0.0.1", "transfer-encoding": "chunked" })
      .map(([name, value]) => `${name}: ${value}\r\n`)
      .join("");
    socket.write(`POST ${path} HTTP/1.1\r\n${head}\r\n`);
    const pump = (): void => {
      while (sent < totalBytes && !socket.destroyed) {
        sent += 0x10000;
        if (!socket.write(frame)) {
          socket.once("drain", pump);
          return;
        }
      }
      if (!socket.destroyed) socket.end("0\r\n\r\n");
    };
    pump();
  });
}

/** Samples this process's RSS every 10 ms; `stop()` gives the peak growth over the starting value. */
export function sampleRss(): { stop(): number } {
  const start = process.memoryUsage.rss();
  let peak = start;
  const timer = setInterval(() => {
    peak = Math.max(peak, process.memoryUsage.rss());
  }, 10);
  return {
    stop: () => {
      clearInterval(timer);
      peak = Math.max(peak, process.memoryUsage.rss());
      return peak - start;
    },
  };
}
