/**
 * Instructor report benchmark: `npm run bench:reports`.
 *
 * Seeds 1,000, 5,000 and 10,000 synthetic students (lib/cohorts/demo.ts: ~50 questions, 8 scenarios)
 * into a scratch SQLite database, and into a scratch PostgreSQL database when TEST_DATABASE_URL
 * is set (created and dropped here), then measures, median of 5 runs each:
 *   - the cohort overview (first page sorted by quiz score) and the item analysis (questions,
 *     scenario checks and the assigned exam's items), "after" from the per-student summaries and
 *     the item totals (lib/summaries) and "before" with
 *     the previous path that aggregated every attempt at read time (test/helpers/report-reference.ts),
 *     on the same database in the same run, so the ratio holds however busy the machine is,
 *   - the one-time fill of every summary (what an upgraded database does before its first report),
 *   - the three CSV exports streamed into a counting sink, with the peak RSS growth while streaming.
 * Env: BENCH_SIZES (default "1000,5000,10000"), BENCH_RUNS (default 5), BENCH_EXPORTS=0 skips the CSV exports,
 * BENCH_BEFORE=0 skips the previous read-time path (minutes at 10,000 students), BENCH_SQLITE=0 measures only PostgreSQL;
 * a skipped figure prints as "—".
 */
import os from "node:os";
import { PrismaClient as SqliteClient } from "../../lib/db/generated/sqlite/client";
import { PrismaClient as PostgresClient } from "../../lib/db/generated/postgres/client";
import { createDb, type Db } from "../../lib/db/create";
import { migrateDatabase } from "../../lib/db/migrate";
import type { DatabaseConfig } from "../../lib/env";
import { scratchPostgres, scratchSqlite, type Scratch } from "./scratch";
import { seedDemo } from "../../lib/cohorts/demo";
import { cohortOverview, scoreHistogram, sortStudents } from "../../lib/cohorts/overview";
import { itemAnalysis } from "../../lib/cohorts/items";
import { attemptsCsv, gradebookCsv } from "../../lib/cohorts/export";
import { scenariosCsv } from "../../lib/cohorts/scenario-export";
import { overviewQuerySchema } from "../../lib/cohorts/schemas";
import { fillMissingSummaries } from "../../lib/summaries/student-summary";
import {
  referenceExamItems,
  referenceItems,
  referenceLessonsPerWeek,
  referenceStudentSummaries,
} from "../../test/helpers/report-reference";

const SIZES = (process.env.BENCH_SIZES ?? "1000,5000,10000").split(",").map(Number);
const RUNS = Number(process.env.BENCH_RUNS ?? 5);
const EXPORTS = process.env.BENCH_EXPORTS !== "0";
const BEFORE = process.env.BENCH_BEFORE !== "0";
const admin = { id: "bench-admin", role: "ADMIN" as const };

/** A figure in ms, or "—" when it was skipped (NaN: BENCH_BEFORE=0, BENCH_EXPORTS=0). */
const ms = (n: number) => (Number.isNaN(n) ? "—" : `${n.toFixed(0)} ms`);

async function median(run: () => Promise<unknown>): Promise<number> {
  await run(); // warm-up: content cache, prepared statements
  const times: number[] = [];
  for (let i = 0; i < RUNS; i++) {
    const start = performance.now();
    await run();
    times.push(performance.now() - start);
  }
  times.sort((a, b) => a - b);
  return times[Math.floor(times.length / 2)] ?? Number.NaN;
}

/** Reads a stream to the end, counting bytes; samples RSS to find the peak growth. */
async function drain(stream: ReadableStream<Uint8Array>): Promise<{ bytes: number; peakRssGrowth: number }> {
  const before = process.memoryUsage.rss();
  let peak = before;
  let bytes = 0;
  const reader = stream.getReader();
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    bytes += value.byteLength;
    peak = Math.max(peak, process.memoryUsage.rss());
  }
  return { bytes, peakRssGrowth: peak - before };
}

interface Result {
  provider: string;
  students: number;
  seedSeconds: number;
  overview: number;
  items: number;
  overviewBefore: number;
  itemsBefore: number;
  fillSeconds: number;
  overviewWarm: number;
  itemsWarm: number;
  gradebook: number;
  attempts: number;
  scenarios: number;
  gradebookMb: number;
  attemptsMb: number;
  scenariosMb: number;
  rssMb: number;
}

