import "server-only";
import { PrismaClient as SqliteClient } from "./generated/sqlite/client";
import { PrismaClient as PostgresClient } from "./generated/postgres/client";
import { getEnv } from "../env";
import { createDb, type Db } from "./create";

export type { Db } from "./create";

const globalForDb = globalThis as typeof globalThis & { kubeprepDb?: Db };

/** The one database client of this process (kept across hot reloads in development). */
export function db(): Db {
  globalForDb.kubeprepDb ??= createDb(getEnv().database, { SqliteClient, PostgresClient });
  return globalForDb.kubeprepDb;
}
