/**
 * Shell wildcard patterns (`*`, `?`, `[...]`) for pathname expansion and `find -name`, matched
 * with the two-pointer algorithm (remember the last `*`, never more): at most
 * pattern length × name length steps, where a backtracking regex takes exponential time on
 * `*a*a*a*a*b`. Components are at most NAME_MAX (255) characters, as on Linux, which bounds a match.
 */

export const NAME_MAX = 255;

type Token = { kind: "star" } | { kind: "one"; test: (ch: string) => boolean };

const CLASSES: Record<string, (ch: string) => boolean> = {
  alpha: (ch) => /[A-Za-z]/.test(ch),
  digit: (ch) => /[0-9]/.test(ch),
  alnum: (ch) => /[A-Za-z0-9]/.test(ch),
  upper: (ch) => /[A-Z]/.test(ch),
  lower: (ch) => /[a-z]/.test(ch),
  space: (ch) => /[ \t\n\r\f\v]/.test(ch),
  blank: (ch) => ch === " " || ch === "\t",
  punct: (ch) => /[!-/:-@[-`{-~]/.test(ch),
  xdigit: (ch) => /[0-9A-Fa-f]/.test(ch),
  print: (ch) => /[ -~]/.test(ch),
  graph: (ch) => /[!-~]/.test(ch),
  cntrl: (ch) => ch.charCodeAt(0) < 0x20 || ch.charCodeAt(0) === 0x7f,
};

export interface Glob {
  tokens: Token[];
  /** A pattern longer than any file name can be matches nothing. */
  impossible: boolean;
}

/** Parses a bracket expression at `start` (`[`); undefined when it does not close (then `[` is literal). */
function bracket(
  text: string,
  start: number,
  active: (i: number) => boolean,
  fold: (ch: string) => string,
): { token: Token; next: number } | undefined {
  let i = start + 1;
  let negate = false;
  if (text[i] === "!" || text[i] === "^") {
    negate = true;
    i++;
  }
  const tests: ((ch: string) => boolean)[] = [];
  let first = true;
  for (; i < text.length; i++) {
    const ch = text[i] ?? "";
    if (ch === "]" && !first && active(i)) {
      return { token: { kind: "one", test: (c) => tests.some((t) => t(fold(c))) !== negate }, next: i + 1 };
    }
    first = false;
    if (ch === "[" && text[i + 1] === ":") {
      const end = text.indexOf(":]", i + 2);
      const named = end > 0 ? CLASSES[text.slice(i + 2, end)] : undefined;
      if (named) {
        tests.push(named);
        i = end + 1;
        continue;
      }
    }
    if (ch === "\\" && i + 1 < text.length) i++;
    const low = fold(text[i] ?? "");
    if (text[i + 1] === "-" && text[i + 2] !== undefined && text[i + 2] !== "]") {
      const high = fold(text[i + 2] ?? "");
      tests.push((c) => c >= low && c <= high);
      i += 2;
    } else tests.push((c) => c === low);
  }
  return undefined;
}

/**
 * `active[i]` false: the character was quoted and stands for itself. `ignoreCase` for `find -iname`.
 */
export function compileGlob(text: string, active?: boolean[], ignoreCase = false): Glob {
  const isActive = (i: number): boolean => (active ? active[i] === true : true);
  const fold = ignoreCase ? (ch: string) => ch.toLowerCase() : (ch: string) => ch;
  const tokens: Token[] = [];
  let literalLength = 0;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i] ?? "";
    if (isActive(i) && ch === "*") {
      if (tokens[tokens.length - 1]?.kind !== "star") tokens.push({ kind: "star" });
      continue;
    }
    literalLength++;
    if (isActive(i) && ch === "?") {
      tokens.push({ kind: "one", test: () => true });
      continue;
    }
    if (isActive(i) && ch === "[") {
      const parsed = bracket(text, i, isActive, fold);
      if (parsed) {
        tokens.push(parsed.token);
        i = parsed.next - 1;
        continue;
      }
    }
    let literal = ch;
    if (isActive(i) && ch === "\\" && i + 1 < text.length) literal = text[++i] ?? "";
    const expected = fold(literal);
    tokens.push({ kind: "one", test: (c) => fold(c) === expected });
  }
  return { tokens, impossible: literalLength > NAME_MAX };
}

export function hasWildcard(text: string, active?: boolean[]): boolean {
  for (let i = 0; i < text.length; i++) if ((active ? active[i] : true) && "*?[".includes(text[i] ?? "")) return true;
  return false;
}

/** Does the whole `name` match? Linear two-pointer matching, no backtracking beyond the last `*`. */
export function globMatch(glob: Glob, name: string): boolean {
  if (glob.impossible || name.length > 4 * NAME_MAX) return false;
  const { tokens } = glob;
  let p = 0;
  let t = 0;
  let starP = -1;
  let starT = 0;
  while (t < name.length) {
    const token = tokens[p];
    if (token?.kind === "one" && token.test(name[t] ?? "")) {
      p++;
      t++;
    } else if (token?.kind === "star") {
      starP = p++;
      starT = t;
    } else if (starP >= 0) {
      p = starP + 1;
      t = ++starT;
    } else return false;
  }
  while (tokens[p]?.kind === "star") p++;
  return p === tokens.length;
}
