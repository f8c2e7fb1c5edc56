import "server-only";
import { RateLimiterMemory, RateLimiterRedis } from "rate-limiter-flexible";
import { getEnv } from "../env";
import { postgresLimiterFactory } from "./rate-limit-postgres";
import { createLimiters, type Limiters } from "./rate-limit-policy";

export { chargeSignIn, limitAnswer, limitSignUp, limitTerminalCommand, RateLimitedError } from "./rate-limit-policy";

const globalForLimits = globalThis as typeof globalThis & { kubeprepLimiters?: Promise<Limiters> };

/**
 * The process's limiters. Memory by default; Redis or PostgreSQL when configured, so that every
 * app instance behind a load balancer counts the same attempts.
 */
export function limiters(): Promise<Limiters> {
  globalForLimits.kubeprepLimiters ??= build();
  return globalForLimits.kubeprepLimiters;
}

async function build(): Promise<Limiters> {
  const { rateLimitStore: store, terminalCommandsPer10s, answersPer10s } = getEnv();
  const overrides = { terminal: terminalCommandsPer10s, answers: answersPer10s };
  if (store.kind === "memory") return createLimiters((options) => new RateLimiterMemory(options), overrides);
  if (store.kind === "redis") {
    const { Redis } = await import("ioredis");
    const client = new Redis(store.url, { enableOfflineQueue: false, maxRetriesPerRequest: 1, lazyConnect: false });
    return createLimiters(
      (options) => new RateLimiterRedis({ ...options, storeClient: client, insuranceLimiter: new RateLimiterMemory(options) }),
      overrides,
    );
  }
  const { Pool } = await import("pg");
  const pool = new Pool({ connectionString: store.url, max: 4 });
  return createLimiters(await postgresLimiterFactory(pool, "rate_limits"), overrides);
}
