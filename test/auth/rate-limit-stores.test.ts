// Several app instances must share one count: two independent limiter sets on the same shared
// store (Redis, PostgreSQL) see each other's attempts.
import net from "node:net";
import crypto from "node:crypto";
import { describe, expect, it } from "vitest";
import { RateLimiterRedis } from "rate-limiter-flexible";
import { Redis } from "ioredis";
import pg from "pg";
import { postgresLimiterFactory } from "@/lib/auth/rate-limit-postgres";
import { chargeSignIn, createLimiters, limitSignUp, POLICY, RateLimitedError } from "@/lib/auth/rate-limit-policy";

function reachable(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = net.connect({ host: "127.0.0.1", port });
    socket.once("connect", () => (socket.destroy(), resolve(true)));
    socket.once("error", () => resolve(false));
  });
}

const redisUp = await reachable(6379);
const ip = () => `203.0.113.${crypto.randomInt(255)}-${crypto.randomUUID()}`;

async function exhaustAcross(instanceA: ReturnType<typeof createLimiters>, instanceB: ReturnType<typeof createLimiters>) {
  const address = ip();
  for (let n = 0; n < POLICY.signUpPerIp.points; n++) await limitSignUp(n % 2 ? instanceA : instanceB, address);
  await expect(limitSignUp(instanceA, address)).rejects.toBeInstanceOf(RateLimitedError);
  await expect(limitSignUp(instanceB, address)).rejects.toBeInstanceOf(RateLimitedError);
  // Per-account back-off: parallel guesses through both instances, past the free failures only
  // one attempt per window is admitted.
  const email = `${crypto.randomUUID()}@example.com`;
  const outcomes = await Promise.allSettled(Array.from({ length: 20 }, (_, n) => chargeSignIn(n % 2 ? instanceA : instanceB, email, ip())));
  expect(outcomes.filter((outcome) => outcome.status === "fulfilled")).toHaveLength(POLICY.signInFailuresPerAccount.free + 1);
}

describe.skipIf(!redisUp)("rate limits shared through Redis (127.0.0.1:6379)", () => {
  it("two instances count the same attempts", async () => {
    const a = new Redis("redis://127.0.0.1:6379", { enableOfflineQueue: false });
    const b = new Redis("redis://127.0.0.1:6379", { enableOfflineQueue: false });
    await Promise.all([a, b].map((client) => new Promise((resolve) => client.once("ready", resolve))));
    try {
      await exhaustAcross(
        createLimiters((options) => new RateLimiterRedis({ ...options, storeClient: a })),
        createLimiters((options) => new RateLimiterRedis({ ...options, storeClient: b })),
      );
    } finally {
      a.disconnect();
      b.disconnect();
    }
  });
});

describe.skipIf(!process.env.TEST_DATABASE_URL)("rate limits shared through PostgreSQL (TEST_DATABASE_URL)", () => {
  it("two instances count the same attempts", async () => {
    const a = new pg.Pool({ connectionString: process.env.TEST_DATABASE_URL, max: 2 });
    const b = new pg.Pool({ connectionString: process.env.TEST_DATABASE_URL, max: 2 });
    const table = `rate_limits_test_${crypto.randomBytes(4).toString("hex")}`;
    try {
      // Both instances start at once, as two app servers would: the table is created once.
      const instance = async (pool: pg.Pool) => createLimiters(await postgresLimiterFactory(pool, table, false));
      const [first, second] = await Promise.all([instance(a), instance(b)]);
      await exhaustAcross(first, second);
    } finally {
      await a.query(`DROP TABLE IF EXISTS ${table}`);
      await Promise.all([a.end(), b.end()]);
    }
  });
});
