/**
 * Learners' instances as the practice API server sees them: the cluster part of a
 * ScenarioInstance row, or of an ExamTaskRun row (an exam task's own instance, reachable only
 * while its exam is open). A change made with real kubectl is saved into the same row the web
 * terminal uses (and the other way round); the row's revision stops two processes from
 * overwriting each other. Requests run in the learner worker pool (`handle`): the engine never
 * runs on the server's event loop, and a request that is stopped there changes nothing.
 */
import { z } from "zod";
import type { ApiRequest, ApiResponse, ClusterState } from "../k8s";
import { statusResponse } from "../k8s";
import type { InstanceStore } from "../practice-api";
import { KeyedQueue } from "../util/keyed-queue";
import type { Handled, InstanceServing, PracticeRequestRecord } from "../practice-api/instance-store";
import type { Db } from "../db/create";
import { isTooLarge } from "../isolation/jobs";
import { LearnerJobStopped, learnerPool, type LearnerPool } from "../isolation/pool";
import { InstanceJobs } from "../isolation/instance-jobs";
import { parseEndpoint } from "./storage";

/** The activity-log event kind of a request made with the learner's own kubectl (practice API). */
export const PRACTICE_EVENT_KIND = "own-kubectl";

/** An exam task's instance answers only while its exam is open. */
const OPEN_EXAM = () => ({ closedAt: null, deadline: { gt: new Date() } });

/** A scenario instance's row as read raw (integers may come back as text or bigint: coerced). */
const scenarioRowSchema = z.object({ revision: z.coerce.number().int(), attemptId: z.string(), state: z.string().optional() });

/** An instance's row as a request needs it; `state` when read with its text. */
interface InstanceRow {
  kind: "scenario" | "exam";
  revision: number;
  attemptId: string;
  state?: string;
}

export class InstanceConflictError extends Error {
  override name = "InstanceConflictError";
}

export class DatabaseInstanceStore implements InstanceStore {
  private readonly queue = new KeyedQueue();
  private readonly jobs: InstanceJobs;

  constructor(
    private readonly database: Db,
    pool: () => LearnerPool = learnerPool,
  ) {
    this.jobs = new InstanceJobs(pool);
  }

  /**
   * The instance's row: a scenario's, or an exam task's while its exam is open; with its text, or
   * without it (what a request needs when a worker already holds that text: InstanceJobs). A
   * scenario's is read with one raw statement, since every practice API request reads it (a model
   * query costs several times as much).
   */
  private async find(id: string): Promise<(InstanceRow & { state: string }) | undefined>;
  private async find(id: string, withText: false): Promise<InstanceRow | undefined>;
  private async find(id: string, withText = true): Promise<InstanceRow | undefined> {
    const [found] = withText
      ? await this.database.$queryRaw<unknown[]>`SELECT "revision", "attemptId", "state" FROM "ScenarioInstance" WHERE "id" = ${id}`
      : await this.database.$queryRaw<unknown[]>`SELECT "revision", "attemptId" FROM "ScenarioInstance" WHERE "id" = ${id}`;
    if (found !== undefined) return { kind: "scenario", ...scenarioRowSchema.parse(found) };
    const select = { revision: true, attemptId: true, state: withText } as const;
    const run = await this.database.examTaskRun.findFirst({ where: { id, attempt: OPEN_EXAM() }, select });
    return run ? { kind: "exam", ...run } : undefined;
  }

  /**
   * Writes a job's change where the row is still at the revision the job ran on: the new text, or a
   * read's record appended to a scenario's text (lib/scenarios/storage.ts). The rows written: 0 when
   * the row moved on (or, for an exam task, its exam closed).
   */
  private async write(
    id: string,
    kind: InstanceRow["kind"],
    revision: number,
    change: { state: string } | { append: string },
  ): Promise<number> {
    if ("append" in change)
      return this.database.$executeRaw`
        UPDATE "ScenarioInstance" SET "state" = "state" || ${change.append}, "revision" = "revision" + 1, "updatedAt" = ${new Date()}
        WHERE "id" = ${id} AND "revision" = ${revision}`;
    const where = { id, revision };
    const data = { state: change.state, revision: { increment: 1 } };
    if (kind === "scenario") return (await this.database.scenarioInstance.updateMany({ where, data })).count;
    // An exam task: only while the exam is open (the close evaluates the checks at a revision).
    return (
      await this.database.examTaskRun.updateMany({ where: { ...where, attempt: OPEN_EXAM() }, data: { ...data, lastActiveAt: new Date() } })
    ).count;
  }

