/**
 * Where practice cluster instances live. The server only needs three operations, so an in-memory map
 * (tests, the fixture, a single-process install) and a database-backed store (learners' scenario
 * instances across app instances) are interchangeable.
 */
import type { ApiRequest, ApiResponse, ClusterState, TraceStep } from "../k8s";
import { createInstanceServing } from "./serving";
import { KeyedQueue } from "../util/keyed-queue";
import { apiServerServing } from "../k8s/node";

/** An instance's own serving certificate and key (PEM). */
export interface InstanceServing {
  certPem: string;
  keyPem: string;
  /** The instance's API server is down (a kubeadm node whose kube-apiserver Pod is not serving): handshakes are refused. */
  refused?: boolean;
}

/** What answering a request gave: the response, or "refused" when the instance's API server is down. */
export type Handled = { response: ApiResponse; trace: TraceStep[] } | "refused";

/** The authenticators' error messages of a request, joined (bounded), or undefined when none failed. */
export function authErrorOf(trace: readonly TraceStep[]): string | undefined {
  const errors = trace.filter((step) => step.outcome === "error").map((step) => step.message);
  return errors.length === 0 ? undefined : errors.join("; ").slice(0, 500);
}

/** What one practice API request did, for the instance's history ("saw a 401") and activity log. */
export interface PracticeRequestRecord {
  method: string;
  /** The API path and query as the engine saw it: never the `/i/<id>` prefix. */
  url: string;
  status: number;
  /** The authenticated user's name (for the activity log). */
  user?: string;
  /** Why authentication failed, from the trace (e.g. "service account token has expired"). */
  authError?: string;
}

/** The record of one answered request (the user from the trace, why authentication failed). */
export function practiceRequestRecord(
  request: Pick<ApiRequest, "method" | "url">,
  handled: { response: ApiResponse; trace: readonly TraceStep[] },
): PracticeRequestRecord {
  const user = [...handled.trace].reverse().find((step) => step.user !== undefined)?.user?.name;
  const authError = authErrorOf(handled.trace);
  return {
    method: request.method,
    url: request.url,
    status: handled.response.status,
    ...(user === undefined ? {} : { user }),
    ...(authError === undefined ? {} : { authError }),
  };
}

export interface InstanceStore {
  /** Whether the instance exists: a cheap check made before a request body is read. */
  exists(id: string): Promise<boolean>;
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
   * The serving certificate of an instance, presented when a handshake names it by TLS server name;
   * undefined when the instance does not exist (the listener's default certificate is used then).
   * Called outside withLock.
   */
  servingIdentity(id: string): Promise<InstanceServing | undefined>;
  /** Records a finished request of the instance (inside withLock, after save). Optional. */
  record?(id: string, request: PracticeRequestRecord): Promise<void>;
  /**
   * Optional: answers one request against the instance in the store's own isolation (learners'
   * instances: the worker pool, lib/isolation), loading, saving and recording as needed; undefined
   * when there is no such instance. Called under withLock. Without it the server loads, runs the
   * engine, saves and records.
   */
  handle?(id: string, request: ApiRequest): Promise<Handled | undefined>;
}

/**
 * Instances kept as live objects in this process. `load` returns the stored object itself (no copy),
 * which is safe because every request runs under `withLock`.
 */
export class MemoryInstanceStore implements InstanceStore {
  private readonly instances = new Map<string, ClusterState>();
  private readonly queue = new KeyedQueue();
  private readonly serving = new Map<string, { caCertPem: string; identity: Promise<InstanceServing> }>();
  /** Requests recorded per instance (tests read them). */
  readonly recorded = new Map<string, PracticeRequestRecord[]>();

  constructor(initial: Record<string, ClusterState> = {}) {
    for (const [id, state] of Object.entries(initial)) this.instances.set(id, state);
  }

  async exists(id: string): Promise<boolean> {
    return this.instances.has(id);
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

  /** Issued on first use from the instance's cluster CA, and again after the CA changed. */
  async servingIdentity(id: string): Promise<InstanceServing | undefined> {
    const state = this.instances.get(id);
    if (state === undefined) return undefined;
    const ca = state.config.clusterSigner;
    const known = this.serving.get(id);
    if (known !== undefined && known.caCertPem === ca.certPem)
      return apiServerServing(state) ? known.identity : { ...known.identity, refused: true };
    const identity = createInstanceServing({ ca });
    this.serving.set(id, { caCertPem: ca.certPem, identity });
    return apiServerServing(state) ? identity : { ...identity, refused: true };
  }

  async record(id: string, request: PracticeRequestRecord): Promise<void> {
    const list = this.recorded.get(id) ?? [];
    list.push(request);
    if (list.length > 1000) list.shift();
    this.recorded.set(id, list);
  }

  ids(): string[] {
    return [...this.instances.keys()];
  }

  withLock<T>(id: string, fn: () => Promise<T>): Promise<T> {
    return this.queue.run(id, fn);
  }
}
