// Prisma CLI configuration. The app itself connects through driver adapters (lib/db/client.ts)
// and applies migrations with scripts/db/migrate.ts; this file serves users who run the Prisma CLI.
import { defineConfig } from "prisma/config";

const postgres = process.env.DATABASE_URL?.startsWith("postgres") ?? false;

export default defineConfig({
  schema: postgres ? "prisma/postgres/schema.prisma" : "prisma/schema.prisma",
  migrations: { path: postgres ? "prisma/postgres/migrations" : "prisma/migrations" },
  datasource: { url: process.env.DATABASE_URL ?? "file:./data/kubeprep.db" },
});
