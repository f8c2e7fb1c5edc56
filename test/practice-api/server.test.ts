/**
 * The practice API server with Node's own HTTPS clients (HTTP/1.1 and HTTP/2), real client
 * certificates and bearer tokens: every fixture identity, the exact 401, multi-tenancy and the
 * per-instance request queue.
 */
import { connect as http2Connect } from "node:http2";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createCluster, type ClusterState } from "../../lib/k8s";
import {
  MemoryInstanceStore,
  createServingIdentity,
  splitInstancePath,
  startPracticeApiServer,
  type InstanceStore,
  type RequestEvent,
} from "../../lib/practice-api";
import { INSTANCE_SERVER_DOMAIN, instanceIdFromServerName, instanceServerName } from "../../lib/practice-api/serving";
import {
  UNAUTHORIZED_BODY,
  callHttp1,
  callHttp2,
  credentialOf,
  forbiddenPodsMessage,
  requestOnSession,
  startFixtureServer,
  type CallResult,
  type FixtureServer,
} from "../helpers/practice-api";

let fx: FixtureServer;

beforeAll(async () => {
  fx = await startFixtureServer();
});

afterAll(async () => {
  await fx.server.close();
});

/** GET /api/v1/namespaces/default/pods: 200 for jane and admin, 403 for other users, 401 for broken credentials. */
const PODS_IN_DEFAULT: Record<string, 200 | 401 | 403> = {
  "valid-cert": 200,
  "expired-cert": 401,
  "not-yet-valid-cert": 401,
  "untrusted-cert": 401,
  "wrong-eku-cert": 401,
  "no-cn-cert": 403,
  "sa-token": 403,
  "sa-token-expired": 401,
  "sa-token-wrong-audience": 401,
  "sa-token-deleted-sa": 401,
  "legacy-sa-token": 403,
  "static-token": 403,
  "oidc-email": 403,
  "oidc-sub": 403,
  "oidc-expired": 401,
  "oidc-unverified-email": 401,
  "bad-token": 401,
  anonymous: 403,
  admin: 200,
};

const protocols = [
  ["HTTP/1.1", callHttp1],
  ["HTTP/2", callHttp2],
] as const;

function json(result: CallResult): Record<string, unknown> {
  return JSON.parse(result.body) as Record<string, unknown>;
}

describe.each(protocols)("every fixture identity over %s", (_name, call) => {
  it("covers exactly the documented identities", () => {
    expect(fx.fixture.identities.map((identity) => identity.name).sort()).toEqual(Object.keys(PODS_IN_DEFAULT).sort());
  });

  it.each(Object.entries(PODS_IN_DEFAULT))("%s lists pods in default -> %i", async (name, status) => {
    const identity = fx.fixture.identities.find((candidate) => candidate.name === name);
    if (identity === undefined) throw new Error(name);
    const result = await call(`${fx.url}/api/v1/namespaces/default/pods`, {
      credential: identity.credential,
      caCertPem: fx.serving.caCertPem,
    });
    expect(result.status).toBe(status);
    if (status === 401) expect(result.body).toBe(UNAUTHORIZED_BODY);
    if (status === 403) {
      expect(json(result).message).toBe(forbiddenPodsMessage(identity.expectedUser?.username ?? "?"));
      expect(json(result).reason).toBe("Forbidden");
    }
    if (status === 200) {
      const items = json(result).items as { metadata: { name: string } }[];
      expect(items.map((item) => item.metadata.name).sort()).toEqual(["web-1", "web-2"]);
    }
  });

  it.each(Object.keys(PODS_IN_DEFAULT))("%s: POST selfsubjectreviews shows the expected user", async (name) => {
    const identity = fx.fixture.identities.find((candidate) => candidate.name === name);
    if (identity === undefined) throw new Error(name);
    const result = await call(`${fx.url}/apis/authentication.k8s.io/v1/selfsubjectreviews`, {
      method: "POST",
      credential: identity.credential,
      caCertPem: fx.serving.caCertPem,
      headers: { "content-type": "application/json" },
      body: '{"apiVersion":"authentication.k8s.io/v1","kind":"SelfSubjectReview"}',
    });
    const expected = identity.expectedUser;
    if (expected === undefined) {
      expect(result.status).toBe(401);
      expect(result.body).toBe(UNAUTHORIZED_BODY);
    } else if (expected.username === "system:anonymous") {
      // system:basic-user is bound to system:authenticated only.
      expect(result.status).toBe(403);
      expect(json(result).message).toBe(
        'selfsubjectreviews.authentication.k8s.io is forbidden: User "system:anonymous" cannot create resource "selfsubjectreviews" in API group "authentication.k8s.io" at the cluster scope',
      );
    } else {
      expect(result.status).toBe(201);
      const userInfo = (json(result).status as { userInfo: { username: string; groups: string[] } }).userInfo;
      expect(userInfo.username).toBe(expected.username);
      expect(userInfo.groups).toEqual(expected.groups);
    }
  });

  it("/healthz answers anonymous requests with ok", async () => {
    const result = await call(`${fx.url}/healthz`, { caCertPem: fx.serving.caCertPem });
    expect(result.status).toBe(200);
    expect(result.body).toBe("ok");
  });
});

