/**
 * Jobs on an instance's row without sending the row's stored text each time: practice API requests
 * and terminal commands, the two that come many times a minute.
 *
 * A worker keeps the instance it last read or produced (lib/isolation/worker.ts). When this process
 * knows that the row's current revision holds a text a worker was given or produced under a tag
 * (this process read that revision and sent it, or wrote it after the job that produced it), a job
 * carries only the tag; the worker answers `stale` when it does not hold that text (another lane,
 * evicted, replaced), and the job is sent again with the text. A tag names one text: each job that
 * may change the instance gets a fresh one for its result, and a tag is remembered only once the row
 * is known to hold its text (after a successful conditional write, or for the revision that was
 * read), so a worker's copy that was never stored (a write that lost a race) is never used.
 */
import { randomUUID } from "node:crypto";
import type { JobOf, JobResults, Stale, TaggedInstanceRef } from "./jobs";
import type { LearnerPool } from "./pool";
import { setRecent } from "../util/recent";

/** The instance's row as far as a job needs it: its revision, and its text when read. */
export interface RowText {
  revision: number;
  state: string;
}

/** The jobs that may carry only a tag. */
type TaggedKind = "api" | "command";

type TaggedResult<K extends TaggedKind> = Exclude<JobResults[K], Stale>;

/** A job's answer, the revision it ran on, and the tag of the text it may have produced. */
export interface TaggedRun<K extends TaggedKind> {
  result: TaggedResult<K>;
  revision: number;
  nextTag: string;
}

/** Instances whose hot text is remembered; the oldest are forgotten beyond this. */
const REMEMBERED = 10_000;

export class InstanceJobs {
  /** Instance id → the revision of its row and the tag of that revision's text. */
  private readonly known = new Map<string, { revision: number; tag: string }>();
  private readonly prefix = randomUUID();
  private counter = 0;

  constructor(private readonly pool: () => LearnerPool) {}

  /** Whether a tag is remembered for the instance (a caller may then read the row without its text). */
  knows(id: string): boolean {
    return this.known.has(id);
  }

  private newTag(): string {
    this.counter += 1;
    return `${this.prefix}:${this.counter}`;
  }

  private remember(id: string, revision: number, tag: string): void {
    setRecent(this.known, id, { revision, tag }, REMEMBERED);
  }

  /**
   * Runs a job (`job` builds it around the instance's ref and the tag for the text it may produce)
   * on the instance whose row is at `row.revision` (`row.state` when it was read with its text);
   * `load` reads the row with its text. Undefined when the row is gone. `revision` is the revision
   * the job ran on: a returned `state` (or `append`, to append to the row's text) must be written
   * only where the row is still at it, then reported with `stored` (or `storeFailed`).
   */
  async run<K extends TaggedKind>(
    id: string,
    row: { revision: number; state?: string },
    load: () => Promise<RowText | undefined>,
    job: (instance: TaggedInstanceRef, nextTag: string) => JobOf<K>,
  ): Promise<TaggedRun<K> | undefined> {
    /** The text itself, under a fresh tag, at the revision it was read at. */
    const withText = (text: RowText) => ({ revision: text.revision, ref: { id, state: text.state, tag: this.newTag() } });
    const known = this.known.get(id);
    let sent: { revision: number; ref: TaggedInstanceRef };
    if (row.state === undefined && known !== undefined && known.revision === row.revision)
      sent = { revision: row.revision, ref: { id, tag: known.tag } };
    else {
      const text = row.state !== undefined ? { revision: row.revision, state: row.state } : await load();
      if (text === undefined) return undefined;
      sent = withText(text);
    }
    const nextTag = this.newTag();
    // A job sent with a tag alone may be answered Stale (lib/isolation/worker.ts `openTagged`).
    const send = async (instance: TaggedInstanceRef) => (await this.pool().run<K>(id, job(instance, nextTag))) as TaggedResult<K> | Stale;
    let result = await send(sent.ref);
    if (isStale(result)) {
      const text = await load();
      if (text === undefined) return undefined;
      sent = withText(text);
      result = await send(sent.ref);
      if (isStale(result)) throw new Error(`instance ${id}: the worker was sent its text and still answered stale`);
    }
    const { revision, ref } = sent;
    const answered = result;
    // Nothing to store (no new text, no record to append): the row still holds the text the worker has under the ref's tag.
    if ("response" in answered && answered.state === undefined && answered.append === undefined) this.remember(id, revision, ref.tag);
    else if (!("refused" in answered)) this.known.delete(id);
    return { result: answered, revision, nextTag };
  }

  /** The job's `state` was written, moving the row from `revision` to `revision + 1`. */
  stored(id: string, revision: number, nextTag: string): void {
    this.remember(id, revision + 1, nextTag);
  }

  /** The write failed or its outcome is unknown: the next job sends the row's text. */
  storeFailed(id: string): void {
    this.known.delete(id);
  }
}

function isStale(result: unknown): result is Stale {
  return typeof result === "object" && result !== null && "stale" in result;
}
