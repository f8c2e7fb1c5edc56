// The learner worker's prebuilt bundle (lib/isolation/bundle.ts): used only while fresh, and the
// tsx entry still works when it is not.
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { BUNDLE_FILE, freshWorkerBundle } from "@/lib/isolation/bundle";
import { LearnerPool, WORKER_FILE } from "@/lib/isolation/pool";
import { isTooLarge } from "@/lib/isolation/jobs";

const dir = fs.mkdtempSync(path.join(os.tmpdir(), "kubeprep-bundle-"));
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

function setTime(file: string, seconds: number): void {
  fs.utimesSync(file, seconds, seconds);
}

describe("the worker bundle", () => {
  it("is fresh only while newer than every input, and never when its inputs list is missing or odd", () => {
    const source = path.join(dir, "source.ts");
    const bundle = path.join(dir, "worker.mjs");
    const inputs = path.join(dir, "inputs.json");
    fs.writeFileSync(source, "export {}");
    fs.writeFileSync(bundle, "export default () => 1");
    expect(freshWorkerBundle(dir, bundle, inputs)).toBeUndefined();
    fs.writeFileSync(inputs, JSON.stringify(["source.ts"]));
    setTime(source, 1_000);
    setTime(bundle, 2_000);
    expect(freshWorkerBundle(dir, bundle, inputs)).toBe(bundle);
    setTime(source, 3_000);
    expect(freshWorkerBundle(dir, bundle, inputs)).toBeUndefined();
    setTime(source, 1_000);
    for (const odd of ["[]", "{}", "[1]", "not json", JSON.stringify(["gone.ts"])]) {
      fs.writeFileSync(inputs, odd);
      expect(freshWorkerBundle(dir, bundle, inputs)).toBeUndefined();
    }
  });

  it("is what pools load under test (built by the global setup), and the tsx entry runs the same jobs", async () => {
    const bundled = new LearnerPool({ workers: 1, jobTimeoutMs: 60_000, jobMemoryMb: 256, maxInstanceBytes: 8 * 1024 * 1024 });
    const viaTsx = new LearnerPool({
      workers: 1,
      jobTimeoutMs: 60_000,
      jobMemoryMb: 256,
      maxInstanceBytes: 8 * 1024 * 1024,
      workerFile: WORKER_FILE,
    });
    try {
      expect(bundled.workerFile).toBe(BUNDLE_FILE);
      for (const pool of [bundled, viaTsx]) {
        const created = await pool.run<"create">("b", { kind: "create", scenarioId: "whoami" });
        if (isTooLarge(created)) throw new Error("too large");
        const result = await pool.run<"command">("b", {
          kind: "command",
          instance: { id: "b", state: created.state },
          scenarioId: "whoami",
          input: "echo forty-two | wc -c",
        });
        expect(!isTooLarge(result) && result.output).toBe("10\n");
      }
    } finally {
      await Promise.all([bundled.close(), viaTsx.close()]);
    }
  }, 300_000);
});
