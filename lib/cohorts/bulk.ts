import "server-only";
import Database from "better-sqlite3";
import pg from "pg";
import type { DatabaseConfig } from "../env";

// Bulk inserts for demo data and benchmarks only. Prisma's createMany measured ~1,600 rows/s
// here (10,000 students are ~5 million rows), so these go straight to the driver: one prepared
// statement in a transaction on SQLite, multi-row INSERTs on PostgreSQL. Values are always
// bound parameters; table and column names come from the code, never from input.

export type Row = Record<string, string | number | boolean | Date | null | object>;

export interface BulkInserter {
  insert(table: string, rows: Row[]): Promise<void>;
  close(): Promise<void>;
}

/** Prisma's on-disk encodings: ISO text with +00:00 on SQLite, UTC timestamp(3) on PostgreSQL. */
function encode(value: Row[string], provider: DatabaseConfig["provider"]): string | number | null {
  if (value === null) return null;
  if (value instanceof Date)
    return provider === "sqlite" ? value.toISOString().replace("Z", "+00:00") : value.toISOString().replace("Z", "");
  if (typeof value === "boolean") return provider === "sqlite" ? (value ? 1 : 0) : value ? "true" : "false";
  if (typeof value === "object") return JSON.stringify(value);
  return value;
}

export async function openBulkInserter(config: DatabaseConfig): Promise<BulkInserter> {
  if (config.provider === "sqlite") {
    const sqlite = new Database(config.file);
    sqlite.pragma("journal_mode = WAL");
    sqlite.pragma("foreign_keys = ON");
    return {
      async insert(table, rows) {
        const first = rows[0];
        if (!first) return;
        const columns = Object.keys(first);
        const statement = sqlite.prepare(
          `INSERT INTO "${table}" (${columns.map((c) => `"${c}"`).join(", ")}) VALUES (${columns.map(() => "?").join(", ")})`,
        );
        sqlite.transaction((batch: Row[]) => {
          for (const row of batch) statement.run(columns.map((c) => encode(row[c] ?? null, "sqlite")));
        })(rows);
      },
      async close() {
        // A bulk load changes the tables' shape far more than the planner's statistics know:
        // refresh them, as autovacuum/ANALYZE would in production, so the reports get their plans.
        sqlite.exec("ANALYZE");
        sqlite.close();
      },
    };
  }
  const client = new pg.Client({ connectionString: config.url });
  await client.connect();
  return {
    async insert(table, rows) {
      const first = rows[0];
      if (!first) return;
      const columns = Object.keys(first);
      const perStatement = Math.max(1, Math.floor(60_000 / columns.length));
      for (let start = 0; start < rows.length; start += perStatement) {
        const chunk = rows.slice(start, start + perStatement);
        const values: (string | number | null)[] = [];
        const tuples = chunk.map((row) => `(${columns.map((c) => `$${values.push(encode(row[c] ?? null, "postgres"))}`).join(", ")})`);
        await client.query(`INSERT INTO "${table}" (${columns.map((c) => `"${c}"`).join(", ")}) VALUES ${tuples.join(", ")}`, values);
      }
    },
    async close() {
      // Same on PostgreSQL; VACUUM also sets the visibility map, which index-only scans need.
      await client.query("VACUUM ANALYZE");
      await client.end();
    },
  };
}
