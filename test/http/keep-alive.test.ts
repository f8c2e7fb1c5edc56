import http from "node:http";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startRouteServer, type RouteServer } from "../helpers/http";

let server: RouteServer;
beforeAll(async () => {
  server = await startRouteServer({ "GET /ping": async () => new Response("pong") });
});
afterAll(() => server.close());

function get(agent: http.Agent): Promise<{ header: string | undefined; port: number | undefined }> {
  return new Promise((resolve, reject) => {
    const request = http.get(`${server.base}/ping`, { agent }, (response) => {
      response.resume();
      response.on("end", () => resolve({ header: response.headers["keep-alive"]?.toString(), port: request.socket?.localPort }));
    });
    request.on("error", reject);
  });
}

describe("idle connections", () => {
  it("are kept for 65 s, not Node's 5 s, so a learner with the page open does not reconnect for every action", async () => {
    const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
    const first = await get(agent);
    expect(first.header).toBe("timeout=65");
    const second = await get(agent);
    expect(second.port).toBe(first.port);
    agent.destroy();
  });
});
