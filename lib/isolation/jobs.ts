/**
 * What the web server asks the learner worker pool to do (lib/isolation/worker.ts does it). A job
 * that reads an instance carries its stored text, or (practice API requests and terminal commands,
 * lib/isolation/instance-jobs.ts) only a tag naming a text the worker holds: the worker keeps the
 * parsed instance of the text it last produced or read, so an instance that stays on one worker is
 * parsed once.
 */
import type { ApiRequest, ApiResponse, TraceStep } from "../k8s";
import type { PracticeRequestRecord } from "../practice-api/instance-store";
import type { WhyEntry } from "../scenarios/api-types";
import type { EditorRequest } from "../k8s/shell";
import type { CheckResult } from "../scenarios/checks";
import type { Endpoint } from "../scenarios/instance";
import type { Scenario } from "../scenarios/schema";

/** An instance as stored: its row id (the worker's cache key) and serialized state. */
export interface InstanceRef {
  id: string;
  state: string;
}

/**
 * Which scenario a job runs: one of content/scenarios by id, or (`definition`) one the web server
 * resolved itself, such as an exam task or a scenario cut to an exam's checks.
 */
export type ScenarioSource = { scenarioId: string; definition?: undefined } | { scenarioId?: undefined; definition: Scenario };

export type Job =
  | ({ kind: "create"; endpoint?: EndpointPlan } & ScenarioSource)
  | { kind: "view"; instance: InstanceRef }
  | ({ kind: "command"; instance: InstanceRef | TaggedInstanceRef; input: string; nextTag?: string } & ScenarioSource)
  | ({ kind: "check"; instance: InstanceRef } & ScenarioSource)
  | { kind: "complete"; instance: InstanceRef; line: string; cursor: number }
  | { kind: "write-file"; instance: InstanceRef; path: string; content: string }
  | { kind: "read-file"; instance: InstanceRef; path: string }
  /** `appendable`: the row may be updated by appending a read's record to its text (`append` in the result). */
  | { kind: "api"; instance: TaggedInstanceRef; request: ApiRequest; nextTag: string; appendable?: boolean };

/**
 * The instance of a practice API request or a terminal command (lib/isolation/instance-jobs.ts): its
 * stored text, or, when the web server knows that a worker was given or produced exactly the row's
 * current text, only that text's tag (the worker answers `stale` when it does not hold it, and the
 * text is sent then). `tag` names the text sent or meant; a job that changes the instance tags the
 * text it returns `nextTag`.
 */
export interface TaggedInstanceRef {
  id: string;
  state?: string;
  tag: string;
}

/**
 * Where a new instance is served: a fixed endpoint, or the practice listener by TLS server name with
 * a serving certificate the worker issues from the new cluster's CA (for `host`).
 */
export type EndpointPlan =
  { kind: "fixed"; endpoint: Endpoint } | { kind: "server-name"; serverUrl: string; serverName: string; host: string };

/** What a terminal needs to draw an instance. */
export interface InstanceView {
  prompt: string;
  transcript: string;
  history: string[];
  why: WhyEntry[];
}

export interface CommandOutcome {
  state: string;
  output: string;
  exitCode: number;
  clear: boolean;
  openEditor?: EditorRequest;
  why: WhyEntry[];
  prompt: string;
  checks: CheckResult[];
  /** Every check's answer before the command. */
  previousChecks: Record<string, boolean>;
}

/** The new state was over MAX_INSTANCE_BYTES: nothing is saved. */
export interface TooLarge {
  tooLarge: { bytes: number; limit: number };
}

export interface JobResults {
  create: { state: string; checks: CheckResult[] } | TooLarge;
  view: InstanceView;
  command: CommandOutcome | TooLarge;
  /** The checks evaluated without a command (after work with the learner's own kubectl). */
  check: { state: string; checks: CheckResult[]; previousChecks: Record<string, boolean> } | TooLarge;
  complete: { candidates: string[]; start: number };
  "write-file": { state: string } | { error: string } | TooLarge;
  "read-file": { content: string } | undefined;
  /**
   * `state` only when the request changed the instance or joined its request history, or instead, for
   * a read that only joined the history of an `appendable` row, `append`: what to append to the row's
   * text (lib/scenarios/storage.ts `appendRequestRecord`). `record` when it joined the history (not a
   * discovery read), for the instructor's activity log.
   */
  /** `refused`: the instance's API server is down (its node's static Pod is not serving). */
  /** `stale`: only a tag was sent, and this worker does not hold that text (send the text). */
  api:
    | { response: ApiResponse; trace: TraceStep[]; state?: string; append?: string; record?: PracticeRequestRecord }
    | TooLarge
    | { refused: true }
    | Stale;
}

export type JobOf<K extends Job["kind"]> = Extract<Job, { kind: K }>;

/** The worker's answer: a result, or an error it caught (the pool then replaces that worker). */
export type WorkerReply<K extends Job["kind"]> = { ok: true; result: JobResults[K] } | { ok: false; error: string };

/**
 * What a worker is sent: one job, or several practice API requests of different instances (the pool
 * batches them when they queue), and shared slots where the worker writes when each job started and
 * ended (ms since epoch; 0 until then): `times[2 * i]`, `times[2 * i + 1]`.
 */
export interface Envelope {
  jobs: Job[];
  times: Float64Array;
}

/**
 * The answer of a worker that was sent only a tag (TaggedInstanceRef) it does not hold: send the
 * text. Part of `api`'s results; a command is answered so only when it was sent a tag.
 */
export interface Stale {
  stale: true;
}

export function isTooLarge(value: unknown): value is TooLarge {
  return typeof value === "object" && value !== null && "tooLarge" in value;
}
