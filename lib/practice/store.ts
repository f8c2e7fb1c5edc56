/**
 * Learners' scenario instances as the practice API server sees them: the cluster part of a
 * ScenarioInstance row. A change made with real kubectl is saved into the same row the web
 * terminal uses (and the other way round); the row's revision stops two processes from
 * overwriting each other.
 */
import type { ClusterState } from "../k8s";
import { KeyedQueue, type InstanceStore } from "../practice-api";
import type { Db } from "../db/create";
import { parseInstance, serializeInstance } from "../scenarios/storage";
import type { InstanceState } from "../scenarios/instance";

export class InstanceConflictError extends Error {
  override name = "InstanceConflictError";
}

export class DatabaseInstanceStore implements InstanceStore {
  private readonly queue = new KeyedQueue();
  private readonly held = new Map<string, { instance: InstanceState; revision: number }>();

  constructor(private readonly database: Db) {}

  async exists(id: string): Promise<boolean> {
    return (await this.database.scenarioInstance.findUnique({ where: { id }, select: { id: true } })) !== null;
  }

  async load(id: string): Promise<ClusterState | undefined> {
    const row = await this.database.scenarioInstance.findUnique({ where: { id }, select: { state: true, revision: true } });
    if (!row) return undefined;
    const instance = parseInstance(row.state);
    this.held.set(id, { instance, revision: row.revision });
    return instance.cluster;
  }

  async save(id: string, state: ClusterState): Promise<void> {
    const held = this.held.get(id);
    if (!held) throw new Error(`instance ${id} was not loaded in this lock`);
    held.instance.cluster = state;
    const updated = await this.database.scenarioInstance.updateMany({
      where: { id, revision: held.revision },
      data: { state: serializeInstance(held.instance), revision: { increment: 1 } },
    });
    if (updated.count !== 1) throw new InstanceConflictError(`instance ${id} changed concurrently`);
    held.revision += 1;
  }

  withLock<T>(id: string, fn: () => Promise<T>): Promise<T> {
    return this.queue.run(id, async () => {
      try {
        return await fn();
      } finally {
        this.held.delete(id);
      }
    });
  }
}
