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
  SqliteClient: new (options: { adapter: ReturnType<typeof adapterFor> }) => SqliteClient;
  PostgresClient: new (options: { adapter: ReturnType<typeof adapterFor> }) => PostgresClient;
}

export function createDb(database: DatabaseConfig, clients: ClientConstructors): Db {
  const adapter = adapterFor(database);
  if (database.provider === "sqlite") return new clients.SqliteClient({ adapter });
  // The two clients differ only in the isolation levels $transaction accepts (SQLite has just
  // Serializable), which this code never sets; the models are identical by construction.
  return new clients.PostgresClient({ adapter }) as unknown as Db;
}
