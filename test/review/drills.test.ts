// Failed scenario checks as review drills, end to end through the scenario service and the worker
// pool: giving up makes cards, a drill is a fresh instance cut to its check, passing it or giving up
// is recorded once as the card's review, and drills stay out of progress and of other learners' reach.
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { Rating } from "ts-fsrs";
import { createTestDatabase, type TestDatabase } from "../helpers/database";

let database: TestDatabase;
let scenarios: typeof import("@/lib/scenarios/service");
let review: typeof import("@/lib/review/service");
let ids: { ana: string; ben: string };

beforeAll(async () => {
  database = await createTestDatabase("sqlite");
  vi.stubEnv("DATABASE_URL", database.config.url);
  vi.stubEnv("PRACTICE_API_PORT", "0");
  vi.stubEnv("TERMINAL_RATE_LIMIT", "1000");
  scenarios = await import("@/lib/scenarios/service");
  review = await import("@/lib/review/service");
  const ana = await database.db.user.create({ data: { email: "ana@example.com", name: "Ana" } });
  const ben = await database.db.user.create({ data: { email: "ben@example.com", name: "Ben" } });
  ids = { ana: ana.id, ben: ben.id };
  const cohort = await database.db.cohort.create({ data: { name: "Drillers", joinCode: "drill-cohort-code" } });
  await database.db.cohortMember.create({ data: { cohortId: cohort.id, userId: ana.id, joinedAt: new Date(Date.now() - 60 * 60 * 1000) } });
});

afterAll(async () => {
  vi.unstubAllEnvs();
  await database.drop();
});

const DRILL = "drill.scenario.expired-cert.saw-401";
let counter = 0;
const card = (itemKey: string) => database.db.reviewCard.findUniqueOrThrow({ where: { userId_itemKey: { userId: ids.ana, itemKey } } });

