/**
 * The terminal's behaviour without the terminal: local line editing, history, completion,
 * continuation lines, pastes, one command in flight at a time, and Ctrl+C. It writes to any
 * `Screen` (xterm.js in the page) and talks to the server through callbacks, so everything the
 * learner types is decided here and everything that runs is decided on the server.
 */
// The engine's own bash parser (import-free, so it can ship): the `> ` prompt appears exactly when
// the server would find the input incomplete.
import { opensHeredoc, parseIncomplete } from "@/lib/k8s/shell/parse";
import type { TerminalOutput } from "@/lib/scenarios/api-types";
import type { ApiResult, CompletionResult } from "./api";
import { normalizePaste, tokenize, type InputToken, type KeyName } from "./keys";
import * as edit from "./line-editor";

export interface Screen {
  write(data: string): void;
  readonly cols: number;
}

export interface SessionIo {
  run(input: string): Promise<ApiResult<TerminalOutput>>;
  complete(line: string, cursor: number): Promise<ApiResult<CompletionResult>>;
  /** A command finished (not called for one the learner interrupted). */
  onResponse(input: string, response: TerminalOutput): void;
  /** Text for the screen-reader log: a command with its output, or a notice. */
  onLog(entry: { command?: string; output: string }): void;
}

const MAX_HISTORY = 1000;
const CLEAR_SCREEN = "\x1b[H\x1b[2J";

export class ShellSession {
  private line: edit.LineState = edit.emptyLine;
  /** Row of the terminal cursor, counted from the row where the prompt starts. */
  private cursorRow = 0;
  private prompt: string;
  private readonly history: string[];
  private historyIndex: number;
  private draft = "";
  /** A command or completion is in flight: keys wait in `queued` (Ctrl+C excepted). */
  private busy = false;
  private queued: InputToken[] = [];
  /** Bumped by Ctrl+C so the answer to an interrupted command is dropped. */
  private generation = 0;
  /** Requests leave one after another, even after an interrupted one. */
  private network: Promise<unknown> = Promise.resolve();
  private lastKeyWasTab = false;

  constructor(
    private readonly screen: Screen,
    private readonly io: SessionIo,
    initial: { prompt: string; transcript: string; history: string[] },
  ) {
    this.prompt = initial.prompt;
    this.history = initial.history.slice(-MAX_HISTORY);
    this.historyIndex = this.history.length;
    if (initial.transcript) this.screen.write(this.endWithNewline(edit.toTerminalText(initial.transcript)));
    this.redraw();
  }

  handleData(data: string): void {
    this.feed(tokenize(data));
  }

  /**
   * After the terminal changed width. xterm.js reflows everything but the wrapped line holding
   * the cursor and leaves that one to the program (as readline does on SIGWINCH): its rows are
   * where they were, so go back to the prompt's first row and draw the line at the new width.
   */
  resize(): void {
    if (!this.busy) this.redraw();
  }

  private feed(tokens: InputToken[]): void {
    for (const token of tokens) {
      if (this.busy) {
        if (token.type === "key" && token.key === "interrupt") this.interrupt();
        else this.queued.push(token);
        continue;
      }
      this.apply(token);
    }
  }

  private apply(token: InputToken): void {
    const wasTab = this.lastKeyWasTab;
    this.lastKeyWasTab = false;
    if (token.type === "text") return this.update(edit.insert(this.line, token.text));
    if (token.type === "paste") return this.paste(normalizePaste(token.text));
    this.key(token.key, wasTab);
  }

  private key(key: KeyName, wasTab: boolean): void {
    switch (key) {
      case "enter":
        return this.enter();
      case "interrupt":
        return this.interrupt();
      case "tab":
        return void this.complete(wasTab);
      case "up":
        return this.recall(-1);
      case "down":
        return this.recall(1);
      case "clear-screen":
        this.screen.write(CLEAR_SCREEN);
        this.cursorRow = 0;
        return this.redraw();
      case "eof":
        return this.update(edit.deleteForward(this.line));
      case "backspace":
        return this.update(edit.backspace(this.line));
      case "delete":
        return this.update(edit.deleteForward(this.line));
      case "left":
        return this.update(edit.moveLeft(this.line));
      case "right":
        return this.update(edit.moveRight(this.line));
      case "home":
        return this.update(edit.moveHome(this.line));
      case "end":
        return this.update(edit.moveEnd(this.line));
      case "word-left":
        return this.update(edit.wordLeft(this.line));
      case "word-right":
        return this.update(edit.wordRight(this.line));
      case "kill-to-start":
        return this.update(edit.killToStart(this.line));
      case "kill-to-end":
        return this.update(edit.killToEnd(this.line));
      case "kill-word-back":
        return this.update(edit.killWordBack(this.line));
    }
  }

  /**
   * A paste with here-documents goes to the server as one input (the body is not a series of
   * commands); any other multi-line paste runs line by line, as if typed.
   */
  private paste(text: string): void {
    if (!text.includes("\n")) return this.update(edit.insert(this.line, text));
    if (opensHeredoc(this.line.text + text)) {
      const endsWithNewline = text.endsWith("\n");
      this.update(edit.insert(this.line, endsWithNewline ? text.slice(0, -1) : text));
      if (endsWithNewline) this.enter();
      return;
    }
    const lines = text.split("\n");
    const tokens: InputToken[] = [];
    lines.forEach((line, index) => {
      if (line) tokens.push({ type: "text", text: line });
      if (index < lines.length - 1) tokens.push({ type: "key", key: "enter" });
    });
    this.feed(tokens);
  }

