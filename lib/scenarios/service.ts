import "server-only";
import { z } from "zod";
import { db, type Db } from "../db/client";
import { DomainError } from "../http/errors";
import { limiters, limitTerminalCommand } from "../auth/rate-limit";
import { isRecordNotFound, isUniqueViolation } from "../db/errors";
import { writeBatchWithSummaries, writeWithSummaries, type SummaryChange, type Tx } from "../summaries/student-summary";
import type { Prisma } from "../db/generated/sqlite/client";
import type { CommandResponse, HintView, ScenarioProgressView, TerminalSnapshot } from "./api-types";
import { runnableScenario } from "../review/drills";
import { drillItem, itemKey } from "../review/items";
import { enterReview } from "../review/cards";
import { nextScenarioFor } from "./next";
import { decideHint, hintCountsByStep, hintEventId, revealedHints, type HintRequest } from "./hints";
import { progressView, readsTerminal, scoreOf, type CheckResult } from "./checks";
import { KeyedQueue } from "../util/keyed-queue";
import { bool, int, timestamp } from "../db/raw";
import type { Scenario } from "./schema";
import { endpointFor, newInstanceId } from "./endpoint";
import { isTooLarge, type InstanceRef, type Job, type JobResults, type TooLarge } from "../isolation/jobs";
import { LearnerJobStopped, learnerPool } from "../isolation/pool";
import { InstanceJobs, type RowText, type TaggedRun } from "../isolation/instance-jobs";

/** Commands of one learner on one instance run one after another (per process); revisions catch other processes. */
const queue = new KeyedQueue();

function serialized<T>(key: string, run: () => Promise<T>): Promise<T> {
  return queue.run(key, run);
}

/**
 * Learner-driven work on an instance runs in the worker pool (lib/isolation), keyed by the instance
 * id so that it finds the instance still parsed. The stored text goes along; a stopped job throws
 * LearnerJobStopped and nothing is saved.
 */
function inPool<K extends Job["kind"]>(key: string, job: Extract<Job, { kind: K }>): Promise<JobResults[K]> {
  return learnerPool().run<K>(key, job);
}

function ref(row: Loaded["row"]): InstanceRef {
  return { id: row.id, state: row.state };
}

/**
 * Terminal commands carry the instance's text only when no worker is known to hold the row's
 * current text (lib/isolation/instance-jobs.ts): the row is read without it, and the worker that
 * ran the last command runs the next on the instance it kept.
 */
const commandJobs = new InstanceJobs(learnerPool);

/** The row's text and revision (a command's instance when no worker holds it). */
async function rowText(id: string): Promise<RowText | undefined> {
  return (await db().scenarioInstance.findUnique({ where: { id }, select: { state: true, revision: true } })) ?? undefined;
}

function tooLargeMessage({ tooLarge }: TooLarge, what: string): string {
  const mib = (bytes: number) => `${(bytes / 1024 / 1024).toFixed(1)} MiB`;
  return `${what} would make this scenario's saved state ${mib(tooLarge.bytes)}, over the limit of ${mib(tooLarge.limit)}, so it was not kept; your scenario is unchanged`;
}

async function createdState(scenarioId: string, instanceId: string): Promise<{ state: string; checks: CheckResult[] }> {
  const endpoint = endpointFor(instanceId);
  const created = await inPool(instanceId, { kind: "create", scenarioId, ...(endpoint ? { endpoint } : {}) });
  if (isTooLarge(created))
    throw new Error(`scenario ${scenarioId}: a new instance is over the size limit (${created.tooLarge.bytes} bytes)`);
  return created;
}

function definition(scenarioId: string): Scenario {
  const scenario = runnableScenario(scenarioId);
  if (!scenario) throw new DomainError(404, "No such scenario.");
  return scenario;
}

/** `state`: the stored text; only worker threads parse it. */
type InstanceRow = { id: string; attemptId: string; revision: number; whyEnabled: boolean; state: string };

type Loaded<Row = InstanceRow> = {
  userId: string;
  scenario: Scenario;
  row: Row;
  attempt: { id: string; status: "IN_PROGRESS" | "PASSED" | "GAVE_UP"; lastActiveAt: Date; startedAt: Date; isFirst: boolean };
};

/** A row read without its text, unless the instance was created just now. */
type RowMaybeText = Omit<InstanceRow, "state"> & { state?: string };

const attemptSelect = { id: true, status: true, lastActiveAt: true, startedAt: true, isFirst: true } as const;

