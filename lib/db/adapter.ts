import { PrismaBetterSqlite3 } from "@prisma/adapter-better-sqlite3";
import { PrismaPg } from "@prisma/adapter-pg";
import type { DatabaseConfig } from "../env";

/**
 * How long an SQLite connection waits for another process's write (the app, `seed:demo`,
 * `db:migrate` and the benchmarks may share the embedded database) before it gives up.
 */
export const SQLITE_BUSY_TIMEOUT_MS = 15_000;

/** The Prisma driver adapter for the configured database. */
export function adapterFor(database: DatabaseConfig, options: { busyTimeoutMs?: number } = {}) {
  return database.provider === "sqlite"
    ? new PrismaBetterSqlite3({ url: database.file, timeout: options.busyTimeoutMs ?? SQLITE_BUSY_TIMEOUT_MS })
    : new PrismaPg({ connectionString: database.url });
}
