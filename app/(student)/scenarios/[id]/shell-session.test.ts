import { describe, expect, it } from "vitest";
import type { CommandResponse } from "@/lib/scenarios/api-types";
import type { ApiResult, CompletionResult } from "./api";
import { ShellSession } from "./shell-session";

const ESC = "\x1b";
const PASTE_START = "\x1b[200~";
const PASTE_END = "\x1b[201~";

function response(output: string, prompt = "$ "): ApiResult<CommandResponse> {
  return { ok: true, data: { output, exitCode: 0, prompt, why: [], progress: { status: "in-progress", score: 0, checks: [] } } };
}

/** A session on a recording screen, with server calls the test answers when it wants. */
function harness(options: { history?: string[]; candidates?: CompletionResult } = {}) {
  let written = "";
  const runs: { input: string; answer: (result: ApiResult<CommandResponse>) => void }[] = [];
  const completions: { line: string; cursor: number }[] = [];
  const logs: { command?: string; output: string }[] = [];
  const session = new ShellSession(
    {
      write: (data) => {
        written += data;
      },
      cols: 80,
    },
    {
      run: (input) => new Promise((resolve) => runs.push({ input, answer: resolve })),
      complete: async (line, cursor) => {
        completions.push({ line, cursor });
        return { ok: true, data: options.candidates ?? { candidates: [], start: 0 } };
      },
      onResponse: () => undefined,
      onLog: (entry) => logs.push(entry),
    },
    { prompt: "$ ", transcript: "", history: options.history ?? [] },
  );
  /** The input line as last drawn: prompt and text, continuation lines after "\n> ". */
  const line = () =>
    (written.split("\x1b[J").pop() ?? "")
      .replace(new RegExp(`${ESC}\\[\\d*[A-Z]`, "g"), "")
      .replace(/\r\n/g, "\n")
      .replace(/\r/g, "");
  const settle = () => new Promise((resolve) => setTimeout(resolve, 0));
  /** Types (or pastes) and lets the session's promises settle: requests leave on a later tick. */
  const type = async (data: string) => {
    session.handleData(data);
    await settle();
  };
  return { type, runs, completions, logs, line, settle, screen: () => written };
}

describe("ShellSession", () => {
  it("runs a finished line, writes its output and takes the server's prompt", async () => {
    const t = harness();
    await t.type("kubectl get pods\r");
    expect(t.runs.map((r) => r.input)).toEqual(["kubectl get pods"]);
    t.runs[0]?.answer(response("No resources found\n", "[ns]$ "));
    await t.settle();
    expect(t.screen()).toContain("No resources found\r\n");
    expect(t.line()).toBe("[ns]$ ");
    expect(t.logs).toEqual([{ command: "kubectl get pods", output: "No resources found\n" }]);
  });

  it("asks for more with `> ` while the engine's parser finds the input incomplete", async () => {
    const t = harness();
    for (const input of ["echo 'a\rb'\r", "kubectl get pods |\rwc -l\r", "echo $(\rdate)\r", "echo a \\\rb\r"]) {
      await t.type(input.slice(0, input.indexOf("\r") + 1));
      expect(t.runs).toHaveLength(0);
      expect(t.line()).toMatch(/\n> $/);
      await t.type(input.slice(input.indexOf("\r") + 1));
      t.runs.pop()?.answer(response(""));
    }
  });

  it("sends the continued input as one command, newline included", async () => {
    const t = harness();
    await t.type("echo 'a\rb'\r");
    expect(t.runs.map((r) => r.input)).toEqual(["echo 'a\nb'"]);
  });

  it("sends a pasted here-document whole, and runs other multi-line pastes line by line", async () => {
    const heredoc = harness();
    await heredoc.type(`${PASTE_START}cat <<EOF > f\r\nx | y\r\nEOF\r\n${PASTE_END}`);
    expect(heredoc.runs.map((r) => r.input)).toEqual(["cat <<EOF > f\nx | y\nEOF"]);

    const lines = harness();
    await lines.type(`${PASTE_START}echo one\necho two\n${PASTE_END}`);
    expect(lines.runs.map((r) => r.input)).toEqual(["echo one"]);
    lines.runs[0]?.answer(response("one\n"));
    await lines.settle();
    expect(lines.runs.map((r) => r.input)).toEqual(["echo one", "echo two"]);
  });

  it("keeps keys typed while a command runs and replays them at the prompt", async () => {
    const t = harness();
    await t.type("sleep 1\r");
    await t.type("ls\x1b[Dx");
    expect(t.runs).toHaveLength(1);
    t.runs[0]?.answer(response(""));
    await t.settle();
    expect(t.line()).toBe("$ lxs");
  });

  it("recalls history with up and down, keeping the draft", async () => {
    const t = harness({ history: ["first"] });
    await t.type("second\r");
    t.runs[0]?.answer(response(""));
    await t.settle();
    await t.type("dra");
    await t.type("\x1b[A");
    expect(t.line()).toBe("$ second");
    await t.type("\x10");
    expect(t.line()).toBe("$ first");
    await t.type("\x1b[A");
    expect(t.line()).toBe("$ first");
    await t.type("\x1b[B\x1b[B");
    expect(t.line()).toBe("$ dra");
  });

  it("drops the answer of a command interrupted with Ctrl+C and clears the line", async () => {
    const t = harness();
    await t.type("slow\r");
    await t.type("\x03");
    t.runs[0]?.answer(response("too late\n"));
    await t.settle();
    expect(t.screen()).not.toContain("too late");
    expect(t.screen()).toContain("^C\r\n");
    await t.type("half typed\x03");
    expect(t.line()).toBe("$ ");
    await t.type("next\r");
    expect(t.runs.map((r) => r.input)).toEqual(["slow", "next"]);
  });

  it("completes the word under the cursor, and lists candidates on a second Tab", async () => {
    const single = harness({ candidates: { candidates: ["get"], start: 8 } });
    await single.type("kubectl g\t");
    await single.settle();
    expect(single.completions).toEqual([{ line: "kubectl g", cursor: 9 }]);
    expect(single.line()).toBe("$ kubectl get");

    const many = harness({ candidates: { candidates: ["pods", "podtemplates"], start: 12 } });
    await many.type("kubectl get p\t");
    await many.settle();
    expect(many.line()).toBe("$ kubectl get pod");
    await many.type("\t");
    await many.settle();
    await many.type("\t");
    await many.settle();
    expect(many.screen()).toMatch(/pods +podtemplates\r\n/);
    expect(many.line()).toBe("$ kubectl get pod");
  });

  it("prints a notice when the server cannot be reached", async () => {
    const t = harness();
    await t.type("ls\r");
    t.runs[0]?.answer({ ok: false, status: 0, error: "Could not reach the server." });
    await t.settle();
    expect(t.screen()).toContain("kubeprep: Could not reach the server.\r\n");
    expect(t.line()).toBe("$ ");
  });
});