async function startAttempt(database: Tx, userId: string, scenarioId: string) {
  const previous = await database.scenarioAttempt.count({ where: { userId, scenarioId } });
  return database.scenarioAttempt.create({ data: { userId, scenarioId, number: previous + 1, isFirst: previous === 0 } });
}

const rowWithAttemptSchema = z.object({
  id: z.string(),
  attemptId: z.string(),
  revision: int,
  whyEnabled: bool,
  status: z.enum(["IN_PROGRESS", "PASSED", "GAVE_UP"]),
  lastActiveAt: timestamp.pipe(z.date()),
  startedAt: timestamp.pipe(z.date()),
  isFirst: bool,
});

/**
 * The learner's instance row without its text, and its attempt, in one statement: what every
 * terminal command reads first (two model queries cost it about twice as much).
 */
async function rowWithAttempt(
  database: Db,
  userId: string,
  scenarioId: string,
): Promise<Pick<Loaded<RowMaybeText>, "row" | "attempt"> | undefined> {
  const rows = await database.$queryRaw<unknown[]>`
    SELECT i."id" AS "id", i."attemptId" AS "attemptId", i."revision" AS "revision", i."whyEnabled" AS "whyEnabled",
      a."status" AS "status", a."lastActiveAt" AS "lastActiveAt", a."startedAt" AS "startedAt", a."isFirst" AS "isFirst"
    FROM "ScenarioInstance" i LEFT JOIN "ScenarioAttempt" a ON a."id" = i."attemptId"
    WHERE i."userId" = ${userId} AND i."scenarioId" = ${scenarioId}`;
  const [found] = rows as Record<string, unknown>[];
  if (found === undefined) return undefined;
  // An instance whose attempt is gone (never, short of a bug): an error, not a new instance.
  if (found.status === null) throw new Error(`scenario instance ${String(found.id)} has no attempt ${String(found.attemptId)}`);
  const { id, attemptId, revision, whyEnabled, ...attempt } = rowWithAttemptSchema.parse(found);
  return { row: { id, attemptId, revision, whyEnabled }, attempt: { id: attemptId, ...attempt } };
}

function load(userId: string, scenarioId: string): Promise<Loaded>;
function load(userId: string, scenarioId: string, withText: false): Promise<Loaded<RowMaybeText>>;
async function load(userId: string, scenarioId: string, withText = true): Promise<Loaded<RowMaybeText>> {
  const scenario = definition(scenarioId);
  const database = db();
  const where = { userId_scenarioId: { userId, scenarioId } };
  if (!withText) {
    const found = await rowWithAttempt(database, userId, scenarioId);
    if (found) return { userId, scenario, ...found };
  } else {
    const existing = await database.scenarioInstance.findUnique({ where });
    if (existing) {
      const attempt = await database.scenarioAttempt.findUniqueOrThrow({ where: { id: existing.attemptId }, select: attemptSelect });
      return { userId, scenario, row: existing, attempt };
    }
  }
  // A review drill is opened only by a learner with a card for its check (lib/review).
  const drill = drillItem(scenarioId);
  if (
    drill &&
    !(await database.reviewCard.findUnique({ where: { userId_itemKey: { userId, itemKey: itemKey(drill) } }, select: { id: true } }))
  )
    throw new DomainError(404, "No such scenario.");
  const id = newInstanceId();
  const created = await createdState(scenarioId, id);
  try {
    return await writeWithSummaries(database, userId, async (tx) => {
      const attempt = await startAttempt(tx, userId, scenarioId);
      const row = await tx.scenarioInstance.create({
        data: { id, userId, scenarioId, attemptId: attempt.id, state: created.state },
      });
      await storeChecks(tx, scenario, attempt.id, created.checks);
      return { userId, scenario, row, attempt };
    });
  } catch (error) {
    // Two first requests raced (two tabs): the transaction left nothing; keep the other one's instance.
    if (!isUniqueViolation(error)) throw error;
    return withText ? load(userId, scenarioId) : load(userId, scenarioId, false);
  }
}

async function storeChecks(database: Tx, scenario: Scenario, attemptId: string, results: CheckResult[]): Promise<void> {
  for (const statement of checkStatements(database, scenario, attemptId, results)) await statement;
}

