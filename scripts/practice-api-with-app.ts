// The practice API server as `npm start` runs it: learners' scenario instances from the database,
// on PRACTICE_API_PORT (default 6443; 0 turns it off) and PRACTICE_API_LISTEN (default 127.0.0.1),
// with the identity scripts/prepare.ts made.
import { getEnv } from "../lib/env";
import { PrismaClient as SqliteClient } from "../lib/db/generated/sqlite/client";
import { PrismaClient as PostgresClient } from "../lib/db/generated/postgres/client";
import { createDb } from "../lib/db/create";
import { startPracticeApiServer, type PracticeApiServer } from "../lib/practice-api";
import { readPracticeIdentity } from "../lib/practice/identity";
import { DatabaseInstanceStore } from "../lib/scenarios/practice-store";

function isLoopback(host: string): boolean {
  return host === "localhost" || host === "::1" || /^127\./.test(host);
}

export async function startPracticeApi(): Promise<PracticeApiServer | undefined> {
  const env = getEnv();
  if (env.practiceApi.port === 0) return undefined;
  const database = createDb(env.database, { SqliteClient, PostgresClient });
  try {
    const server = await startPracticeApiServer({
      store: new DatabaseInstanceStore(database),
      serving: readPracticeIdentity(env),
      host: env.practiceApi.listen,
      port: env.practiceApi.port,
    });
    console.log(
      `Practice API server (real kubectl) on https://${env.practiceApi.host}:${server.port} (instances by TLS server name <id>.instances.kubeprep.internal, or /i/<id>; listening on ${env.practiceApi.listen})`,
    );
    if (isLoopback(env.practiceApi.listen) && !isLoopback(env.practiceApi.host)) {
      console.warn(
        `Practice API: kubeconfigs point at ${env.practiceApi.host}, but the server listens on ${env.practiceApi.listen} only; set PRACTICE_API_LISTEN=0.0.0.0 unless a proxy on this machine forwards to it.`,
      );
    }
    return server;
  } catch (error) {
    console.error(
      `Practice API server not started on port ${env.practiceApi.port}: ${error instanceof Error ? error.message : String(error)}`,
    );
    return undefined;
  }
}
