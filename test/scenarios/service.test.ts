// The scenario service against a real SQLite database: persistence across loads, isolation
// between learners, ordering, idempotent retries, bad input, hints, reset and giving up.
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { createTestDatabase, type TestDatabase } from "../helpers/database";

let database: TestDatabase;
let service: typeof import("@/lib/scenarios/service");
let ids: { ana: string; ben: string };

beforeAll(async () => {
  database = await createTestDatabase("sqlite");
  vi.stubEnv("DATABASE_URL", database.config.url);
  vi.stubEnv("PRACTICE_API_PORT", "0");
  vi.stubEnv("TERMINAL_RATE_LIMIT", "1000");
  service = await import("@/lib/scenarios/service");
  const ana = await database.db.user.create({ data: { email: "ana@example.com", name: "Ana" } });
  const ben = await database.db.user.create({ data: { email: "ben@example.com", name: "Ben" } });
  ids = { ana: ana.id, ben: ben.id };
});

afterAll(async () => {
  vi.unstubAllEnvs();
  await database.drop();
});

let counter = 0;
const run = (user: string, input: string, scenario = "expired-cert") =>
  service.runCommand(user, scenario, input, `req-${++counter}-abcdef`);

describe("scenario service", () => {
  it("creates an instance on first visit with a first attempt and no check passed", async () => {
    const snapshot = await service.getSession(ids.ana, "expired-cert");
    expect(snapshot.prompt).toBe("student@controlplane:~$ ");
    expect(snapshot.progress.status).toBe("in-progress");
    expect(snapshot.progress.checks.every((check) => !check.passed)).toBe(true);
    expect(snapshot.solution).toBeUndefined();
    const attempts = await database.db.scenarioAttempt.findMany({ where: { userId: ids.ana } });
    expect(attempts).toMatchObject([{ number: 1, isFirst: true, status: "IN_PROGRESS" }]);
  });

  it("answers kubectl like kubectl, explains the request, and keeps state and history across loads", async () => {
    const response = await run(ids.ana, "kubectl get pods");
    expect(response.exitCode).toBe(1);
    expect(response.output).toContain(
      "error: You must be logged in to the server (the server has asked for the client to provide credentials)",
    );
    expect(
      response.why.some((entry) => entry.status === 401 && entry.trace.some((step) => /certificate has expired/.test(step.message))),
    ).toBe(true);
    await run(ids.ana, "mkdir work && cd work && echo kept > note.txt");
    const snapshot = await service.getSession(ids.ana, "expired-cert");
    expect(snapshot.prompt).toBe("student@controlplane:~/work$ ");
    expect(snapshot.history.slice(-2)).toEqual(["kubectl get pods", "mkdir work && cd work && echo kept > note.txt"]);
    expect(snapshot.transcript).toContain("You must be logged in");
    expect((await run(ids.ana, "cat note.txt")).output).toBe("kept\n");
    expect(snapshot.progress.checks.find((check) => check.id === "saw-401")?.passed).toBe(true);
  });

  it("fails a command whose instance lost its attempt (a damaged row) instead of making a new instance", async () => {
    const user = await database.db.user.create({ data: { email: "cara@example.com", name: "Cara" } });
    await service.getSession(user.id, "whoami");
    const instance = await database.db.scenarioInstance.findUniqueOrThrow({
      where: { userId_scenarioId: { userId: user.id, scenarioId: "whoami" } },
    });
    await database.db.scenarioAttempt.delete({ where: { id: instance.attemptId } });
    await expect(run(user.id, "pwd", "whoami")).rejects.toThrow(/has no attempt/);
    expect(await database.db.scenarioInstance.count({ where: { userId: user.id } })).toBe(1);
  });

  it("keeps another learner's instance untouched", async () => {
    const other = await service.getSession(ids.ben, "expired-cert");
    expect(other.history).toEqual([]);
    expect((await run(ids.ben, "ls work")).output).toContain("No such file or directory");
  });

  it("answers a retried request once", async () => {
    const before = await database.db.scenarioEvent.count();
    await service.runCommand(ids.ana, "expired-cert", "echo once >> ~/log.txt", "retry-1234567");
    await service.runCommand(ids.ana, "expired-cert", "echo once >> ~/log.txt", "retry-1234567");
    expect(await database.db.scenarioEvent.count()).toBe(before + 1);
    expect((await run(ids.ana, "cat ~/log.txt")).output).toBe("once\n");
  });

  it("keeps nothing of a command whose instance another process saved meanwhile: 409, no event, the other save stays", async () => {
    const { learnerPool } = await import("@/lib/isolation/pool");
    const pool = learnerPool();
    const original = pool.run.bind(pool);
    const spy = vi.spyOn(pool, "run").mockImplementationOnce(async (key, job) => {
      // Another process (a second app instance) saves the instance while this command runs.
      await database.db.scenarioInstance.update({ where: { id: key }, data: { revision: { increment: 1 } } });
      return original(key, job);
    });
    const before = await database.db.scenarioInstance.findUniqueOrThrow({
      where: { userId_scenarioId: { userId: ids.ana, scenarioId: "expired-cert" } },
    });
    const attemptBefore = await database.db.scenarioAttempt.findUniqueOrThrow({ where: { id: before.attemptId } });
    await expect(service.runCommand(ids.ana, "expired-cert", "echo lost > ~/lost.txt", "conflict-1234567")).rejects.toMatchObject({
      status: 409,
    });
    spy.mockRestore();
    const after = await database.db.scenarioInstance.findUniqueOrThrow({ where: { id: before.id } });
    expect(after.state).toBe(before.state);
    expect(after.revision).toBe(before.revision + 1);
    expect(await database.db.scenarioEvent.count({ where: { requestId: "conflict-1234567" } })).toBe(0);
    expect((await database.db.scenarioAttempt.findUniqueOrThrow({ where: { id: before.attemptId } })).commandCount).toBe(
      attemptBefore.commandCount,
    );
    expect((await run(ids.ana, "cat ~/lost.txt")).output).toContain("No such file or directory");
  });

  it("answers a retry of a request whose first run was kept with that run's exit code, and keeps the second run's nothing", async () => {
    const first = await service.runCommand(ids.ana, "expired-cert", "echo twice >> ~/twice.txt; false", "retry-exit-1234567");
    expect(first.exitCode).toBe(1);
    const again = await service.runCommand(ids.ana, "expired-cert", "echo twice >> ~/twice.txt; false", "retry-exit-1234567");
    expect(again).toMatchObject({ output: "", exitCode: 1, why: [] });
    expect((await run(ids.ana, "cat ~/twice.txt")).output).toBe("twice\n");
  });

  it("runs concurrent commands of one learner in order", async () => {
    await Promise.all(Array.from({ length: 8 }, (_, index) => run(ids.ana, `echo ${index} >> ~/order.txt`)));
    expect((await run(ids.ana, "cat ~/order.txt")).output).toBe("0\n1\n2\n3\n4\n5\n6\n7\n");
  });

  it("answers bad input with a clear error and loses nothing", async () => {
    const inputs = [
      "",
      "   ",
      "echo 'unbalanced",
      `echo ${"$(".repeat(40)}x${")".repeat(40)}`,
      "\u0000\u0001\u0002\u00ff\ufffd binary",
      "x".repeat(100 * 1024),
      "| grep",
      ";;",
    ];
    for (const input of inputs) {
      const response = await run(ids.ana, input);
      expect(typeof response.output).toBe("string");
    }
    expect((await run(ids.ana, "echo 'unbalanced")).output).toMatch(/unexpected EOF while looking for matching `''/);
    expect((await run(ids.ana, "cat note.txt")).output).toBe("kept\n");
  });

  it("reveals the hint asked for, of any step, records it for that step, and counts a repeated click once", async () => {
    const { getScenarioDefinition } = await import("@/lib/scenarios/catalog");
    const steps = getScenarioDefinition("expired-cert")?.steps ?? [];
    const csr = steps[2]?.hints ?? [];
    expect(csr.length).toBeGreaterThan(1);
    const [first, again] = await Promise.all([
      service.revealHint(ids.ben, "expired-cert", { step: 2, hint: 0 }),
      service.revealHint(ids.ben, "expired-cert", { step: 2, hint: 0 }),
    ]);
    expect(first).toEqual({ step: 2, index: 0, hint: csr[0] });
    expect(again).toEqual(first);
    await expect(service.revealHint(ids.ben, "expired-cert", { step: 2, hint: 2 })).rejects.toMatchObject({
      status: 409,
      message: "Hints of step 3 come in order: ask for hint 2 first.",
    });
    const second = await service.revealHint(ids.ben, "expired-cert", { step: 2, hint: 1 });
    expect(second.hint).toBe(csr[1]);
    const snapshot = await service.getSession(ids.ben, "expired-cert");
    expect(snapshot.hintsRevealed).toEqual([
      { step: 2, hint: csr[0] },
      { step: 2, hint: csr[1] },
    ]);
    const attempt = await database.db.scenarioAttempt.findFirstOrThrow({
      where: { userId: ids.ben },
      include: { events: { where: { kind: "hint" } } },
    });
    expect(attempt.hintsUsed).toBe(2);
    expect(attempt.events.map((event) => [event.hintStep, event.detail])).toEqual([
      [2, "step 3, hint 1"],
      [2, "step 3, hint 2"],
    ]);
  });

  it("refuses hints that do not exist with a clear 422 and records nothing", async () => {
    const before = await database.db.scenarioEvent.count({ where: { kind: "hint" } });
    await expect(service.revealHint(ids.ben, "expired-cert", { step: 0, hint: 1 })).rejects.toMatchObject({
      status: 422,
      message: "There is no hint 2 for step 1: that step has 1 hint.",
    });
    await expect(service.revealHint(ids.ben, "expired-cert", { step: 4, hint: 0 })).rejects.toMatchObject({
      status: 422,
      message: "There is no step 5: this scenario has 4 steps.",
    });
    await expect(service.revealHint(ids.ben, "expired-cert", { step: 999, hint: 999 })).rejects.toMatchObject({ status: 422 });
    expect(await database.db.scenarioEvent.count({ where: { kind: "hint" } })).toBe(before);
  });

  it("reads hints recorded before hints were per step in the scenario's old flat order", async () => {
    const cleo = await database.db.user.create({ data: { email: "cleo@example.com", name: "Cleo" } });
    await service.getSession(cleo.id, "expired-cert");
    const attempt = await database.db.scenarioAttempt.findFirstOrThrow({ where: { userId: cleo.id } });
    // The old service stored neither step nor id: two hints were the flat list's first two.
    await database.db.scenarioEvent.createMany({
      data: [
        { attemptId: attempt.id, kind: "hint", detail: "step 1, hint 1" },
        { attemptId: attempt.id, kind: "hint", detail: "step 2, hint 2" },
      ],
    });
    const { getScenarioDefinition } = await import("@/lib/scenarios/catalog");
    const steps = getScenarioDefinition("expired-cert")?.steps ?? [];
    expect((await service.getSession(cleo.id, "expired-cert")).hintsRevealed).toEqual([
      { step: 0, hint: steps[0]?.hints[0] },
      { step: 1, hint: steps[1]?.hints[0] },
    ]);
    expect((await service.revealHint(cleo.id, "expired-cert", { step: 1, hint: 0 })).hint).toBe(steps[1]?.hints[0]);
    expect((await service.revealHint(cleo.id, "expired-cert", { step: 1, hint: 1 })).hint).toBe(steps[1]?.hints[1]);
    expect(await database.db.scenarioEvent.count({ where: { attemptId: attempt.id, kind: "hint" } })).toBe(3);
  });

  it("passes when the solution is typed, then shows the solution", async () => {
    const { getScenarioDefinition } = await import("@/lib/scenarios/catalog");
    const scenario = getScenarioDefinition("expired-cert");
    let last;
    for (const command of scenario?.solution ?? []) last = await run(ids.ben, command);
    expect(last?.progress.status).toBe("passed");
    expect(last?.progress.score).toBe(1);
    const snapshot = await service.getSession(ids.ben, "expired-cert");
    expect(snapshot.solution).toEqual(scenario?.solution);
    // After expired-cert in course order (each scenario after the last lesson it builds on).
    expect(snapshot.next).toEqual({ id: "unauthorized-or-forbidden", title: getScenarioDefinition("unauthorized-or-forbidden")?.title });
    const attempt = await database.db.scenarioAttempt.findFirstOrThrow({ where: { userId: ids.ben } });
    expect(attempt).toMatchObject({ status: "PASSED", score: 1 });
    expect(attempt.commandCount).toBeGreaterThanOrEqual(scenario?.solution.length ?? 0);
  });

  it("gives up (recorded, solution shown) and resets to a fresh second attempt", async () => {
    const gaveUp = await service.giveUp(ids.ana, "expired-cert");
    expect(gaveUp.progress.status).toBe("gave-up");
    expect(gaveUp.solution?.length).toBeGreaterThan(3);
    const reset = await service.resetScenario(ids.ana, "expired-cert");
    expect(reset.progress.status).toBe("in-progress");
    expect(reset.solution).toBeUndefined();
    expect(reset.history).toEqual([]);
    const attempts = await database.db.scenarioAttempt.findMany({ where: { userId: ids.ana }, orderBy: { number: "asc" } });
    expect(attempts.map((attempt) => [attempt.number, attempt.isFirst, attempt.status])).toEqual([
      [1, true, "GAVE_UP"],
      [2, false, "IN_PROGRESS"],
    ]);
    expect((await run(ids.ana, "cat note.txt")).output).toContain("No such file or directory");
  });

  it("serves the kubeconfig the terminal uses, and 404 for unknown scenarios", async () => {
    const kubeconfig = await service.kubeconfigOf(ids.ana, "expired-cert");
    expect(kubeconfig).toContain("current-context: jane@kubeprep");
    expect(kubeconfig).toContain("client-certificate-data:");
    await expect(service.getSession(ids.ana, "no-such-scenario")).rejects.toMatchObject({ status: 404 });
  });

  it("switches the why panel off for exams", async () => {
    expect(await service.setWhyEnabled(ids.ben, "whoami", false)).toBe(false);
    const response = await run(ids.ben, "kubectl auth whoami", "whoami");
    expect(response.output).toMatch(/^Username\s+jane$/m);
    expect(response.why).toEqual([]);
  });
});
