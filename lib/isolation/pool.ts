/**
 * The learner worker pool: every piece of learner-driven simulation work (terminal input, checks
 * and probes, completion, practice API requests against an instance) runs on one of these worker
 * threads, never on the web server's event loop.
 *
 * One piscina pool of one thread per lane. A job goes to its instance's lane (the normal lane that
 * last ran one of its jobs, else the one its key hashes to), where that instance is probably still
 * parsed (lib/isolation/worker.ts), or to another idle lane when that one is busy (a practice API
 * request waits a few milliseconds for it first). Practice API requests that wait for a normal
 * lane go to its thread together (a batch), which saves a message and a wake-up of each thread per
 * request. A quarter of the lanes (at least one, when there are two or more) are slow lanes: only
 * jobs of instances on probation run there, and nowhere else, on threads at the lowest CPU priority
 * (nice 19, on Linux), so a learner repeating killer inputs takes CPU time only when everyone else's
 * work (the web server's thread, the other lanes) leaves some. A job has a wall-clock deadline
 * counted from when the worker starts it, and every thread a heap limit (resourceLimits). A job
 * over its deadline has its thread terminated and its lane given a new one; a thread over its heap
 * limit dies and piscina replaces it; a job that throws gets its thread replaced too. The caller
 * gets LearnerJobStopped and saves nothing.
 */
import path from "node:path";
import { Piscina } from "piscina";
import { getEnv } from "../env";
import { DomainError } from "../http/errors";
import { setRecent } from "../util/recent";
import { freshWorkerBundle } from "./bundle";
import type { Envelope, Job, JobResults, WorkerReply } from "./jobs";
import type { WorkerSettings } from "./worker";

export interface PoolSettings {
  workers: number;
  jobTimeoutMs: number;
  jobMemoryMb: number;
  maxInstanceBytes: number;
  /** Busy time (decaying, ms) above which an instance's jobs are put on probation; default 10 s. */
  heavyBusyMs?: number;
  /** The worker file to load; by default the fresh bundle or the tsx entry. */
  workerFile?: string;
}

export type StopReason = "deadline" | "memory" | "crashed" | "busy";

const STOPPED = Symbol.for("kubeprep.LearnerJobStopped");

/**
 * A job that did not complete: its thread was stopped (or the pool was full); nothing it did is
 * kept. Outside the terminal (which prints it) it answers 503 with Retry-After when the pool is
 * full, else 422: never a 500.
 */
export class LearnerJobStopped extends DomainError {
  override name = "LearnerJobStopped";
  readonly [STOPPED] = true;
  constructor(
    readonly reason: StopReason,
    message: string,
  ) {
    super(reason === "busy" ? 503 : 422, message, undefined, reason === "busy" ? { "Retry-After": "5" } : undefined);
  }

  /**
   * `instanceof` across module copies: under `npm start` the pool is created by the tsx-loaded copy
   * of this file and used from the copy inside Next's bundle, so the class is not the same object.
   */
  static override [Symbol.hasInstance](value: unknown): boolean {
    return typeof value === "object" && value !== null && STOPPED in value;
  }
}

/** The learner-facing sentence for a stopped job ("this command …"; the caller names the work). */
export function stoppedMessage(reason: StopReason, settings: PoolSettings, what = "this command"): string {
  const unchanged = "your scenario is unchanged";
  if (reason === "deadline") return `${what} ran longer than ${settings.jobTimeoutMs / 1000} s and was stopped; ${unchanged}`;
  if (reason === "memory") return `${what} used more than ${settings.jobMemoryMb} MB of memory and was stopped; ${unchanged}`;
  if (reason === "busy") return `the simulator is busy; ${what} was not run and ${unchanged}. Try again in a moment`;
  return `${what} failed inside the simulator and was stopped; ${unchanged}`;
}

/**
 * The worker's entry through tsx, found at run time from the project root (Next's bundler never
 * sees it); the pool prefers the prebuilt bundle when it is fresh (lib/isolation/bundle.ts).
 */
export const WORKER_FILE = path.join(process.cwd(), "lib", "isolation", "worker-entry.mjs");

/** Jobs waiting for a thread before new ones are refused as "busy". */
const MAX_QUEUED = 1000;
/** A replacement thread that has not started its job after this long counts as crashed. */
const BOOT_LIMIT_MS = 120_000;
/**
 * Building a fresh instance (certificate authorities, keys, tokens) runs only the scenario file's
 * own setup, nothing a learner typed; it gets this long however short the learner deadline is.
 */
