// The learner pool sends practice API requests that queue for a busy thread to it together (one
// message and one wake-up for several requests). Here the pool runs a small worker of this test's
// own that speaks the pool's protocol (lib/isolation/jobs.ts's Envelope), so a test can make a job
// in the middle of a batch run past its deadline or throw, and see what becomes of the others.
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterEach, beforeAll, describe, expect, it, vi } from "vitest";
import { LearnerJobStopped, LearnerPool } from "@/lib/isolation/pool";
import type { JobOf } from "@/lib/isolation/jobs";

/** What the test worker answers for a job it ran: the instance, how many jobs came with it, the thread. */
interface Echo {
  id: string;
  batch: number;
  thread?: number;
}

// Runs the jobs in order as the real worker does (start and end times in the shared slots, stop after
// a job that failed). A request's URL says what to do: `/wait` keeps the thread busy 300 ms,
// `/spin` never ends, `/throw` fails; a job of another kind is answered at once.
const WORKER = `
import { threadId } from "node:worker_threads";
export default async function handle({ jobs, times }) {
  const replies = [];
  for (const [index, job] of jobs.entries()) {
    times[2 * index] = Date.now();
    const url = job.kind === "api" ? job.request.url : "";
    if (url === "/spin") for (;;);
    if (url === "/wait") { const end = Date.now() + 300; while (Date.now() < end); }
    times[2 * index + 1] = Date.now();
    if (url === "/throw") { replies.push({ ok: false, error: "thrown on purpose" }); return replies; }
    replies.push({ ok: true, result: { id: job.instance.id, batch: jobs.length, thread: threadId } });
  }
  return replies;
}
`;

let workerFile: string;
let pool: LearnerPool;

beforeAll(() => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "kubeprep-batches-"));
  workerFile = path.join(dir, "worker.mjs");
  fs.writeFileSync(workerFile, WORKER);
});

afterEach(async () => {
  await pool?.close();
});

/** One normal lane and one slow lane; a deadline far above the test worker's own jobs. */
function newPool(): LearnerPool {
  return new LearnerPool({ workers: 2, jobTimeoutMs: 1_500, jobMemoryMb: 64, maxInstanceBytes: 1 << 20, workerFile });
}

function api(id: string, url = "/api/v1/pods"): Promise<Echo> {
  const job: JobOf<"api"> = {
    kind: "api",
    instance: { id, tag: `${id}:1` },
    request: { method: "GET", url, headers: {}, tls: true },
    nextTag: `${id}:2`,
  };
  return pool.run<"api">(id, job) as unknown as Promise<Echo>;
}

function readFile(id: string): Promise<Echo> {
  return pool.run<"read-file">(id, { kind: "read-file", instance: { id, state: "" }, path: "/etc/hosts" }) as unknown as Promise<Echo>;
}

/** The job's answer, or why it was stopped. */
async function settled(job: Promise<Echo>): Promise<Echo | LearnerJobStopped> {
  try {
    return await job;
  } catch (error) {
    if (error instanceof LearnerJobStopped) return error;
    throw error;
  }
}

/**
 * On a new pool, three requests queued behind a busy thread, so that they go in one batch: "before",
 * "middle" (asking for `url`) and "after". Resolves once the busy thread's own job has ended.
 */
async function batchAround(url: string): Promise<Record<"before" | "middle" | "after", Promise<Echo | LearnerJobStopped>>> {
  pool = newPool();
  const busy = api("busy", "/wait");
  const requests = { before: settled(api("before")), middle: settled(api("middle", url)), after: settled(api("after")) };
  await busy;
  return requests;
}

