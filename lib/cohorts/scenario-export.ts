import "server-only";
import type { Db } from "../db/client";
import type { PublicUser } from "../accounts/users";
import { loadScenarios } from "../scenarios/catalog";
import { requireCohort } from "./access";
import { csv, iso, memberPages, percent, slug, streamOf } from "./export";
import { checkResults, visibleEvents, visibleScenarioAttempts } from "./export-rows";

/** Students per page of members, and scenario attempts per round trip for their checks and events. */
const MEMBERS_PER_PAGE = 100;
const ATTEMPTS_PER_BATCH = 100;

export const SCENARIOS_HEADER = [
  "email",
  "name",
  "scenario",
  "scenario title",
  "attempt",
  "first attempt",
  "status",
  "score %",
  "hints used",
  "commands",
  "time spent (minutes)",
  "started at",
  "completed at",
  "record",
  "check",
  "passed",
  "detail",
  "exit code",
  "at",
];

type Cell = string | number | null;

/**
 * Every scenario attempt of the cohort's students since they joined, long format: per attempt one
 * "attempt" row, one "check" row per check of the scenario (passed or not), then its events in
 * time order ("command" with the command line as typed and its exit code, "hint" with the step
 * and hint number as recorded today, "give-up", "passed", ...). The attempt's figures repeat on
 * every row so a spreadsheet can filter on any of them.
 */
export async function scenariosCsv(database: Db, actor: Pick<PublicUser, "id" | "role">, cohortId: string) {
  const cohort = await requireCohort(database, actor, cohortId);
  const scenarios = loadScenarios();
  async function* chunks(): AsyncGenerator<string> {
    yield csv([SCENARIOS_HEADER], true);
    for await (const members of memberPages(database, cohort.id, MEMBERS_PER_PAGE)) {
      const ids = members.map((m) => m.userId);
      const [users, attempts] = await Promise.all([
        database.user.findMany({ where: { id: { in: ids } }, select: { id: true, email: true, name: true } }),
        visibleScenarioAttempts(database, cohort.id, ids),
      ]);
      const userBy = new Map(users.map((u) => [u.id, u]));
      for (let start = 0; start < attempts.length; start += ATTEMPTS_PER_BATCH) {
        const batch = attempts.slice(start, start + ATTEMPTS_PER_BATCH);
        const attemptIds = batch.map((a) => a.id);
        const [checks, events] = await Promise.all([checkResults(database, attemptIds), visibleEvents(database, cohort.id, attemptIds)]);
        const eventsOf = new Map<string, typeof events>();
        for (const event of events) eventsOf.set(event.attemptId, [...(eventsOf.get(event.attemptId) ?? []), event]);
        const rows: Cell[][] = [];
        for (const attempt of batch) {
          const user = userBy.get(attempt.userId);
          const definition = scenarios.get(attempt.scenarioId);
          const prefix: Cell[] = [
            user?.email ?? "",
            user?.name ?? "",
            attempt.scenarioId,
            definition?.title ?? "",
            attempt.number,
            attempt.isFirst ? "yes" : "no",
            attempt.status.toLowerCase().replace("_", " "),
            percent(attempt.score),
            attempt.hintsUsed,
            attempt.commandCount,
            Math.round(attempt.timeSpentSeconds / 60),
            iso(attempt.startedAt),
            iso(attempt.completedAt),
          ];
          rows.push([...prefix, "attempt", "", "", "", "", iso(attempt.startedAt)]);
          const recorded = new Map(checks.filter((c) => c.attemptId === attempt.id).map((c) => [c.checkId, c]));
          // Every check the scenario defines: one never evaluated is "no", like on the drill-down page.
          const checkRows = definition
            ? definition.checks.map((check) => ({ id: check.id, description: check.description, result: recorded.get(check.id) }))
            : [...recorded.values()].map((result) => ({ id: result.checkId, description: "", result }));
          for (const check of checkRows)
            rows.push([
              ...prefix,
              "check",
              check.id,
              check.result?.passed ? "yes" : "no",
              check.description,
              "",
              iso(check.result?.updatedAt ?? null),
            ]);
          for (const event of eventsOf.get(attempt.id) ?? []) {
            rows.push([...prefix, event.kind, "", "", event.detail, event.exitCode, iso(event.createdAt)]);
          }
        }
        yield csv(rows, false);
      }
    }
  }
  return { cohort, filename: `${slug(cohort.name)}-scenarios.csv`, stream: streamOf(chunks()) };
}
