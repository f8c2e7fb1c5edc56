// Practice API requests and terminal commands on the pool without the instance's text each time
// (lib/isolation/instance-jobs.ts): the text is sent only when no worker is known to hold the row's
// current text, a worker that lacks it gets it, and a copy a worker produced but that never reached
// the row is never used.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { InstanceJobs, type RowText } from "@/lib/isolation/instance-jobs";
import { isTooLarge } from "@/lib/isolation/jobs";
import { LearnerPool } from "@/lib/isolation/pool";
import { handleRequest, type ApiRequest, type ClusterState } from "@/lib/k8s";
import { request } from "@/lib/k8s/test-helpers";
import { SUPER_ADMIN_CREDENTIAL } from "@/lib/scenarios/instance";
import { parseInstance, serializeInstance } from "@/lib/scenarios/storage";
import { execute } from "@/lib/scenarios/execute";

const settings = { workers: 1, jobTimeoutMs: 20_000, jobMemoryMb: 256, maxInstanceBytes: 8 * 1024 * 1024 };
const ID = "instance-jobs";

let pool: LearnerPool;
let row: RowText;
let cluster: ClusterState;

beforeAll(async () => {
  pool = new LearnerPool(settings);
  const created = await pool.run<"create">(ID, { kind: "create", scenarioId: "unauthorized-or-forbidden" });
  if (isTooLarge(created)) throw new Error("a fresh instance is over the limit");
  row = { state: created.state, revision: 0 };
  cluster = parseInstance(created.state).cluster;
  if (cluster.credentials[SUPER_ADMIN_CREDENTIAL]?.certPem === undefined) throw new Error("no admin certificate");
}, 300_000);

afterAll(async () => {
  await pool?.close();
});

/** A request with the cluster administrator's client certificate. */
function apiRequest(method: string, url: string, body?: unknown): ApiRequest {
  return request(cluster, method, url, {
    cert: SUPER_ADMIN_CREDENTIAL,
    ...(body === undefined ? {} : { contentType: "application/json", body: JSON.stringify(body) }),
  });
}

const configMap = (name: string) => ({ apiVersion: "v1", kind: "ConfigMap", metadata: { name }, data: { from: name } });

/** The practice store's path in memory: the row's text read only when needed, a change written with the revision check. */
function store(jobs: InstanceJobs) {
  let loads = 0;
  const load = async () => {
    loads += 1;
    return { ...row };
  };
  return {
    loads: () => loads,
    /**
     * `withText`: read the row with its text (by default only when no worker is known to hold it);
     * `appendable`: a read's record may be appended to the row's text (as for a scenario's row).
     */
    async send(request: ApiRequest, { write = true, withText = !jobs.knows(ID), appendable = false } = {}) {
      const ran = await jobs.run<"api">(ID, withText ? { ...row } : { revision: row.revision }, load, (instance, nextTag) => ({
        kind: "api",
        instance,
        request,
        nextTag,
        appendable,
      }));
      if (ran === undefined || !("response" in ran.result)) throw new Error("no answer");
      const { state, append } = ran.result;
      if ((state !== undefined || append !== undefined) && write) {
        expect(row.revision).toBe(ran.revision);
        row = { state: state ?? row.state + append, revision: ran.revision + 1 };
        jobs.stored(ID, ran.revision, ran.nextTag);
      }
      return ran.result;
    },
    /** A terminal command as lib/scenarios/service.ts runs it: the row always read without its text first. */
    async command(input: string, { write = true } = {}) {
      const ran = await jobs.run<"command">(ID, { revision: row.revision }, load, (instance, nextTag) => ({
        kind: "command",
        instance,
        scenarioId: "unauthorized-or-forbidden",
        input,
        nextTag,
      }));
      if (ran === undefined || isTooLarge(ran.result)) throw new Error("no answer");
      if (write) {
        expect(row.revision).toBe(ran.revision);
        row = { state: ran.result.state, revision: ran.revision + 1 };
        jobs.stored(ID, ran.revision, ran.nextTag);
      } else jobs.storeFailed(ID);
      return ran.result;
    },
  };
}

