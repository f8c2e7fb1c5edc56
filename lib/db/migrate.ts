import fs from "node:fs";
import path from "node:path";
import Database from "better-sqlite3";
import type { DatabaseConfig } from "../env";
import { SQLITE_BUSY_TIMEOUT_MS } from "./adapter";
import { applyMigrations, readMigrations } from "./schema-engine";
import { POSTGRES_SCHEMA, readSchema, SQLITE_SCHEMA } from "./schemas";

/** The database stayed locked by another process for longer than the busy timeout. */
export class DatabaseBusyError extends Error {
  override name = "DatabaseBusyError";
}

/**
 * Creates (SQLite) and migrates the database; returns the names of the migrations applied now.
 * The app, `db:migrate`, `seed:demo` and the benchmarks may start at the same time on one
 * embedded database: one migrates at a time (a lock file beside the database; PostgreSQL has
 * the schema engine's advisory lock), each waits for the others' writes (busy timeout), and a
 * database that stays busy is a clear error rather than the engine's "unknown variant
 * SocketTimeout".
 */
export async function migrateDatabase(root: string, database: DatabaseConfig, options: { busyTimeoutMs?: number } = {}): Promise<string[]> {
  const busyTimeoutMs = options.busyTimeoutMs ?? SQLITE_BUSY_TIMEOUT_MS;
  const schema = readSchema(root, database.provider === "sqlite" ? SQLITE_SCHEMA : POSTGRES_SCHEMA);
  if (database.provider === "postgres") return (await applyMigrations(root, database, schema)).appliedMigrationNames;
  fs.mkdirSync(path.dirname(database.file), { recursive: true, mode: 0o700 });
  const release = await lockFile(`${database.file}.migrate-lock`, Math.max(busyTimeoutMs, 60_000));
  try {
    // WAL is a property of the database file: set once, before anything else holds it open.
    const sqlite = new Database(database.file, { timeout: busyTimeoutMs });
    try {
      sqlite.pragma("journal_mode = WAL");
      // Prisma's schema engine takes the SQLite database exclusively, which it cannot while the
      // app (or a seeder) has it open: when every migration is applied already, as when
      // seed:demo or a benchmark starts beside the app, it is not needed at all.
      if (pendingMigrations(sqlite, root).length === 0) return [];
    } finally {
      sqlite.close();
    }
    // SQLite answers some conflicts with "busy" at once, without waiting (a read transaction
    // that wants to write after another connection committed): retry until the busy timeout.
    const deadline = Date.now() + busyTimeoutMs;
    for (;;) {
      try {
        const { appliedMigrationNames } = await applyMigrations(root, database, schema, {
          busyTimeoutMs: Math.max(100, deadline - Date.now()),
        });
        return appliedMigrationNames;
      } catch (error) {
        if (!isBusy(error) || Date.now() >= deadline) throw error;
        await new Promise((resolve) => setTimeout(resolve, 250));
      }
    }
  } catch (error) {
    throw isBusy(error)
      ? new DatabaseBusyError(
          `The database ${database.file} stayed busy for more than ${Math.round(busyTimeoutMs / 1000)} s: another process (the app, seed:demo, a benchmark) is writing to it or has it open. New migrations need the database to themselves: stop the other process, then try again.`,
        )
      : error;
  } finally {
    release();
  }
}

/** Migration folders not (successfully) recorded in `_prisma_migrations` yet. */
function pendingMigrations(sqlite: Database.Database, root: string): string[] {
  const folders = readMigrations(root, "sqlite").migrationDirectories.map((directory) => directory.path);
  const table = sqlite.prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = '_prisma_migrations'").get();
  if (!table) return folders;
  const applied = new Set(
    (
      sqlite.prepare("SELECT migration_name FROM _prisma_migrations WHERE finished_at IS NOT NULL AND rolled_back_at IS NULL").all() as {
        migration_name: string;
      }[]
    ).map((row) => row.migration_name),
  );
  return folders.filter((name) => !applied.has(name));
}

/** SQLite's "busy", as better-sqlite3 reports it, or as the schema engine reports the adapter's SocketTimeout. */
function isBusy(error: unknown): boolean {
  const text = error instanceof Error ? `${"code" in error ? String(error.code) : ""} ${error.message}` : String(error);
  return /SQLITE_BUSY|database is locked|SocketTimeout/i.test(text);
}

/** An exclusive lock file holding the owner's pid; a lock left by a dead process is taken over. */
async function lockFile(file: string, waitMs: number): Promise<() => void> {
  const deadline = Date.now() + waitMs;
  for (;;) {
    try {
      fs.writeFileSync(file, String(process.pid), { flag: "wx", mode: 0o600 });
      return () => fs.rmSync(file, { force: true });
    } catch (error) {
      if (!(error instanceof Error && "code" in error && error.code === "EEXIST")) throw error;
    }
    let owner: number;
    try {
      owner = Number(fs.readFileSync(file, "utf8").trim());
    } catch {
      continue; // released in between
    }
    if (!alive(owner)) {
      fs.rmSync(file, { force: true });
      continue;
    }
    if (Date.now() > deadline)
      throw new DatabaseBusyError(
        `Another process (pid ${owner}) has been migrating the database for more than ${Math.round(waitMs / 1000)} s (lock file ${file}).`,
      );
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

function alive(pid: number): boolean {
  if (!Number.isInteger(pid) || pid <= 0) return false;
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return error instanceof Error && "code" in error && error.code === "EPERM";
  }
}
