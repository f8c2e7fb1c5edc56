/** Our jq against jq.test, a table whose every expected output is what jq 1.7.1 prints (scripts/jq-conformance.ts checks that). */
import { describe, expect, it } from "vitest";
import { createVfs, defaultRegistry, newShellState, type CommandContext } from "@/lib/k8s/shell";
import { readJqTable } from "./table";

const cases = readJqTable();

async function runJq(args: string[], stdin: string): Promise<{ stdout: string; stderr: string; exitCode: number }> {
  const jq = defaultRegistry.jq;
  if (!jq) throw new Error("jq is not in the shell's registry");
  const state = newShellState();
  const context: CommandContext = {
    args,
    stdin,
    env: {},
    cwd: "/",
    fs: createVfs(state),
    now: new Date(0),
    exchanges: [],
    random: (bytes) => new Uint8Array(bytes),
  };
  const { stdout, stderr, exitCode } = await jq(context);
  return { stdout, stderr, exitCode };
}

describe("jq conformance (jq.test)", () => {
  it("has the cases kubectl users need", () => {
    expect(cases.length).toBeGreaterThanOrEqual(150);
  });

  it.each(cases.map((entry) => [`line ${entry.line}: jq ${entry.args.join(" ")} '${entry.program}'`, entry] as const))(
    "%s",
    async (_name, entry) => {
      const result = await runJq([...entry.args, entry.program], `${entry.input}\n`);
      expect(result).toEqual({ stdout: entry.stdout, stderr: entry.stderr, exitCode: entry.exitCode });
    },
  );
});
