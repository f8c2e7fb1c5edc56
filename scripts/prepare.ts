// Everything the app needs before it serves: a valid environment, the session secret (embedded
// mode), the migrated database, and a first administrator. Idempotent; run by `npm start`,
// `npm run dev` and `npm run build`.
import { getEnv, resolveAuthSecret, EnvError } from "../lib/env";
import { DatabaseBusyError, migrateDatabase } from "../lib/db/migrate";
import { secureDataDir } from "../lib/env/data-dir";

try {
  const env = getEnv();
  secureDataDir(env);
  resolveAuthSecret(env);
  const applied = await migrateDatabase(process.cwd(), env.database);
  if (applied.length) console.log(`Database migrated (${env.database.provider}): ${applied.join(", ")}`);
  const { bootstrapAdmin } = await import("./bootstrap-admin");
  await bootstrapAdmin(env);
  if (env.practiceApi.port !== 0) {
    const { ensurePracticeIdentity } = await import("../lib/practice/identity");
    await ensurePracticeIdentity(env);
  }
  secureDataDir(env);
  process.exit(0);
} catch (error) {
  if (error instanceof EnvError || error instanceof DatabaseBusyError) {
    console.error(error.message);
    process.exit(78);
  }
  throw error;
}
