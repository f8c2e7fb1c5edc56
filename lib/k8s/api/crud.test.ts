import { beforeAll, describe, expect, it } from "vitest";
import type { ClusterState } from "../cluster/state";
import { handleRequest } from "./handle-request";
import { bodyJson, bodyText, createTestCluster, request, TABLE_ACCEPT } from "./test-helpers";

let state: ClusterState;
beforeAll(async () => {
  state = await createTestCluster();
});

const admin = { token: "admintoken" };
const POD =
  '{"apiVersion":"v1","kind":"Pod","metadata":{"name":"web-2","namespace":"default"},"spec":{"containers":[{"image":"nginx:1.27","name":"nginx"}]}}';

async function send(method: string, url: string, options: Parameters<typeof request>[3] = admin) {
  return handleRequest(state, request(state, method, url, options));
}

describe("tables", () => {
  it("kubectl get pods: NAME READY STATUS RESTARTS AGE with server-computed age", async () => {
    const { response } = await send("GET", "/api/v1/namespaces/default/pods?limit=500", { ...admin, accept: TABLE_ACCEPT });
    expect(response.status).toBe(200);
    const table = bodyJson(response);
    expect(table.kind).toBe("Table");
    expect(table.apiVersion).toBe("meta.k8s.io/v1");
    const columns = JSON.stringify(table.columnDefinitions);
    for (const name of ["Name", "Ready", "Status", "Restarts", "Age", "IP", "Node", "Nominated Node", "Readiness Gates"])
      expect(columns).toContain(`"name":"${name}"`);
    expect(table.rows).toMatchObject([
      {
        cells: ["web-1", "1/1", "Running", "0", "100d", expect.any(String), "<none>", "<none>", "<none>"],
        object: { kind: "PartialObjectMetadata", apiVersion: "meta.k8s.io/v1", metadata: { name: "web-1" } },
      },
    ]);
  });

  it("serviceaccounts, namespaces, clusterroles and clusterrolebindings print their columns", async () => {
    const sa = bodyJson((await send("GET", "/api/v1/namespaces/default/serviceaccounts", { ...admin, accept: TABLE_ACCEPT })).response);
    expect(sa.rows).toMatchObject([{ cells: ["default", 0, "0s"] }, { cells: ["sa1", 0, "0s"] }]);
    const ns = bodyJson((await send("GET", "/api/v1/namespaces", { ...admin, accept: TABLE_ACCEPT })).response);
    expect(JSON.stringify(ns.rows)).toContain('"cells":["kube-system","Active","0s"]');
    const crb = bodyJson(
      (await send("GET", "/apis/rbac.authorization.k8s.io/v1/clusterrolebindings/cluster-admin", { ...admin, accept: TABLE_ACCEPT }))
        .response,
    );
    expect(crb.rows).toMatchObject([{ cells: ["cluster-admin", "ClusterRole/cluster-admin", "0s", "", "system:masters", ""] }]);
    const cr = bodyJson(
      (await send("GET", "/apis/rbac.authorization.k8s.io/v1/clusterroles/view", { ...admin, accept: TABLE_ACCEPT })).response,
    );
    expect(cr.rows).toMatchObject([{ cells: ["view", "2025-01-01T00:00:00Z"] }]);
  });

  it("lists are plain List objects without the Table Accept", async () => {
    const list = bodyJson((await send("GET", "/api/v1/namespaces/default/pods")).response);
    expect(list).toMatchObject({ kind: "PodList", apiVersion: "v1", metadata: { resourceVersion: expect.any(String) } });
  });
});

