// A read with the learner's own kubectl joins the instance's request history by appending its record
// to the row's text (lib/scenarios/storage.ts), not by writing the whole text again: on both
// databases the row reads back as the history the worker holds, its revision and updatedAt move, a
// row changed meanwhile is not appended to, and after a block's worth the text is stored whole.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestDatabase, providers, type TestDatabase } from "../helpers/database";
import { isTooLarge } from "@/lib/isolation/jobs";
import { LearnerPool } from "@/lib/isolation/pool";
import type { ClusterState } from "@/lib/k8s";
import { request } from "@/lib/k8s/test-helpers";
import { SUPER_ADMIN_CREDENTIAL } from "@/lib/scenarios/instance";
import { DatabaseInstanceStore, InstanceConflictError } from "@/lib/scenarios/practice-store";
import { parseInstance } from "@/lib/scenarios/storage";

const settings = { workers: 1, jobTimeoutMs: 20_000, jobMemoryMb: 256, maxInstanceBytes: 8 * 1024 * 1024 };
const SCENARIO = "unauthorized-or-forbidden";

let pool: LearnerPool;
let created: string;
let cluster: ClusterState;

beforeAll(async () => {
  pool = new LearnerPool(settings);
  const result = await pool.run<"create">("appended-reads", { kind: "create", scenarioId: SCENARIO });
  if (isTooLarge(result)) throw new Error("a fresh instance is over the limit");
  created = result.state;
  cluster = parseInstance(created).cluster;
}, 300_000);

afterAll(async () => {
  await pool?.close();
});

const read = (n: number | string) => request(cluster, "GET", `/api/v1/namespaces/default/pods?n=${n}`, { cert: SUPER_ADMIN_CREDENTIAL });

describe.each(providers)("reads appended to a scenario instance's row on %s", (provider) => {
  let database: TestDatabase;
  let store: DatabaseInstanceStore;
  let id: string;

  beforeAll(async () => {
    database = await createTestDatabase(provider);
    store = new DatabaseInstanceStore(database.db, () => pool);
    const user = await database.db.user.create({ data: { email: `appended-${provider}@example.com`, name: "Ana" } });
    const attempt = await database.db.scenarioAttempt.create({ data: { userId: user.id, scenarioId: SCENARIO, number: 1, isFirst: true } });
    id = (
      await database.db.scenarioInstance.create({ data: { userId: user.id, scenarioId: SCENARIO, attemptId: attempt.id, state: created } })
    ).id;
  });

  afterAll(async () => {
    await database?.drop();
  });

  const row = () => database.db.scenarioInstance.findUniqueOrThrow({ where: { id } });

  it("appends each read's record, moves the revision and updatedAt, and stores the text whole after a block's worth", async () => {
    const before = await row();
    const handled = await store.handle(id, read(0));
    expect(handled !== undefined && handled !== "refused" && handled.response.status).toBe(200);
    const after = await row();
    expect(after.revision).toBe(before.revision + 1);
    expect(after.state.startsWith(before.state)).toBe(true);
    expect(after.state.length - before.state.length).toBeLessThan(300);
    expect(after.updatedAt).toBeInstanceOf(Date);
    expect(after.updatedAt.getTime()).toBeGreaterThanOrEqual(before.updatedAt.getTime());
    expect(parseInstance(after.state).requests.at(-1)).toMatchObject({ url: "/api/v1/namespaces/default/pods?n=0", status: 200 });

    for (let n = 1; n < 25; n++) await store.handle(id, read(n));
    const whole = await row();
    expect(whole.revision).toBe(before.revision + 25);
    // The 25th read stored the text whole: no records appended after its parts.
    expect(whole.state).not.toContain("|");
    expect(
      parseInstance(whole.state)
        .requests.slice(-25)
        .map((record) => record.url),
    ).toEqual(Array.from({ length: 25 }, (_, n) => `/api/v1/namespaces/default/pods?n=${n}`));
    // Every read is in the instructor's activity log too.
    expect(await database.db.scenarioEvent.count({ where: { attemptId: whole.attemptId, kind: "own-kubectl" } })).toBe(25);
  });

  it("does not append to a row that changed while the read ran: the read fails, nothing is appended, the next read succeeds", async () => {
    await store.handle(id, read("known"));
    const current = await row();
    // Another process stores the instance again while this read runs in the worker (e.g. a terminal
    // command): the same text at the next revision.
    const racing = {
      run: async (...args: Parameters<LearnerPool["run"]>) => {
        await database.db.scenarioInstance.update({ where: { id }, data: { revision: current.revision + 1 } });
        return pool.run(...args);
      },
    } as unknown as LearnerPool;
    await expect(new DatabaseInstanceStore(database.db, () => racing).handle(id, read("raced"))).rejects.toBeInstanceOf(
      InstanceConflictError,
    );
    expect((await row()).state).toBe(current.state);
    const next = await store.handle(id, read("next"));
    expect(next !== undefined && next !== "refused" && next.response.status).toBe(200);
    const urls = parseInstance((await row()).state).requests.map((record) => record.url);
    expect(urls.slice(-2)).toEqual(["/api/v1/namespaces/default/pods?n=known", "/api/v1/namespaces/default/pods?n=next"]);
  });
});
