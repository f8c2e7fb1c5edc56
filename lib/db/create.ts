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

/** The part of a better-sqlite3 statement Prisma's adapter uses (@prisma/adapter-better-sqlite3 7.x). */
interface SqliteStatement {
  readonly reader: boolean;
  bind(...params: unknown[]): SqliteStatement;
  run(...params: unknown[]): unknown;
  columns(): unknown[];
  raw(toggle?: boolean): SqliteStatement;
  all(...params: unknown[]): unknown[];
}

/** Statements kept per connection (the app's queries are a few dozen distinct texts). */
const STATEMENTS_KEPT = 256;

/**
 * Prisma's SQLite adapter prepares every query afresh (`client.prepare(sql).bind(args)`), which for
 * the app's queries costs more than running them (tens of µs each; a terminal command makes about
 * ten). Statements are kept by their SQL instead; better-sqlite3 binds a statement's parameters only
 * once, so the kept statement is handed out behind a stand-in that passes the arguments to each run.
 * The adapter runs every statement to completion synchronously (`run`, `raw().all()`), so one
 * statement is never in use twice at once. Left as it is if the adapter's shape is not the known one.
 */
export function keepPreparedStatements(connection: unknown): void {
  const client = (connection as { client?: { prepare?: unknown } } | null)?.client;
  if (typeof client?.prepare !== "function") return;
  const prepare = (client.prepare as (sql: string) => SqliteStatement).bind(client);
  const kept = new Map<string, SqliteStatement>();
  client.prepare = (sql: string) => {
    let statement = kept.get(sql);
    if (statement === undefined) {
      statement = prepare(sql);
      kept.set(sql, statement);
      if (kept.size > STATEMENTS_KEPT) kept.delete(kept.keys().next().value ?? "");
    }
    const prepared = statement;
    return {
      reader: prepared.reader,
      bind: (...params: unknown[]) => ({
        reader: prepared.reader,
        run: () => prepared.run(...params),
        columns: () => prepared.columns(),
        raw: () => ({ all: () => prepared.raw(true).all(...params) }),
      }),
      run: (...params: unknown[]) => prepared.run(...params),
    };
  };
}

/**
 * The SQLite adapter, each connection set up with SQLITE_CONNECTION_PRAGMAS before its first query
 * and keeping its prepared statements (keepPreparedStatements).
 */
function sqliteAdapter(database: DatabaseConfig): SqlDriverAdapterFactory {
  const factory = adapterFor(database);
  return {
    provider: factory.provider,
    adapterName: factory.adapterName,
    connect: async () => {
      const connection = await factory.connect();
      await connection.executeScript(SQLITE_CONNECTION_PRAGMAS);
      keepPreparedStatements(connection);
      return connection;
    },
  };
}

/**
 * The clients createDb made for the embedded database. Kept on globalThis: under `npm start` the
 * Next bundle and the practice API server (loaded by tsx) are two copies of this module sharing
 * one client (lib/db/client.ts).
 */
const holder = globalThis as unknown as Record<symbol, WeakSet<object> | undefined>;
const sqliteClients = (holder[Symbol.for("kubeprep.sqliteClients")] ??= new WeakSet<object>());

/**
 * Whether this client is on SQLite, where a transaction that has written holds the database's one
 * write lock until it ends: no other writer runs in between, whatever rows either touches.
 */
export function isSqlite(database: Db): boolean {
  return sqliteClients.has(database);
}

export function createDb(database: DatabaseConfig, clients: ClientConstructors): Db {
  if (database.provider === "sqlite") {
    const client = new clients.SqliteClient({ adapter: sqliteAdapter(database) });
    sqliteClients.add(client);
    return client;
  }
  // The two clients differ only in the isolation levels $transaction accepts (SQLite has just
  // Serializable), which this code never sets; the models are identical by construction.
  return new clients.PostgresClient({ adapter: adapterFor(database) }) as unknown as Db;
}