describe("review drills", () => {
  it("giving up a scenario puts every check still failing into review", async () => {
    await scenarios.getSession(ids.ana, "expired-cert");
    await scenarios.runCommand(ids.ana, "expired-cert", "kubectl get pods", `req-${++counter}-abcdef`);
    await scenarios.giveUp(ids.ana, "expired-cert");
    const cards = await database.db.reviewCard.findMany({ where: { userId: ids.ana }, orderBy: { itemKey: "asc" } });
    expect(cards.map((row) => row.itemKey)).toEqual([
      "check:scenario:expired-cert:csr-issued",
      "check:scenario:expired-cert:jane-lists-pods",
      "check:scenario:expired-cert:still-jane",
    ]);
    expect(cards.every((row) => row.kind === "check" && row.source === "scenario")).toBe(true);
    // Giving up twice changes nothing.
    await scenarios.giveUp(ids.ana, "expired-cert");
    expect(await database.db.reviewCard.count({ where: { userId: ids.ana } })).toBe(3);
  });

  it("a drill opens only for a learner with a card for its check", async () => {
    await expect(scenarios.getSession(ids.ana, DRILL)).rejects.toMatchObject({ status: 404 });
    await expect(scenarios.getSession(ids.ben, "drill.scenario.expired-cert.csr-issued")).rejects.toMatchObject({ status: 404 });
    const anaCard = await card("check:scenario:expired-cert:csr-issued");
    await expect(review.reviewItem(database.db, ids.ben, anaCard.id)).rejects.toMatchObject({ status: 404 });
    await expect(scenarios.getSession(ids.ana, "drill.scenario.expired-cert.no-such-check")).rejects.toMatchObject({ status: 404 });
  });

  it("a drill is the scenario cut to its check, solved in the terminal, and its pass is the card's review", async () => {
    const target = await card("check:scenario:expired-cert:csr-issued");
    const view = await review.reviewItem(database.db, ids.ana, target.id);
    expect(view).toEqual({ kind: "check", cardId: target.id, drillId: "drill.scenario.expired-cert.csr-issued" });
    if (view.kind !== "check") throw new Error();
    const snapshot = await scenarios.getSession(ids.ana, view.drillId);
    expect(snapshot.progress.checks.map((check) => check.id)).toEqual(["csr-issued"]);
    expect(snapshot.solution).toBeUndefined();
    const commands = [
      "openssl req -new -key ~/certs/jane.key -subj '/CN=jane/O=dev-team' -out jane.csr",
      "printf 'apiVersion: certificates.k8s.io/v1\\nkind: CertificateSigningRequest\\nmetadata:\\n  name: jane-renewal\\nspec:\\n  request: %s\\n  signerName: kubernetes.io/kube-apiserver-client\\n  usages:\\n  - client auth\\n' $(base64 -w0 < jane.csr) > csr.yaml",
      "kubectl --context admin@kubeprep create -f csr.yaml",
      "kubectl --context admin@kubeprep certificate approve jane-renewal",
    ];
    let last;
    for (const input of commands) last = await scenarios.runCommand(ids.ana, view.drillId, input, `req-${++counter}-abcdef`);
    expect(last?.progress.status).toBe("passed");
    const passed = await scenarios.getSession(ids.ana, view.drillId);
    expect(passed.next).toBeUndefined();

    const before = await review.reviewOverview(database.db, ids.ana);
    const logs = await database.db.reviewLog.findMany({ where: { cardId: target.id } });
    expect(logs).toHaveLength(1);
    expect(logs[0]?.rating).toBeGreaterThanOrEqual(Rating.Good);
    expect(logs[0]?.requestId).toMatch(/^drill:/);
    expect(before.due.map((entry) => entry.id)).not.toContain(target.id);
    // Settling again records nothing more.
    expect(await review.settleDrills(database.db, ids.ana)).toBe(0);
  });

  it("opening a recorded drill again starts a fresh instance; giving it up rates it again", async () => {
    const target = await card("check:scenario:expired-cert:csr-issued");
    const view = await review.reviewItem(database.db, ids.ana, target.id);
    if (view.kind !== "check") throw new Error();
    const fresh = await scenarios.getSession(ids.ana, view.drillId);
    expect(fresh.progress).toMatchObject({ status: "in-progress", checks: [{ id: "csr-issued", passed: false }] });
    expect(fresh.history).toEqual([]);
    await scenarios.giveUp(ids.ana, view.drillId);
    expect(await review.settleDrills(database.db, ids.ana)).toBe(1);
    const logs = await database.db.reviewLog.findMany({ where: { cardId: target.id }, orderBy: { reviewedAt: "asc" } });
    expect(logs.map((log) => log.rating)).toEqual([logs[0]?.rating, Rating.Again]);
    // A drill given up is not a scenario given up: no new cards.
    expect(await database.db.reviewCard.count({ where: { userId: ids.ana } })).toBe(3);
  });

  it("drills stay out of scenario statuses, progress and report summaries", async () => {
    const { listScenarioStatuses } = await import("@/lib/scenarios/progress");
    const statuses = await listScenarioStatuses(ids.ana);
    expect(statuses.map((status) => status.scenarioId)).toEqual(["expired-cert"]);
    const attempts = await database.db.scenarioAttempt.count({ where: { userId: ids.ana, scenarioId: { startsWith: "drill." } } });
    expect(attempts).toBe(2);
    // The cohort's summary, recomputed with every drill command, counts the scenario and never the drill pass.
    const summary = await database.db.cohortMember.findFirstOrThrow({ where: { userId: ids.ana } });
    expect(summary.statsAt).not.toBeNull();
    expect(summary.scenariosPassed).toBe(0);
    expect(summary.firstChecks).toContain("expired-cert");
    expect(summary.firstChecks).not.toContain("drill.");
  });

  it("scenario routes take drill ids and nothing else of that shape", async () => {
    const { scenarioIdFrom } = await import("@/lib/scenarios/route-params");
    const id = (value: string) => scenarioIdFrom({ params: Promise.resolve({ id: value }) });
    await expect(id(DRILL)).resolves.toBe(DRILL);
    await expect(id("drill.scenario.expired-cert")).rejects.toMatchObject({ status: 404 });
    await expect(id("drill.other.a.b")).rejects.toMatchObject({ status: 404 });
    await expect(id(`drill.scenario.${"a".repeat(65)}.b`)).rejects.toMatchObject({ status: 404 });
  });
});
