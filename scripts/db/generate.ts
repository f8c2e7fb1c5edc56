// Derives the PostgreSQL schema from prisma/schema.prisma and generates both Prisma clients.
// Works offline: `prisma generate` never runs the schema engine, so any executable satisfies
// the CLI's engine check (see docs/database.md).
import fs from "node:fs";
import path from "node:path";
import { execFileSync } from "node:child_process";
import { derivePostgresSchema, POSTGRES_SCHEMA, readSchema, SQLITE_SCHEMA } from "../../lib/db/schemas";

const root = process.cwd();
const postgres = derivePostgresSchema(readSchema(root, SQLITE_SCHEMA));
fs.mkdirSync(path.dirname(path.join(root, POSTGRES_SCHEMA)), { recursive: true });
fs.writeFileSync(path.join(root, POSTGRES_SCHEMA), postgres);

const prismaCli = path.join(root, "node_modules", "prisma", "build", "index.js");
const env = { ...process.env, PRISMA_SCHEMA_ENGINE_BINARY: process.env.PRISMA_SCHEMA_ENGINE_BINARY ?? process.execPath };
for (const schema of [SQLITE_SCHEMA, POSTGRES_SCHEMA]) {
  execFileSync(process.execPath, [prismaCli, "generate", "--schema", schema], { stdio: ["ignore", "ignore", "inherit"], env });
}
console.log("Generated the SQLite and PostgreSQL Prisma clients.");
