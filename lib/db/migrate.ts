import fs from "node:fs";
import path from "node:path";
import Database from "better-sqlite3";
import type { DatabaseConfig } from "../env";
import { applyMigrations } from "./schema-engine";
import { POSTGRES_SCHEMA, readSchema, SQLITE_SCHEMA } from "./schemas";

/** Creates (SQLite) and migrates the database; returns the names of the migrations applied now. */
export async function migrateDatabase(root: string, database: DatabaseConfig): Promise<string[]> {
  if (database.provider === "sqlite") {
    // WAL is a property of the database file: set once, before anything else holds it open.
    fs.mkdirSync(path.dirname(database.file), { recursive: true });
    const sqlite = new Database(database.file);
    sqlite.pragma("journal_mode = WAL");
    sqlite.close();
  }
  const schema = readSchema(root, database.provider === "sqlite" ? SQLITE_SCHEMA : POSTGRES_SCHEMA);
  const { appliedMigrationNames } = await applyMigrations(root, database, schema);
  return appliedMigrationNames;
}
