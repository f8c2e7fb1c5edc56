/**
 * Splits what xterm.js sends (`onData`: typed characters, escape sequences, bracketed pastes)
 * into editing actions for the line editor.
 */

export type KeyName =
  | "enter"
  | "backspace"
  | "delete"
  | "left"
  | "right"
  | "up"
  | "down"
  | "home"
  | "end"
  | "word-left"
  | "word-right"
  | "kill-to-start"
  | "kill-to-end"
  | "kill-word-back"
  | "tab"
  | "interrupt"
  | "clear-screen"
  | "eof";

export type InputToken = { type: "text"; text: string } | { type: "paste"; text: string } | { type: "key"; key: KeyName };

const PASTE_START = "\x1b[200~";
const PASTE_END = "\x1b[201~";

const CONTROL_KEYS: Record<string, KeyName> = {
  "\r": "enter",
  "\n": "enter",
  "\x7f": "backspace",
  "\b": "backspace",
  "\t": "tab",
  "\x01": "home",
  "\x02": "left",
  "\x03": "interrupt",
  "\x04": "eof",
  "\x05": "end",
  "\x06": "right",
  "\x0b": "kill-to-end",
  "\x0c": "clear-screen",
  "\x0e": "down",
  "\x10": "up",
  "\x15": "kill-to-start",
  "\x17": "kill-word-back",
};

const ESCAPE_SEQUENCES: Record<string, KeyName> = {
  "[A": "up",
  "[B": "down",
  "[C": "right",
  "[D": "left",
  OA: "up",
  OB: "down",
  OC: "right",
  OD: "left",
  "[H": "home",
  OH: "home",
  "[1~": "home",
  "[7~": "home",
  "[F": "end",
  OF: "end",
  "[4~": "end",
  "[8~": "end",
  "[3~": "delete",
  "[1;5C": "word-right",
  "[1;5D": "word-left",
  "[1;3C": "word-right",
  "[1;3D": "word-left",
  b: "word-left",
  f: "word-right",
  "\x7f": "kill-word-back",
};

/** Length of the escape sequence starting at `index` (which holds ESC), ESC included. */
function escapeLength(data: string, index: number): number {
  const next = data.charAt(index + 1);
  if (next === "[") {
    let end = index + 2;
    while (end < data.length && /[0-9;?]/.test(data.charAt(end))) end += 1;
    return Math.min(end + 1, data.length) - index;
  }
  if (next === "O") return Math.min(3, data.length - index);
  return next ? 2 : 1;
}

export function tokenize(data: string): InputToken[] {
  const tokens: InputToken[] = [];
  let text = "";
  const flush = () => {
    if (text) tokens.push({ type: "text", text });
    text = "";
  };
  let index = 0;
  while (index < data.length) {
    if (data.startsWith(PASTE_START, index)) {
      flush();
      const end = data.indexOf(PASTE_END, index + PASTE_START.length);
      const stop = end === -1 ? data.length : end;
      tokens.push({ type: "paste", text: data.slice(index + PASTE_START.length, stop) });
      index = end === -1 ? data.length : end + PASTE_END.length;
      continue;
    }
    const char = data.charAt(index);
    if (char === "\x1b") {
      flush();
      const length = escapeLength(data, index);
      const key = ESCAPE_SEQUENCES[data.slice(index + 1, index + length)];
      if (key) tokens.push({ type: "key", key });
      index += length;
      continue;
    }
    const control = CONTROL_KEYS[char];
    if (control) {
      flush();
      tokens.push({ type: "key", key: control });
    } else if (char >= " ") {
      text += char;
    }
    index += 1;
  }
  flush();
  return tokens;
}

/** Pasted text with the terminal's line ends (xterm sends CR) turned into \n. */
export function normalizePaste(text: string): string {
  return text.replace(/\r\n?/g, "\n");
}