const CREATE_TIMEOUT_MS = 60_000;
/**
 * An instance whose job was stopped is on probation this long: its jobs run only on the slow
 * lanes (a quarter of the lanes, at least one, at the lowest CPU priority), so learners repeating
 * killer inputs share those threads while the others keep the rest of the machine (on 2 cores, a
 * third busy thread at normal priority would slow everyone's commands down).
 */
const PROBATION_MS = 60_000;
/**
 * Heavy use puts an instance on probation too, though nothing was stopped: inputs the engine's own
 * budgets end in time (4 s each) can still keep a thread and a core busy back to back. An
 * instance's busy time (stopped jobs included) decays with this half-life and is kept across
 * probation; above `heavyBusyMs` (default 10 s, far beyond a person typing commands) its jobs are
 * scheduled as a repeat offender's, for PROBATION_MS after the last job that found it above.
 */
const BUSY_HALF_LIFE_MS = 30_000;
const HEAVY_BUSY_MS = 10_000;

interface Lane {
  pool: Piscina;
  busy: boolean;
  /** Its thread was just replaced and is still loading: other idle lanes are preferred. */
  booting: boolean;
  /** Runs only jobs of instances on probation, at the lowest CPU priority. */
  slow: boolean;
}

interface Pending {
  key: string;
  lane: number;
  job: Job;
  timeoutMs: number;
  /**
   * Sent to a thread on its own, never in a batch: every job but a practice API request, and a
   * request whose batch another job's stop ended (it is run again alone).
   */
  alone: boolean;
  /** When it was queued (performance.now()). */
  queuedAt: number;
  resolve: (reply: WorkerReply<Job["kind"]>) => void;
  reject: (error: unknown) => void;
}

/**
 * Practice API requests of different instances that queue for a thread are sent to it together, up
 * to this many: one message and one wake-up each way instead of one per request, on both threads.
 */
const BATCH_MAX = 8;
/** How long a practice API request waits for its own busy lane before another thread may take it. */
const HOME_WAIT_MS = 10;
/** Instances whose lane is remembered; the least recently moved are forgotten beyond this. */
const REMEMBERED_HOMES = 10_000;

function hash(key: string): number {
  let value = 0x811c9dc5;
  for (let index = 0; index < key.length; index++) value = Math.imul(value ^ key.charCodeAt(index), 0x01000193);
  return value >>> 0;
}

export class LearnerPool {
  private readonly lanes: Lane[];
  private readonly queue: Pending[] = [];
  /** Instance id → end of its probation (ms since epoch). */
  private readonly probation = new Map<string, number>();
  /** Instance id → its decaying busy time (ms) as of `at`. */
  private readonly busy = new Map<string, { ms: number; at: number }>();
  /**
   * Instance id → the normal lane whose thread last ran one of its jobs to the end, where its parsed
   * instance probably still is: its jobs go there first, so an instance that moved once (its lane was
   * busy) stays on its new lane instead of being parsed again on each move.
   */
  private readonly home = new Map<string, number>();
  /** Threads stopped and replaced so far, by reason (for tests and benchmarks). */
  readonly replaced: Record<Exclude<StopReason, "busy">, number> = { deadline: 0, memory: 0, crashed: 0 };

  /** The file threads load: the fresh prebuilt bundle, else the tsx entry. */
  readonly workerFile: string;

  private closed = false;
  private waitTimer: NodeJS.Timeout | undefined;

  /** Lanes for everyone's jobs (the first ones); the rest are slow lanes. */
  private readonly normalLanes: number;

  constructor(readonly settings: PoolSettings) {
    this.workerFile = settings.workerFile ?? freshWorkerBundle() ?? WORKER_FILE;
    const slow = settings.workers < 2 ? 0 : Math.max(1, Math.floor(settings.workers / 4));
    this.normalLanes = settings.workers - slow;
    this.lanes = Array.from({ length: settings.workers }, (_, index) => {
      const isSlow = index >= this.normalLanes;
      return { pool: this.newPiscina(isSlow), busy: false, booting: false, slow: isSlow };
    });
  }

