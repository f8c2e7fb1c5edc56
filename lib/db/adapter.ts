import { PrismaBetterSqlite3 } from "@prisma/adapter-better-sqlite3";
import { PrismaPg } from "@prisma/adapter-pg";
import type { DatabaseConfig } from "../env";

/** The Prisma driver adapter for the configured database. */
export function adapterFor(database: DatabaseConfig) {
  return database.provider === "sqlite"
    ? new PrismaBetterSqlite3({ url: database.file })
    : new PrismaPg({ connectionString: database.url });
}
