/**
 * A bash-like parser for the simulated shell. It produces an AST of lists (`;`, `&&`, `||`),
 * pipelines (`|`), simple commands with redirections and here-documents, and words whose parts
 * keep track of quoting so that expansion (run time) can do field splitting and globbing the way
 * bash does. Nothing here executes anything.
 *
 * Error texts follow interactive bash 5.2 (`bash: syntax error near unexpected token `|'`).
 * Every input, however broken, yields a result: the parser never throws and is bounded in time.
 */

export type WordPart =
  | { kind: "text"; value: string; quoted: boolean }
  | { kind: "param"; name: string; quoted: boolean; op?: ParamOp; arg?: Word }
  | { kind: "command"; script: Script; quoted: boolean }
  | { kind: "tilde"; user: string };

/** `${#x}` is "length"; the others are the `${x:-word}` family. */
export type ParamOp = ":-" | "-" | ":=" | "=" | ":+" | "+" | "length";

export interface Word {
  parts: WordPart[];
  /** Source text of the word, for messages (`ambiguous redirect`) and alias detection. */
  raw: string;
}

export type Redirect =
  | { kind: "file"; fd: number; op: ">" | ">>" | "<" | "&>" | "&>>"; target: Word }
  | { kind: "dup"; fd: number; toFd: number | "close" }
  | { kind: "heredoc"; fd: number; body: Word; delimiter: string; line: number; terminated: boolean }
  | { kind: "herestring"; fd: number; target: Word };

export interface Assignment {
  name: string;
  value: Word;
}

export interface SimpleCommand {
  assignments: Assignment[];
  words: Word[];
  redirects: Redirect[];
}

export interface Pipeline {
  negated: boolean;
  commands: SimpleCommand[];
}

export interface AndOrList {
  first: Pipeline;
  rest: { op: "&&" | "||"; pipeline: Pipeline }[];
}

export interface Script {
  lists: AndOrList[];
}

export type ParseResult =
  | { ok: true; script: Script; warnings: string[]; incomplete: boolean }
  | { ok: false; error: string; exitCode: number; incomplete: boolean };

export const PARSE_LIMITS = {
  /** Bytes (UTF-16 code units) of one command line / pasted block. */
  maxInput: 100 * 1024,
  /** Nesting of $( ), backticks and ${ } inside each other. */
  maxDepth: 16,
  /** Simple commands in one input, substitutions included. */
  maxCommands: 1000,
  /** Words in one input. */
  maxWords: 20_000,
};

class ParseError extends Error {
  constructor(
    message: string,
    readonly incomplete: boolean,
    readonly exitCode: number = 2,
  ) {
    super(message);
  }
}

const NAME_START = /[A-Za-z_]/;
const NAME_CHAR = /[A-Za-z0-9_]/;
const SPECIAL_PARAMS = new Set(["?", "$", "#", "!", "@", "*", "-", "0", "1", "2", "3", "4", "5", "6", "7", "8", "9"]);
const RESERVED_UNSUPPORTED = new Set(["for", "while", "until", "if", "case", "select", "function", "{", "[[", "(("]);
const RESERVED_UNEXPECTED = new Set(["do", "done", "then", "fi", "else", "elif", "esac", "}", "in"]);

interface PendingHeredoc {
  redirect: Extract<Redirect, { kind: "heredoc" }>;
  quoted: boolean;
  stripTabs: boolean;
}

/** Counts shared by a parser and the nested ones it starts for `$(…)`. */
interface Budget {
  commands: number;
  words: number;
  heredocs: number;
}

class Parser {
  pos = 0;
  pending: PendingHeredoc[] = [];
  warnings: string[] = [];
  /** Set when the input ends in a way an interactive shell would ask for more (a `> ` prompt). */
  incomplete = false;

  constructor(
    readonly src: string,
    readonly budget: Budget,
    readonly depth: number,
  ) {}

  peek(offset = 0): string {
    return this.src[this.pos + offset] ?? "";
  }

  eof(): boolean {
    return this.pos >= this.src.length;
  }

  lineAt(position: number): number {
    let line = 1;
    for (let i = 0; i < position && i < this.src.length; i++) if (this.src[i] === "\n") line++;
    return line;
  }