/** The upserts that store check results (Prisma's promises run when awaited or batched). */
function checkStatements(client: Tx | Db, scenario: Scenario, attemptId: string, results: CheckResult[]): Prisma.PrismaPromise<unknown>[] {
  return results.map((result) =>
    client.scenarioCheckResult.upsert({
      where: { attemptId_checkId: { attemptId, checkId: result.id } },
      create: { attemptId, scenarioId: scenario.id, checkId: result.id, passed: result.passed },
      update: { passed: result.passed },
      select: { id: true },
    }),
  );
}

async function storedProgress(database: Db, scenario: Scenario, attempt: Loaded["attempt"]): Promise<ScenarioProgressView> {
  const rows = await database.scenarioCheckResult.findMany({ where: { attemptId: attempt.id }, select: { checkId: true, passed: true } });
  const passed = new Map(rows.map((row) => [row.checkId, row.passed]));
  const results = scenario.checks.map((check) => ({
    id: check.id,
    description: check.description,
    weight: check.weight,
    passed: passed.get(check.id) ?? false,
    readsTerminal: readsTerminal(check),
  }));
  return progressView(results, statusView(attempt.status));
}

function statusView(status: Loaded["attempt"]["status"]): ScenarioProgressView["status"] {
  return status === "PASSED" ? "passed" : status === "GAVE_UP" ? "gave-up" : "in-progress";
}

async function hintCounts(database: Db, scenario: Scenario, attemptId: string): Promise<number[]> {
  const events = await database.scenarioEvent.findMany({ where: { attemptId, kind: "hint" }, select: { hintStep: true } });
  return hintCountsByStep(scenario, events);
}

async function snapshot(loaded: Loaded): Promise<TerminalSnapshot> {
  const database = db();
  const { scenario, row, attempt } = loaded;
  const done = attempt.status !== "IN_PROGRESS";
  const view = await inPool(row.id, { kind: "view", instance: ref(row) });
  return {
    scenarioId: scenario.id,
    prompt: view.prompt,
    transcript: view.transcript,
    history: view.history,
    why: row.whyEnabled ? view.why : [],
    whyEnabled: row.whyEnabled,
    hintsRevealed: revealedHints(scenario, await hintCounts(database, scenario, attempt.id)),
    progress: await storedProgress(database, scenario, attempt),
    ...(done ? { solution: scenario.solution } : {}),
    ...(await nextOf(database, loaded)),
  };
}

export function getSession(userId: string, scenarioId: string): Promise<TerminalSnapshot> {
  return serialized(`${userId}:${scenarioId}`, async () => snapshot(await load(userId, scenarioId)));
}

const MAX_EVENT_DETAIL = 2000;

const CHANGED_ELSEWHERE = "This scenario was changed from another window. Reload the page to continue.";

/** The prompt to show after a command that was not applied (the instance's own, when it can be read). */
async function promptOf(row: RowMaybeText): Promise<string> {
  try {
    const state = row.state ?? (await rowText(row.id))?.state;
    if (state === undefined) return "$ ";
    return (await inPool(row.id, { kind: "view", instance: { id: row.id, state } })).prompt;
  } catch {
    return "$ ";
  }
}

/** The answer to an input that was stopped or refused: the message in the terminal, nothing saved. */
async function notApplied(database: Db, loaded: Loaded<RowMaybeText>, message: string, exitCode: number): Promise<CommandResponse> {
  return {
    output: `kubeprep: ${message}\n`,
    exitCode,
    prompt: await promptOf(loaded.row),
    why: [],
    progress: await storedProgress(database, loaded.scenario, loaded.attempt),
  };
}
/**
 * The answer to a request id this attempt has already run (the browser retried): the first run's
 * exit code and nothing else; the second run was not kept.
 */
async function replayed(database: Db, loaded: Loaded<RowMaybeText>, requestId: string): Promise<CommandResponse> {
  const first = await database.scenarioEvent.findUnique({
    where: { attemptId_requestId: { attemptId: loaded.attempt.id, requestId } },
    select: { exitCode: true },
  });
  return {
    output: "",
    exitCode: first?.exitCode ?? 0,
    prompt: await promptOf(loaded.row),
    why: [],
    progress: await storedProgress(database, loaded.scenario, loaded.attempt),
  };
}

/** The checks whose answer differs from the one before. */
function changedSince(previous: Record<string, boolean>, checks: CheckResult[]): CheckResult[] {
  return checks.filter((check) => previous[check.id] !== check.passed);
}

/** Counting time: a gap longer than this between commands is a pause, not work. */
const MAX_ACTIVE_GAP_SECONDS = 120;

