/**
 * The modal part of `vi`/`vim` in the editor panel, as plain data: normal-mode motions and edits,
 * `:` commands and `/` search, over the file's text and a cursor offset. Insert mode is the
 * textarea's own typing; this module only decides what a key does outside it. It covers what an
 * exam candidate uses on a manifest (h j k l, w b, 0 ^ $, gg G, x dd D yy p P r, i a I A o O,
 * cw C, u, /text n N, :w :q :wq :x :q! ZZ ZQ, :N, :s and :%s), not the whole of vim.
 */

export type ViMode = "normal" | "insert" | "command" | "search";

export interface ViState {
  text: string;
  cursor: number;
  mode: ViMode;
  /** Keys of an unfinished normal-mode command: a count, `d`, `y`, `c`, `g`, `r`, `Z`. */
  pending: string;
  /** What follows `:` or `/` while it is typed. */
  commandLine: string;
  /** The status line: an error or a note, as vim words it. */
  message: string;
  /** The last yanked or deleted lines (`p` and `P` put them as whole lines). */
  register: string;
  lastSearch: string;
  undo: { text: string; cursor: number }[];
  modified: boolean;
  /** Whether the current insert session has saved its undo step (vim undoes one insert as a whole). */
  insertSaved: boolean;
}

/** What the panel must do after a key: write the file, close it, or both. */
export type ViEffect = "none" | "write" | "quit" | "write-quit";

const MAX_UNDO = 100;

export function startVi(text: string): ViState {
  return {
    text,
    cursor: 0,
    mode: "normal",
    pending: "",
    commandLine: "",
    message: "",
    register: "",
    lastSearch: "",
    undo: [],
    modified: false,
    insertSaved: false,
  };
}

function lineStart(text: string, at: number): number {
  return text.lastIndexOf("\n", at - 1) + 1;
}

function lineEnd(text: string, at: number): number {
  const next = text.indexOf("\n", at);
  return next === -1 ? text.length : next;
}

/** The last character of the line in normal mode (vim never rests on the newline). */
function clampNormal(text: string, at: number): number {
  const start = lineStart(text, Math.min(at, text.length));
  const end = lineEnd(text, start);
  return Math.max(start, Math.min(at, end - 1));
}

function lineNumberOf(text: string, at: number): number {
  let line = 0;
  for (let i = text.indexOf("\n"); i !== -1 && i < at; i = text.indexOf("\n", i + 1)) line++;
  return line;
}

function offsetOfLine(text: string, line: number): number {
  let at = 0;
  for (let i = 0; i < line; i++) {
    const next = text.indexOf("\n", at);
    if (next === -1) return lineStart(text, text.length);
    at = next + 1;
  }
  return at;
}

function firstNonBlank(text: string, at: number): number {
  let i = lineStart(text, at);
  const end = lineEnd(text, i);
  while (i < end && (text[i] === " " || text[i] === "\t")) i++;
  return i;
}

function verticalMove(text: string, at: number, lines: number): number {
  const column = at - lineStart(text, at);
  const last = lineNumberOf(text, text.length);
  const target = Math.max(0, Math.min(last, lineNumberOf(text, at) + lines));
  const start = offsetOfLine(text, target);
  return clampNormal(text, start + Math.min(column, lineEnd(text, start) - start));
}

const isWord = (c: string | undefined) => c !== undefined && /\w/.test(c);
const isBlank = (c: string | undefined) => c === " " || c === "\t" || c === "\n";

function wordForward(text: string, at: number): number {
  let i = at;
  const kind = (c: string | undefined) => (isBlank(c) ? 0 : isWord(c) ? 1 : 2);
  const first = kind(text[i]);
  while (i < text.length && first !== 0 && kind(text[i]) === first) i++;
  while (i < text.length && isBlank(text[i])) i++;
  return Math.min(i, Math.max(0, text.length - 1));
}

function wordBackward(text: string, at: number): number {
  let i = at - 1;
  while (i > 0 && isBlank(text[i])) i--;
  const kind = isWord(text[i]);
  while (i > 0 && !isBlank(text[i - 1]) && isWord(text[i - 1]) === kind) i--;
  return Math.max(0, i);
}