describe("create, get, update, delete", () => {
  it("creates the transcript's pod, then refuses a second one", async () => {
    const created = await send("POST", "/api/v1/namespaces/default/pods?fieldManager=kubectl-create&fieldValidation=Strict", {
      ...admin,
      contentType: "application/json",
      body: POD,
    });
    expect(created.response.status).toBe(201);
    expect(created.changed).toBe(true);
    expect(bodyJson(created.response)).toMatchObject({
      kind: "Pod",
      apiVersion: "v1",
      metadata: { name: "web-2", namespace: "default", creationTimestamp: "2025-01-01T00:00:00Z" },
    });
    const again = await send("POST", "/api/v1/namespaces/default/pods", { ...admin, contentType: "application/json", body: POD });
    expect(again.response.status).toBe(409);
    expect(bodyText(again.response)).toBe(
      '{"kind":"Status","apiVersion":"v1","metadata":{},"status":"Failure","message":"pods \\"web-2\\" already exists","reason":"AlreadyExists","details":{"name":"web-2","kind":"pods"},"code":409}\n',
    );
  });

  it("answers NotFound in apimachinery's words", async () => {
    const { response } = await send("GET", "/api/v1/namespaces/default/pods/web");
    expect(response.status).toBe(404);
    expect(bodyText(response)).toBe(
      '{"kind":"Status","apiVersion":"v1","metadata":{},"status":"Failure","message":"pods \\"web\\" not found","reason":"NotFound","details":{"name":"web","kind":"pods"},"code":404}\n',
    );
    const csr = await send("GET", "/apis/certificates.k8s.io/v1/certificatesigningrequests/nope");
    expect(bodyJson(csr.response).message).toBe('certificatesigningrequests.certificates.k8s.io "nope" not found');
  });

  it("rejects unknown fields with fieldValidation=Strict and warns otherwise", async () => {
    const body = JSON.stringify({
      apiVersion: "v1",
      kind: "ConfigMap",
      metadata: { name: "cfg", labelz: {} },
      data: { a: "1" },
      extra: true,
    });
    const strict = await send("POST", "/api/v1/namespaces/default/configmaps?fieldValidation=Strict", {
      ...admin,
      contentType: "application/json",
      body,
    });
    expect(strict.response.status).toBe(400);
    expect(bodyJson(strict.response).message).toBe(
      'ConfigMap in version "v1" cannot be handled as a ConfigMap: strict decoding error: unknown field "metadata.labelz", unknown field "extra"',
    );
    const warn = await send("POST", "/api/v1/namespaces/default/configmaps", { ...admin, contentType: "application/json", body });
    expect(warn.response.status).toBe(201);
    expect(warn.response.headers.Warning).toBe('299 - "unknown field \\"metadata.labelz\\"", 299 - "unknown field \\"extra\\""');
    expect(bodyJson(warn.response).extra).toBeUndefined();
  });

  it("validates required fields as Invalid (422)", async () => {
    const body = JSON.stringify({ apiVersion: "v1", kind: "Pod", metadata: { name: "Bad_Name" }, spec: { containers: [] } });
    const { response } = await send("POST", "/api/v1/namespaces/default/pods", { ...admin, contentType: "application/json", body });
    expect(response.status).toBe(422);
    expect(bodyJson(response).message).toMatch(
      /^Pod "Bad_Name" is invalid: metadata.name: Invalid value: "Bad_Name": a lowercase RFC 1123 subdomain/,
    );
    const noContainers = await send("POST", "/api/v1/namespaces/default/pods", {
      ...admin,
      contentType: "application/json",
      body: JSON.stringify({ apiVersion: "v1", kind: "Pod", metadata: { name: "empty" }, spec: { containers: [] } }),
    });
    expect(bodyJson(noContainers.response).message).toBe('Pod "empty" is invalid: spec.containers: Required value');
  });

  it("creates into a missing namespace with a namespaces NotFound", async () => {
    const { response } = await send("POST", "/api/v1/namespaces/ghost/configmaps", {
      ...admin,
      contentType: "application/json",
      body: '{"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"x"}}',
    });
    expect(response.status).toBe(404);
    expect(bodyJson(response).message).toBe('namespaces "ghost" not found');
  });

  it("a new namespace gets its default ServiceAccount; deleting it removes its contents", async () => {
    const ns = await send("POST", "/api/v1/namespaces", {
      ...admin,
      contentType: "application/json",
      body: '{"apiVersion":"v1","kind":"Namespace","metadata":{"name":"team-a"}}',
    });
    expect(ns.response.status).toBe(201);
    expect((await send("GET", "/api/v1/namespaces/team-a/serviceaccounts/default")).response.status).toBe(200);
    const rootCa = bodyJson((await send("GET", "/api/v1/namespaces/team-a/configmaps/kube-root-ca.crt")).response);
    expect(JSON.stringify(rootCa.data)).toContain("BEGIN CERTIFICATE");
    expect((await send("DELETE", "/api/v1/namespaces/team-a")).response.status).toBe(200);
    expect((await send("GET", "/api/v1/namespaces/team-a/serviceaccounts/default")).response.status).toBe(404);
  });

  it("updates with resourceVersion conflicts, merge-patches and deletes", async () => {
    const created = bodyJson(
      (
        await send("POST", "/api/v1/namespaces/default/secrets", {
          ...admin,
          contentType: "application/json",
          body: '{"apiVersion":"v1","kind":"Secret","metadata":{"name":"s1"},"stringData":{"k":"v"}}',
        })
      ).response,
    );
    expect(created).toMatchObject({ type: "Opaque", data: { k: "dg==" } });
    const stale = await send("PUT", "/api/v1/namespaces/default/secrets/s1", {
      ...admin,
      contentType: "application/json",
      body: JSON.stringify({ apiVersion: "v1", kind: "Secret", metadata: { name: "s1", resourceVersion: "1" }, data: {} }),
    });
    expect(stale.response.status).toBe(409);
    expect(bodyJson(stale.response).message).toBe(
      'Operation cannot be fulfilled on secrets "s1": the object has been modified; please apply your changes to the latest version and try again',
    );
    const patched = await send("PATCH", "/api/v1/namespaces/default/secrets/s1", {
      ...admin,
      contentType: "application/merge-patch+json",
      body: '{"metadata":{"labels":{"a":"b"}}}',
    });
    expect(patched.response.status).toBe(200);
    const byLabel = bodyJson((await send("GET", "/api/v1/namespaces/default/secrets?labelSelector=a%3Db")).response);
    expect(byLabel.items).toHaveLength(1);
    expect((await send("DELETE", "/api/v1/namespaces/default/secrets/s1")).response.status).toBe(200);
    expect((await send("DELETE", "/api/v1/namespaces/default/secrets/s1")).response.status).toBe(404);
  });

  it("RBAC objects created by admin take effect for the next request", async () => {
    const role = {
      apiVersion: "rbac.authorization.k8s.io/v1",
      kind: "Role",
      metadata: { name: "pod-reader" },
      rules: [{ apiGroups: [""], resources: ["pods"], verbs: ["get", "list"] }],
    };
    const binding = {
      apiVersion: "rbac.authorization.k8s.io/v1",
      kind: "RoleBinding",
      metadata: { name: "jane-reads" },
      roleRef: { apiGroup: "rbac.authorization.k8s.io", kind: "Role", name: "pod-reader" },
      subjects: [{ apiGroup: "rbac.authorization.k8s.io", kind: "User", name: "jane" }],
    };
    expect(
      (
        await send("POST", "/apis/rbac.authorization.k8s.io/v1/namespaces/default/roles", {
          ...admin,
          contentType: "application/json",
          body: JSON.stringify(role),
        })
      ).response.status,
    ).toBe(201);
    expect(
      (
        await send("POST", "/apis/rbac.authorization.k8s.io/v1/namespaces/default/rolebindings", {
          ...admin,
          contentType: "application/json",
          body: JSON.stringify(binding),
        })
      ).response.status,
    ).toBe(201);
    const { response, trace } = await send("GET", "/api/v1/namespaces/default/pods", { cert: "jane", accept: TABLE_ACCEPT });
    expect(response.status).toBe(200);
    expect(trace.find((step) => step.stage === "rbac")?.message).toBe(
      'RBAC: allowed by RoleBinding "jane-reads/default" of Role "pod-reader" to User "jane"',
    );
    const table = bodyJson(
      (await send("GET", "/apis/rbac.authorization.k8s.io/v1/namespaces/default/rolebindings", { ...admin, accept: TABLE_ACCEPT }))
        .response,
    );
    expect(table.rows).toMatchObject([{ cells: ["jane-reads", "Role/pod-reader", "0s", "jane", "", ""] }]);
  });

  it("supports JSON patch and refuses writes through the all-namespaces path", async () => {
    await send("POST", "/api/v1/namespaces/default/configmaps", {
      ...admin,
      contentType: "application/json",
      body: '{"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"jp"},"data":{"a":"1"}}',
    });
    const patched = await send("PATCH", "/api/v1/namespaces/default/configmaps/jp", {
      ...admin,
      contentType: "application/json-patch+json",
      body: '[{"op":"replace","path":"/data/a","value":"2"},{"op":"add","path":"/data/b","value":"3"}]',
    });
    expect(bodyJson(patched.response).data).toEqual({ a: "2", b: "3" });
    const bad = await send("PATCH", "/api/v1/namespaces/default/configmaps/jp", {
      ...admin,
      contentType: "application/json-patch+json",
      body: '[{"op":"remove","path":"/data/zzz"}]',
    });
    expect(bad.response.status).toBe(400);
    expect((await send("POST", "/api/v1/pods", { ...admin, contentType: "application/json", body: POD })).response.status).toBe(405);
    expect((await send("GET", "/api/v1/namespaces/default/namespaces")).response.status).toBe(404);
  });
});
