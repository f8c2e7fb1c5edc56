/**
 * Every regular expression a learner (or a scenario check) supplies is run by re2js, a pure-JS
 * port of RE2: matching is linear in the input, so no pattern can stall the process the way a
 * backtracking engine does on `^(a+)+$`. Three front ends translate the syntaxes the shell meets
 * into RE2's:
 *
 * - `compilePosix`: GNU grep / sed BRE and ERE (`grep`, `grep -E`, `sed`, `sed -E`).
 * - `compileOniguruma`: jq's regular expressions (Oniguruma, Perl_NT syntax).
 * - `compileAuthored`: the JavaScript-syntax patterns scenario files use for checks.
 *
 * Differences from GNU regex and Oniguruma (tested in regex.test.ts); the error texts are ours:
 * - Backreferences (`\1` … `\9`, `\k<name>`) are refused: "backreferences are not supported".
 * - Lookahead, lookbehind (`(?=` `(?!` `(?<=` `(?<!`), atomic groups `(?>` and possessive
 *   quantifiers (`a*+`) are refused: "lookaround is not supported" / "… not supported".
 * - Repetition counts above 1000 (`a{1001}`) are refused (GNU allows up to 32767).
 * - `\<` and `\>` both become `\b` (a word boundary on either side).
 * - POSIX equivalence classes and collating symbols (`[[=a=]]`, `[[.x.]]`) are refused.
 * - Leftmost-first (Perl) matching instead of POSIX leftmost-longest: `echo abcd | grep -oE 'a|ab'`
 *   prints `a` where GNU prints `ab`. jq's `l` flag asks for the longest match and is honoured.
 * - GNU's stray-backslash escapes (`\d`, `\y`) match the letter itself, as GNU grep 3.8+ does
 *   (without its warning).
 */
import { RE2JS, type Matcher } from "re2js";

export class RegexSyntaxError extends Error {}

export interface RegexMatch {
  index: number;
  end: number;
  /** Group 0 is the whole match; an unmatched group is undefined. */
  groups: (string | undefined)[];
  /** Start offsets of the groups (-1 when unmatched), for jq's `match`. */
  offsets: number[];
}

/** Most matches one call to `matches` walks; callers cap their output far below this. */
const MAX_MATCHES = 1_000_000;

const REMEMBERED_ANSWERS = 512;
const REMEMBERED_LENGTH = 512;

export class LinearRegex {
  constructor(
    private readonly re: RE2JS,
    /** Match only at a word boundary on both sides (grep -w): the match is group 1. */
    private readonly wordGroup = false,
  ) {}

  test(text: string): boolean {
    return this.wordGroup ? this.exec(text) !== undefined : this.re.test(text);
  }

  /** Answers of `testRemembered`, by text (at most REMEMBERED_ANSWERS, texts of at most REMEMBERED_LENGTH). */
  private answers: Map<string, boolean> | undefined;

  /**
   * `test`, remembering the answer for a short text: for a pattern tested again and again on the
   * same texts, such as a scenario check over the request history and the shell history after
   * every command (150 request URLs are 150 runs of the linear engine, about 0.3 ms).
   */
  testRemembered(text: string): boolean {
    if (text.length > REMEMBERED_LENGTH) return this.test(text);
    this.answers ??= new Map();
    let answer = this.answers.get(text);
    if (answer === undefined) {
      answer = this.test(text);
      if (this.answers.size >= REMEMBERED_ANSWERS) this.answers.clear();
      this.answers.set(text, answer);
    }
    return answer;
  }

  exec(text: string, from = 0): RegexMatch | undefined {
    return this.execWith(this.re.matcher(text), text, from);
  }

  /** `from` null: continue after the matcher's previous match (faster than restarting). */
  private execWith(matcher: Matcher, text: string, from: number | null): RegexMatch | undefined {
    if (from !== null && from > text.length) return undefined;
    if (!(from === null ? matcher.find() : matcher.find(from))) return undefined;
    const count = matcher.groupCount();
    const groups: (string | undefined)[] = [];
    const offsets: number[] = [];
    const first = this.wordGroup ? 1 : 0;
    for (let i = first; i <= count; i++) {
      const start = matcher.start(i);
      groups.push(start < 0 ? undefined : (matcher.group(i) ?? undefined));
      offsets.push(start);
    }
    const index = matcher.start(first);
    return { index, end: matcher.end(first), groups, offsets };
  }

