// Applies the pending migrations of the configured database (SQLite by default, PostgreSQL
// when DATABASE_URL says so) through the WebAssembly schema engine. Safe to run repeatedly.
import { getEnv } from "../../lib/env";
import { DatabaseBusyError, migrateDatabase } from "../../lib/db/migrate";

const applied = await migrateDatabase(process.cwd(), getEnv().database).catch((error: unknown) => {
  if (!(error instanceof DatabaseBusyError)) throw error;
  console.error(error.message);
  process.exit(1);
});
console.log(applied.length ? `Applied migrations: ${applied.join(", ")}` : "Database is up to date.");
process.exit(0);