  private newPiscina(lowPriority: boolean): Piscina {
    const workerData: WorkerSettings = { maxInstanceBytes: this.settings.maxInstanceBytes, lowPriority };
    const pool = new Piscina({
      filename: this.workerFile,
      minThreads: 1,
      maxThreads: 1,
      concurrentTasksPerWorker: 1,
      idleTimeout: Number.POSITIVE_INFINITY,
      resourceLimits: { maxOldGenerationSizeMb: this.settings.jobMemoryMb },
      workerData,
      // The bundle is plain JavaScript: without this, a thread inherits this process's flags, and
      // under `npm start` (tsx) its loader would transpile the whole bundle again on every thread
      // start, about a second of CPU at normal priority before a slow lane's thread can lower its own.
      ...(this.workerFile === WORKER_FILE ? {} : { execArgv: [] }),
    });
    // A thread that dies with no job (it cannot, short of a bug) must not become an unhandled 'error'.
    pool.on("error", (error: unknown) => console.error("learner worker:", error));
    return pool;
  }

  /** Runs a job for an instance (`key`: its id) on a worker thread. */
  async run<K extends Job["kind"]>(key: string, job: Extract<Job, { kind: K }>): Promise<JobResults[K]> {
    if (this.queue.length >= MAX_QUEUED) throw new LearnerJobStopped("busy", stoppedMessage("busy", this.settings));
    const reply = await new Promise<WorkerReply<Job["kind"]>>((resolve, reject) => {
      const timeoutMs = job.kind === "create" ? Math.max(CREATE_TIMEOUT_MS, this.settings.jobTimeoutMs) : this.settings.jobTimeoutMs;
      const alone = job.kind !== "api";
      const home = this.home.get(key) ?? hash(key) % this.normalLanes;
      const pending: Pending = { key, lane: home, job, timeoutMs, alone, queuedAt: performance.now(), resolve, reject };
      const lane = this.pickLane(pending);
      if (lane !== undefined) this.dispatch(lane, [pending]);
      else {
        this.queue.push(pending);
        this.wakeForWaiting();
      }
    });
    if (!reply.ok) throw new LearnerJobStopped("crashed", stoppedMessage("crashed", this.settings));
    return reply.result as JobResults[K];
  }

  private onProbation(key: string): boolean {
    const until = this.probation.get(key);
    if (until === undefined) return false;
    if (until > Date.now()) return true;
    this.probation.delete(key);
    return false;
  }

  /**
   * An idle lane for this job: for an instance on probation a slow lane (with none, the only lane);
   * else its preferred lane, else an idle normal lane that is not booting, else any idle normal lane.
   */
  private pickLane(pending: Pending): number | undefined {
    const slow = this.normalLanes < this.lanes.length && this.onProbation(pending.key);
    if (!slow && this.lanes[pending.lane]?.busy === false) return pending.lane;
    if (!slow && this.waitsForHome(pending, pending.queuedAt)) return undefined;
    let fallback: number | undefined;
    for (const [index, lane] of this.lanes.entries()) {
      if (lane.busy || lane.slow !== slow) continue;
      if (!lane.booting) return index;
      fallback ??= index;
    }
    return fallback;
  }

