/**
 * One set of models, two providers. prisma/schema.prisma (SQLite) is the source; the
 * PostgreSQL schema is derived from it so the two generated clients can never drift.
 */
import fs from "node:fs";
import path from "node:path";

export const SQLITE_SCHEMA = "prisma/schema.prisma";
export const POSTGRES_SCHEMA = "prisma/postgres/schema.prisma";
export const MIGRATION_DIRS = { sqlite: "prisma/migrations", postgres: "prisma/postgres/migrations" } as const;
/** The schema as of the newest migration of each provider; `db:new-migration` diffs against it. */
export const SNAPSHOTS = {
  sqlite: "prisma/snapshot/schema.sqlite.prisma",
  postgres: "prisma/snapshot/schema.postgres.prisma",
} as const;

const HEADER = "// GENERATED from prisma/schema.prisma by `npm run db:generate`. Do not edit.\n";

export function derivePostgresSchema(sqliteSchema: string): string {
  const datasource = /datasource db \{\s*provider\s*=\s*"sqlite"\s*\}/;
  const output = /output(\s*)= "\.\.\/lib\/db\/generated\/sqlite"/;
  if (!datasource.test(sqliteSchema) || !output.test(sqliteSchema)) {
    throw new Error(`${SQLITE_SCHEMA}: expected the sqlite datasource block and generator output to derive the PostgreSQL schema`);
  }
  const body = sqliteSchema
    .replace(/^\/\/ The one source of truth[\s\S]*?\n\n/, "")
    // A line that ends in `// postgres: <line>` is replaced by <line> in the PostgreSQL schema
    // (provider-specific indexes; Prisma has no per-provider attributes in one schema).
    .replace(/^(\s*)\S.*\/\/ postgres: (.+)$/gm, "$1$2")
    .replace(datasource, 'datasource db {\n  provider = "postgresql"\n}')
    .replace(output, 'output$1= "../../lib/db/generated/postgres"');
  return HEADER + body;
}

export function readSchema(root: string, file: string): string {
  return fs.readFileSync(path.join(root, file), "utf8");
}
