/**
 * Where practice cluster instances live. The server only needs three operations, so an in-memory map
 * (tests, the fixture, a single-process install) and a database-backed store (learners' scenario
 * instances across app instances) are interchangeable.
 */
import type { ApiRequest, ApiResponse, ClusterState, TraceStep } from "../k8s";

export interface InstanceStore {
  /** The instance's current state, or undefined when no such instance exists. */
  load(id: string): Promise<ClusterState | undefined>;
  /** Persists the state after a request changed it. */
  save(id: string, state: ClusterState): Promise<void>;
  /**
   * Runs `fn` while holding the instance's lock: calls for one id never overlap, calls for different
   * ids run freely. A database store would take a row lock or advisory lock here.
   */
  withLock<T>(id: string, fn: () => Promise<T>): Promise<T>;
  /**
   * Optional: answers one request against the instance in the store's own isolation (learners'
   * instances: the worker pool, lib/isolation), loading and saving as needed; undefined when there is
   * no such instance. Called under withLock. Without it the server loads, runs the engine and saves.
   */
  handle?(id: string, request: ApiRequest): Promise<{ response: ApiResponse; trace: TraceStep[] } | undefined>;
}

/** A per-key FIFO of async tasks: each task starts after the previous one for the same key settled. */
export class KeyedQueue {
  private readonly tails = new Map<string, Promise<unknown>>();
  private readonly depths = new Map<string, number>();

  /** Tasks waiting or running for `key`. */
  depth(key: string): number {
    return this.depths.get(key) ?? 0;
  }

  run<T>(key: string, fn: () => Promise<T>): Promise<T> {
    const previous = this.tails.get(key) ?? Promise.resolve();
    this.depths.set(key, this.depth(key) + 1);
    const result = previous.then(fn, fn);
    const tail = result.then(
      () => undefined,
      () => undefined,
    );
    this.tails.set(key, tail);
    void tail.then(() => {
      const left = this.depth(key) - 1;
      if (left <= 0) {
        this.depths.delete(key);
        if (this.tails.get(key) === tail) this.tails.delete(key);
      } else {
        this.depths.set(key, left);
      }
    });
    return result;
  }
}

/**
 * Instances kept as live objects in this process. `load` returns the stored object itself (no copy),
 * which is safe because every request runs under `withLock`.
 */
export class MemoryInstanceStore implements InstanceStore {
  private readonly instances = new Map<string, ClusterState>();
  private readonly queue = new KeyedQueue();

  constructor(initial: Record<string, ClusterState> = {}) {
    for (const [id, state] of Object.entries(initial)) this.instances.set(id, state);
  }

  async load(id: string): Promise<ClusterState | undefined> {
    return this.instances.get(id);
  }

  async save(id: string, state: ClusterState): Promise<void> {
    this.instances.set(id, state);
  }

  async delete(id: string): Promise<void> {
    this.instances.delete(id);
  }

  ids(): string[] {
    return [...this.instances.keys()];
  }

  withLock<T>(id: string, fn: () => Promise<T>): Promise<T> {
    return this.queue.run(id, fn);
  }
}