  /**
   * Sends a batch (most often one job) to a lane's thread. Each job's deadline counts from the moment
   * the thread starts it (a replacement thread may still be loading; a batch's later jobs wait for the
   * earlier ones), which the worker writes into the shared slots. When a job is stopped, its thread is
   * replaced and the other jobs of its batch, whose replies are lost with it, are run again alone:
   * nothing a job did is kept before its reply arrives, so running it again is safe.
   */
  private dispatch(index: number, batch: Pending[]): void {
    const lane = this.lanes[index];
    if (lane === undefined) throw new Error(`no lane ${index}`);
    lane.busy = true;
    const pool = lane.pool;
    // Over the deadline (or a thread that never starts): the lane gets a new pool, and this one is
    // destroyed with its thread, which rejects the batch. (Not an AbortSignal per job, which piscina
    // also supports: with one, about a third more of each job's objects outlived the young
    // generation on the web server's thread, measured in bench:isolation (c).)
    let expired = false;
    const stop = (): void => {
      expired = true;
      if (lane.pool === pool) lane.pool = this.newPiscina(lane.slow);
      void pool.destroy();
    };
    const times = new Float64Array(new SharedArrayBuffer(16 * batch.length));
    const dispatchedAt = Date.now();
    /** The job running now: the last one started; -1 before the first. */
    const current = (): number => {
      let running = -1;
      for (let job = 0; job < batch.length && (times[2 * job] ?? 0) !== 0; job++) running = job;
      return running;
    };
    const timeOf = (job: number): number => {
      const started = times[2 * job] || dispatchedAt;
      return Math.max(0, (times[2 * job + 1] || Date.now()) - started);
    };
    let timer: NodeJS.Timeout;
    const watch = (): void => {
      const running = current();
      const now = Date.now();
      if (running === -1) {
        if (now - dispatchedAt > BOOT_LIMIT_MS) stop();
        else timer = setTimeout(watch, 100);
        return;
      }
      lane.booting = false;
      // A job that has ended leaves the rest of the deadline to the next (its start is imminent).
      const from = times[2 * running + 1] || times[2 * running] || now;
      const left = from + (batch[running]?.timeoutMs ?? 0) - now;
      if (left <= 0) stop();
      else timer = setTimeout(watch, left);
    };
    timer = setTimeout(watch, batch[0]?.timeoutMs ?? 0);
    let again: Pending[] = [];
    const envelope: Envelope = { jobs: batch.map((pending) => pending.job), times };
    (pool.run(envelope) as Promise<WorkerReply<Job["kind"]>[]>)
      .then(
        (replies) => {
          lane.booting = false;
          for (const [job, pending] of batch.entries()) {
            const reply = replies[job];
            // After a job that threw the worker stopped: the rest were not run.
            if (reply === undefined) {
              again = batch.slice(job);
              break;
            }
            if (pending.job.kind !== "create") this.charge(pending.key, timeOf(job));
            if (reply.ok) {
              if (!lane.slow) this.settle(pending.key, index);
            } else {
              // The job threw: its thread may hold a half-changed instance or module state. Replace it.
              console.error("learner worker job failed:", reply.error);
              this.replace(lane, "crashed");
              this.probation.set(pending.key, Date.now() + PROBATION_MS);
            }
            pending.resolve(reply);
          }
        },
        (error: unknown) => {
          const reason = expired
            ? "deadline"
            : (error as { code?: unknown } | null)?.code === "ERR_WORKER_OUT_OF_MEMORY"
              ? "memory"
              : "crashed";
          // The thread is gone: piscina has started its replacement (past the deadline, the lane
          // has a new pool already).
          this.replaced[reason] += 1;
          lane.booting = true;
          // The job that was running is the one stopped (the first, when none had started).
          const stopped = Math.max(0, current());
          const pending = batch[stopped];
          again = batch.filter((_, job) => job !== stopped);
          if (pending === undefined) return;
          if (pending.job.kind !== "create") this.charge(pending.key, timeOf(stopped));
          this.probation.set(pending.key, Date.now() + PROBATION_MS);
          pending.reject(new LearnerJobStopped(reason, stoppedMessage(reason, this.settings)));
        },
      )
      .finally(() => {
        clearTimeout(timer);
        lane.busy = false;
        if (this.closed) for (const pending of again) pending.reject(new LearnerJobStopped("busy", stoppedMessage("busy", this.settings)));
        else
          // Run again alone, before anything that queued since: they were waiting first.
          this.queue.unshift(...again.map((pending) => ({ ...pending, alone: true })));
        this.next(index);
        if (again.length > 0) for (const other of this.lanes.keys()) if (!this.lanes[other]?.busy) this.next(other);
      });
  }

  /**
   * A practice API request whose lane is busy running another job (not loading a new thread) waits
   * for it a little while, rather than have an idle thread parse its instance again: a request takes
   * well under a millisecond there, a parse several (and it would move the instance away).
   */
  private waitsForHome(pending: Pending, now: number): boolean {
    if (pending.job.kind !== "api" || now - pending.queuedAt >= HOME_WAIT_MS) return false;
    const home = this.lanes[pending.lane];
    return home !== undefined && home.busy && !home.booting;
  }

  /** When requests wait for their busy lanes, idle lanes look at the queue again once the first may move. */
  private wakeForWaiting(): void {
    if (this.waitTimer !== undefined) return;
    // Only requests still within their wait: one past it that no idle lane took waits for something
    // else (a slow lane, on probation), and a timer for it would fire again at once, over and over.
    const now = performance.now();
    let first = Number.POSITIVE_INFINITY;
    for (const pending of this.queue) if (this.waitsForHome(pending, now)) first = Math.min(first, pending.queuedAt);
    if (first === Number.POSITIVE_INFINITY) return;
    this.waitTimer = setTimeout(
      () => {
        this.waitTimer = undefined;
        for (const [index, lane] of this.lanes.entries()) if (!lane.busy && !lane.slow) this.next(index);
      },
      Math.max(1, first + HOME_WAIT_MS - now),
    );
    this.waitTimer.unref();
  }