describe("HTTP-level behaviour", () => {
  it("401 is the exact Status, application/json, and HTTP/2 closes the connection (GOAWAY)", async () => {
    const result = await callHttp2(`${fx.url}/api`, { credential: credentialOf(fx.fixture, "bad-token"), caCertPem: fx.serving.caCertPem });
    expect(result.status).toBe(401);
    expect(result.body).toBe(UNAUTHORIZED_BODY);
    expect(result.headers["content-type"]).toBe("application/json");
    expect(result.goaway).toBe(true);
  });

  it("authenticated HTTP/2 connections stay open and carry many requests", async () => {
    const session = http2Connect(fx.server.origin, { ca: fx.serving.caCertPem });
    try {
      const token = credentialOf(fx.fixture, "static-token");
      const results = await Promise.all(
        Array.from({ length: 10 }, () =>
          requestOnSession(session, "/i/fixture/api/v1/namespaces/dev/pods", { credential: token, caCertPem: fx.serving.caCertPem }),
        ),
      );
      expect(results.map((result) => result.status)).toEqual(Array(10).fill(200));
      expect(results.some((result) => result.goaway)).toBe(false);
    } finally {
      session.close();
    }
  });

  it("repeated Impersonate-Group headers stay separate values", async () => {
    const result = await callHttp1(`${fx.url}/apis/authentication.k8s.io/v1/selfsubjectreviews`, {
      method: "POST",
      credential: credentialOf(fx.fixture, "admin"),
      caCertPem: fx.serving.caCertPem,
      headers: { "content-type": "application/json", "impersonate-user": "jane", "impersonate-group": ["dev-team", "qa"] },
      body: '{"apiVersion":"authentication.k8s.io/v1","kind":"SelfSubjectReview"}',
    });
    expect(result.status).toBe(201);
    expect((json(result).status as { userInfo: { groups: string[] } }).userInfo.groups).toEqual(["dev-team", "qa", "system:authenticated"]);
  });

  it("serves discovery and the openapi v3 documents kubectl create needs", async () => {
    const admin = { credential: credentialOf(fx.fixture, "admin"), caCertPem: fx.serving.caCertPem };
    const index = await callHttp2(`${fx.url}/openapi/v3`, admin);
    expect(index.status).toBe(200);
    const paths = json(index).paths as Record<string, { serverRelativeURL: string }>;
    const core = paths["api/v1"];
    expect(core?.serverRelativeURL).toMatch(/^\/openapi\/v3\/api\/v1\?hash=/);
    const doc = await callHttp2(`${fx.url}${core?.serverRelativeURL ?? ""}`, admin);
    expect(doc.status).toBe(200);
    expect(doc.body).toContain("fieldValidation");
  });
});