export async function runCommand(userId: string, scenarioId: string, input: string, requestId: string): Promise<CommandResponse> {
  // Over the limit: a RateLimitedError, answered 429 with Retry-After.
  await limitTerminalCommand(await limiters(), userId);
  return serialized(`${userId}:${scenarioId}`, async () => {
    const database = db();
    const loaded = await load(userId, scenarioId, false);
    const { scenario, row, attempt } = loaded;
    let ran: TaggedRun<"command"> | undefined;
    try {
      ran = await commandJobs.run<"command">(
        row.id,
        row,
        () => rowText(row.id),
        (instance, nextTag) => ({ kind: "command", instance, scenarioId, input, nextTag }),
      );
    } catch (error) {
      if (!(error instanceof LearnerJobStopped)) throw error;
      // timeout(1)'s status for a deadline, a SIGKILL's for memory.
      return notApplied(database, loaded, error.message, error.reason === "deadline" ? 124 : error.reason === "memory" ? 137 : 1);
    }
    // The row is gone (deleted meanwhile).
    if (ran === undefined) throw new DomainError(409, CHANGED_ELSEWHERE);
    const { result, revision, nextTag } = ran;
    if (isTooLarge(result)) return notApplied(database, loaded, tooLargeMessage(result, "this command"), 1);
    const { checks } = result;
    const changedChecks = changedSince(result.previousChecks, checks);
    const allPassed = checks.every((check) => check.passed);
    const now = new Date();
    const gap = Math.min(MAX_ACTIVE_GAP_SECONDS, Math.max(0, Math.round((now.getTime() - attempt.lastActiveAt.getTime()) / 1000)));
    const newStatus = attempt.status === "IN_PROGRESS" && allPassed ? "PASSED" : attempt.status;
    // Most commands change only the attempt's time and last activity in the report summaries; a
    // review drill's are in none (reports leave drills out).
    const summaryChange: SummaryChange =
      attempt.status !== "IN_PROGRESS" || drillItem(scenarioId)
        ? "none"
        : newStatus !== attempt.status || (attempt.isFirst && changedChecks.length > 0)
          ? "recompute"
          : { scenarioActivity: { startedAt: attempt.startedAt, seconds: gap, at: now } };

    // One write transaction with the learner's report summaries. The command's event comes first:
    // its (attempt, request id) is unique, so a retried request fails there and nothing of this run
    // is kept (in a batch the learner's lock comes right after it: writeBatchWithSummaries); the
    // instance is written only at the revision it was read at (an update that finds no row at that
    // revision fails, and the transaction with it). None of these statements reads first, so unless
    // the summaries are recomputed they go to the database as one batch.
    const writes = (client: Tx | Db): [Prisma.PrismaPromise<unknown>, ...Prisma.PrismaPromise<unknown>[]] => [
      client.scenarioEvent.create({
        data: { attemptId: attempt.id, kind: "command", detail: input.slice(0, MAX_EVENT_DETAIL), exitCode: result.exitCode, requestId },
        select: { id: true },
      }),
      client.scenarioInstance.update({
        where: { id: row.id, revision },
        data: { state: result.state, revision: { increment: 1 } },
        select: { id: true },
      }),
      ...(attempt.status !== "IN_PROGRESS"
        ? []
        : [
            client.scenarioAttempt.update({
              where: { id: attempt.id },
              data: {
                commandCount: { increment: 1 },
                timeSpentSeconds: { increment: gap },
                lastActiveAt: now,
                score: scoreOf(checks),
                ...(newStatus === "PASSED" ? { status: "PASSED", completedAt: now } : {}),
              },
              select: { id: true },
            }),
            ...(newStatus === "PASSED"
              ? [
                  client.scenarioEvent.create({
                    data: { attemptId: attempt.id, kind: "passed", detail: "all checks passed" },
                    select: { id: true },
                  }),
                ]
              : []),
            ...checkStatements(client, scenario, attempt.id, changedChecks),
          ]),
    ];
    try {
      if (summaryChange === "recompute")
        await writeWithSummaries(
          database,
          userId,
          async (tx) => {
            for (const statement of writes(tx)) await statement;
          },
          summaryChange,
        );
      else await writeBatchWithSummaries(database, userId, writes(database), summaryChange);
    } catch (error) {
      commandJobs.storeFailed(row.id);
      if (isUniqueViolation(error)) return replayed(database, loaded, requestId);
      if (isRecordNotFound(error)) throw new DomainError(409, CHANGED_ELSEWHERE);
      throw error;
    }
    commandJobs.stored(row.id, revision, nextTag);

    return {
      output: result.output,
      exitCode: result.exitCode,
      ...(result.clear ? { clear: true } : {}),
      ...(result.openEditor ? { openEditor: result.openEditor } : {}),
      prompt: result.prompt,
      why: row.whyEnabled ? result.why : [],
      progress:
        attempt.status === "IN_PROGRESS" ? progressView(checks, statusView(newStatus)) : await storedProgress(database, scenario, attempt),
    };
  });
}