describe("practice API requests in batches", () => {
  it("requests that queue for a busy thread are sent to it together; other jobs, and a lone request, one at a time", async () => {
    pool = newPool();
    expect(await api("alone")).toMatchObject({ id: "alone", batch: 1 });
    const busy = api("busy", "/wait");
    const requests = Array.from({ length: 6 }, (_, index) => api(`learner-${index}`));
    const files = [readFile("file-0"), readFile("file-1")];
    expect(await busy).toMatchObject({ id: "busy", batch: 1 });
    // The six requests queued behind the busy thread went in one message, each answered as its own.
    expect(await Promise.all(requests)).toMatchObject(Array.from({ length: 6 }, (_, index) => ({ id: `learner-${index}`, batch: 6 })));
    expect(await Promise.all(files)).toMatchObject([
      { id: "file-0", batch: 1 },
      { id: "file-1", batch: 1 },
    ]);
  });

  it("a batch holds at most 8 requests", async () => {
    pool = newPool();
    const busy = api("busy", "/wait");
    const requests = Array.from({ length: 12 }, (_, index) => api(`learner-${index}`));
    await busy;
    const batches = (await Promise.all(requests)).map((echo) => echo.batch);
    expect(batches).toEqual([...Array<number>(8).fill(8), ...Array<number>(4).fill(4)]);
  });

  it("a request stopped at its deadline in a batch is the only one stopped: the others, done or not, run again alone", async () => {
    const { before, middle, after } = await batchAround("/spin");
    const stopped = await middle;
    expect(stopped).toBeInstanceOf(LearnerJobStopped);
    expect((stopped as LearnerJobStopped).reason).toBe("deadline");
    // "before" had run in the batch, but its answer was lost with the thread: it is run again.
    expect(await before).toMatchObject({ id: "before", batch: 1 });
    expect(await after).toMatchObject({ id: "after", batch: 1 });
    expect(pool.replaced.deadline).toBe(1);
    expect(pool.stats()).toEqual({ workers: 2, busy: 0, queued: 0 });
  });

  it("a request that throws in a batch: those before it keep their answers, those after it run again alone", async () => {
    const { before, middle, after } = await batchAround("/throw");
    const stopped = await middle;
    expect(stopped).toBeInstanceOf(LearnerJobStopped);
    expect((stopped as LearnerJobStopped).reason).toBe("crashed");
    expect(await before).toMatchObject({ id: "before", batch: 3 });
    expect(await after).toMatchObject({ id: "after", batch: 1 });
    expect(pool.replaced.crashed).toBe(1);
  });

  it("a request keeps to the thread that last ran its instance; when that one stays busy it moves after a short wait, and stays", async () => {
    pool = new LearnerPool({ workers: 3, jobTimeoutMs: 1_500, jobMemoryMb: 64, maxInstanceBytes: 1 << 20, workerFile });
    // Two normal lanes: two instances kept busy at once end up one on each.
    const [first, second] = await Promise.all([api("x", "/wait"), api("y", "/wait")]);
    expect(first?.thread).not.toBe(second?.thread);
    // "z", run while y's thread is busy, settles on x's.
    const yBusy = api("y", "/wait");
    expect((await api("z")).thread).toBe(first?.thread);
    await yBusy;
    const zBusy = api("z", "/wait");
    const started = performance.now();
    const moved = await api("x");
    // Its own thread was busy for 300 ms: the other thread took it after a few milliseconds.
    expect(moved.thread).toBe(second?.thread);
    expect(performance.now() - started).toBeLessThan(250);
    expect((await zBusy).thread).toBe(first?.thread);
    // Both threads are idle now: the instance stays where it was last run.
    expect((await api("x")).thread).toBe(second?.thread);
  });

  it("a request of an instance on probation waiting for the slow lane wakes no idle lane over and over", async () => {
    pool = new LearnerPool({ workers: 3, jobTimeoutMs: 300, jobMemoryMb: 64, maxInstanceBytes: 1 << 20, workerFile });
    // Two instances stopped once each are on probation: their jobs run on the slow lane only.
    for (const id of ["p", "q"]) expect(await settled(api(id, "/spin"))).toBeInstanceOf(LearnerJobStopped);
    const slowBusy = settled(api("q", "/spin"));
    await new Promise((resolve) => setTimeout(resolve, 50));
    const next = vi.spyOn(pool as unknown as { next: (index: number) => void }, "next");
    // p's request waits for the slow lane (about 250 ms more) while both normal lanes are idle.
    const waiting = api("p");
    expect(await waiting).toMatchObject({ id: "p", batch: 1 });
    expect(await slowBusy).toBeInstanceOf(LearnerJobStopped);
    // The slow lane freeing up looks at the queue; nothing else should have, let alone every millisecond.
    expect(next.mock.calls.length).toBeLessThan(10);
  });

  it("closing the pool answers every request it still holds", async () => {
    pool = newPool();
    const busy = settled(api("busy", "/spin"));
    const waiting = settled(api("waiting"));
    await new Promise((resolve) => setTimeout(resolve, 100));
    await pool.close();
    expect(await busy).toBeInstanceOf(LearnerJobStopped);
    expect(await waiting).toBeInstanceOf(LearnerJobStopped);
  });
});