describe("multi-tenancy", () => {
  it("maps /i/<id>/... to the instance and the rest to the engine path", () => {
    expect(splitInstancePath("/i/abc/api/v1?x=1")).toEqual({ instanceId: "abc", url: "/api/v1?x=1" });
    expect(splitInstancePath("/i/abc")).toEqual({ instanceId: "abc", url: "/" });
    expect(splitInstancePath("/i/abc?timeout=32s")).toEqual({ instanceId: "abc", url: "/?timeout=32s" });
    expect(splitInstancePath("/i/")).toBeUndefined();
    expect(splitInstancePath("/api")).toBeUndefined();
    expect(splitInstancePath("/i/../api")).toBeUndefined();
  });

  it("unknown instances and paths outside /i/ are 404 Status, never another instance's data", async () => {
    const admin = { credential: credentialOf(fx.fixture, "admin"), caCertPem: fx.serving.caCertPem };
    for (const url of [
      `${fx.server.origin}/i/nope/api/v1/namespaces/default/pods`,
      `${fx.server.origin}/api/v1/namespaces/default/pods`,
      `${fx.server.origin}/`,
    ]) {
      const result = await callHttp1(url, admin);
      expect(result.status).toBe(404);
      expect(result.body).toBe(
        '{"kind":"Status","apiVersion":"v1","metadata":{},"status":"Failure","message":"the server could not find the requested resource","reason":"NotFound","details":{},"code":404}\n',
      );
    }
  });

  it("a credential of instance A is rejected by instance B (different CA and keys)", async () => {
    const other = await createCluster({ start: Date.now(), seed: "other", users: [{ name: "admin", groups: ["system:masters"] }] });
    await fx.store.save("other", other);
    try {
      const otherAdmin = other.credentials.admin;
      if (otherAdmin === undefined) throw new Error("no admin");
      const foreignCert = {
        credential: { kind: "certificate" as const, certPem: otherAdmin.certPem, keyPem: otherAdmin.keyPem },
        caCertPem: fx.serving.caCertPem,
      };
      expect((await callHttp2(`${fx.url}/api/v1/namespaces/default/pods`, foreignCert)).status).toBe(401);
      expect((await callHttp2(`${fx.server.instanceUrl("other")}/api/v1/namespaces/default/pods`, foreignCert)).status).toBe(200);
      const fixtureToken = { credential: credentialOf(fx.fixture, "sa-token"), caCertPem: fx.serving.caCertPem };
      expect((await callHttp2(`${fx.server.instanceUrl("other")}/api`, fixtureToken)).status).toBe(401);
      const fixtureAdmin = { credential: credentialOf(fx.fixture, "admin"), caCertPem: fx.serving.caCertPem };
      expect((await callHttp1(`${fx.server.instanceUrl("other")}/api/v1/namespaces/dev/pods`, fixtureAdmin)).status).toBe(401);
    } finally {
      await fx.store.delete("other");
    }
  });
});

/** Wraps a store to record whether two requests for one instance ever overlapped. */
class WatchingStore implements InstanceStore {
  active = 0;
  maxActive = 0;
  saves = 0;
  constructor(private readonly inner: MemoryInstanceStore) {}
  exists(id: string): Promise<boolean> {
    return this.inner.exists(id);
  }
  load(id: string): Promise<ClusterState | undefined> {
    return this.inner.load(id);
  }
  servingIdentity(id: string) {
    return this.inner.servingIdentity(id);
  }
  async save(id: string, state: ClusterState): Promise<void> {
    this.saves += 1;
    await new Promise((resolve) => setTimeout(resolve, 1));
    await this.inner.save(id, state);
  }
  async withLock<T>(id: string, fn: () => Promise<T>): Promise<T> {
    return this.inner.withLock(id, async () => {
      this.active += 1;
      this.maxActive = Math.max(this.maxActive, this.active);
      try {
        return await fn();
      } finally {
        this.active -= 1;
      }
    });
  }
}

