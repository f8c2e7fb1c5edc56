/**
 * The learner's input line as plain data (text and cursor), the edits bash's readline offers,
 * and the screen layout that lets the terminal redraw the line in place. The text may hold
 * newlines: continuation lines after an open quote, a here-document or a trailing pipe.
 */

export interface LineState {
  text: string;
  cursor: number;
}

export const emptyLine: LineState = { text: "", cursor: 0 };

export function lineOf(text: string): LineState {
  return { text, cursor: text.length };
}

/** Start of the logical line (after the last newline) that holds the cursor. */
function lineStart(state: LineState): number {
  return state.text.lastIndexOf("\n", state.cursor - 1) + 1;
}

function lineEnd(state: LineState): number {
  const next = state.text.indexOf("\n", state.cursor);
  return next === -1 ? state.text.length : next;
}

export function insert(state: LineState, text: string): LineState {
  return { text: state.text.slice(0, state.cursor) + text + state.text.slice(state.cursor), cursor: state.cursor + text.length };
}

export function backspace(state: LineState): LineState {
  if (state.cursor === 0) return state;
  return { text: state.text.slice(0, state.cursor - 1) + state.text.slice(state.cursor), cursor: state.cursor - 1 };
}

export function deleteForward(state: LineState): LineState {
  if (state.cursor >= state.text.length) return state;
  return { text: state.text.slice(0, state.cursor) + state.text.slice(state.cursor + 1), cursor: state.cursor };
}

export function moveLeft(state: LineState): LineState {
  return { ...state, cursor: Math.max(0, state.cursor - 1) };
}

export function moveRight(state: LineState): LineState {
  return { ...state, cursor: Math.min(state.text.length, state.cursor + 1) };
}

export function moveHome(state: LineState): LineState {
  return { ...state, cursor: lineStart(state) };
}

export function moveEnd(state: LineState): LineState {
  return { ...state, cursor: lineEnd(state) };
}

const isSpace = (char: string) => char === " " || char === "\t" || char === "\n";
const isWordChar = (char: string) => /[A-Za-z0-9]/.test(char);

/** Alt+B / Ctrl+Left: to the start of the previous word (letters and digits, as readline). */
export function wordLeft(state: LineState): LineState {
  let cursor = state.cursor;
  while (cursor > 0 && !isWordChar(state.text.charAt(cursor - 1))) cursor -= 1;
  while (cursor > 0 && isWordChar(state.text.charAt(cursor - 1))) cursor -= 1;
  return { ...state, cursor };
}

export function wordRight(state: LineState): LineState {
  let cursor = state.cursor;
  while (cursor < state.text.length && !isWordChar(state.text.charAt(cursor))) cursor += 1;
  while (cursor < state.text.length && isWordChar(state.text.charAt(cursor))) cursor += 1;
  return { ...state, cursor };
}

/** Ctrl+U: deletes from the start of the line to the cursor. */
export function killToStart(state: LineState): LineState {
  const start = lineStart(state);
  return { text: state.text.slice(0, start) + state.text.slice(state.cursor), cursor: start };
}

/** Ctrl+K: deletes from the cursor to the end of the line. */
export function killToEnd(state: LineState): LineState {
  return { text: state.text.slice(0, state.cursor) + state.text.slice(lineEnd(state)), cursor: state.cursor };
}

/** Ctrl+W: deletes the whitespace-delimited word before the cursor (readline's unix-word-rubout). */
export function killWordBack(state: LineState): LineState {
  const start = lineStart(state);
  let cursor = state.cursor;
  while (cursor > start && isSpace(state.text.charAt(cursor - 1))) cursor -= 1;
  while (cursor > start && !isSpace(state.text.charAt(cursor - 1))) cursor -= 1;
  return { text: state.text.slice(0, cursor) + state.text.slice(state.cursor), cursor };
}

/** The logical line holding the cursor and the cursor within it: what Tab completion sees. */
export function currentLine(state: LineState): { line: string; cursor: number; offset: number } {
  const start = lineStart(state);
  return { line: state.text.slice(start, lineEnd(state)), cursor: state.cursor - start, offset: start };
}

/** Replaces `[from, to)` (absolute offsets) and puts the cursor after the replacement. */
export function replaceRange(state: LineState, from: number, to: number, replacement: string): LineState {
  return { text: state.text.slice(0, from) + replacement + state.text.slice(to), cursor: from + replacement.length };
}

/** Longest common prefix of completion candidates (what bash inserts on the first Tab). */
export function commonPrefix(values: string[]): string {
  const [first, ...rest] = values;
  if (first === undefined) return "";
  let length = first.length;
  for (const value of rest) {
    let index = 0;
    while (index < length && index < value.length && value.charAt(index) === first.charAt(index)) index += 1;
    length = index;
  }
  return first.slice(0, length);
}

export const CONTINUATION_PROMPT = "> ";

/** Row and column (relative to the prompt's first cell) where the character at `index` starts. */
export function positionOf(prompt: string, text: string, index: number, cols: number): { row: number; col: number } {
  const width = Math.max(1, cols);
  let row = 0;
  let col = 0;
  const advance = (count: number) => {
    for (let step = 0; step < count; step++) {
      if (col === width) {
        row += 1;
        col = 0;
      }
      col += 1;
    }
  };
  advance(prompt.length);
  for (let position = 0; position < index && position < text.length; position++) {
    if (text.charAt(position) === "\n") {
      row += 1;
      col = 0;
      advance(CONTINUATION_PROMPT.length);
    } else {
      advance(1);
    }
  }
  // A full row leaves the cursor past its last cell: the next character starts the next row.
  if (col === width) return { row: row + 1, col: 0 };
  return { row, col };
}

/** What to write to draw the prompt and text from the prompt's first cell. */
export function render(prompt: string, text: string): string {
  return prompt + text.replace(/\n/g, `\r\n${CONTINUATION_PROMPT}`);
}

/** Terminal output with bare \n line ends turned into \r\n. */
export function toTerminalText(output: string): string {
  return output.replace(/\r?\n/g, "\r\n");
}

/** Lays candidates out in columns the way bash lists completions, as lines of text. */
export function columns(candidates: string[], cols: number): string[] {
  const widest = candidates.reduce((max, value) => Math.max(max, value.length), 0) + 2;
  const perRow = Math.max(1, Math.floor(Math.max(1, cols) / widest));
  const rows = Math.ceil(candidates.length / perRow);
  const lines: string[] = [];
  for (let row = 0; row < rows; row++) {
    let line = "";
    for (let column = 0; column < perRow; column++) {
      const value = candidates[column * rows + row];
      if (value !== undefined) line += value.padEnd(widest);
    }
    lines.push(line.trimEnd());
  }
  return lines;
}
