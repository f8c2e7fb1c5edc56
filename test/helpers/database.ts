// Real databases for integration tests: a fresh migrated SQLite file per call, and, when
// TEST_DATABASE_URL points at PostgreSQL, a fresh database on that server (dropped afterwards).
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import crypto from "node:crypto";
import pg from "pg";
import { PrismaClient as SqliteClient } from "@/lib/db/generated/sqlite/client";
import { PrismaClient as PostgresClient } from "@/lib/db/generated/postgres/client";
import { createDb, type Db } from "@/lib/db/create";
import { migrateDatabase } from "@/lib/db/migrate";
import type { DatabaseConfig } from "@/lib/env";

export interface TestDatabase {
  provider: DatabaseConfig["provider"];
  config: DatabaseConfig;
  db: Db;
  drop(): Promise<void>;
}

export const providers: DatabaseConfig["provider"][] = process.env.TEST_DATABASE_URL?.startsWith("postgres")
  ? ["sqlite", "postgres"]
  : ["sqlite"];

export async function createTestDatabase(provider: DatabaseConfig["provider"]): Promise<TestDatabase> {
  if (provider === "sqlite") {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "kubeprep-db-"));
    const file = path.join(dir, "test.db");
    const config: DatabaseConfig = { provider: "sqlite", url: `file:${file}`, file };
    await migrateDatabase(process.cwd(), config);
    const db = createDb(config, { SqliteClient, PostgresClient });
    return {
      provider,
      config,
      db,
      drop: async () => {
        await db.$disconnect();
        fs.rmSync(dir, { recursive: true, force: true });
      },
    };
  }
  const base = process.env.TEST_DATABASE_URL;
  if (!base) throw new Error("TEST_DATABASE_URL is not set");
  const name = `kubeprep_test_${crypto.randomBytes(6).toString("hex")}`;
  const admin = new pg.Client({ connectionString: base });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${name}`);
  await admin.end();
  const url = new URL(base);
  url.pathname = `/${name}`;
  const config: DatabaseConfig = { provider: "postgres", url: url.toString() };
  await migrateDatabase(process.cwd(), config);
  const db = createDb(config, { SqliteClient, PostgresClient });
  return {
    provider,
    config,
    db,
    drop: async () => {
      await db.$disconnect();
      const cleanup = new pg.Client({ connectionString: base });
      await cleanup.connect();
      await cleanup.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await cleanup.end();
    },
  };
}