  /**
   * Non-overlapping matches left to right, empty matches included (like String#matchAll).
   * `stop` is asked every few thousand matches (the input's time budget) and ends the walk with
   * its exception.
   */
  *matches(text: string, stop?: () => void): Generator<RegexMatch> {
    let from = 0;
    let found = 0;
    // One matcher for the whole walk: making one per match costs the length of the text each time.
    const matcher = this.re.matcher(text);
    while (from <= text.length && found < MAX_MATCHES) {
      // grep -w restarts after group 1 (the trailing context is not part of the match).
      const match = this.execWith(matcher, text, this.wordGroup ? from : null);
      if (!match) return;
      found++;
      if (stop && found % 4096 === 0) stop();
      yield match;
      from = match.end > match.index ? match.end : match.end + 1;
    }
  }

  /** Named groups: name -> group number. */
  names(): Record<string, number> {
    return this.re.namedGroups();
  }
}

function compile(source: string, flags: number): RE2JS {
  try {
    return RE2JS.compile(source, flags);
  } catch (error) {
    const message = error instanceof Error ? error.message.replace(/^error parsing regexp: /, "") : String(error);
    throw new RegexSyntaxError(message);
  }
}

/** A literal string as an RE2 pattern. */
export function quoteRegex(text: string): string {
  return RE2JS.quote(text);
}

function quoteChar(ch: string): string {
  return /[\\^$.*+?()[\]{}|]/.test(ch) ? `\\${ch}` : ch;
}

/** A POSIX bracket expression starting at `start` (the `[`): RE2 text and the index after `]`. */
function bracket(pattern: string, start: number): { text: string; next: number } {
  let j = start + 1;
  let body = "";
  if (pattern[j] === "^") {
    body += "^";
    j++;
  }
  if (pattern[j] === "]") {
    body += "\\]";
    j++;
  }
  for (; j < pattern.length; j++) {
    const c = pattern[j] ?? "";
    if (c === "[" && (pattern[j + 1] === ":" || pattern[j + 1] === "=" || pattern[j + 1] === ".")) {
      const kind = pattern[j + 1] ?? "";
      const end = pattern.indexOf(`${kind}]`, j + 2);
      if (end < 0) throw new RegexSyntaxError("Unmatched [, [^, [:, [., or [=");
      if (kind !== ":") throw new RegexSyntaxError("equivalence classes and collating symbols are not supported");
      const name = pattern.slice(j + 2, end);
      if (!/^(alpha|digit|alnum|upper|lower|space|blank|punct|xdigit|print|graph|cntrl)$/.test(name))
        throw new RegexSyntaxError("Invalid character class name");
      body += `[:${name}:]`;
      j = end + 1;
      continue;
    }
    if (c === "]") return { text: `[${body}]`, next: j + 1 };
    // Inside a POSIX bracket a backslash is an ordinary character.
    body += c === "\\" || c === "[" || c === "^" ? `\\${c}` : c;
  }
  throw new RegexSyntaxError("Unmatched [, [^, [:, [., or [=");
}

/** Reads `m`, `m,`, `,n`, `m,n` at `start` up to the closing text; undefined when malformed. */
function interval(pattern: string, start: number, close: string): { text: string; next: number } | undefined {
  const end = pattern.indexOf(close, start);
  if (end < 0) return undefined;
  const body = pattern.slice(start, end);
  const match = /^(\d*)(,(\d*))?$/.exec(body);
  if (!match || (match[1] === "" && match[2] === undefined)) return undefined;
  const low = match[1] === "" ? "0" : (match[1] ?? "0");
  const high = match[3];
  if (Number(low) > 1000 || (high !== undefined && high !== "" && Number(high) > 1000))
    throw new RegexSyntaxError("repetition counts above 1000 are not supported");
  if (high !== undefined && high !== "" && Number(high) < Number(low)) throw new RegexSyntaxError("Invalid content of \\{\\}");
  return { text: `{${low}${match[2] === undefined ? "" : `,${high ?? ""}`}}`, next: end + close.length };
}

