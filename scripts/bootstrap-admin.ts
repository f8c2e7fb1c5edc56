import { PrismaClient as SqliteClient } from "../lib/db/generated/sqlite/client";
import { PrismaClient as PostgresClient } from "../lib/db/generated/postgres/client";
import { createDb } from "../lib/db/create";
import { ensureInitialAdmin } from "../lib/accounts/users";
import type { Env } from "../lib/env";

export async function bootstrapAdmin(env: Env): Promise<void> {
  const database = createDb(env.database, { SqliteClient, PostgresClient });
  try {
    await ensureInitialAdmin(database, { dataDir: env.dataDir, configured: env.initialAdmin });
  } finally {
    await database.$disconnect();
  }
}
