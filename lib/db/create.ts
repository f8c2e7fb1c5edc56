import type { SqlDriverAdapterFactory } from "@prisma/driver-adapter-utils";
import type { PrismaClient as SqliteClient } from "./generated/sqlite/client";
import type { PrismaClient as PostgresClient } from "./generated/postgres/client";
import type { DatabaseConfig } from "../env";
import { adapterFor } from "./adapter";

/**
 * Both generated clients come from one set of models (test/db/schema-drift.test.ts), so they
 * expose the same model API; the code is written against the SQLite client's type.
 */
export type Db = SqliteClient;

export interface ClientConstructors {
  SqliteClient: new (options: { adapter: SqlDriverAdapterFactory }) => SqliteClient;
  PostgresClient: new (options: { adapter: SqlDriverAdapterFactory }) => PostgresClient;
}

/**
 * The embedded database runs in WAL mode (lib/db/migrate.ts) with `synchronous = NORMAL`, SQLite's
 * recommended setting for WAL: a commit is written to the log but not flushed to the disk each
 * time (the log is flushed at every checkpoint). The database stays consistent whatever happens,
 * and a crash of the app loses nothing; a power cut or an OS crash may lose the last commits.
 * With the default (FULL) every terminal command, which saves its instance, paid for an fsync
 * (a few milliseconds, more on a busy disk).
 */
export const SQLITE_CONNECTION_PRAGMAS = "PRAGMA synchronous = NORMAL;";

/** The SQLite adapter, each connection set up with SQLITE_CONNECTION_PRAGMAS before its first query. */
function sqliteAdapter(database: DatabaseConfig): SqlDriverAdapterFactory {
  const factory = adapterFor(database);
  return {
    provider: factory.provider,
    adapterName: factory.adapterName,
    connect: async () => {
      const connection = await factory.connect();
      await connection.executeScript(SQLITE_CONNECTION_PRAGMAS);
      return connection;
    },
  };
}

export function createDb(database: DatabaseConfig, clients: ClientConstructors): Db {
  if (database.provider === "sqlite") return new clients.SqliteClient({ adapter: sqliteAdapter(database) });
  // The two clients differ only in the isolation levels $transaction accepts (SQLite has just
  // Serializable), which this code never sets; the models are identical by construction.
  return new clients.PostgresClient({ adapter: adapterFor(database) }) as unknown as Db;
}