/** GNU BRE (`extended` false) or ERE to RE2 syntax. */
export function posixToRe2(pattern: string, extended: boolean): string {
  let out = "";
  // Where `*` is literal and (BRE) `^` is an anchor: the start, after a group opens or `|`.
  let atStart = true;
  let depth = 0;
  for (let i = 0; i < pattern.length;) {
    const ch = pattern[i] ?? "";
    if (ch === "[") {
      const { text, next } = bracket(pattern, i);
      out += text;
      i = next;
      atStart = false;
      continue;
    }
    if (ch === "\\") {
      const next = pattern[i + 1];
      if (next === undefined) throw new RegexSyntaxError("Trailing backslash");
      i += 2;
      if (!extended && (next === "(" || next === "|")) {
        if (next === "(") depth++;
        out += next;
        atStart = true;
        continue;
      }
      if (!extended && next === ")") {
        if (depth === 0) throw new RegexSyntaxError("Unmatched ) or \\)");
        depth--;
        out += ")";
        atStart = false;
        continue;
      }
      if (!extended && next === "{") {
        const counted = interval(pattern, i, "\\}");
        if (!counted) throw new RegexSyntaxError("Unmatched \\{");
        if (atStart) out += "\\{";
        else out += counted.text;
        i = counted.next;
        continue;
      }
      if (!extended && (next === "+" || next === "?")) {
        out += atStart ? `\\${next}` : next;
        continue;
      }
      if (/[1-9]/.test(next)) throw new RegexSyntaxError("backreferences are not supported");
      if (next === "<" || next === ">") out += "\\b";
      else if (next === "`") out += "\\A";
      else if (next === "'") out += "\\z";
      else if ("wWsSbB".includes(next)) out += `\\${next}`;
      else out += quoteChar(next);
      atStart = false;
      continue;
    }
    i++;
    if (extended) {
      if (ch === "(") {
        depth++;
        out += "(";
        atStart = true;
        continue;
      }
      if (ch === ")") {
        if (depth === 0) throw new RegexSyntaxError("Unmatched ) or \\)");
        depth--;
        out += ")";
        atStart = false;
        continue;
      }
      if (ch === "|") {
        out += "|";
        atStart = true;
        continue;
      }
      if (ch === "^" || ch === "$") {
        out += ch;
        atStart = ch === "^";
        continue;
      }
      if (ch === "*" || ch === "+" || ch === "?") {
        out += atStart ? `\\${ch}` : ch;
        continue;
      }
      if (ch === "{") {
        const counted = atStart ? undefined : interval(pattern, i, "}");
        if (counted) {
          out += counted.text;
          i = counted.next;
        } else out += "\\{";
        continue;
      }
    } else {
      if (ch === "*") {
        out += atStart ? "\\*" : "*";
        continue;
      }
      if (ch === "^") {
        out += atStart ? "^" : "\\^";
        continue;
      }
      if (ch === "$") {
        const rest = pattern.slice(i);
        out += rest === "" || rest.startsWith("\\)") || rest.startsWith("\\|") ? "$" : "\\$";
        atStart = false;
        continue;
      }
    }
    out += ch === "." ? "." : quoteChar(ch);
    atStart = false;
  }
  if (depth > 0) throw new RegexSyntaxError(extended ? "Unmatched ( or \\(" : "Unmatched ( or \\(");
  return out;
}

export interface PosixOptions {
  extended: boolean;
  ignoreCase?: boolean;
  /** grep -F: the pattern is a literal string. */
  fixed?: boolean;
  /** grep -P: Perl syntax (translated like jq's; lookaround and backreferences refused). */
  perl?: boolean;
  /** grep -w. */
  word?: boolean;
  /** grep -x. */
  line?: boolean;
}

/** One grep/sed pattern, or several alternatives (grep's newline-separated patterns). */
export function compilePosix(patterns: string | string[], options: PosixOptions): LinearRegex {
  const list = typeof patterns === "string" ? [patterns] : patterns;
  const translate = (pattern: string): string =>
    options.fixed ? quoteRegex(pattern) : options.perl ? onigurumaToRe2(pattern, false) : posixToRe2(pattern, options.extended);
  let source = list.map((pattern) => `(?:${translate(pattern)})`).join("|");
  if (options.line) source = `^(?:${source})$`;
  let flags = options.ignoreCase ? RE2JS.CASE_INSENSITIVE : 0;
  if (options.word) {
    source = `(?<![A-Za-z0-9_])(${source})(?:[^A-Za-z0-9_]|$)`;
    flags |= RE2JS.LOOKBEHINDS;
  }
  return new LinearRegex(compile(source, flags), options.word === true);
}