  async handle(id: string, request: ApiRequest): Promise<Handled | undefined> {
    // The row's text is read only when no worker is known to hold it.
    const row = this.jobs.knows(id) ? await this.find(id, false) : await this.find(id);
    if (!row) return undefined;
    let ran;
    try {
      ran = await this.jobs.run<"api">(
        id,
        row,
        () => this.find(id),
        // An exam task's row is saved whole: its update also checks that the exam is open.
        (instance, nextTag) => ({ kind: "api", instance, request, nextTag, appendable: row.kind === "scenario" }),
      );
    } catch (error) {
      if (error instanceof LearnerJobStopped) return { response: stoppedResponse(error), trace: [] };
      throw error;
    }
    if (ran === undefined) return undefined;
    const { result, revision, nextTag } = ran;
    if ("refused" in result) return "refused";
    if (isTooLarge(result)) {
      const message = `Request entity too large: the scenario instance would be ${result.tooLarge.bytes} bytes, over its limit of ${result.tooLarge.limit}; it is unchanged`;
      return { response: failure(413, "RequestEntityTooLarge", message), trace: [] };
    }
    const change =
      result.append !== undefined ? { append: result.append } : result.state !== undefined ? { state: result.state } : undefined;
    if (change !== undefined) {
      let written;
      try {
        written = await this.write(id, row.kind, revision, change);
      } catch (error) {
        this.jobs.storeFailed(id);
        throw error;
      }
      if (written !== 1) {
        this.jobs.storeFailed(id);
        throw new InstanceConflictError(`instance ${id} changed concurrently`);
      }
      this.jobs.stored(id, revision, nextTag);
    }
    if (result.record !== undefined && row.kind === "scenario") await this.logActivity(row.attemptId, result.record);
    return { response: result.response, trace: result.trace };
  }

  async exists(id: string): Promise<boolean> {
    const found = await this.database.$queryRaw<unknown[]>`SELECT 1 AS "found" FROM "ScenarioInstance" WHERE "id" = ${id}`;
    if (found.length > 0) return true;
    return (await this.database.examTaskRun.findFirst({ where: { id, attempt: OPEN_EXAM() }, select: { id: true } })) !== null;
  }

  /** Requests run through `handle` (in the learner pool); the engine's state is never parsed here. */
  async load(): Promise<ClusterState | undefined> {
    throw new Error("DatabaseInstanceStore answers requests through handle()");
  }

  /** The instance's own serving certificate (issued at creation by its cluster CA). */
  async servingIdentity(id: string): Promise<InstanceServing | undefined> {
    const row = await this.find(id);
    if (!row) return undefined;
    const { endpoint, apiServerDown } = parseEndpoint(row.state);
    if (endpoint.servingKeyPem === undefined) return undefined;
    return { certPem: endpoint.servingCertPem, keyPem: endpoint.servingKeyPem, ...(apiServerDown === true ? { refused: true } : {}) };
  }

  async save(): Promise<void> {
    throw new Error("DatabaseInstanceStore answers requests through handle()");
  }

  /** The instructor's activity log: the request, marked as coming from the learner's own kubectl. */
  private async logActivity(attemptId: string, request: PracticeRequestRecord): Promise<void> {
    const detail = `${request.method} ${request.url} → ${request.status}${request.user === undefined ? "" : ` (as ${request.user})`}`;
    await this.database.scenarioEvent.create({ data: { attemptId, kind: PRACTICE_EVENT_KIND, detail: detail.slice(0, 2000) } });
  }

  withLock<T>(id: string, fn: () => Promise<T>): Promise<T> {
    return this.queue.run(id, fn);
  }
}

function failure(code: number, reason: string, message: string, headers: Record<string, string> = {}): ApiResponse {
  return statusResponse({ kind: "Status", apiVersion: "v1", metadata: {}, status: "Failure", message, reason, code }, headers);
}

/**
 * A request the pool stopped. Over the deadline: kube-apiserver's own timeout answer (its
 * WithTimeoutForNonLongRunningRequests filter: 504, reason Timeout). Pool full: 429 with Retry-After,
 * as --max-requests-inflight. Out of memory or crashed: a 500 InternalError saying so.
 */
function stoppedResponse(error: LearnerJobStopped): ApiResponse {
  if (error.reason === "deadline") return failure(504, "Timeout", "Timeout: request did not complete within the allotted timeout");
  if (error.reason === "busy") return failure(429, "TooManyRequests", "Too many requests, please try again later.", { "Retry-After": "1" });
  return failure(500, "InternalError", `Internal error occurred: ${error.message.replace("this command", "the request")}`);
}
