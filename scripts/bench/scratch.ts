/**
 * Scratch databases for the database benchmarks (bench:reports, bench:review): a SQLite file in a
 * temporary folder, or a PostgreSQL database created on the server TEST_DATABASE_URL names; both
 * removed by `drop`.
 */
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import crypto from "node:crypto";
import pg from "pg";
import type { DatabaseConfig } from "../../lib/env";

export interface Scratch {
  config: DatabaseConfig;
  drop(): Promise<void>;
}

export function scratchSqlite(prefix = "kubeprep-bench-"): Scratch {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), prefix));
  const file = path.join(dir, "bench.db");
  return { config: { provider: "sqlite", url: `file:${file}`, file }, drop: async () => fs.rmSync(dir, { recursive: true, force: true }) };
}

export async function scratchPostgres(base: string): Promise<Scratch> {
  const name = `kubeprep_bench_${crypto.randomBytes(5).toString("hex")}`;
  const admin = new pg.Client({ connectionString: base });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${name}`);
  await admin.end();
  const url = new URL(base);
  url.pathname = `/${name}`;
  return {
    config: { provider: "postgres", url: url.toString() },
    drop: async () => {
      const cleanup = new pg.Client({ connectionString: base });
      await cleanup.connect();
      await cleanup.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await cleanup.end();
    },
  };
}