  /** Blanks, `\`-newline continuations and comments (a `#` where a word could start). */
  skipBlanks(): void {
    for (;;) {
      const ch = this.peek();
      if (ch === " " || ch === "\t" || ch === "\r") this.pos++;
      else if (ch === "\\" && this.peek(1) === "\n") this.pos += 2;
      else if (ch === "#") {
        while (!this.eof() && this.peek() !== "\n") this.pos++;
      } else return;
    }
  }

  /** Consumes one newline and reads the bodies of here-documents opened on that line. */
  newline(): void {
    this.pos++;
    this.readHeredocBodies();
  }

  skipBlanksAndNewlines(): void {
    for (;;) {
      this.skipBlanks();
      if (this.peek() === "\n") this.newline();
      else return;
    }
  }

  operatorAt(): string {
    const two = this.src.slice(this.pos, this.pos + 2);
    if (["&&", "||", ";;", ">>", "<<", "&>", ">&", "<&", "|&"].includes(two)) return two;
    const one = this.peek();
    if (one === "\n") return "newline";
    return one;
  }

  unexpected(token?: string): never {
    if (this.eof() && token === undefined) throw new ParseError("bash: syntax error: unexpected end of file", true);
    throw new ParseError(`bash: syntax error near unexpected token \`${token ?? this.operatorAt()}'`, false);
  }

  parseScript(terminator: ")" | undefined): Script {
    const lists: AndOrList[] = [];
    for (;;) {
      this.skipBlanksAndNewlines();
      if (this.eof()) {
        if (terminator) {
          this.incomplete = true;
          throw new ParseError("bash: unexpected EOF while looking for matching `)'", true);
        }
        return { lists };
      }
      const ch = this.peek();
      if (terminator && ch === ")") return { lists };
      if (ch === ";" || ch === "&" || ch === "|" || ch === ")") this.unexpected();
      lists.push(this.parseAndOr(terminator));
      this.skipBlanks();
      const sep = this.peek();
      if (sep === ";" || sep === "&") {
        if (this.src.startsWith(";;", this.pos)) this.unexpected(";;");
        if (this.src.startsWith("&&", this.pos)) this.unexpected("&&");
        this.pos++;
        this.skipBlanks();
        // `a ; ;` is an error, `a ;` at the end is fine.
        const after = this.peek();
        if (after === ";" || after === "&" || after === "|") this.unexpected();
      } else if (sep === "\n") {
        this.newline();
      } else if (this.eof()) {
        // fall through: loop ends
      } else if (terminator && sep === ")") {
        return { lists };
      } else {
        this.unexpected();
      }
    }
  }

  parseAndOr(terminator: ")" | undefined): AndOrList {
    const first = this.parsePipeline(terminator);
    const rest: AndOrList["rest"] = [];
    for (;;) {
      this.skipBlanks();
      const op = this.src.slice(this.pos, this.pos + 2);
      if (op !== "&&" && op !== "||") return { first, rest };
      this.pos += 2;
      this.skipBlanksAndNewlines();
      if (this.eof()) {
        this.incomplete = true;
        this.unexpected();
      }
      rest.push({ op, pipeline: this.parsePipeline(terminator) });
    }
  }

  parsePipeline(terminator: ")" | undefined): Pipeline {
    this.skipBlanks();
    let negated = false;
    if (this.peek() === "!" && /[ \t]/.test(this.peek(1))) {
      negated = true;
      this.pos++;
      this.skipBlanks();
    }
    const commands: SimpleCommand[] = [this.parseCommand(terminator)];
    for (;;) {
      this.skipBlanks();
      if (this.peek() !== "|" || this.peek(1) === "|") return { negated, commands };
      const pipeStderr = this.peek(1) === "&";
      this.pos += pipeStderr ? 2 : 1;
      if (pipeStderr) commands[commands.length - 1]?.redirects.push({ kind: "dup", fd: 2, toFd: 1 });
      this.skipBlanksAndNewlines();
      if (this.eof()) {
        this.incomplete = true;
        this.unexpected();
      }
      commands.push(this.parseCommand(terminator));
    }
  }