  private enter(): void {
    const text = this.line.text;
    if (parseIncomplete(text)) return this.update(edit.lineOf(`${text}\n`));
    this.finishLine();
    this.line = edit.emptyLine;
    this.historyIndex = this.history.length;
    this.draft = "";
    if (!text.trim()) return this.redraw();
    this.remember(text);
    void this.submit(text);
  }

  private remember(text: string): void {
    if (this.history[this.history.length - 1] !== text) this.history.push(text);
    if (this.history.length > MAX_HISTORY) this.history.shift();
    this.historyIndex = this.history.length;
  }

  private async submit(input: string): Promise<void> {
    this.busy = true;
    const generation = this.generation;
    const request = this.network.then(() => this.io.run(input));
    this.network = request.catch(() => undefined);
    const result = await request.catch((): ApiResult<TerminalOutput> => ({ ok: false, status: 0, error: "The request failed." }));
    if (generation !== this.generation) return;
    if (result.ok) {
      const { output, clear, prompt } = result.data;
      if (clear) this.screen.write(`${CLEAR_SCREEN}\x1b[3J`);
      if (output) this.screen.write(this.endWithNewline(edit.toTerminalText(output)));
      this.prompt = prompt;
      this.io.onLog({ command: input, output });
      this.io.onResponse(input, result.data);
    } else {
      const notice = `kubeprep: ${result.error}`;
      this.screen.write(`${notice}\r\n`);
      this.io.onLog({ command: input, output: notice });
    }
    this.redraw();
    this.idle();
  }

  private async complete(wasTab: boolean): Promise<void> {
    const { line, cursor, offset } = edit.currentLine(this.line);
    this.busy = true;
    const generation = this.generation;
    const result = await this.io.complete(line, cursor).catch((): ApiResult<CompletionResult> => ({ ok: false, status: 0, error: "" }));
    if (generation !== this.generation) return;
    if (result.ok) this.applyCompletion(result.data, { line, cursor, offset }, wasTab);
    this.lastKeyWasTab = true;
    this.idle();
  }

  private applyCompletion(result: CompletionResult, at: { line: string; cursor: number; offset: number }, wasTab: boolean): void {
    const start = Math.min(Math.max(0, result.start), at.cursor);
    const [only, ...others] = result.candidates;
    if (only === undefined) return;
    const from = at.offset + start;
    const to = at.offset + at.cursor;
    if (others.length === 0) return this.update(edit.replaceRange(this.line, from, to, only));
    const prefix = edit.commonPrefix(result.candidates);
    if (prefix.length > at.cursor - start) return this.update(edit.replaceRange(this.line, from, to, prefix));
    if (!wasTab) return;
    // Second Tab in a row: list the candidates under the line, then draw the line again.
    this.finishLine();
    this.screen.write(`${edit.columns(result.candidates, this.screen.cols).join("\r\n")}\r\n`);
    this.redraw();
  }

  private recall(direction: -1 | 1): void {
    const next = this.historyIndex + direction;
    if (next < 0 || next > this.history.length) return;
    if (this.historyIndex === this.history.length) this.draft = this.line.text;
    this.historyIndex = next;
    this.update(edit.lineOf(next === this.history.length ? this.draft : (this.history[next] ?? "")));
  }

  private interrupt(): void {
    if (this.busy) {
      this.generation += 1;
      this.busy = false;
      this.queued = [];
      this.screen.write("^C\r\n");
    } else {
      this.line = { ...this.line, cursor: this.line.text.length };
      this.redraw();
      this.screen.write("^C\r\n");
    }
    this.cursorRow = 0;
    this.line = edit.emptyLine;
    this.historyIndex = this.history.length;
    this.redraw();
  }

  /** Back at the prompt: replay what was typed meanwhile. */
  private idle(): void {
    this.busy = false;
    const queued = this.queued;
    this.queued = [];
    this.feed(queued);
  }

  /** Moves below the current input so that output starts on a fresh line. */
  private finishLine(): void {
    this.line = { ...this.line, cursor: this.line.text.length };
    this.redraw();
    this.screen.write("\r\n");
    this.cursorRow = 0;
  }

  private update(next: edit.LineState): void {
    this.line = next;
    this.redraw();
  }

  /** Redraws prompt and input in place and puts the cursor where the line's cursor is. */
  private redraw(): void {
    const { text, cursor } = this.line;
    const cols = this.screen.cols;
    let out = this.cursorRow > 0 ? `\x1b[${this.cursorRow}A` : "";
    out += `\r\x1b[J${edit.render(this.prompt, text)}`;
    const end = edit.positionOf(this.prompt, text, text.length, cols);
    // A line that exactly fills the last row leaves xterm waiting to wrap: make the wrap happen.
    if (end.col === 0 && end.row > 0) out += "\r\n";
    const target = edit.positionOf(this.prompt, text, cursor, cols);
    if (end.row > target.row) out += `\x1b[${end.row - target.row}A`;
    out += "\r";
    if (target.col > 0) out += `\x1b[${target.col}C`;
    this.cursorRow = target.row;
    this.screen.write(out);
  }

  private endWithNewline(text: string): string {
    return text === "" || text.endsWith("\n") ? text : `${text}\r\n`;
  }
}
