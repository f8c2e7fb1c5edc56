/**
 * Just enough of bash's lexer for the browser to know when a line is finished: the server parses
 * everything again, so this only decides between running the input and showing the `> ` prompt.
 */

export interface InputAnalysis {
  /** bash would print PS2 and read another line. */
  incomplete: boolean;
  /** A `<<` or `<<-` here-document appears outside quotes. */
  hasHeredoc: boolean;
}

const WORD_BREAK = new Set([" ", "\t", "\n", ";", "|", "&", "(", ")", "<", ">"]);

/** Reads a here-document delimiter word at `start`, returning it without quotes and where it ends. */
function readDelimiter(text: string, start: number): { word: string; end: number } {
  let index = start;
  let word = "";
  while (index < text.length) {
    const char = text.charAt(index);
    if (char === "'" || char === '"') {
      const close = text.indexOf(char, index + 1);
      const stop = close === -1 ? text.length : close;
      word += text.slice(index + 1, stop);
      index = stop + 1;
    } else if (char === "\\" && index + 1 < text.length) {
      word += text.charAt(index + 1);
      index += 2;
    } else if (WORD_BREAK.has(char)) {
      break;
    } else {
      word += char;
      index += 1;
    }
  }
  return { word, end: index };
}

export function analyzeInput(text: string): InputAnalysis {
  let quote: "'" | '"' | null = null;
  let hasHeredoc = false;
  /** The last unquoted token-ish thing: a pipe or && at the end means bash wants more. */
  let tail: "word" | "pipe" | "and" | "other" = "other";
  const pending: { delimiter: string; stripTabs: boolean }[] = [];
  let index = 0;

  while (index < text.length) {
    const char = text.charAt(index);

    if (quote === "'") {
      if (char === "'") quote = null;
      index += 1;
      continue;
    }
    if (quote === '"') {
      if (char === "\\") index += 2;
      else {
        if (char === '"') quote = null;
        index += 1;
      }
      continue;
    }

    if (char === "\n") {
      index += 1;
      // Here-document bodies start on the line after their operator.
      while (pending.length > 0 && index <= text.length) {
        const next = text.indexOf("\n", index);
        const lineEnd = next === -1 ? text.length : next;
        const head = pending[0];
        let line = text.slice(index, lineEnd);
        if (head?.stripTabs) line = line.replace(/^\t+/, "");
        if (head && line === head.delimiter) pending.shift();
        if (next === -1) {
          index = text.length;
          break;
        }
        index = next + 1;
      }
      continue;
    }
    if (char === "\\") {
      if (index + 1 >= text.length) return { incomplete: true, hasHeredoc };
      tail = "word";
      index += 2;
      continue;
    }
    if (char === "'" || char === '"') {
      quote = char;
      tail = "word";
      index += 1;
      continue;
    }
    if (char === "#" && (index === 0 || WORD_BREAK.has(text.charAt(index - 1)))) {
      const next = text.indexOf("\n", index);
      index = next === -1 ? text.length : next;
      continue;
    }
    if (char === "<" && text.charAt(index + 1) === "<") {
      if (text.charAt(index + 2) === "<") {
        index += 3;
        tail = "other";
        continue;
      }
      let cursor = index + 2;
      const stripTabs = text.charAt(cursor) === "-";
      if (stripTabs) cursor += 1;
      while (text.charAt(cursor) === " " || text.charAt(cursor) === "\t") cursor += 1;
      const { word, end } = readDelimiter(text, cursor);
      if (word) {
        pending.push({ delimiter: word, stripTabs });
        hasHeredoc = true;
      }
      tail = "other";
      index = Math.max(end, index + 2);
      continue;
    }
    if (char === "|") {
      tail = "pipe";
      index += text.charAt(index + 1) === "|" ? 2 : 1;
      continue;
    }
    if (char === "&") {
      if (text.charAt(index + 1) === "&") {
        tail = "and";
        index += 2;
      } else {
        tail = "other";
        index += 1;
      }
      continue;
    }
    if (char !== " " && char !== "\t") tail = WORD_BREAK.has(char) ? "other" : "word";
    index += 1;
  }

  const incomplete = quote !== null || pending.length > 0 || tail === "pipe" || tail === "and";
  return { incomplete, hasHeredoc };
}