  parseCommand(terminator: ")" | undefined): SimpleCommand {
    this.skipBlanks();
    if (++this.budget.commands > PARSE_LIMITS.maxCommands) {
      throw new ParseError(`bash: too many commands in one input (limit ${PARSE_LIMITS.maxCommands})`, false);
    }
    const command: SimpleCommand = { assignments: [], words: [], redirects: [] };
    for (;;) {
      this.skipBlanks();
      const ch = this.peek();
      if (this.eof() || ch === "\n" || ch === ";" || (ch === "&" && this.peek(1) !== ">") || ch === "|") break;
      if (ch === ")") {
        if (terminator) break;
        this.unexpected(")");
      }
      if (ch === "(") {
        if (command.words.length === 0 && command.assignments.length === 0) {
          throw new ParseError("bash: subshells `( ... )' are not supported in this practice shell", false);
        }
        this.unexpected("(");
      }
      if (this.tryRedirect(command)) continue;
      const start = this.pos;
      const word = this.parseWord(false);
      if (++this.budget.words > PARSE_LIMITS.maxWords)
        throw new ParseError(`bash: too many words in one input (limit ${PARSE_LIMITS.maxWords})`, false);
      if (command.words.length === 0) {
        const assignment = asAssignment(word);
        if (assignment) {
          command.assignments.push(assignment);
          continue;
        }
        const plain = plainText(word);
        if (plain !== undefined && RESERVED_UNEXPECTED.has(plain)) {
          this.pos = start;
          this.unexpected(plain);
        }
        if (plain !== undefined && RESERVED_UNSUPPORTED.has(plain)) {
          throw new ParseError(
            `bash: ${plain}: compound commands are not supported in this practice shell; run the commands one by one`,
            false,
          );
        }
      }
      command.words.push(word);
    }
    if (command.words.length === 0 && command.assignments.length === 0 && command.redirects.length === 0) {
      if (this.eof()) this.unexpected("newline");
      this.unexpected();
    }
    return command;
  }