function withUndo(state: ViState): ViState {
  return { ...state, undo: [...state.undo, { text: state.text, cursor: state.cursor }].slice(-MAX_UNDO), modified: true };
}

function edit(state: ViState, text: string, cursor: number): ViState {
  return { ...withUndo(state), text, cursor };
}

/** The lines from the cursor's line on, `count` of them, as [start, end) including the newline. */
function lineRange(text: string, at: number, count: number): [number, number] {
  const start = lineStart(text, at);
  let end = start;
  for (let i = 0; i < count; i++) {
    const next = text.indexOf("\n", end);
    if (next === -1) return [start > 0 && end >= text.length ? start - 1 : start, text.length];
    end = next + 1;
  }
  return [start, end];
}

function search(state: ViState, needle: string, backward: boolean): ViState {
  if (needle === "") return { ...state, message: "E35: No previous regular expression" };
  const { text, cursor } = state;
  let found = backward ? text.lastIndexOf(needle, cursor - 1) : text.indexOf(needle, cursor + 1);
  let message = "";
  if (found === -1) {
    found = backward ? text.lastIndexOf(needle) : text.indexOf(needle);
    if (found !== -1) message = backward ? "search hit TOP, continuing at BOTTOM" : "search hit BOTTOM, continuing at TOP";
  }
  if (found === -1) return { ...state, lastSearch: needle, message: `E486: Pattern not found: ${needle}` };
  return { ...state, cursor: found, lastSearch: needle, message };
}

/** `:s/from/to/[g]` on the cursor's line, or `:%s` on every line; the pattern is a JavaScript regular expression. */
function substitute(state: ViState, command: string): ViState {
  const whole = command.startsWith("%");
  const body = whole ? command.slice(1) : command;
  const delimiter = body[1];
  if (delimiter === undefined || /[\w\s\\]/.test(delimiter)) return { ...state, message: "E488: Trailing characters" };
  const [from = "", to = "", flags = ""] = body.slice(2).split(delimiter);
  let pattern: RegExp;
  try {
    pattern = new RegExp(from, flags.includes("g") ? "g" : "");
  } catch {
    return { ...state, message: `E486: Pattern not found: ${from}` };
  }
  const start = whole ? 0 : lineStart(state.text, state.cursor);
  const end = whole ? state.text.length : lineEnd(state.text, state.cursor);
  const lines = state.text.slice(start, end).split("\n");
  let changed = -1;
  const replaced = lines.map((line, index) => {
    const next = line.replace(pattern, to);
    if (next !== line && changed === -1) changed = index;
    return next;
  });
  if (changed === -1) return { ...state, message: `E486: Pattern not found: ${from}` };
  const text = state.text.slice(0, start) + replaced.join("\n") + state.text.slice(end);
  const lineAt = offsetOfLine(text, lineNumberOf(state.text, start) + changed);
  return edit(state, text, firstNonBlank(text, lineAt));
}

function exCommand(state: ViState, line: string): { state: ViState; effect: ViEffect } {
  const done = { ...state, mode: "normal" as const, commandLine: "" };
  const command = line.trim();
  if (command === "") return { state: done, effect: "none" };
  if (command === "w") return { state: { ...done, modified: false }, effect: "write" };
  if (command === "wq" || command === "x" || command === "wq!" || command === "x!") return { state: done, effect: "write-quit" };
  if (command === "q!") return { state: done, effect: "quit" };
  if (command === "q") {
    if (state.modified) return { state: { ...done, message: "E37: No write since last change (add ! to override)" }, effect: "none" };
    return { state: done, effect: "quit" };
  }
  if (/^\d+$/.test(command))
    return {
      state: { ...done, cursor: firstNonBlank(state.text, offsetOfLine(state.text, Math.max(0, Number(command) - 1))) },
      effect: "none",
    };
  if (command === "$")
    return { state: { ...done, cursor: firstNonBlank(state.text, lineStart(state.text, state.text.length)) }, effect: "none" };
  if (/^%?s\W/.test(command)) return { state: substitute(done, command), effect: "none" };
  return { state: { ...done, message: `E492: Not an editor command: ${command}` }, effect: "none" };
}

