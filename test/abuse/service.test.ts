// Hostile terminal input through the scenario service (the web terminal's path, SQLite): the
// input that kills a worker or overruns the deadline or the size limit gets the clear message in
// the terminal, and the stored instance is exactly as before (same text, same revision).
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { createTestDatabase, type TestDatabase } from "../helpers/database";

let database: TestDatabase;
let service: typeof import("@/lib/scenarios/service");
let ana: string;
const SCENARIO = "unauthorized-or-forbidden";

beforeAll(async () => {
  database = await createTestDatabase("sqlite");
  vi.stubEnv("DATABASE_URL", database.config.url);
  vi.stubEnv("PRACTICE_API_PORT", "0");
  vi.stubEnv("TERMINAL_RATE_LIMIT", "1000");
  vi.stubEnv("LEARNER_WORKERS", "2");
  // Long enough that the heap limit, not the deadline, stops the jq bomb on a loaded machine.
  vi.stubEnv("LEARNER_JOB_TIMEOUT_MS", "30000");
  vi.stubEnv("LEARNER_JOB_MEMORY_MB", "160");
  vi.stubEnv("MAX_INSTANCE_BYTES", String(256 * 1024));
  service = await import("@/lib/scenarios/service");
  ana = (await database.db.user.create({ data: { email: "ana@example.com", name: "Ana" } })).id;
}, 300_000);

afterAll(async () => {
  const { learnerPool } = await import("@/lib/isolation/pool");
  await learnerPool().close();
  vi.unstubAllEnvs();
  await database.drop();
});

let counter = 0;
const run = (input: string) => service.runCommand(ana, SCENARIO, input, `abuse-${++counter}-abcdef`);
const stored = () =>
  database.db.scenarioInstance.findUniqueOrThrow({
    where: { userId_scenarioId: { userId: ana, scenarioId: SCENARIO } },
    select: { state: true, revision: true },
  });

describe("hostile terminal input", () => {
  it("the jq heap bomb: the learner reads why, the instance and the attempt are unchanged", async () => {
    await service.getSession(ana, SCENARIO);
    expect((await run("echo kept > note.txt")).exitCode).toBe(0);
    const before = await stored();
    const attemptBefore = await database.db.scenarioAttempt.findFirstOrThrow({ where: { userId: ana }, select: { commandCount: true } });

    const response = await run(`jq -n '("x"*100000)*1400 | length'`);
    expect(response.prompt).toBe("student@controlplane:~$ ");
    if (response.exitCode === 137) {
      // Stopped by the worker's heap limit: nothing of the input was kept.
      expect(response.output).toBe("kubeprep: this command used more than 160 MB of memory and was stopped; your scenario is unchanged\n");
      expect(await stored()).toEqual(before);
      expect(await database.db.scenarioAttempt.findFirstOrThrow({ where: { userId: ana }, select: { commandCount: true } })).toEqual(
        attemptBefore,
      );
    } else {
      // Ended by the engine's own budget (lib/k8s/shell/limits.ts) like jq would end it: an ordinary failed command.
      expect(response.exitCode).toBe(5);
      expect(response.output).toContain("jq: error (at <unknown>): string too long");
    }
    expect((await run("cat note.txt")).output).toBe("kept\n");
  }, 300_000);

  it("a catastrophic regex: its output, or the deadline message with the instance unchanged", async () => {
    const before = await stored();
    const response = await run("echo aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa! | grep -E '^(a+)+$'");
    if (response.exitCode === 124) {
      expect(response.output).toBe("kubeprep: this command ran longer than 30 s and was stopped; your scenario is unchanged\n");
      expect(await stored()).toEqual(before);
    } else {
      expect(response.exitCode).toBe(1);
    }
  }, 300_000);

  it("refuses an input that would grow the saved instance past MAX_INSTANCE_BYTES", async () => {
    const before = await stored();
    const response = await run("seq 1 50000 > numbers");
    expect(response.output).toMatch(
      /^kubeprep: this command would make this scenario's saved state \d+\.\d MiB, over the limit of 0\.3 MiB, so it was not kept; your scenario is unchanged\n$/,
    );
    expect(response.exitCode).toBe(1);
    expect(await stored()).toEqual(before);
    expect((await run("ls numbers")).exitCode).not.toBe(0);
  }, 300_000);

  it("an oversized file saved from the editor is refused with 413 and not stored", async () => {
    const before = await stored();
    await expect(service.saveFile(ana, SCENARIO, "big.txt", "x".repeat(300 * 1024))).rejects.toMatchObject({ status: 413 });
    expect(await stored()).toEqual(before);
  }, 300_000);
});
