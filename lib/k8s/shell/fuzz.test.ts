import { describe, expect, it } from "vitest";
import { createSeededRandom } from "../clock";
import { complete } from "./complete";
import { newShellState, parse, parseIncomplete, runCommandLine } from "./index";

const PIECES = [
  "echo",
  "cat",
  "ls",
  "-l",
  "-la",
  "|",
  "||",
  "&&",
  ";",
  ">",
  ">>",
  "<",
  "2>&1",
  "2>",
  "<<EOF",
  "<<'EOF'",
  "EOF",
  "\n",
  "$(",
  ")",
  "`",
  "'",
  '"',
  "\\",
  "$HOME",
  "${X:-y}",
  "${",
  "}",
  "*",
  "?",
  "~",
  "#",
  "x",
  "f.txt",
  "/tmp",
  "grep",
  "-v",
  "base64",
  "-d",
  "jq",
  ".a[]",
  "sort",
  "head",
  "-n",
  "2",
  "tr",
  "a-z",
  "A-Z",
  "cut",
  "-d:",
  "-f1",
  "sed",
  "s/a/b/g",
  "openssl",
  "rand",
  "-hex",
  "4",
  "mkdir",
  "-p",
  "rm",
  "-rf",
  "cd",
  "..",
  "export",
  "A=1",
  "wc",
  "printf",
  "%s\\n",
  "date",
  "+%s",
  "!",
  "(",
  "&",
  "$?",
  "$((",
  "tee",
  "uniq",
  "-c",
];

describe("fuzz", () => {
  it("random command lines never throw and stay bounded", async () => {
    const random = createSeededRandom("shell-fuzz");
    const state = newShellState({ files: { "~/f.txt": "a\nb\nc\n" } });
    const started = Date.now();
    for (let i = 0; i < 3000; i++) {
      const count = 1 + random.int(12);
      const parts: string[] = [];
      for (let j = 0; j < count; j++) parts.push(PIECES[random.int(PIECES.length)] ?? "x");
      const line = parts.join(random.int(4) === 0 ? "" : " ");
      expect(() => parse(line)).not.toThrow();
      expect(typeof parseIncomplete(line)).toBe("boolean");
      const result = await runCommandLine(state, line, { now: new Date("2026-11-29T10:01:06Z"), random: (n) => random.bytes(n) });
      expect(typeof result.exitCode).toBe("number");
      expect(result.stderr).not.toContain("internal error");
      expect(() => complete(state, line, line.length)).not.toThrow();
    }
    expect(Date.now() - started).toBeLessThan(25_000);
  });

  it("binary junk and hostile inputs", async () => {
    const state = newShellState();
    const random = createSeededRandom(7);
    for (let i = 0; i < 300; i++) {
      const junk = String.fromCharCode(...Array.from(random.bytes(1 + random.int(200))));
      const result = await runCommandLine(state, junk, { now: new Date(0) });
      expect(result.stderr).not.toContain("internal error");
    }
    const bomb = await runCommandLine(state, "echo " + "$(echo ".repeat(500) + "x" + ")".repeat(500), { now: new Date(0) });
    expect(bomb.stderr).toMatch(/nested too deeply/);
    const big = await runCommandLine(state, "echo " + "a".repeat(200_000), { now: new Date(0) });
    expect(big.stderr).toMatch(/input too long/);
    // Output growth through files is bounded by the VFS limits.
    const grow = await runCommandLine(state, "seq 1 100000 > s; cat s s s s s s s s s s s s > t; cat t t t t t t t t t t > u", {
      now: new Date(0),
    });
    expect(grow.stderr).toMatch(/File too large|No space left/);
    const script = await runCommandLine(state, "echo 'bash r.sh' > r.sh; bash r.sh", { now: new Date(0) });
    expect(script.stderr).toMatch(/nesting level/);
  });
});
