import type pg from "pg";
import { RateLimiterMemory, RateLimiterPostgres, type IRateLimiterOptions } from "rate-limiter-flexible";

const IDENTIFIER = /^[a-z_][a-z0-9_]{0,62}$/;

/**
 * A limiter factory over one PostgreSQL table shared by every app instance. The table is created
 * here, once and under an advisory lock: left to rate-limiter-flexible, each limiter runs its own
 * `CREATE TABLE IF NOT EXISTS`, and concurrent ones fail with "relation already exists" (42P07),
 * which the library rethrows as an unhandled rejection.
 */
export async function postgresLimiterFactory(
  pool: pg.Pool,
  tableName: string,
  insurance = true,
): Promise<(options: IRateLimiterOptions) => RateLimiterPostgres> {
  if (!IDENTIFIER.test(tableName)) throw new Error(`invalid rate-limit table name ${JSON.stringify(tableName)}`);
  const client = await pool.connect();
  try {
    await client.query("BEGIN");
    await client.query("SELECT pg_advisory_xact_lock(hashtext($1))", [`kubeprep:${tableName}`]);
    await client.query(
      `CREATE TABLE IF NOT EXISTS ${tableName} (key varchar(255) PRIMARY KEY, points integer NOT NULL DEFAULT 0, expire bigint)`,
    );
    await client.query("COMMIT");
  } catch (error) {
    await client.query("ROLLBACK").catch(() => undefined);
    throw error;
  } finally {
    client.release();
  }
  return (options) =>
    new RateLimiterPostgres({
      ...options,
      storeClient: pool,
      tableName,
      tableCreated: true,
      ...(insurance ? { insuranceLimiter: new RateLimiterMemory(options) } : {}),
    });
}