describe("per-instance serialization", () => {
  it("concurrent writes to one instance never interleave and are all persisted", async () => {
    const state = await createCluster({ start: Date.now(), seed: "queue", users: [{ name: "admin", groups: ["system:masters"] }] });
    const admin = state.credentials.admin;
    if (admin === undefined) throw new Error("no admin");
    const serving = await createServingIdentity();
    const store = new WatchingStore(new MemoryInstanceStore({ q: state }));
    const server = await startPracticeApiServer({ store, serving, onError: () => undefined });
    try {
      const session = http2Connect(server.origin, { ca: serving.caCertPem, cert: admin.certPem, key: admin.keyPem });
      const results = await Promise.all(
        Array.from({ length: 30 }, (_unused, index) =>
          requestOnSession(session, "/i/q/api/v1/namespaces/default/configmaps", {
            method: "POST",
            caCertPem: serving.caCertPem,
            headers: { "content-type": "application/json" },
            body: JSON.stringify({
              apiVersion: "v1",
              kind: "ConfigMap",
              metadata: { name: `cm-${index}` },
              data: { index: String(index) },
            }),
          }),
        ),
      );
      session.close();
      expect(results.map((result) => result.status)).toEqual(Array(30).fill(201));
      const versions = results.map((result) => (json(result).metadata as { resourceVersion: string }).resourceVersion);
      expect(new Set(versions).size).toBe(30);
      expect(store.maxActive).toBe(1);
      expect(store.saves).toBe(30);
      const list = await callHttp1(`${server.instanceUrl("q")}/api/v1/namespaces/default/configmaps`, {
        credential: { kind: "certificate", certPem: admin.certPem, keyPem: admin.keyPem },
        caCertPem: serving.caCertPem,
      });
      expect((json(list).items as unknown[]).length).toBeGreaterThanOrEqual(30);
    } finally {
      await server.close();
    }
  });
});

describe("routing by TLS server name", () => {
  it("a server name naming an instance gets the instance's certificate (its cluster CA) and unprefixed paths; others keep /i/<id> and the default certificate", async () => {
    const state = await createCluster({ start: Date.now(), seed: "sni", users: [{ name: "admin", groups: ["system:masters"] }] });
    const admin = state.credentials.admin;
    if (admin === undefined) throw new Error("no admin");
    const serving = await createServingIdentity();
    const store = new MemoryInstanceStore({ lab1: state });
    const events: RequestEvent[] = [];
    const server = await startPracticeApiServer({ store, serving, onError: () => undefined, onRequest: (event) => events.push(event) });
    try {
      const clusterCa = state.config.clusterSigner.certPem;
      const servername = instanceServerName("lab1") ?? "";
      expect(servername).toBe(`lab1.${INSTANCE_SERVER_DOMAIN}`);
      for (const call of [callHttp1, callHttp2]) {
        expect(await call(`${server.origin}/healthz`, { caCertPem: clusterCa, servername })).toMatchObject({ status: 200, body: "ok" });
        const pods = await call(`${server.origin}/api/v1/namespaces/default/pods`, {
          caCertPem: clusterCa,
          servername,
          credential: { kind: "certificate", certPem: admin.certPem, keyPem: admin.keyPem },
        });
        expect(pods.status).toBe(200);
      }
      expect(events.slice(-2)).toMatchObject([
        { instanceId: "lab1", via: "server-name", url: "/healthz", status: 200 },
        { instanceId: "lab1", via: "server-name", url: "/api/v1/namespaces/default/pods", status: 200 },
      ]);
      // The instance's certificate is not the listener's: the practice CA does not verify it.
      await expect(callHttp1(`${server.origin}/healthz`, { caCertPem: serving.caCertPem, servername })).rejects.toThrow();
      // Without a server name (an IP address sends none), /i/<id> works with the default certificate,
      // and the recorded path has no prefix.
      expect(await callHttp1(`${server.instanceUrl("lab1")}/healthz`, { caCertPem: serving.caCertPem })).toMatchObject({
        status: 200,
        body: "ok",
      });
      expect(events.at(-1)).toMatchObject({ instanceId: "lab1", via: "path", url: "/healthz" });
      // An unknown instance name falls back to the default certificate and routes nowhere.
      const unknown = await callHttp1(`${server.origin}/healthz`, {
        caCertPem: serving.caCertPem,
        servername: `nope.${INSTANCE_SERVER_DOMAIN}`,
      }).catch((error: unknown) => error);
      expect(unknown).toBeInstanceOf(Error);
      expect(instanceIdFromServerName(`LAB1.${INSTANCE_SERVER_DOMAIN}.`)).toBe("lab1");
      expect(instanceIdFromServerName("lab1.example.org")).toBeUndefined();
      // The store's requests are recorded without the prefix.
      expect(store.recorded.get("lab1")?.map((record) => record.url)).toContain("/healthz");
    } finally {
      await server.close();
    }
  });
});
