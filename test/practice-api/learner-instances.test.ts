// A learner's scenario instance served by the practice API server from the database: what a real
// client changes over HTTPS is visible in the web terminal, and the other way round; nobody
// reaches another learner's instance.
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import YAML from "yaml";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { createTestDatabase, type TestDatabase } from "../helpers/database";
import { startPracticeApiServer, type PracticeApiServer } from "@/lib/practice-api";
import { DatabaseInstanceStore } from "@/lib/scenarios/practice-store";
import { parseInstance } from "@/lib/scenarios/storage";
import { callHttp1, callHttp2 } from "../helpers/practice-api";

let database: TestDatabase;
let server: PracticeApiServer;
let service: typeof import("@/lib/scenarios/service");
let users: { ana: string; ben: string };
let caCertPem: string;

interface KubeconfigUser {
  name: string;
  user: Record<string, string>;
}

async function credentialsOf(userId: string) {
  const config = YAML.parse(await service.kubeconfigOf(userId, "expired-cert")) as {
    clusters: { cluster: { server: string; "certificate-authority-data": string; "tls-server-name"?: string } }[];
    users: KubeconfigUser[];
  };
  const admin = config.users.find((entry) => entry.name === "kubernetes-admin")?.user ?? {};
  const decode = (value: string | undefined) => Buffer.from(value ?? "", "base64").toString("utf8");
  return {
    server: config.clusters[0]?.cluster.server ?? "",
    servername: config.clusters[0]?.cluster["tls-server-name"] ?? "",
    ca: decode(config.clusters[0]?.cluster["certificate-authority-data"]),
    admin: { kind: "certificate" as const, certPem: decode(admin["client-certificate-data"]), keyPem: decode(admin["client-key-data"]) },
  };
}

beforeAll(async () => {
  database = await createTestDatabase("sqlite");
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "kubeprep-practice-"));
  vi.stubEnv("DATABASE_URL", database.config.url);
  vi.stubEnv("DATA_DIR", dataDir);
  vi.stubEnv("TERMINAL_RATE_LIMIT", "1000");
  const { getEnv } = await import("@/lib/env");
  const { ensurePracticeIdentity } = await import("@/lib/practice/identity");
  const identity = await ensurePracticeIdentity(getEnv());
  caCertPem = identity.caCertPem;
  server = await startPracticeApiServer({ store: new DatabaseInstanceStore(database.db), serving: identity, port: 0 });
  vi.stubEnv("PRACTICE_API_PORT", String(server.port));
  getEnv().practiceApi.port = server.port;
  service = await import("@/lib/scenarios/service");
  users = {
    ana: (await database.db.user.create({ data: { email: "ana@example.com", name: "Ana" } })).id,
    ben: (await database.db.user.create({ data: { email: "ben@example.com", name: "Ben" } })).id,
  };
});

afterAll(async () => {
  await server.close();
  vi.unstubAllEnvs();
  await database.drop();
});