  /** A job of the instance ended well on normal lane `index`: its jobs go there first now. */
  private settle(key: string, index: number): void {
    if (this.home.get(key) !== index) setRecent(this.home, key, index, REMEMBERED_HOMES);
  }

  /** Adds a finished job's time to its instance's busy time; over the limit, probation. */
  private charge(key: string, ms: number): void {
    const now = Date.now();
    const previous = this.busy.get(key);
    const decayed = previous === undefined ? 0 : previous.ms * 0.5 ** ((now - previous.at) / BUSY_HALF_LIFE_MS);
    const total = decayed + Math.max(0, ms);
    // The busy time is kept across probation: a learner who keeps a thread busy while on probation
    // stays there (each job over the limit extends it), and one whose probation ends while the
    // busy time is still high goes back with their next job instead of first filling a normal lane
    // for another 10 s.
    if (total > (this.settings.heavyBusyMs ?? HEAVY_BUSY_MS)) this.probation.set(key, now + PROBATION_MS);
    // Forget instances whose busy time has decayed to nothing, so the map stays small.
    if (total < 1) this.busy.delete(key);
    else this.busy.set(key, { ms: total, at: now });
    if (this.busy.size > 10_000)
      for (const [other, entry] of this.busy) if (entry.ms * 0.5 ** ((now - entry.at) / BUSY_HALF_LIFE_MS) < 1) this.busy.delete(other);
  }

  private replace(lane: Lane, reason: Exclude<StopReason, "busy">): void {
    const old = lane.pool;
    lane.pool = this.newPiscina(lane.slow);
    lane.booting = true;
    this.replaced[reason] += 1;
    void old.destroy();
  }

  /**
   * A lane became free. A slow lane takes the oldest waiting job of an instance on probation. A
   * normal lane takes its own next job first, else the oldest waiting job; with no slow lane (one
   * lane in all), jobs of instances on probation only after everyone else's.
   */
  private next(index: number): void {
    const lane = this.lanes[index];
    if (this.queue.length === 0 || lane === undefined) return;
    if (this.probation.size > 0) for (const key of [...this.probation.keys()]) this.onProbation(key);
    const good = (pending: Pending) => !this.probation.has(pending.key);
    let position: number;
    if (lane.slow) position = this.queue.findIndex((pending) => !good(pending));
    else {
      position = this.queue.findIndex((pending) => good(pending) && pending.lane === index);
      if (position === -1) {
        const now = performance.now();
        position = this.queue.findIndex((pending) => good(pending) && !this.waitsForHome(pending, now));
      }
      if (position === -1 && this.normalLanes === this.lanes.length) position = 0;
    }
    if (position === -1) {
      this.wakeForWaiting();
      return;
    }
    const [first] = this.queue.splice(position, 1);
    if (first === undefined) return;
    const batch = [first];
    if (!lane.slow && !first.alone) {
      // Practice API requests of instances in good standing whose lane this is (their parsed instance
      // is probably on its thread; another thread would parse it again).
      for (let position = 0; position < this.queue.length && batch.length < BATCH_MAX;) {
        const pending = this.queue[position];
        if (pending !== undefined && !pending.alone && pending.lane === index && good(pending)) {
          batch.push(pending);
          this.queue.splice(position, 1);
        } else position += 1;
      }
    }
    this.dispatch(index, batch);
  }

  /** Threads, busy threads and queued jobs now. */
  stats(): { workers: number; busy: number; queued: number } {
    return { workers: this.lanes.length, busy: this.lanes.filter((lane) => lane.busy).length, queued: this.queue.length };
  }

  async close(): Promise<void> {
    this.closed = true;
    clearTimeout(this.waitTimer);
    for (const pending of this.queue.splice(0)) pending.reject(new LearnerJobStopped("busy", stoppedMessage("busy", this.settings)));
    await Promise.all(this.lanes.map((lane) => lane.pool.destroy()));
  }
}

const GLOBAL_KEY = Symbol.for("kubeprep.learnerPool");

/**
 * The process's pool, from the environment's settings. Kept on globalThis: the Next bundle (web
 * terminal) and the practice API server (loaded by tsx beside it) are two copies of this module in
 * one process, and must share the threads and their hot instances.
 */
export function learnerPool(): LearnerPool {
  const holder = globalThis as unknown as Record<symbol, LearnerPool | undefined>;
  const existing = holder[GLOBAL_KEY];
  if (existing !== undefined) return existing;
  const pool = new LearnerPool(getEnv().isolation);
  holder[GLOBAL_KEY] = pool;
  return pool;
}