async function measure(db: Db, config: DatabaseConfig, students: number): Promise<Result> {
  const seedStart = performance.now();
  const seeded = await seedDemo(db, config, { students, withPasswords: false, seed: 42 });
  const seedSeconds = (performance.now() - seedStart) / 1000;
  const query = overviewQuerySchema.parse({ sort: "quizScore", dir: "desc" });
  // fresh: recompute every time (the pages cache a computed report for a minute; see warm).
  const overview = await median(() => cohortOverview(db, admin, seeded.cohortId, query, { fresh: true }));
  const items = await median(() => itemAnalysis(db, admin, seeded.cohortId, { fresh: true }));
  const overviewWarm = await median(() => cohortOverview(db, admin, seeded.cohortId, { ...query, page: 2 }));
  const itemsWarm = await median(() => itemAnalysis(db, admin, seeded.cohortId));
  // The previous path: every figure aggregated from the raw rows at read time.
  const overviewBefore = BEFORE
    ? await median(async () => {
        const all = await referenceStudentSummaries(db, seeded.cohortId);
        await referenceLessonsPerWeek(db, seeded.cohortId);
        scoreHistogram(all);
        return sortStudents(all, query.sort, query.dir).slice(0, 25);
      })
    : Number.NaN;
  const itemsBefore = BEFORE
    ? await median(() => Promise.all([referenceItems(db, seeded.cohortId), referenceExamItems(db, seeded.cohortId)]))
    : Number.NaN;
  // The one-time fill an upgraded database runs before its first report.
  // (as the migration leaves it: no summary computed, so no item totals either)
  await db.cohortMember.updateMany({ where: { cohortId: seeded.cohortId }, data: { statsAt: null } });
  await db.cohortItemTotal.deleteMany({ where: { cohortId: seeded.cohortId } });
  const fillStart = performance.now();
  await fillMissingSummaries(db, seeded.cohortId);
  const fillSeconds = (performance.now() - fillStart) / 1000;
  let gradebookBytes = 0;
  let attemptsBytes = 0;
  let scenariosBytes = 0;
  let rss = 0;
  const gradebook = EXPORTS
    ? await median(async () => {
        const result = await drain((await gradebookCsv(db, admin, seeded.cohortId)).stream);
        gradebookBytes = result.bytes;
        rss = Math.max(rss, result.peakRssGrowth);
      })
    : Number.NaN;
  const attempts = EXPORTS
    ? await median(async () => {
        const result = await drain((await attemptsCsv(db, admin, seeded.cohortId)).stream);
        attemptsBytes = result.bytes;
        rss = Math.max(rss, result.peakRssGrowth);
      })
    : Number.NaN;
  const scenarios = EXPORTS
    ? await median(async () => {
        const result = await drain((await scenariosCsv(db, admin, seeded.cohortId)).stream);
        scenariosBytes = result.bytes;
        rss = Math.max(rss, result.peakRssGrowth);
      })
    : Number.NaN;
  const mb = (n: number) => n / 1024 / 1024;
  return {
    provider: config.provider,
    students,
    seedSeconds,
    overview,
    items,
    overviewBefore,
    itemsBefore,
    fillSeconds,
    overviewWarm,
    itemsWarm,
    gradebook,
    attempts,
    scenarios,
    gradebookMb: mb(gradebookBytes),
    attemptsMb: mb(attemptsBytes),
    scenariosMb: mb(scenariosBytes),
    rssMb: mb(rss),
  };
}

async function runProvider(make: () => Promise<Scratch>): Promise<Result[]> {
  const results: Result[] = [];
  for (const students of SIZES) {
    const scratch = await make();
    try {
      await migrateDatabase(process.cwd(), scratch.config);
      const db = createDb(scratch.config, { SqliteClient, PostgresClient });
      try {
        console.log(`${scratch.config.provider}: seeding ${students} students…`);
        const result = await measure(db, scratch.config, students);
        console.log(
          `  seeded in ${result.seedSeconds.toFixed(1)} s; overview ${ms(result.overviewBefore)} → ${ms(result.overview)}, items ${ms(result.itemsBefore)} → ${ms(result.items)} (uptime load ${os.loadavg()[0]?.toFixed(1)})`,
        );
        results.push(result);
      } finally {
        await db.$disconnect();
      }
    } finally {
      await scratch.drop();
    }
  }
  return results;
}

const results = process.env.BENCH_SQLITE === "0" ? [] : await runProvider(async () => scratchSqlite("kubeprep-bench-reports-"));
const base = process.env.TEST_DATABASE_URL;
if (base?.startsWith("postgres")) results.push(...(await runProvider(() => scratchPostgres(base))));

console.log(`\nMedian of ${RUNS} runs (Node ${process.version}, ${os.cpus().length} CPUs)\n`);
console.log(
  "| database | students | seed | overview (page 1, sorted) before → after | item analysis before → after | one-time summary fill | overview / items from the 1-minute cache | gradebook.csv | attempts.csv | scenarios.csv | CSV sizes | peak RSS growth while streaming |",
);
console.log("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|");
for (const r of results) {
  console.log(
    `| ${r.provider} | ${r.students} | ${r.seedSeconds.toFixed(0)} s | ${ms(r.overviewBefore)} → ${ms(r.overview)} | ${ms(r.itemsBefore)} → ${ms(r.items)} | ${r.fillSeconds.toFixed(1)} s | ${ms(r.overviewWarm)} / ${ms(r.itemsWarm)} | ${ms(r.gradebook)} | ${ms(r.attempts)} | ${ms(r.scenarios)} | ${EXPORTS ? `${r.gradebookMb.toFixed(1)} + ${r.attemptsMb.toFixed(1)} + ${r.scenariosMb.toFixed(1)} MB` : "—"} | ${EXPORTS ? `${r.rssMb.toFixed(0)} MB` : "—"} |`,
  );
}
for (const provider of new Set(results.map((r) => r.provider))) {
  const small = results.find((r) => r.provider === provider && r.students === SIZES[0]);
  const large = results.find((r) => r.provider === provider && r.students === SIZES.at(-1));
  if (!small || !large || small === large) continue;
  const ratio = (a: number, b: number) => (Number.isNaN(a) || Number.isNaN(b) ? "—" : `×${(b / a).toFixed(1)}`);
  console.log(
    `${provider} ratio ${large.students}/${small.students}: overview ${ratio(small.overview, large.overview)} (before ${ratio(small.overviewBefore, large.overviewBefore)}), items ${ratio(small.items, large.items)} (before ${ratio(small.itemsBefore, large.itemsBefore)}), gradebook ${ratio(small.gradebook, large.gradebook)}, attempts ${ratio(small.attempts, large.attempts)}, scenarios ${ratio(small.scenarios, large.scenarios)}`,
  );
}
process.exit(0);