/**
 * Grades the instance as it is now, without a command: after work done with the learner's own
 * kubectl through the practice API (the page asks when it regains focus, and from "Check my
 * cluster"). Stores what changed and completes the attempt when every check passes.
 */
export async function checkNow(userId: string, scenarioId: string): Promise<ScenarioProgressView> {
  // Over the limit: a RateLimitedError, answered 429 with Retry-After.
  await limitTerminalCommand(await limiters(), userId);
  return serialized(`${userId}:${scenarioId}`, async () => {
    const database = db();
    const loaded = await load(userId, scenarioId);
    const { scenario, row, attempt } = loaded;
    if (attempt.status !== "IN_PROGRESS") return storedProgress(database, scenario, attempt);
    // A stopped job is a LearnerJobStopped: 503 when the pool is full, else 422.
    const result = await inPool(row.id, { kind: "check", instance: ref(row), scenarioId });
    if (isTooLarge(result)) throw new DomainError(413, tooLargeMessage(result, "checking"));
    const { checks } = result;
    const changedChecks = changedSince(result.previousChecks, checks);
    const passed = checks.every((check) => check.passed);
    const now = new Date();
    await writeWithSummaries(database, userId, async (tx) => {
      // The probe cache and last answers live in the instance: save them with the revision check.
      const updated = await tx.scenarioInstance.updateMany({
        where: { id: row.id, revision: row.revision },
        data: { state: result.state, revision: { increment: 1 } },
      });
      if (updated.count !== 1) throw new DomainError(409, CHANGED_ELSEWHERE);
      await tx.scenarioAttempt.update({
        where: { id: attempt.id },
        data: { score: scoreOf(checks), ...(passed ? { status: "PASSED", completedAt: now } : {}) },
      });
      if (passed) await tx.scenarioEvent.create({ data: { attemptId: attempt.id, kind: "passed", detail: "all checks passed" } });
      if (changedChecks.length > 0) await storeChecks(tx, scenario, attempt.id, changedChecks);
    });
    return progressView(checks, passed ? "passed" : "in-progress");
  });
}

export function complete(userId: string, scenarioId: string, line: string, cursor: number) {
  return serialized(`${userId}:${scenarioId}`, async () => {
    const { row } = await load(userId, scenarioId);
    try {
      return await inPool(row.id, { kind: "complete", instance: ref(row), line, cursor });
    } catch (error) {
      if (error instanceof LearnerJobStopped) return { candidates: [], start: cursor };
      throw error;
    }
  });
}

/** For "Next scenario" once passed: the next one in course order this learner has not passed. */
async function nextOf(database: Db, loaded: Loaded): Promise<{ next?: { id: string; title: string } }> {
  if (loaded.attempt.status !== "PASSED" || drillItem(loaded.scenario.id)) return {};
  const next = await nextScenarioFor(database, loaded.userId, loaded.scenario.id);
  return next ? { next } : {};
}

/**
 * Reveals hint `hint` of step `step` (both 0-based) and records it for that step. Hints of one
 * step come in order; asking again for one already shown returns it without counting it twice.
 */
export function revealHint(userId: string, scenarioId: string, request: HintRequest): Promise<HintView> {
  return serialized(`${userId}:${scenarioId}`, async () => {
    const database = db();
    const { scenario, attempt } = await load(userId, scenarioId);
    const decision = decideHint(scenario, await hintCounts(database, scenario, attempt.id), request);
    if (decision.kind === "refuse") throw new DomainError(decision.status, decision.message);
    const view = { step: request.step, index: request.hint, hint: decision.text };
    if (decision.kind === "again") return view;
    try {
      await writeWithSummaries(database, userId, async (tx) => {
        await tx.scenarioEvent.create({
          data: {
            attemptId: attempt.id,
            kind: "hint",
            hintStep: request.step,
            requestId: hintEventId(request),
            detail: `step ${request.step + 1}, hint ${request.hint + 1}`,
          },
        });
        await tx.scenarioAttempt.update({ where: { id: attempt.id }, data: { hintsUsed: { increment: 1 } } });
      });
    } catch (error) {
      // Another process recorded the same hint a moment ago: it is shown, and counted once.
      if (!isUniqueViolation(error)) throw error;
    }
    return view;
  });
}