/** jq's (Oniguruma) syntax to RE2: refuses what RE2 cannot do in linear time. */
export function onigurumaToRe2(pattern: string, extendedSyntax: boolean): string {
  let out = "";
  let inClass = false;
  for (let i = 0; i < pattern.length; i++) {
    const ch = pattern[i] ?? "";
    const next = pattern[i + 1] ?? "";
    if (ch === "\\") {
      if (next === "") throw new RegexSyntaxError("end pattern at escape");
      if (/[1-9]/.test(next) || next === "k" || next === "g")
        throw new RegexSyntaxError("backreferences and subexpression calls are not supported");
      if (next === "h") out += inClass ? "0-9a-fA-F" : "[0-9a-fA-F]";
      else if (next === "H") out += "[^0-9a-fA-F]";
      else if (next === "Z") out += "(?:\\n?\\z)";
      else if (next === "G" || next === "K" || next === "R" || next === "X") throw new RegexSyntaxError(`\\${next} is not supported`);
      else out += `\\${next}`;
      i++;
      continue;
    }
    if (inClass) {
      if (ch === "]") inClass = false;
      if (ch === "[" && next !== ":") throw new RegexSyntaxError("nested character classes are not supported");
      out += ch;
      continue;
    }
    if (ch === "[") {
      inClass = true;
      out += ch;
      if (next === "^") {
        out += "^";
        i++;
      }
      if (pattern[i + 1] === "]") {
        out += "\\]";
        i++;
      }
      continue;
    }
    if (extendedSyntax && /\s/.test(ch)) continue;
    if (extendedSyntax && ch === "#") {
      while (i < pattern.length && pattern[i] !== "\n") i++;
      continue;
    }
    if (ch === "(" && next === "?") {
      const rest = pattern.slice(i + 2);
      if (/^(=|!|<=|<!)/.test(rest)) throw new RegexSyntaxError("lookaround is not supported");
      if (rest.startsWith(">")) throw new RegexSyntaxError("atomic groups are not supported");
      if (rest.startsWith("#")) {
        const end = pattern.indexOf(")", i);
        if (end < 0) throw new RegexSyntaxError("end pattern in group");
        i = end;
        continue;
      }
      const named = /^<([A-Za-z_][A-Za-z0-9_]*)>/.exec(rest);
      if (named) {
        out += `(?P<${named[1] ?? ""}>`;
        i += 1 + named[0].length;
        continue;
      }
    }
    if ((ch === "*" || ch === "+" || ch === "?" || ch === "}") && next === "+")
      throw new RegexSyntaxError("possessive quantifiers are not supported");
    out += ch;
  }
  return out;
}

export interface OnigurumaFlags {
  ignoreCase?: boolean;
  /** jq `x`: whitespace and `#` comments in the pattern are ignored. */
  extended?: boolean;
  /** jq `p` / Oniguruma multiline: `.` matches a newline. */
  dotAll?: boolean;
  /** jq `l`: longest match. */
  longest?: boolean;
}

export function compileOniguruma(pattern: string, flags: OnigurumaFlags = {}): LinearRegex {
  let bits = 0;
  if (flags.ignoreCase) bits |= RE2JS.CASE_INSENSITIVE;
  if (flags.dotAll) bits |= RE2JS.DOTALL;
  if (flags.longest) bits |= RE2JS.LONGEST_MATCH;
  return new LinearRegex(compile(onigurumaToRe2(pattern, flags.extended === true), bits));
}

const authoredCache = new Map<string, LinearRegex>();

/**
 * A pattern from a scenario file (JavaScript syntax, as authors write it), matched by RE2 against
 * learner-controlled text. `multiline`: `^` and `$` at line boundaries (JavaScript's `m`).
 */
export function compileAuthored(pattern: string, options: { multiline?: boolean; ignoreCase?: boolean } = {}): LinearRegex {
  const key = `${options.multiline ? "m" : ""}${options.ignoreCase ? "i" : ""}/${pattern}`;
  const cached = authoredCache.get(key);
  if (cached) return cached;
  let bits = 0;
  if (options.multiline) bits |= RE2JS.MULTILINE;
  if (options.ignoreCase) bits |= RE2JS.CASE_INSENSITIVE;
  const regex = new LinearRegex(compile(RE2JS.translateRegExp(pattern), bits));
  if (authoredCache.size > 1000) authoredCache.clear();
  authoredCache.set(key, regex);
  return regex;
}