describe("practice API server on learners' instances", () => {
  it("hands out a kubeconfig routed by TLS server name and trusting the instance's own cluster CA (kubeadm's ca.crt)", async () => {
    await service.getSession(users.ana, "expired-cert");
    const { server: url, ca, servername } = await credentialsOf(users.ana);
    expect(url).toBe(`https://127.0.0.1:${server.port}`);
    expect(servername).toMatch(/^[0-9a-f]{32}\.instances\.kubeprep\.internal$/);
    expect(ca).not.toBe(caCertPem);
    const row = await database.db.scenarioInstance.findFirstOrThrow({ where: { userId: users.ana, scenarioId: "expired-cert" } });
    const state = parseInstance(row.state);
    expect(ca).toBe(state.cluster.config.clusterSigner.certPem);
    // The served certificate chains to that CA and covers the server name; /healthz answers "ok".
    const healthz = await callHttp1(`${url}/healthz`, { caCertPem: ca, servername });
    expect(healthz).toMatchObject({ status: 200, body: "ok" });
  });

  it("records a real client's requests without prefix in the instance's history and the activity log", async () => {
    const { server: url, ca, servername } = await credentialsOf(users.ana);
    expect(
      (
        await callHttp2(`${url}/api/v1/namespaces/default/pods`, {
          caCertPem: ca,
          servername,
          credential: { kind: "token", token: "not-a-token" },
        })
      ).status,
    ).toBe(401);
    const row = await database.db.scenarioInstance.findFirstOrThrow({ where: { userId: users.ana, scenarioId: "expired-cert" } });
    const state = parseInstance(row.state);
    expect(state.requests.at(-1)).toMatchObject({
      method: "GET",
      url: "/api/v1/namespaces/default/pods",
      status: 401,
      via: "practice-api",
    });
    const events = await database.db.scenarioEvent.findMany({ where: { attemptId: row.attemptId, kind: "own-kubectl" } });
    expect(events.map((event) => event.detail)).toContain("GET /api/v1/namespaces/default/pods → 401");
  });

  it("a change made over HTTPS shows in the web terminal, and the other way round", async () => {
    const { server: url, ca, admin, servername } = await credentialsOf(users.ana);
    /** A ConfigMap created over HTTPS, then read back in the terminal (`-o jsonpath` of its `via`). */
    const createThenRead = async (name: string, via: string, requestId: string) => {
      const created = await callHttp2(`${url}/api/v1/namespaces/default/configmaps`, {
        method: "POST",
        credential: admin,
        caCertPem: ca,
        servername,
        body: JSON.stringify({ apiVersion: "v1", kind: "ConfigMap", metadata: { name }, data: { via } }),
        headers: { "content-type": "application/json" },
      });
      expect(created.status).toBe(201);
      const command = `kubectl --context admin@kubeprep get configmap ${name} -o jsonpath='{.data.via}'`;
      return (await service.runCommand(users.ana, "expired-cert", command, requestId)).output;
    };
    expect(await createThenRead("from-https", "real client", "req-https-1")).toBe("real client");

    await service.runCommand(
      users.ana,
      "expired-cert",
      "kubectl --context admin@kubeprep create serviceaccount from-terminal",
      "req-https-2",
    );
    const fetched = await callHttp1(`${url}/api/v1/namespaces/default/serviceaccounts/from-terminal`, {
      credential: admin,
      caCertPem: ca,
      servername,
    });
    expect(fetched.status).toBe(200);
    expect(JSON.parse(fetched.body)).toMatchObject({ kind: "ServiceAccount", metadata: { name: "from-terminal" } });

    // The terminal's worker still holds the instance as its last command left it: after another change
    // over HTTPS, the next command must run on the row's text, not on that copy.
    expect(await createThenRead("second-https", "again", "req-https-3")).toBe("again");
  });

  it("answers the expired certificate with the exact 401, as in the terminal", async () => {
    const config = YAML.parse(await service.kubeconfigOf(users.ana, "expired-cert")) as { users: KubeconfigUser[] };
    const jane = config.users.find((entry) => entry.name === "jane")?.user ?? {};
    const { server: url, ca, servername } = await credentialsOf(users.ana);
    const response = await callHttp1(`${url}/api/v1/namespaces/default/pods`, {
      servername,
      credential: {
        kind: "certificate",
        certPem: Buffer.from(jane["client-certificate-data"] ?? "", "base64").toString(),
        keyPem: Buffer.from(jane["client-key-data"] ?? "", "base64").toString(),
      },
      caCertPem: ca,
    });
    expect(response.status).toBe(401);
    expect(response.body).toBe(
      '{"kind":"Status","apiVersion":"v1","metadata":{},"status":"Failure","message":"Unauthorized","reason":"Unauthorized","code":401}\n',
    );
  });

  it("work done with the learner's own client counts: Check my cluster grades it and completes the attempt", async () => {
    const scenario = "whoami";
    await service.runCommand(users.ben, scenario, "openssl x509 -in ~/certs/jane.crt -noout -subject", "req-own-1");
    await service.runCommand(users.ben, scenario, "printf 'jane\\ndev-team qa\\n' > ~/prediction.txt", "req-own-2");
    expect((await service.checkNow(users.ben, scenario)).status).toBe("in-progress");
    const config = YAML.parse(await service.kubeconfigOf(users.ben, scenario)) as {
      clusters: { cluster: { server: string; "certificate-authority-data": string; "tls-server-name": string } }[];
      users: KubeconfigUser[];
    };
    const cluster = config.clusters[0]?.cluster;
    const jane = config.users.find((entry) => entry.name === "jane")?.user ?? {};
    const decode = (value: string | undefined) => Buffer.from(value ?? "", "base64").toString("utf8");
    const review = await callHttp2(`${cluster?.server ?? ""}/apis/authentication.k8s.io/v1/selfsubjectreviews`, {
      method: "POST",
      caCertPem: decode(cluster?.["certificate-authority-data"]),
      servername: cluster?.["tls-server-name"] ?? "",
      credential: { kind: "certificate", certPem: decode(jane["client-certificate-data"]), keyPem: decode(jane["client-key-data"]) },
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ apiVersion: "authentication.k8s.io/v1", kind: "SelfSubjectReview" }),
    });
    expect(review.status).toBe(201);
    const progress = await service.checkNow(users.ben, scenario);
    expect(progress.status).toBe("passed");
    expect(progress.checks.find((check) => check.id === "predicted-identity")?.readsTerminal).toBe(true);
    expect(progress.checks.find((check) => check.id === "confirmed-with-whoami")?.readsTerminal).toBeUndefined();
    const attempt = await database.db.scenarioAttempt.findFirstOrThrow({ where: { userId: users.ben, scenarioId: scenario } });
    expect(attempt.status).toBe("PASSED");
  });

  it("a learner's credential does not open another learner's instance", async () => {
    await service.getSession(users.ben, "expired-cert");
    const ana = await credentialsOf(users.ana);
    const ben = await credentialsOf(users.ben);
    expect(ben.servername).not.toBe(ana.servername);
    // Ben's instance presents a certificate of Ben's cluster CA: Ana's CA does not trust it...
    await expect(
      callHttp1(`${ben.server}/api`, { credential: ana.admin, caCertPem: ana.ca, servername: ben.servername }),
    ).rejects.toThrow();
    // ...and with Ben's CA, Ana's certificate does not authenticate there.
    const crossed = await callHttp1(`${ben.server}/api/v1/namespaces/default/configmaps`, {
      credential: ana.admin,
      caCertPem: ben.ca,
      servername: ben.servername,
    });
    expect(crossed.status).toBe(401);
    expect(crossed.body).not.toContain("from-https");
    const unknown = await callHttp1(`https://127.0.0.1:${server.port}/i/not-an-instance/api`, { credential: ana.admin, caCertPem });
    expect(unknown.status).toBe(404);
  });
});