export function resetScenario(userId: string, scenarioId: string): Promise<TerminalSnapshot> {
  return serialized(`${userId}:${scenarioId}`, async () => {
    const database = db();
    const loaded = await load(userId, scenarioId);
    const created = await createdState(scenarioId, loaded.row.id);
    const { row, attempt } = await writeWithSummaries(database, userId, async (tx) => {
      const attempt = await startAttempt(tx, userId, scenarioId);
      if (loaded.attempt.status === "IN_PROGRESS") {
        await tx.scenarioAttempt.update({ where: { id: loaded.attempt.id }, data: { completedAt: new Date() } });
      }
      const row = await tx.scenarioInstance.update({
        where: { id: loaded.row.id },
        data: { attemptId: attempt.id, state: created.state, revision: { increment: 1 } },
      });
      await storeChecks(tx, loaded.scenario, attempt.id, created.checks);
      return { row, attempt };
    });
    return snapshot({ ...loaded, row, attempt });
  });
}

/**
 * The checks an attempt ended without (given up) go into the learner's spaced review, in the
 * attempt's own transaction. A drill's check is already a card: its result is the card's review.
 */
async function enterFailedChecks(tx: Tx, userId: string, scenario: Scenario, attemptId: string): Promise<void> {
  if (drillItem(scenario.id)) return;
  const passed = await tx.scenarioCheckResult.findMany({ where: { attemptId, passed: true }, select: { checkId: true } });
  const passedIds = new Set(passed.map((row) => row.checkId));
  const failed = scenario.checks.filter((check) => !passedIds.has(check.id));
  await enterReview(
    tx,
    userId,
    failed.map((check) => ({ kind: "check", source: "scenario", sourceId: scenario.id, checkId: check.id })),
    "scenario",
  );
}

export function giveUp(userId: string, scenarioId: string): Promise<TerminalSnapshot> {
  return serialized(`${userId}:${scenarioId}`, async () => {
    const database = db();
    const loaded = await load(userId, scenarioId);
    if (loaded.attempt.status === "IN_PROGRESS") {
      const attempt = await writeWithSummaries(database, userId, async (tx) => {
        const ended = await tx.scenarioAttempt.update({
          where: { id: loaded.attempt.id },
          data: { status: "GAVE_UP", completedAt: new Date() },
          select: attemptSelect,
        });
        await tx.scenarioEvent.create({ data: { attemptId: ended.id, kind: "give-up", detail: "showed the solution" } });
        await enterFailedChecks(tx, userId, loaded.scenario, ended.id);
        return ended;
      });
      return snapshot({ ...loaded, attempt });
    }
    return snapshot(loaded);
  });
}

export function saveFile(userId: string, scenarioId: string, path: string, content: string): Promise<void> {
  return serialized(`${userId}:${scenarioId}`, async () => {
    const { row } = await load(userId, scenarioId);
    const written = await inPool(row.id, { kind: "write-file", instance: ref(row), path, content });
    if (isTooLarge(written)) throw new DomainError(413, tooLargeMessage(written, `Saving ${path}`));
    if ("error" in written) throw new DomainError(422, `${path}: ${written.error}`);
    const updated = await db().scenarioInstance.updateMany({
      where: { id: row.id, revision: row.revision },
      data: { state: written.state, revision: { increment: 1 } },
    });
    if (updated.count !== 1) throw new DomainError(409, CHANGED_ELSEWHERE);
  });
}

export async function setWhyEnabled(userId: string, scenarioId: string, whyEnabled: boolean): Promise<boolean> {
  await load(userId, scenarioId);
  const row = await db().scenarioInstance.update({ where: { userId_scenarioId: { userId, scenarioId } }, data: { whyEnabled } });
  return row.whyEnabled;
}

/** The learner's kubeconfig as it is now in their terminal (server URL, CA, credentials). */
export function kubeconfigOf(userId: string, scenarioId: string): Promise<string> {
  return serialized(`${userId}:${scenarioId}`, async () => {
    const { row } = await load(userId, scenarioId);
    const file = await inPool(row.id, { kind: "read-file", instance: ref(row), path: "~/.kube/config" });
    if (file === undefined) throw new DomainError(404, "This scenario's terminal has no kubeconfig at ~/.kube/config.");
    return file.content;
  });
}