const names = (body: string | Uint8Array) =>
  (JSON.parse(typeof body === "string" ? body : new TextDecoder().decode(body)) as { items: { metadata: { name: string } }[] }).items.map(
    (item) => item.metadata.name,
  );

describe("practice API jobs on hot instances", () => {
  it("sends the row's text only while no worker is known to hold it, and answers the same", async () => {
    const jobs = new InstanceJobs(() => pool);
    const client = store(jobs);
    expect((await client.send(apiRequest("POST", "/api/v1/namespaces/default/configmaps", configMap("first")))).response.status).toBe(201);
    const loadsBefore = client.loads();
    const listed = await client.send(apiRequest("GET", "/api/v1/namespaces/default/configmaps"));
    expect(listed.response.status).toBe(200);
    expect(names(listed.response.body)).toContain("first");
    // The list joined the request history: its text was written, the next request names it by tag.
    expect(listed.state).toBeDefined();
    await client.send(apiRequest("GET", "/api/v1/namespaces/default/configmaps"));
    expect(client.loads()).toBe(loadsBefore);
    // The stored text is what a fresh parse of the row gives: the history has both lists.
    const stored = parseInstance(row.state);
    expect(
      stored.requests.filter((request) => request.url === "/api/v1/namespaces/default/configmaps" && request.method === "GET"),
    ).toHaveLength(2);
  });

  it("never uses a worker's copy whose write lost the race: the row's text is sent instead", async () => {
    const jobs = new InstanceJobs(() => pool);
    const client = store(jobs);
    await client.send(apiRequest("GET", "/api/v1/namespaces/default/configmaps"));
    // The worker adds "lost", but another process changed the row first (here: "winner", made in this thread).
    const lost = await client.send(apiRequest("POST", "/api/v1/namespaces/default/configmaps", configMap("lost")), { write: false });
    expect(lost.state).toBeDefined();
    // Not even told (storeFailed): a tag is remembered only once its text is known to be stored.
    const other = parseInstance(row.state);
    const winner = await handleRequest(other.cluster, apiRequest("POST", "/api/v1/namespaces/default/configmaps", configMap("winner")));
    expect(winner.response.status).toBe(201);
    row = { state: serializeInstance(other), revision: row.revision + 1 };
    // Read without the text: the worker still holds its copy with "lost", and must not be asked for it.
    const loadsBefore = client.loads();
    const listed = await client.send(apiRequest("GET", "/api/v1/namespaces/default/configmaps"), { withText: false });
    expect(names(listed.response.body)).toContain("winner");
    expect(names(listed.response.body)).not.toContain("lost");
    expect(client.loads()).toBe(loadsBefore + 1);
  });

  it("a worker that does not hold the text (a new thread) answers stale and is sent it", async () => {
    let current = pool;
    const jobs = new InstanceJobs(() => current);
    const client = store(jobs);
    await client.send(apiRequest("GET", "/api/v1/namespaces/default/configmaps"));
    const fresh = new LearnerPool(settings);
    try {
      current = fresh;
      const loadsBefore = client.loads();
      const listed = await client.send(apiRequest("GET", "/api/v1/namespaces/default/configmaps"));
      expect(names(listed.response.body)).toContain("winner");
      expect(client.loads()).toBe(loadsBefore + 1);
    } finally {
      await fresh.close();
    }
  });
});

