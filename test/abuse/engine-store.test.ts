// The simulated object store refuses what a real cluster's storage refuses, with the apiserver's
// own answers: 413 for bodies over 3 MiB, 422 for ConfigMap/Secret data over 1 MiB, etcd's 500
// "request is too large" for objects over 1.5 MiB, and a full etcd ("database space exceeded")
// when an instance holds too many objects or bytes.
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { handleRequest } from "@/lib/k8s";
import { STORE_LIMITS, bodyJson, createTestCluster, request, createHarness, type Harness } from "@/lib/k8s/test-helpers";
import { createVfs } from "@/lib/k8s/shell";

const admin = { token: "admintoken", contentType: "application/json" };

function configMap(name: string, data: Record<string, string>, extra: Record<string, unknown> = {}): string {
  return JSON.stringify({ apiVersion: "v1", kind: "ConfigMap", metadata: { name, namespace: "default", ...extra }, data });
}

describe("with the simulated kubectl", () => {
  let h: Harness;
  beforeEach(async () => {
    h = await createHarness();
  });

  it("a ConfigMap over 1 MiB of data is invalid; the cluster keeps nothing", async () => {
    createVfs(h.shell).writeFile("/root/big.txt", "x".repeat(1024 * 1024 - 10));
    createVfs(h.shell).writeFile("/root/more.txt", "y".repeat(100));
    const before = h.state.lastResourceVersion;
    const result = await h.run(["create", "configmap", "big", "--from-file=big.txt", "--from-file=more.txt"]);
    expect(result.exitCode).toBe(1);
    expect(result.stderr).toContain('ConfigMap "big" is invalid: []: Too long: must have at most 1048576 bytes');
    expect(h.state.lastResourceVersion).toBe(before);
    expect((await h.run(["get", "configmap", "big"])).stderr).toContain('configmaps "big" not found');
  });

  it("a request body over 3 MiB: 413 Request entity too large: limit is 3145728", async () => {
    const vfs = createVfs(h.shell);
    for (const name of ["a", "b", "c", "d"]) vfs.writeFile(`/root/${name}.txt`, "z".repeat(850_000));
    const result = await h.run([
      "create",
      "configmap",
      "huge",
      "--from-file=a.txt",
      "--from-file=b.txt",
      "--from-file=c.txt",
      "--from-file=d.txt",
    ]);
    expect(result.exitCode).toBe(1);
    expect(result.stderr).toContain("Request entity too large: limit is 3145728");
    expect(h.exchanges[h.exchanges.length - 1]?.status).toBe(413);
  });
});

describe("against the API", () => {
  const saved = { ...STORE_LIMITS };
  afterEach(() => Object.assign(STORE_LIMITS, saved));

  it("an object over etcd's 1.5 MiB is refused like etcd refuses it (500, no reason)", async () => {
    const state = await createTestCluster();
    const pod = JSON.stringify({
      apiVersion: "v1",
      kind: "Pod",
      metadata: { name: "fat", namespace: "default" },
      spec: { containers: [{ name: "c", image: "nginx", env: [{ name: "X", value: "p".repeat(1_600_000) }] }] },
    });
    const { response, changed } = await handleRequest(
      state,
      request(state, "POST", "/api/v1/namespaces/default/pods", { ...admin, body: pod }),
    );
    expect(response.status).toBe(500);
    expect(bodyJson(response)).toEqual({
      kind: "Status",
      apiVersion: "v1",
      metadata: {},
      status: "Failure",
      message: "etcdserver: request is too large",
      code: 500,
    });
    expect(changed).toBe(false);
  });

  it("a patch body over 3 MiB is refused before it is parsed", async () => {
    const state = await createTestCluster();
    await handleRequest(
      state,
      request(state, "POST", "/api/v1/namespaces/default/configmaps", { ...admin, body: configMap("p", { a: "1" }) }),
    );
    const body = JSON.stringify({ data: { a: "q".repeat(3_200_000) } });
    const { response } = await handleRequest(
      state,
      request(state, "PATCH", "/api/v1/namespaces/default/configmaps/p", { ...admin, contentType: "application/merge-patch+json", body }),
    );
    expect(response.status).toBe(413);
    expect(bodyJson(response)).toMatchObject({
      reason: "RequestEntityTooLarge",
      message: "Request entity too large: limit is 3145728",
      code: 413,
    });
  });

  it("an instance whose store is full answers every write like a full etcd; reads and deletes still work", async () => {
    const state = await createTestCluster();
    const existing = Object.values(state.objects).reduce((sum, bucket) => sum + Object.keys(bucket).length, 0);
    STORE_LIMITS.maxObjects = existing + 3;
    const create = (name: string) =>
      handleRequest(
        state,
        request(state, "POST", "/api/v1/namespaces/default/configmaps", { ...admin, body: configMap(name, { k: "v" }) }),
      );
    for (const name of ["c1", "c2", "c3"]) expect((await create(name)).response.status).toBe(201);
    const full = await create("c4");
    expect(full.response.status).toBe(500);
    expect(bodyJson(full.response)).toMatchObject({ message: "etcdserver: mvcc: database space exceeded", code: 500 });
    expect((await handleRequest(state, request(state, "GET", "/api/v1/namespaces/default/configmaps/c1", admin))).response.status).toBe(
      200,
    );
    expect((await handleRequest(state, request(state, "DELETE", "/api/v1/namespaces/default/configmaps/c1", admin))).response.status).toBe(
      200,
    );
    expect((await create("c4")).response.status).toBe(201);

    STORE_LIMITS.maxObjects = saved.maxObjects;
    STORE_LIMITS.maxTotalBytes = 200_000;
    expect((await create("big1")).response.status).toBe(201);
    const bytes = await handleRequest(
      state,
      request(state, "POST", "/api/v1/namespaces/default/configmaps", { ...admin, body: configMap("big2", { k: "w".repeat(250_000) }) }),
    );
    expect(bodyJson(bytes.response)).toMatchObject({ message: "etcdserver: mvcc: database space exceeded", code: 500 });
  });
});
