// Thousands of random, partly hostile inputs straight into the engine: none may throw, report an
// internal error, or leave the session larger than its limits allow.
import { describe, expect, it } from "vitest";
import { createSeededRandom } from "@/lib/k8s";
import { newShellState, runCommandLine, SHELL_LIMITS, VFS_LIMITS } from "@/lib/k8s/shell";

const PIECES = [
  "echo",
  "printf",
  "'%10000s'",
  "-v",
  "X",
  "$(seq 9990)",
  "$(seq 50)",
  "jq",
  "-n",
  "'(\"x\"*100000)*1400 | length'",
  "'[range(1e6)] | length'",
  "'\"a\" * 1e9'",
  "'[.[]?] | join(\"\")'",
  "'test(\"(a+)+$\")'",
  '\'gsub(""; "xx")\'',
  "'[scan(\".\")]'",
  "'splits(\"a*\")'",
  "'.[0:3]'",
  "grep",
  "-E",
  "-o",
  "-w",
  "-x",
  "-i",
  "-F",
  "'^(a+)+$'",
  "'\\(a\\)\\1'",
  "'(a|aa)*b'",
  "'[[:alpha:]]*'",
  "'a{1001}'",
  "sed",
  "'s/a*/&&&&/g'",
  "'s/\\(a\\)/\\1\\1/g'",
  "-E",
  "'s/(x|y)+$/z/'",
  "find",
  "/tmp",
  "-name",
  "'*a*a*a*b'",
  "-iname",
  "'[!a]*'",
  "/tmp/*a*a*a*a*b",
  "*",
  "?",
  "[a-",
  "~/*",
  "|",
  ";",
  "&&",
  "||",
  ">",
  ">>",
  "/tmp/f",
  "<",
  "2>&1",
  "$HOME",
  "${X:-y}",
  "${Y:=$(seq 100)}",
  "${#X}",
  "alias",
  "k=kubectl",
  "unalias",
  "-a",
  "export",
  "A=$(printf %5000s x)",
  "history",
  "seq",
  "100000",
  "1e9",
  "sort",
  "-r",
  "wc",
  "-l",
  "tr",
  "a-z",
  "A-Z",
  "base64",
  "rev",
  "head",
  "-c",
  "10",
  "touch",
  "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa",
  "cat",
  "/tmp/f",
  "/tmp/f",
  "/tmp/f",
  "yes",
  "x",
  "bash",
  "-c",
  "'echo hi'",
  "eval",
  "openssl",
  "rand",
  "-hex",
  "8",
  "\n",
  "'",
  '"',
  "\\",
  "$(",
  ")",
  "`",
];

describe("engine fuzz", () => {
  it("3000 random inputs: no exception, no internal error, bounded session", async () => {
    const random = createSeededRandom("engine-abuse-fuzz");
    const state = newShellState({ files: { "/tmp/f": "aaaa\nbbb\n", "~/a.json": '{"a":[1,"x",null]}' } });
    const now = new Date("2026-11-29T10:01:06Z");
    let slowest = 0;
    for (let i = 0; i < 3000; i++) {
      const count = 1 + random.int(10);
      const parts: string[] = [];
      for (let j = 0; j < count; j++) parts.push(PIECES[random.int(PIECES.length)] ?? "x");
      const line = parts.join(" ");
      const started = performance.now();
      const result = await runCommandLine(state, line, { now, random: (n) => random.bytes(n) });
      const took = performance.now() - started;
      slowest = Math.max(slowest, took);
      expect(typeof result.exitCode, line).toBe("number");
      expect(result.stderr, line).not.toContain("internal error");
      expect(result.stdout.length + result.stderr.length, line).toBeLessThan(3 * 1024 * 1024);
    }
    const stored = JSON.stringify(state);
    expect(stored.length).toBeLessThan(
      VFS_LIMITS.maxTotalBytes + SHELL_LIMITS.maxVariablesTotalBytes + SHELL_LIMITS.maxHistoryTotalBytes + 64 * 1024 * 8,
    );
    expect(Object.keys(state.env).length).toBeLessThanOrEqual(SHELL_LIMITS.maxVariables);
    expect(Object.keys(state.aliases ?? {}).length).toBeLessThanOrEqual(SHELL_LIMITS.maxAliases);
    // Every input ends within the input budget plus one command's worth of work.
    expect(slowest).toBeLessThan(SHELL_LIMITS.maxInputMs + 4000);
  }, 300_000);
});
