/**
 * Starts the HTTPS practice API server with a fixture cluster and writes one kubeconfig per identity:
 *
 *   npm run practice-api -- --fixture identities --out DIR [--port N] [--host 127.0.0.1] [--hostname NAME] [--log]
 *
 * Prints "Server: https://HOST:PORT/i/fixture" once it listens; SIGINT/SIGTERM close it cleanly.
 */
import { mkdirSync, writeFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { parseArgs } from "node:util";
import {
  FIXTURE_INSTANCE_ID,
  MemoryInstanceStore,
  buildKubeconfig,
  createIdentitiesFixture,
  createServingIdentity,
  startPracticeApiServer,
  type ServingIdentity,
} from "../lib/practice-api";
import type { ClusterState } from "../lib/k8s";

function usage(message: string): never {
  console.error(
    `practice-api: ${message}\nusage: npm run practice-api -- --fixture identities --out DIR [--port N] [--host 127.0.0.1] [--hostname NAME] [--log]`,
  );
  process.exit(2);
}

/** The serving certificate is signed by the cluster's serving CA when the cluster has its key. */
async function servingFor(state: ClusterState, hostNames: string[]): Promise<ServingIdentity> {
  const signer = state.config.clusterSigner;
  const ca = state.config.serving?.caCertPem === signer.certPem ? signer : undefined;
  return createServingIdentity({ hostNames, ...(ca === undefined ? {} : { ca }) });
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      fixture: { type: "string" },
      out: { type: "string" },
      port: { type: "string", default: "0" },
      host: { type: "string", default: "127.0.0.1" },
      hostname: { type: "string", multiple: true, default: [] },
      log: { type: "boolean", default: false },
    },
    strict: true,
  });
  if (values.fixture !== "identities") usage("--fixture identities is the only fixture");
  if (values.out === undefined || values.out === "") usage("--out DIR is required");
  const port = Number(values.port);
  if (!Number.isInteger(port) || port < 0 || port > 65535) usage(`invalid --port ${values.port}`);

  const fixture = await createIdentitiesFixture();
  const serving = await servingFor(fixture.state, values.hostname);
  const store = new MemoryInstanceStore({ [FIXTURE_INSTANCE_ID]: fixture.state });
  const server = await startPracticeApiServer({
    store,
    serving,
    host: values.host,
    port,
    ...(values.log
      ? {
          onRequest: (event) => {
            const last = event.trace.filter((step) => step.stage === "authentication").at(-1);
            console.error(
              `${event.protocol} ${event.method} ${event.url} -> ${event.status} (${event.durationMs.toFixed(1)} ms)${last === undefined ? "" : ` ${last.message}`}`,
            );
          },
        }
      : {}),
  });

  const out = resolve(values.out);
  mkdirSync(out, { recursive: true });
  const url = server.instanceUrl(FIXTURE_INSTANCE_ID);
  for (const identity of fixture.identities) {
    writeFileSync(
      join(out, `${identity.name}.kubeconfig`),
      buildKubeconfig({ server: url, caCertPem: serving.caCertPem, userName: identity.name, user: identity.credential }),
      { mode: 0o600 },
    );
  }
  writeFileSync(join(out, "ca.crt"), serving.caCertPem);
  console.log(`Server: ${url}`);
  console.log(`Kubeconfigs: ${out}/<identity>.kubeconfig (${fixture.identities.map((identity) => identity.name).join(", ")})`);

  let stopping = false;
  const stop = (): void => {
    if (stopping) return;
    stopping = true;
    void server.close().then(() => process.exit(0));
  };
  process.on("SIGINT", stop);
  process.on("SIGTERM", stop);
}

main().catch((error: unknown) => {
  console.error(`practice-api: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
  process.exit(1);
});
