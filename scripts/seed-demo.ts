/**
 * Demo data for the instructor reports: `npm run seed:demo -- --students 200`.
 *
 * Creates (in the configured database, SQLite by default, PostgreSQL when DATABASE_URL says so)
 * an instructor, a cohort and N synthetic students with lesson progress, first and practice
 * quiz attempts, scenario attempts with commands, hints and check results, mock exam sittings
 * (the quick check assigned to the cohort; the full paper sat but not assigned), and spaced-review
 * cards with their reviews. Prints the instructor's credentials. Run with --conditions=react-server (lib/cohorts is server-only).
 */
import { parseArgs } from "node:util";
import { z } from "zod";
import { getEnv } from "../lib/env";
import { DatabaseBusyError, migrateDatabase } from "../lib/db/migrate";
import { db } from "../lib/db/client";
import { seedDemo } from "../lib/cohorts/demo";

const { values } = parseArgs({
  options: { students: { type: "string", default: "200" }, name: { type: "string" }, seed: { type: "string" } },
});
const options = z
  .object({
    students: z.coerce.number().int().min(1).max(100_000),
    name: z.string().trim().min(2).max(120).optional(),
    seed: z.coerce.number().int().optional(),
  })
  .safeParse(values);
if (!options.success) {
  console.error("usage: npm run seed:demo -- --students N [--name 'Cohort name'] [--seed 42]   (N from 1 to 100000)");
  process.exit(2);
}

await migrateDatabase(process.cwd(), getEnv().database).catch((error: unknown) => {
  if (!(error instanceof DatabaseBusyError)) throw error;
  console.error(error.message);
  process.exit(1);
});
const started = performance.now();
const result = await seedDemo(db(), getEnv().database, {
  students: options.data.students,
  cohortName: options.data.name,
  seed: options.data.seed,
  log: (line) => console.log(line),
});
const seconds = ((performance.now() - started) / 1000).toFixed(1);
console.log(
  [
    "",
    `Seeded "${options.data.name ?? "Demo cohort"}" with ${options.data.students} students in ${seconds} s:`,
    `  ${Object.entries(result.rows)
      .map(([table, count]) => `${table} ${count}`)
      .join(", ")}`,
    "",
    "Sign in as the cohort's instructor:",
    `  email:    ${result.instructor.email}`,
    `  password: ${result.instructor.password ?? "(none)"}`,
    `  then open /instructor/cohorts/${result.cohortId}`,
    "",
    `Every demo student shares the password ${result.studentPassword ?? "(none)"} (e.g. ${result.sampleStudentEmail ?? "-"}).`,
    `Join link for real students: /join/${result.joinCode}`,
    "",
  ].join("\n"),
);
await db().$disconnect();
process.exit(0);