  /** Reads a redirection operator with its target if one starts here. */
  tryRedirect(command: SimpleCommand): boolean {
    const start = this.pos;
    let fdText = "";
    while (/[0-9]/.test(this.peek()) && fdText.length < 3) fdText += this.src[this.pos++];
    const ch = this.peek();
    const isAmpersandForm = fdText === "" && ch === "&" && this.peek(1) === ">";
    if (ch !== "<" && ch !== ">" && !isAmpersandForm) {
      this.pos = start;
      return false;
    }
    const fd = fdText === "" ? undefined : Number(fdText);
    if (isAmpersandForm) {
      this.pos += 2;
      const append = this.peek() === ">";
      if (append) this.pos++;
      command.redirects.push({ kind: "file", fd: 1, op: append ? "&>>" : "&>", target: this.redirectTarget() });
      return true;
    }
    if (ch === "<") {
      if (this.src.startsWith("<<<", this.pos)) {
        this.pos += 3;
        command.redirects.push({ kind: "herestring", fd: fd ?? 0, target: this.redirectTarget() });
        return true;
      }
      if (this.src.startsWith("<<", this.pos)) {
        const line = this.lineAt(this.pos);
        this.pos += 2;
        const stripTabs = this.peek() === "-";
        if (stripTabs) this.pos++;
        this.skipBlanks();
        const delimStart = this.pos;
        if (this.eof() || /[\n;&|<>()]/.test(this.peek())) this.unexpected(this.eof() ? "newline" : undefined);
        this.parseWord(false);
        const rawDelimiter = this.src.slice(delimStart, this.pos);
        const quoted = /['"\\]/.test(rawDelimiter);
        const delimiter = rawDelimiter.replace(/\\(.)/g, "$1").replace(/["']/g, "");
        const redirect: Extract<Redirect, { kind: "heredoc" }> = {
          kind: "heredoc",
          fd: fd ?? 0,
          body: { parts: [], raw: "" },
          delimiter,
          line,
          terminated: false,
        };
        command.redirects.push(redirect);
        this.pending.push({ redirect, quoted, stripTabs });
        this.budget.heredocs += 1;
        return true;
      }
      this.pos++;
      if (this.peek() === "&") {
        this.pos++;
        return this.dupTarget(command, fd ?? 0);
      }
      command.redirects.push({ kind: "file", fd: fd ?? 0, op: "<", target: this.redirectTarget() });
      return true;
    }
    // ">"
    this.pos++;
    if (this.peek() === ">") {
      this.pos++;
      command.redirects.push({ kind: "file", fd: fd ?? 1, op: ">>", target: this.redirectTarget() });
      return true;
    }
    if (this.peek() === "&") {
      this.pos++;
      return this.dupTarget(command, fd ?? 1);
    }
    if (this.peek() === "|") this.pos++;
    command.redirects.push({ kind: "file", fd: fd ?? 1, op: ">", target: this.redirectTarget() });
    return true;
  }

  dupTarget(command: SimpleCommand, fd: number): boolean {
    this.skipBlanks();
    if (this.peek() === "-") {
      this.pos++;
      command.redirects.push({ kind: "dup", fd, toFd: "close" });
      return true;
    }
    const digits = /^[0-9]+/.exec(this.src.slice(this.pos, this.pos + 4));
    const after = this.src[this.pos + (digits?.[0].length ?? 0)] ?? "";
    if (digits && (after === "" || /[ \t\n;&|<>()]/.test(after))) {
      this.pos += digits[0].length;
      command.redirects.push({ kind: "dup", fd, toFd: Number(digits[0]) });
      return true;
    }
    // `>&file` means `&>file` in bash.
    command.redirects.push({ kind: "file", fd: 1, op: "&>", target: this.redirectTarget() });
    return true;
  }

  redirectTarget(): Word {
    this.skipBlanks();
    if (this.eof() || /[\n;&|<>()]/.test(this.peek())) this.unexpected(this.eof() || this.peek() === "\n" ? "newline" : undefined);
    return this.parseWord(false);
  }

  /**
   * One word up to an unquoted metacharacter. In `braceArg` mode (the word of `${x:-word}`)
   * blanks do not end the word and an unquoted `}` does.
   */
  parseWord(braceArg: boolean): Word {
    const start = this.pos;
    const parts: WordPart[] = [];
    let text = "";
    const flush = (): void => {
      if (text !== "") parts.push({ kind: "text", value: text, quoted: false });
      text = "";
    };
    for (;;) {
      if (this.eof()) {
        if (braceArg) {
          this.incomplete = true;
          throw new ParseError("bash: unexpected EOF while looking for matching `}'", true);
        }
        break;
      }
      const ch = this.peek();
      if (braceArg ? ch === "}" : /[ \t\r\n;&|<>()]/.test(ch)) break;
      if (ch === "\\") {
        const next = this.peek(1);
        if (next === "\n") {
          this.pos += 2;
          continue;
        }
        if (next === "") {
          // A trailing backslash asks an interactive shell for another line.
          this.incomplete = true;
          this.pos++;
          continue;
        }
        flush();
        parts.push({ kind: "text", value: next, quoted: true });
        this.pos += 2;
        continue;
      }
      if (ch === "'") {
        flush();
        const end = this.src.indexOf("'", this.pos + 1);
        if (end < 0) {
          this.incomplete = true;
          throw new ParseError("bash: unexpected EOF while looking for matching `''", true);
        }
        parts.push({ kind: "text", value: this.src.slice(this.pos + 1, end), quoted: true });
        this.pos = end + 1;
        continue;
      }
      if (ch === '"') {
        flush();
        this.pos++;
        const inner = this.parseDoubleQuoted();
        // "" must still produce an (empty) field.
        parts.push(...(inner.length > 0 ? inner : [{ kind: "text" as const, value: "", quoted: true }]));
        continue;
      }
      if (ch === "$") {
        const part = this.parseDollar(false);
        if (part.kind === "text" && !part.quoted) text += part.value;
        else {
          flush();
          parts.push(part);
        }
        continue;
      }
      if (ch === "`") {
        flush();
        parts.push(this.parseBacktick(false));
        continue;
      }
      if (ch === "~" && !braceArg && (this.pos === start || isAssignmentPrefix(this.src.slice(start, this.pos)))) {
        flush();
        this.pos++;
        let user = "";
        while (!this.eof() && /[A-Za-z0-9_.-]/.test(this.peek())) user += this.src[this.pos++];
        const next = this.peek();
        if (next === "" || next === "/" || next === ":" || /[ \t\r\n;&|<>()]/.test(next)) {
          parts.push({ kind: "tilde", user });
        } else {
          text += `~${user}`;
        }
        continue;
      }
      text += ch;
      this.pos++;
    }
    flush();
    return { parts, raw: this.src.slice(start, this.pos) };
  }

  /** After the opening `"`; consumes the closing one. */
  parseDoubleQuoted(): WordPart[] {
    const parts: WordPart[] = [];
    let text = "";
    const flush = (): void => {
      if (text !== "") parts.push({ kind: "text", value: text, quoted: true });
      text = "";
    };
    for (;;) {
      if (this.eof()) {
        this.incomplete = true;
        throw new ParseError("bash: unexpected EOF while looking for matching `\"'", true);
      }
      const ch = this.peek();
      if (ch === '"') {
        this.pos++;
        flush();
        return parts;
      }
      if (ch === "\\") {
        const next = this.peek(1);
        if (next === "\n") {
          this.pos += 2;
          continue;
        }
        if (next === "$" || next === "`" || next === '"' || next === "\\") {
          text += next;
          this.pos += 2;
          continue;
        }
        text += ch;
        this.pos++;
        continue;
      }
      if (ch === "$") {
        const part = this.parseDollar(true);
        if (part.kind === "text") text += part.value;
        else {
          flush();
          parts.push(part);
        }
        continue;
      }
      if (ch === "`") {
        flush();
        parts.push(this.parseBacktick(true));
        continue;
      }
      text += ch;
      this.pos++;
    }
  }

  checkDepth(): void {
    if (this.depth + 1 > PARSE_LIMITS.maxDepth) {
      throw new ParseError(`bash: command substitution nested too deeply (limit ${PARSE_LIMITS.maxDepth})`, false);
    }
  }

  /** At a `$`. Returns a text part for a `$` that starts no expansion. */
  parseDollar(quoted: boolean): WordPart {
    const next = this.peek(1);
    if (next === "(") {
      if (this.peek(2) === "(") throw new ParseError("bash: arithmetic expansion $(( )) is not supported in this practice shell", false);
      this.checkDepth();
      this.pos += 2;
      const sub = new Parser(this.src, this.budget, this.depth + 1);
      sub.pos = this.pos;
      let script: Script;
      try {
        script = sub.parseScript(")");
      } finally {
        this.incomplete ||= sub.incomplete;
        this.warnings.push(...sub.warnings);
      }
      this.pos = sub.pos;
      if (this.peek() !== ")") throw new ParseError("bash: unexpected EOF while looking for matching `)'", true);
      this.pos++;
      return { kind: "command", script, quoted };
    }
    if (next === "{") {
      this.checkDepth();
      return this.parseBraceParam(quoted);
    }
    if (next !== "" && SPECIAL_PARAMS.has(next)) {
      this.pos += 2;
      return { kind: "param", name: next, quoted };
    }
    if (NAME_START.test(next)) {
      this.pos++;
      let name = "";
      while (!this.eof() && NAME_CHAR.test(this.peek())) name += this.src[this.pos++];
      return { kind: "param", name, quoted };
    }
    if (!quoted && (next === "'" || next === '"')) {
      // $'...' and $"..." : treat as plain quotes, with $'...' escapes.
      this.pos++;
      if (next === "'") {
        const end = this.src.indexOf("'", this.pos + 1);
        if (end < 0) {
          this.incomplete = true;
          throw new ParseError("bash: unexpected EOF while looking for matching `''", true);
        }
        const value = ansiC(this.src.slice(this.pos + 1, end));
        this.pos = end + 1;
        return { kind: "text", value, quoted: true };
      }
      return { kind: "text", value: "", quoted: false };
    }
    this.pos++;
    return { kind: "text", value: "$", quoted };
  }

  parseBraceParam(quoted: boolean): WordPart {
    const start = this.pos;
    this.pos += 2;
    const bad = (): never => {
      const end = this.src.indexOf("}", this.pos);
      if (end < 0) {
        this.incomplete = true;
        throw new ParseError("bash: unexpected EOF while looking for matching `}'", true);
      }
      throw new ParseError(`bash: ${this.src.slice(start, end + 1)}: bad substitution`, false, 1);
    };
    let length = false;
    if (this.peek() === "#" && this.peek(1) !== "}") {
      length = true;
      this.pos++;
    }
    let name = "";
    if (NAME_START.test(this.peek())) {
      while (!this.eof() && NAME_CHAR.test(this.peek())) name += this.src[this.pos++];
    } else if (SPECIAL_PARAMS.has(this.peek())) {
      name = this.src[this.pos++] ?? "";
    } else {
      bad();
    }
    if (this.eof()) {
      this.incomplete = true;
      throw new ParseError("bash: unexpected EOF while looking for matching `}'", true);
    }
    if (this.peek() === "}") {
      this.pos++;
      return length ? { kind: "param", name, quoted, op: "length" } : { kind: "param", name, quoted };
    }
    if (length) bad();
    let op: ParamOp | undefined;
    for (const candidate of [":-", ":=", ":+", "-", "=", "+"] as const) {
      if (this.src.startsWith(candidate, this.pos)) {
        op = candidate;
        this.pos += candidate.length;
        break;
      }
    }
    if (!op) bad();
    const sub = new Parser(this.src, this.budget, this.depth + 1);
    sub.pos = this.pos;
    const arg = sub.parseWord(true);
    this.incomplete ||= sub.incomplete;
    this.pos = sub.pos + 1;
    // Inside double quotes the argument is not split either.
    if (quoted) for (const part of arg.parts) if (part.kind !== "tilde") part.quoted = true;
    return op ? { kind: "param", name, quoted, op, arg } : { kind: "param", name, quoted };
  }

  parseBacktick(quoted: boolean): WordPart {
    this.checkDepth();
    let i = this.pos + 1;
    let inner = "";
    for (;;) {
      if (i >= this.src.length) {
        this.incomplete = true;
        throw new ParseError("bash: unexpected EOF while looking for matching ``'", true);
      }
      const ch = this.src[i] ?? "";
      if (ch === "`") break;
      if (ch === "\\" && i + 1 < this.src.length) {
        const next = this.src[i + 1] ?? "";
        if (next === "`" || next === "\\" || next === "$") {
          inner += next;
          i += 2;
          continue;
        }
      }
      inner += ch;
      i++;
    }
    this.pos = i + 1;
    const sub = new Parser(inner, this.budget, this.depth + 1);
    const script = sub.parseScript(undefined);
    this.warnings.push(...sub.warnings);
    return { kind: "command", script, quoted };
  }

  readHeredocBodies(): void {
    const pending = this.pending;
    this.pending = [];
    for (const heredoc of pending) {
      const lines: string[] = [];
      let terminated = false;
      while (this.pos < this.src.length) {
        const end = this.src.indexOf("\n", this.pos);
        const lineEnd = end < 0 ? this.src.length : end;
        let line = this.src.slice(this.pos, lineEnd).replace(/\r$/, "");
        this.pos = end < 0 ? this.src.length : end + 1;
        if (heredoc.stripTabs) line = line.replace(/^\t+/, "");
        if (line === heredoc.redirect.delimiter) {
          terminated = true;
          break;
        }
        lines.push(line);
      }
      if (!terminated) {
        this.incomplete = true;
        this.warnings.push(
          `bash: warning: here-document at line ${heredoc.redirect.line} delimited by end-of-file (wanted \`${heredoc.redirect.delimiter}')`,
        );
      }
      const text = lines.length > 0 ? `${lines.join("\n")}\n` : "";
      heredoc.redirect.terminated = terminated;
      heredoc.redirect.body = heredoc.quoted
        ? { parts: [{ kind: "text", value: text, quoted: true }], raw: text }
        : this.parseHeredocText(text);
    }
  }

  /** Unquoted here-document bodies: `$` expansions, backticks, and `\` before $ ` \ newline. */
  parseHeredocText(text: string): Word {
    const sub = new Parser(text, this.budget, this.depth);
    const parts: WordPart[] = [];
    let literal = "";
    const flush = (): void => {
      if (literal !== "") parts.push({ kind: "text", value: literal, quoted: true });
      literal = "";
    };
    while (!sub.eof()) {
      const ch = sub.peek();
      if (ch === "\\") {
        const next = sub.peek(1);
        if (next === "$" || next === "`" || next === "\\") {
          literal += next;
          sub.pos += 2;
          continue;
        }
        if (next === "\n") {
          sub.pos += 2;
          continue;
        }
        literal += ch;
        sub.pos++;
        continue;
      }
      if (ch === "$") {
        const part = sub.parseDollar(true);
        if (part.kind === "text") literal += part.value;
        else {
          flush();
          parts.push(part);
        }
        continue;
      }
      if (ch === "`") {
        flush();
        parts.push(sub.parseBacktick(true));
        continue;
      }
      literal += ch;
      sub.pos++;
    }
    flush();
    this.warnings.push(...sub.warnings);
    return { parts, raw: text };
  }
}

function isAssignmentPrefix(prefix: string): boolean {
  return /^[A-Za-z_][A-Za-z0-9_]*=$/.test(prefix) || /^[A-Za-z_][A-Za-z0-9_]*=.*:$/.test(prefix);
}

/** The literal text of a word made only of unquoted text, else undefined. */
export function plainText(word: Word): string | undefined {
  if (word.parts.length === 0) return undefined;
  let text = "";
  for (const part of word.parts) {
    if (part.kind !== "text" || part.quoted) return undefined;
    text += part.value;
  }
  return text;
}

function asAssignment(word: Word): Assignment | undefined {
  const first = word.parts[0];
  if (!first || first.kind !== "text" || first.quoted) return undefined;
  const match = /^([A-Za-z_][A-Za-z0-9_]*)=/.exec(first.value);
  if (!match || match[1] === undefined) return undefined;
  const rest = first.value.slice(match[0].length);
  const parts: WordPart[] = [];
  if (rest !== "") parts.push({ kind: "text", value: rest, quoted: false });
  parts.push(...word.parts.slice(1));
  return { name: match[1], value: { parts, raw: word.raw.slice(match[0].length) } };
}

function ansiC(text: string): string {
  const map: Record<string, string> = {
    n: "\n",
    t: "\t",
    r: "\r",
    "\\": "\\",
    "'": "'",
    '"': '"',
    a: "\u0007",
    b: "\b",
    e: "\u001b",
    E: "\u001b",
    f: "\f",
    v: "\v",
    "0": "\0",
  };
  return text.replace(/\\(x[0-9a-fA-F]{1,2}|.)/g, (_all, code: string) => {
    if (code.startsWith("x") && code.length > 1) return String.fromCharCode(parseInt(code.slice(1), 16));
    return map[code] ?? `\\${code}`;
  });
}

/** Parses one input (a line, or a pasted block with here-documents). Never throws. */
export function parse(input: string): ParseResult {
  return parseCounting(input).result;
}

function parseCounting(input: string): { result: ParseResult; heredocs: number } {
  const budget: Budget = { commands: 0, words: 0, heredocs: 0 };
  if (typeof input !== "string")
    return { result: { ok: false, error: "bash: invalid input", exitCode: 2, incomplete: false }, heredocs: 0 };
  if (input.length > PARSE_LIMITS.maxInput) {
    return {
      result: {
        ok: false,
        error: `bash: input too long (${input.length} bytes; limit ${PARSE_LIMITS.maxInput})`,
        exitCode: 2,
        incomplete: false,
      },
      heredocs: 0,
    };
  }
  const parser = new Parser(input, budget, 0);
  const result = ((): ParseResult => {
    try {
      const script = parser.parseScript(undefined);
      // Here-documents opened on the last line (no newline after it) read nothing: bash warns the same way.
      if (parser.pending.length > 0) parser.readHeredocBodies();
      return { ok: true, script, warnings: parser.warnings, incomplete: parser.incomplete };
    } catch (error) {
      if (error instanceof ParseError)
        return { ok: false, error: error.message, exitCode: error.exitCode, incomplete: error.incomplete || parser.incomplete };
      if (error instanceof RangeError) return { ok: false, error: "bash: input nested too deeply", exitCode: 2, incomplete: false };
      return {
        ok: false,
        error: `bash: parse error: ${error instanceof Error ? error.message : String(error)}`,
        exitCode: 2,
        incomplete: false,
      };
    }
  })();
  return { result, heredocs: budget.heredocs };
}

/**
 * Whether the terminal should ask for another line (show `> `) instead of running the input:
 * an open quote or substitution, a here-document without its delimiter line, a trailing `\`,
 * or a trailing `|`, `&&`, `||`. This module imports nothing, so the browser's terminal uses
 * it too (eslint keeps it import-free).
 */
export function parseIncomplete(input: string): boolean {
  return parseCounting(input).result.incomplete;
}

/** Whether the input opens a here-document (`<<WORD`, `<<-WORD`), which the terminal sends whole. */
export function opensHeredoc(input: string): boolean {
  return parseCounting(input).heredocs > 0;
}