/** What the textarea typed in insert mode: the new text and caret, one undo step per insert session. */
export function viTyped(state: ViState, text: string, cursor: number): ViState {
  const saved = state.insertSaved ? state : { ...withUndo(state), insertSaved: true };
  return { ...saved, text, cursor, modified: true };
}

const ARROWS: Record<string, string> = { ArrowLeft: "h", ArrowRight: "l", ArrowDown: "j", ArrowUp: "k", Home: "0", End: "$" };

/**
 * One key outside insert mode (`key` as KeyboardEvent.key names it). In insert mode only Escape
 * comes here; the textarea types everything else itself.
 */
export function viKey(state: ViState, key: string): { state: ViState; effect: ViEffect } {
  const none = (next: ViState) => ({ state: next, effect: "none" as const });
  if (state.mode === "insert") {
    if (key !== "Escape") return none(state);
    return none({
      ...state,
      mode: "normal",
      insertSaved: false,
      cursor: clampNormal(state.text, state.cursor > lineStart(state.text, state.cursor) ? state.cursor - 1 : state.cursor),
    });
  }
  if (state.mode === "command" || state.mode === "search") {
    if (key === "Escape") return none({ ...state, mode: "normal", commandLine: "" });
    if (key === "Backspace") {
      if (state.commandLine === "") return none({ ...state, mode: "normal" });
      return none({ ...state, commandLine: state.commandLine.slice(0, -1) });
    }
    if (key === "Enter") {
      if (state.mode === "command") return exCommand(state, state.commandLine);
      const needle = state.commandLine === "" ? state.lastSearch : state.commandLine;
      return none(search({ ...state, mode: "normal", commandLine: "" }, needle, false));
    }
    if ([...key].length !== 1) return none(state);
    return none({ ...state, commandLine: (state.commandLine + key).slice(0, 500) });
  }

  const typed = ARROWS[key] ?? key;
  if (typed === "Escape") return none({ ...state, pending: "", message: "" });
  if ([...typed].length !== 1) return none(state);
  const keys = state.pending + typed;
  const match = /^([1-9]\d*)?(.*)$/.exec(keys);
  const countText = match?.[1];
  const command = match?.[2] ?? "";
  const count = Math.min(Number(countText ?? "1"), 10_000);
  const { text, cursor } = state;
  const base = { ...state, pending: "", message: "" };
  if (command === "") return none({ ...state, pending: keys });

  switch (command) {
    case "h":
      return none({ ...base, cursor: Math.max(lineStart(text, cursor), cursor - count) });
    case "l":
      return none({ ...base, cursor: clampNormal(text, Math.min(lineEnd(text, cursor) - 1, cursor + count)) });
    case "j":
      return none({ ...base, cursor: verticalMove(text, cursor, count) });
    case "k":
      return none({ ...base, cursor: verticalMove(text, cursor, -count) });
    case "0":
      return none({ ...base, cursor: lineStart(text, cursor) });
    case "^":
      return none({ ...base, cursor: clampNormal(text, firstNonBlank(text, cursor)) });
    case "$":
      return none({ ...base, cursor: clampNormal(text, lineEnd(text, cursor)) });
    case "w": {
      let at = cursor;
      for (let i = 0; i < count; i++) at = wordForward(text, at);
      return none({ ...base, cursor: at });
    }
    case "b": {
      let at = cursor;
      for (let i = 0; i < count; i++) at = wordBackward(text, at);
      return none({ ...base, cursor: at });
    }
    case "G": {
      const line = countText === undefined ? lineNumberOf(text, text.length) : count - 1;
      return none({ ...base, cursor: firstNonBlank(text, offsetOfLine(text, line)) });
    }
    case "gg":
      return none({ ...base, cursor: firstNonBlank(text, offsetOfLine(text, count - 1)) });
    case "i":
      return none({ ...base, mode: "insert" });
    case "a":
      return none({ ...base, mode: "insert", cursor: Math.min(lineEnd(text, cursor), cursor + 1) });
    case "I":
      return none({ ...base, mode: "insert", cursor: firstNonBlank(text, cursor) });
    case "A":
      return none({ ...base, mode: "insert", cursor: lineEnd(text, cursor) });
    case "o": {
      const end = lineEnd(text, cursor);
      return none({ ...edit(base, `${text.slice(0, end)}\n${text.slice(end)}`, end + 1), mode: "insert", insertSaved: true });
    }
    case "O": {
      const start = lineStart(text, cursor);
      return none({ ...edit(base, `${text.slice(0, start)}\n${text.slice(start)}`, start), mode: "insert", insertSaved: true });
    }
    case "x": {
      const end = Math.min(lineEnd(text, cursor), cursor + count);
      if (end <= cursor) return none(base);
      const next = text.slice(0, cursor) + text.slice(end);
      return none({ ...edit(base, next, clampNormal(next, cursor)), register: text.slice(cursor, end) });
    }
    case "D":
    case "C": {
      const end = lineEnd(text, cursor);
      const next = text.slice(0, cursor) + text.slice(end);
      const changed = edit(base, next, command === "C" ? cursor : clampNormal(next, cursor));
      return none({ ...changed, mode: command === "C" ? "insert" : "normal", insertSaved: command === "C" });
    }
    case "dd":
    case "yy": {
      const [start, end] = lineRange(text, cursor, count);
      const lines = text.slice(start, end);
      const register = lines.endsWith("\n") || start === 0 ? lines.replace(/\n?$/, "\n") : `${lines.slice(1)}\n`;
      if (command === "yy") return none({ ...base, register });
      const next = text.slice(0, start) + text.slice(end);
      return none({ ...edit(base, next, firstNonBlank(next, Math.min(start, next.length))), register });
    }
    case "cw":
    case "ce": {
      let end = cursor;
      while (end < text.length && isWord(text[end]) === isWord(text[cursor]) && !isBlank(text[end])) end++;
      return none({ ...edit(base, text.slice(0, cursor) + text.slice(end), cursor), mode: "insert", insertSaved: true });
    }
    case "p":
    case "P": {
      if (state.register === "") return none({ ...base, message: 'E353: Nothing in register "' });
      if (!state.register.endsWith("\n")) {
        const at = command === "p" ? Math.min(text.length, cursor + 1) : cursor;
        return none(edit(base, text.slice(0, at) + state.register + text.slice(at), at + state.register.length - 1));
      }
      let at = command === "p" ? lineEnd(text, cursor) + 1 : lineStart(text, cursor);
      let put = state.register;
      if (at > text.length) {
        at = text.length;
        put = `\n${put.slice(0, -1)}`;
      }
      const next = text.slice(0, at) + put + text.slice(at);
      return none(edit(base, next, firstNonBlank(next, put.startsWith("\n") ? at + 1 : at)));
    }
    case "u": {
      const last = state.undo.at(-1);
      if (!last) return none({ ...base, message: "Already at oldest change" });
      return none({ ...base, text: last.text, cursor: clampNormal(last.text, last.cursor), undo: state.undo.slice(0, -1) });
    }
    case "n":
    case "N":
      return none(search(base, state.lastSearch, command === "N"));
    case ":":
      return none({ ...base, mode: "command", commandLine: "" });
    case "/":
      return none({ ...base, mode: "search", commandLine: "" });
    case "ZZ":
      return { state: base, effect: "write-quit" };
    case "ZQ":
      return { state: base, effect: "quit" };
  }
  if (command.startsWith("r") && command.length === 2) {
    if (cursor >= lineEnd(text, cursor)) return none(base);
    return none(edit(base, text.slice(0, cursor) + command.slice(1) + text.slice(cursor + 1), cursor));
  }
  // An unfinished command waits for its next key; anything else is not a command here.
  if (["d", "y", "c", "g", "r", "Z"].includes(command)) return none({ ...state, pending: keys });
  return none(base);
}
