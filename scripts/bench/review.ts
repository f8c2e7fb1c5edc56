/**
 * Spaced-review due-queue benchmark: `npm run bench:review`.
 *
 * Seeds a scratch SQLite database (and a scratch PostgreSQL database when TEST_DATABASE_URL is set,
 * created and dropped here) with one learner holding 5,000 review cards and 10,000 learners with
 * 30 cards each (due dates spread over ±30 days), then measures the due queue as the Review page
 * computes it (`dueQueueFor`: the real query on the (userId, due) index plus lib/review/queue.ts):
 *   - for the learner with 5,000 cards, p50/p95 over BENCH_RUNS runs (goal: under 20 ms),
 *   - for each of the 10,000 learners once, p50/p95, and the header's due count likewise.
 * Env: BENCH_LEARNERS (default 10000), BENCH_CARDS (default 5000), BENCH_RUNS (default 200).
 */
import os from "node:os";
import { PrismaClient as SqliteClient } from "../../lib/db/generated/sqlite/client";
import { PrismaClient as PostgresClient } from "../../lib/db/generated/postgres/client";
import { createDb } from "../../lib/db/create";
import { migrateDatabase } from "../../lib/db/migrate";
import type { DatabaseConfig } from "../../lib/env";
import { scratchPostgres, scratchSqlite, type Scratch } from "./scratch";
import { openBulkInserter, type Row } from "../../lib/cohorts/bulk";
import { dueCount } from "../../lib/review/cards";
import { dueQueueFor } from "../../lib/review/service";

const LEARNERS = Number(process.env.BENCH_LEARNERS ?? 10_000);
const HEAVY_CARDS = Number(process.env.BENCH_CARDS ?? 5_000);
const RUNS = Number(process.env.BENCH_RUNS ?? 200);
const CARDS_PER_LEARNER = 30;
const DAY = 24 * 60 * 60 * 1000;
const GOAL_MS = 20;

/** A deterministic pseudo-random sequence, so every run seeds the same schedule. */
function lcg(seed: number): () => number {
  let state = seed;
  return () => {
    state = (state * 1_103_515_245 + 12_345) % 2 ** 31;
    return state / 2 ** 31;
  };
}

function cardsFor(userId: string, count: number, now: number, random: () => number): Row[] {
  return Array.from({ length: count }, (_, index) => ({
    id: `${userId}-c${index}`,
    userId,
    itemKey: `question:bench-${index}`,
    kind: "question",
    source: "quiz",
    due: new Date(now + Math.round((random() - 0.5) * 60 * DAY)),
    stability: 1 + random() * 30,
    difficulty: 1 + random() * 9,
    elapsedDays: 0,
    scheduledDays: 1,
    learningSteps: 0,
    reps: 1 + Math.floor(random() * 8),
    lapses: 0,
    state: 2,
    lastReview: new Date(now - Math.round(random() * 30 * DAY)),
    createdAt: new Date(now),
  }));
}

/** Straight to the driver (lib/cohorts/bulk.ts): Prisma's createMany inserts about 1,600 rows a second here. */
async function seed(config: DatabaseConfig, now: number): Promise<{ heavy: string; learners: string[] }> {
  const random = lcg(42);
  const learners = Array.from({ length: LEARNERS }, (_, index) => `bench-learner-${index}`);
  const heavy = "bench-heavy";
  const bulk = await openBulkInserter(config);
  try {
    await bulk.insert(
      "User",
      [heavy, ...learners].map((id) => ({ id, email: `${id}@bench.test`, name: id, updatedAt: new Date(now) })),
    );
    await bulk.insert("ReviewCard", cardsFor(heavy, HEAVY_CARDS, now, random));
    let pending: Row[] = [];
    for (const learner of learners) {
      pending.push(...cardsFor(learner, CARDS_PER_LEARNER, now, random));
      if (pending.length >= 20_000) {
        await bulk.insert("ReviewCard", pending);
        pending = [];
      }
    }
    await bulk.insert("ReviewCard", pending);
  } finally {
    await bulk.close();
  }
  return { heavy, learners };
}

function percentiles(times: number[]): { p50: number; p95: number; max: number } {
  const sorted = [...times].sort((a, b) => a - b);
  const at = (q: number) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? Number.NaN;
  return { p50: at(0.5), p95: at(0.95), max: sorted.at(-1) ?? Number.NaN };
}

async function timed(run: () => Promise<unknown>): Promise<number> {
  const start = performance.now();
  await run();
  return performance.now() - start;
}

const ms = (value: number) => `${value.toFixed(2)} ms`;

async function bench(scratch: Scratch): Promise<void> {
  await migrateDatabase(process.cwd(), scratch.config);
  const database = createDb(scratch.config, { SqliteClient, PostgresClient });
  try {
    const now = Date.now();
    const seeding = performance.now();
    const { heavy, learners } = await seed(scratch.config, now);
    const total = HEAVY_CARDS + LEARNERS * CARDS_PER_LEARNER;
    console.log(
      `  seeded ${total.toLocaleString("en")} cards for ${(LEARNERS + 1).toLocaleString("en")} learners in ${((performance.now() - seeding) / 1000).toFixed(1)} s`,
    );
    const at = new Date(now);

    for (let warm = 0; warm < 10; warm += 1) await dueQueueFor(database, heavy, at, 50);
    const heavyTimes: number[] = [];
    let due = 0;
    for (let run = 0; run < RUNS; run += 1) {
      heavyTimes.push(
        await timed(async () => {
          due = (await dueQueueFor(database, heavy, at, 50)).counts.dueNow;
        }),
      );
    }
    const one = percentiles(heavyTimes);
    console.log(
      `  one learner, ${HEAVY_CARDS.toLocaleString("en")} cards (${due.toLocaleString("en")} due, ${RUNS} runs): p50 ${ms(one.p50)}, p95 ${ms(one.p95)}, max ${ms(one.max)} — goal < ${GOAL_MS} ms: ${one.p95 < GOAL_MS ? "met" : "NOT met"}`,
    );

    const queueTimes: number[] = [];
    const countTimes: number[] = [];
    for (const learner of learners) {
      queueTimes.push(await timed(() => dueQueueFor(database, learner, at, 50)));
      countTimes.push(await timed(() => dueCount(database, learner, at)));
    }
    const many = percentiles(queueTimes);
    const counts = percentiles(countTimes);
    console.log(
      `  ${learners.length.toLocaleString("en")} learners, ${CARDS_PER_LEARNER} cards each, one due queue each: p50 ${ms(many.p50)}, p95 ${ms(many.p95)}, max ${ms(many.max)}`,
    );
    console.log(`  the header's due count, per learner: p50 ${ms(counts.p50)}, p95 ${ms(counts.p95)}`);
  } finally {
    await database.$disconnect();
    await scratch.drop();
  }
}

console.log(
  `bench:review — node ${process.version}, ${os.cpus().length} CPUs, load average ${os.loadavg()[0]?.toFixed(1)} (figures on a shared machine include its contention)`,
);
console.log("SQLite (embedded):");
await bench(scratchSqlite("kubeprep-bench-review-"));
const base = process.env.TEST_DATABASE_URL;
if (base?.startsWith("postgres")) {
  console.log("PostgreSQL:");
  await bench(await scratchPostgres(base));
} else {
  console.log("PostgreSQL: skipped (set TEST_DATABASE_URL=postgresql://… to include it)");
}