describe("a read's record appended to the row's text", () => {
  it("is appended (not the whole text) up to a block's worth, then the text is stored whole; a fresh parse agrees with the worker", async () => {
    const jobs = new InstanceJobs(() => pool);
    const client = store(jobs);
    await client.send(apiRequest("GET", "/api/v1/namespaces/default/configmaps"));
    const base = row.state;
    const loadsBefore = client.loads();
    const results = [];
    for (let index = 0; index < 25; index++)
      results.push(await client.send(apiRequest("GET", `/api/v1/namespaces/default/configmaps?n=${index}`), { appendable: true }));
    // 24 appended records (each a fraction of the text), then the 25th read stores the whole text again.
    expect(results.slice(0, 24).every((result) => result.state === undefined && (result.append?.length ?? 0) > 0)).toBe(true);
    expect(Math.max(...results.slice(0, 24).map((result) => result.append?.length ?? 0))).toBeLessThan(base.length / 20);
    expect(results[24]?.state).toBeDefined();
    expect(results[24]?.state).not.toContain("|");
    expect(client.loads()).toBe(loadsBefore);
    // After 24 appends, the row's text (parts + records) reads as the history the worker holds.
    const urls = (text: string) => parseInstance(text).requests.map((request) => request.url);
    expect(urls(results[24]?.state ?? "").slice(-25)).toEqual(
      Array.from({ length: 25 }, (_, index) => `/api/v1/namespaces/default/configmaps?n=${index}`),
    );
    // A record appended to a text with records appended reads the same as the worker's own copy,
    // and a worker that did not hold it (a new thread) is sent the appended text and parses it.
    await client.send(apiRequest("GET", "/api/v1/namespaces/default/configmaps?n=after"), { appendable: true });
    expect(row.state).toContain("|");
    const fresh = new LearnerPool(settings);
    try {
      const reread = new InstanceJobs(() => fresh);
      const other = store(reread);
      const listed = await other.command("kubectl --context admin@kubeprep get configmaps -n default");
      expect(listed.output).toContain("first");
      expect(reread.knows(ID)).toBe(true);
    } finally {
      await fresh.close();
    }
    expect(urls(row.state).slice(-2)).toEqual([
      "/api/v1/namespaces/default/configmaps?n=after",
      "/api/v1/namespaces/default/configmaps?limit=500",
    ]);
  });

  it("is not appended where the row does not allow it (an exam task's row): the text is stored whole", async () => {
    const jobs = new InstanceJobs(() => pool);
    const client = store(jobs);
    const read = await client.send(apiRequest("GET", "/api/v1/namespaces/default/configmaps"));
    expect(read.append).toBeUndefined();
    expect(read.state).toBeDefined();
  });
});

describe("terminal commands on hot instances", () => {
  it("send the row's text only while no worker is known to hold it, and see the practice API's changes", async () => {
    const jobs = new InstanceJobs(() => pool);
    const client = store(jobs);
    await client.command("touch first-file");
    const loadsBefore = client.loads();
    expect((await client.command("ls")).output).toContain("first-file");
    expect((await client.command("ls")).output).toContain("first-file");
    expect(client.loads()).toBe(loadsBefore);
    // A practice API request changes the row: the next command is sent its text and sees the change.
    await client.send(apiRequest("POST", "/api/v1/namespaces/default/configmaps", configMap("from-kubectl")));
    expect((await client.command("kubectl --context admin@kubeprep get configmaps -n default")).output).toContain("from-kubectl");
  });

  it("never run on a worker's copy whose write failed: the row's text is sent instead", async () => {
    const jobs = new InstanceJobs(() => pool);
    const client = store(jobs);
    await client.command("ls");
    // The command's write fails (a retried request, another window): its copy with "lost" must not be used.
    await client.command("touch lost-file", { write: false });
    const other = parseInstance(row.state);
    await execute(other, "touch winner-file");
    row = { state: serializeInstance(other), revision: row.revision + 1 };
    const loadsBefore = client.loads();
    const listed = (await client.command("ls")).output;
    expect(listed).toContain("winner-file");
    expect(listed).not.toContain("lost-file");
    expect(client.loads()).toBe(loadsBefore + 1);
  });
});
