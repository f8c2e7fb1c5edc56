/**
 * Executes a command line against a ShellState: lists, pipelines, redirections, here-documents,
 * command substitution, builtins, and the registered commands. Never throws and never runs a
 * real process.
 */
import { randomBytes } from "node:crypto";
import { CLEAR_SCREEN, defaultRegistry, KNOWN_PATHS } from "./commands";
import { ExpansionError, expandToString, expandWords, type ExpandContext } from "./expand";
import { InputBudget, ResourceLimitError, SHELL_LIMITS, variablesError } from "./limits";
import { parse, plainText, type Pipeline, type Redirect, type Script, type SimpleCommand } from "./parse";
import type { ApiExchange, ClusterNetwork, CommandContext, CommandHandler, CommandResult, EditorRequest, ShellState } from "./types";
import { createVfs, type ShellVfs } from "./vfs";

export const HISTORY_LIMIT = SHELL_LIMITS.maxHistoryEntries;
export const RUN_LIMITS = {
  /** Simple commands executed per input, substitutions and sourced scripts included. */
  maxCommands: 2000,
  /** Bytes of output returned to the terminal; beyond that it is cut with a note. */
  maxOutput: 2 * 1024 * 1024,
  /** Nesting of `source`, `bash file`, `bash -c`, scripts. */
  maxScriptDepth: 8,
};

export { CLEAR_SCREEN };

export interface RunOptions {
  /** Extra commands, e.g. `{ kubectl }`; they override the default registry. */
  commands?: Record<string, CommandHandler>;
  /** The simulated clock. */
  now: Date;
  network?: ClusterNetwork;
  /** Deterministic randomness; crypto randomness when omitted. */
  random?: (bytes: number) => Uint8Array;
  /** Shown by `hostname` and in messages; default "controlplane". */
  hostname?: string;
  /** Record the line in history (default true). */
  recordHistory?: boolean;
}

export interface OutputChunk {
  stream: "stdout" | "stderr";
  text: string;
}

export interface RunResult {
  stdout: string;
  stderr: string;
  exitCode: number;
  exchanges: ApiExchange[];
  /** stdout and stderr in the order they were produced, for the terminal. */
  output: OutputChunk[];
  /** Set by vi / vim / nano: the terminal opens its editor panel on this file. */
  openEditor?: EditorRequest;
  /** `clear` was run: the terminal should clear its screen (stdout also holds CLEAR_SCREEN). */
  clearScreen?: boolean;
}

interface Sink {
  stdout(text: string): void;
  stderr(text: string): void;
}

class ExitRequest extends Error {
  constructor(readonly code: number) {
    super("exit");
  }
}

class BudgetExceeded extends Error {}

export const BUILTINS = new Set([
  "cd",
  "pwd",
  "export",
  "unset",
  "echo",
  "printf",
  "true",
  "false",
  "exit",
  "logout",
  "history",
  "alias",
  "unalias",
  "type",
  "source",
  ".",
  "eval",
  ":",
  "set",
  "read",
  "hash",
  "help",
]);

type Builtin = (args: string[], io: { stdin: string; env: Record<string, string> }) => Promise<CommandResult>;

class Executor {
  readonly fs: ShellVfs;
  readonly exchanges: ApiExchange[] = [];
  readonly registry: Record<string, CommandHandler>;
  commandsRun = 0;
  openEditor?: EditorRequest;
  clearScreen = false;
  scriptDepth = 0;
  readonly builtins: Record<string, Builtin>;
  readonly budget = new InputBudget();

  constructor(
    readonly state: ShellState,
    readonly options: RunOptions,
  ) {
    this.fs = createVfs(state, { now: options.now });
    this.registry = { ...defaultRegistry, ...(options.commands ?? {}) };
    this.builtins = this.makeBuiltins();
  }

  random(bytes: number): Uint8Array {
    const size = Math.max(0, Math.min(bytes, 1 << 20));
    return this.options.random ? this.options.random(size) : new Uint8Array(randomBytes(size));
  }

  get lastExitCode(): number {
    return this.state.lastExitCode ?? 0;
  }

  expandContext(env: Record<string, string>, sink: Sink): ExpandContext {
    return {
      env,
      lastExitCode: this.lastExitCode,
      fs: this.fs,
      substitute: (script) => this.substitute(script, sink),
      random: () => {
        const bytes = this.random(4);
        return ((((bytes[0] ?? 0) << 24) | ((bytes[1] ?? 0) << 16) | ((bytes[2] ?? 0) << 8) | (bytes[3] ?? 0)) >>> 0) / 4_294_967_296;
      },
    };
  }

  /** `$(...)`: runs like a subshell (cd / export inside do not leak), stdout captured. */
  async substitute(script: Script, sink: Sink): Promise<string> {
    let captured = "";
    const savedCwd = this.state.cwd;
    const savedEnv = { ...this.state.env };
    const subSink: Sink = {
      stdout: (text) => {
        if (captured.length + text.length > RUN_LIMITS.maxOutput) throw new ExpansionError("bash: command substitution output too large");
        captured += text;
      },
      stderr: (text) => sink.stderr(text),
    };
    try {
      await this.runScript(script, subSink);
    } catch (error) {
      if (!(error instanceof ExitRequest)) throw error;
      this.state.lastExitCode = error.code;
    } finally {
      this.state.cwd = savedCwd;
      replaceContents(this.state.env, savedEnv);
    }
    return captured;
  }

  async runScript(script: Script, sink: Sink): Promise<number> {
    let status = this.lastExitCode;
    for (const list of script.lists) {
      status = await this.runPipeline(list.first, sink);
      this.state.lastExitCode = status;
      for (const { op, pipeline } of list.rest) {
        if ((op === "&&" && status !== 0) || (op === "||" && status === 0)) continue;
        status = await this.runPipeline(pipeline, sink);
        this.state.lastExitCode = status;
      }
    }
    return status;
  }

  async runPipeline(pipeline: Pipeline, sink: Sink): Promise<number> {
    let stdin = "";
    let status = 0;
    const single = pipeline.commands.length === 1;
    for (let i = 0; i < pipeline.commands.length; i++) {
      const command = pipeline.commands[i];
      if (!command) continue;
      const last = i === pipeline.commands.length - 1;
      let piped = "";
      const stageSink: Sink = last
        ? sink
        : {
            stdout: (text) => {
              if (piped.length + text.length > RUN_LIMITS.maxOutput) throw new ExpansionError("bash: pipe buffer limit exceeded");
              piped += text;
            },
            stderr: (text) => sink.stderr(text),
          };
      status = await this.runSimple(command, stdin, stageSink, single);
      stdin = piped;
    }
    return pipeline.negated ? (status === 0 ? 1 : 0) : status;
  }

  async runSimple(command: SimpleCommand, stdin: string, sink: Sink, persistent: boolean): Promise<number> {
    if (++this.commandsRun > RUN_LIMITS.maxCommands)
      throw new BudgetExceeded(`bash: too many commands executed (limit ${RUN_LIMITS.maxCommands})`);
    if (this.budget.overTime())
      throw new BudgetExceeded(`bash: this input ran longer than ${SHELL_LIMITS.maxInputMs / 1000} s; the rest of it was not run`);
    const env = this.state.env;
    let args: string[];
    const assigned: Record<string, string> = {};
    try {
      const ctx = this.expandContext(env, sink);
      for (const assignment of command.assignments) assigned[assignment.name] = await expandToString(assignment.value, ctx);
      args = await expandWords(this.applyAlias(command), ctx);
    } catch (error) {
      if (error instanceof ExpansionError) {
        sink.stderr(`${error.message}\n`);
        return 1;
      }
      throw error;
    }

    // Redirections, left to right.
    type Target = { kind: "stdout" } | { kind: "stderr" } | { kind: "file"; path: string } | { kind: "null" };
    const fds: Record<number, Target> = { 1: { kind: "stdout" }, 2: { kind: "stderr" } };
    let input = stdin;
    const redirectError = (message: string): number => {
      sink.stderr(`bash: ${message}\n`);
      return 1;
    };
    const ctx = this.expandContext({ ...env, ...assigned }, sink);
    for (const redirect of command.redirects) {
      const result = await this.openRedirect(redirect, ctx);
      if (!result.ok) return redirectError(result.error);
      if (result.kind === "input") {
        if (redirect.fd === 0) input = result.content;
        continue;
      }
      if (result.kind === "dup") {
        if (redirect.kind === "dup" && redirect.toFd === "close") fds[redirect.fd] = { kind: "null" };
        else if (redirect.kind === "dup" && typeof redirect.toFd === "number") {
          const source = fds[redirect.toFd];
          if (!source) return redirectError(`${redirect.toFd}: Bad file descriptor`);
          fds[redirect.fd] = source;
        }
        continue;
      }
      const target: Target =
        result.path === "/dev/null"
          ? { kind: "null" }
          : result.path === "/dev/stderr"
            ? { kind: "stderr" }
            : result.path === "/dev/stdout"
              ? { kind: "stdout" }
              : { kind: "file", path: result.path };
      if (redirect.kind === "file" && (redirect.op === "&>" || redirect.op === "&>>")) {
        fds[1] = target;
        fds[2] = target;
      } else fds[redirect.fd] = target;
    }

    let result: CommandResult;
    if (args.length === 0) {
      // Assignments only: they stay in the shell (all of them or, over a limit, none).
      const refused = variablesError(this.state.env, assigned);
      if (refused) {
        sink.stderr(`${refused}\n`);
        return 1;
      }
      Object.assign(this.state.env, assigned);
      result = { stdout: "", stderr: "", exitCode: 0 };
    } else {
      result = await this.invoke(args, input, { ...env, ...assigned });
    }
    if (persistent) {
      const refused = result.setEnv ? variablesError(this.state.env, result.setEnv) : undefined;
      if (refused) result = { ...result, stderr: `${result.stderr}${refused}\n`, exitCode: 1 };
      else {
        if (result.setCwd !== undefined) this.state.cwd = result.setCwd;
        if (result.setEnv) Object.assign(this.state.env, result.setEnv);
      }
    }
    if (result.openEditor) this.openEditor = result.openEditor;

    const route = (target: Target | undefined, text: string): void => {
      if (text === "" || !target) return;
      if (target.kind === "stdout") sink.stdout(text);
      else if (target.kind === "stderr") sink.stderr(text);
      else if (target.kind === "file") {
        const written = this.fs.writeFile(target.path, text, { append: true });
        if (!written.ok) sink.stderr(`bash: ${target.path}: ${written.error}\n`);
      }
    };
    route(fds[2], result.stderr);
    route(fds[1], result.stdout);
    return result.exitCode;
  }

  applyAlias(command: SimpleCommand): SimpleCommand["words"] {
    const first = command.words[0];
    const aliases = this.state.aliases ?? {};
    if (!first) return command.words;
    const name = plainText(first);
    if (name === undefined || !Object.prototype.hasOwnProperty.call(aliases, name)) return command.words;
    const replacement = aliases[name] ?? "";
    const parsed = parse(replacement);
    const replacementCommand = parsed.ok ? parsed.script.lists[0]?.first.commands[0] : undefined;
    if (!replacementCommand) return command.words;
    return [...replacementCommand.words, ...command.words.slice(1)];
  }

  async openRedirect(
    redirect: Redirect,
    ctx: ExpandContext,
  ): Promise<
    | { ok: false; error: string }
    | { ok: true; kind: "input"; content: string }
    | { ok: true; kind: "output"; path: string }
    | { ok: true; kind: "dup" }
  > {
    if (redirect.kind === "dup") return { ok: true, kind: "dup" };
    if (redirect.kind === "heredoc") return { ok: true, kind: "input", content: await expandToString(redirect.body, ctx) };
    if (redirect.kind === "herestring") return { ok: true, kind: "input", content: `${await expandToString(redirect.target, ctx)}\n` };
    const fields = await expandWords([redirect.target], ctx);
    const name = fields[0];
    if (fields.length !== 1 || name === undefined || name === "") return { ok: false, error: `${redirect.target.raw}: ambiguous redirect` };
    if (redirect.op === "<") {
      if (name === "/dev/null") return { ok: true, kind: "input", content: "" };
      const read = this.fs.readFile(name);
      return read.ok ? { ok: true, kind: "input", content: read.content } : { ok: false, error: `${name}: ${read.error}` };
    }
    if (name === "/dev/null" || name === "/dev/stdout" || name === "/dev/stderr") return { ok: true, kind: "output", path: name };
    const append = redirect.op === ">>" || redirect.op === "&>>";
    const opened = append ? this.fs.writeFile(name, "", { append: true }) : this.fs.writeFile(name, "");
    if (!opened.ok) return { ok: false, error: `${name}: ${opened.error}` };
    return { ok: true, kind: "output", path: this.fs.resolve(name) };
  }

  async invoke(argv: string[], stdin: string, env: Record<string, string>): Promise<CommandResult> {
    const [rawName = "", ...args] = argv;
    let name = rawName;
    const builtin = Object.prototype.hasOwnProperty.call(this.builtins, name) ? this.builtins[name] : undefined;
    if (builtin) return this.safely(name, () => builtin(args, { stdin, env }));
    if (name.includes("/")) {
      const known = Object.entries(KNOWN_PATHS).find(([, path]) => path === name);
      if (known) name = known[0];
      else return this.runPathCommand(rawName, args, env);
    }
    const handler = Object.prototype.hasOwnProperty.call(this.registry, name) ? this.registry[name] : undefined;
    if (!handler) {
      if (name === "bash" || name === "sh") return this.runShell(args, stdin, env);
      return { stdout: "", stderr: `bash: ${rawName}: command not found\n`, exitCode: 127 };
    }
    const context: CommandContext = {
      args,
      stdin,
      env,
      cwd: this.state.cwd,
      fs: this.fs,
      now: this.options.now,
      network: this.options.network,
      exchanges: this.exchanges,
      random: (bytes) => this.random(bytes),
      budget: this.budget,
    };
    if (name === "hostname" && !context.env.HOSTNAME) context.env = { ...env, HOSTNAME: this.options.hostname ?? "controlplane" };
    return this.safely(name, () => handler(context));
  }

  async safely(name: string, run: () => Promise<CommandResult>): Promise<CommandResult> {
    try {
      const result = await run();
      if (result.stdout.length > RUN_LIMITS.maxOutput) {
        return {
          ...result,
          stdout: result.stdout.slice(0, RUN_LIMITS.maxOutput),
          stderr: `${result.stderr}${name}: output truncated at ${RUN_LIMITS.maxOutput} bytes\n`,
        };
      }
      return result;
    } catch (error) {
      if (error instanceof ExitRequest || error instanceof BudgetExceeded) throw error;
      if (error instanceof ExpansionError || error instanceof ResourceLimitError)
        return { stdout: "", stderr: `${error.message}\n`, exitCode: 1 };
      if (error instanceof RangeError) return { stdout: "", stderr: `${name}: out of memory: the result is too large\n`, exitCode: 1 };
      const message = error instanceof Error ? error.message : String(error);
      return { stdout: "", stderr: `${name}: internal error: ${message}\n`, exitCode: 1 };
    }
  }

  /** `./script.sh`, `/path/to/file`: runs executable text files from the VFS as scripts. */
  async runPathCommand(path: string, args: string[], env: Record<string, string>): Promise<CommandResult> {
    const stat = this.fs.stat(path);
    if (!stat) return { stdout: "", stderr: `bash: ${path}: No such file or directory\n`, exitCode: 127 };
    if (stat.type === "dir") return { stdout: "", stderr: `bash: ${path}: Is a directory\n`, exitCode: 126 };
    if ((stat.mode & 0o111) === 0) return { stdout: "", stderr: `bash: ${path}: Permission denied\n`, exitCode: 126 };
    const read = this.fs.readFile(path);
    if (!read.ok) return { stdout: "", stderr: `bash: ${path}: ${read.error}\n`, exitCode: 126 };
    return this.runText(read.content, env, true, args);
  }

  async runShell(args: string[], stdin: string, env: Record<string, string>): Promise<CommandResult> {
    if (args[0] === "-c") return this.runText(args[1] ?? "", env, true, []);
    if (args[0] !== undefined && !args[0].startsWith("-")) {
      const read = this.fs.readFile(args[0]);
      if (!read.ok) return { stdout: "", stderr: `bash: ${args[0]}: ${read.error}\n`, exitCode: 127 };
      return this.runText(read.content, env, true, []);
    }
    if (stdin !== "") return this.runText(stdin, env, true, []);
    return { stdout: "", stderr: "bash: nested interactive shells are not available here; you are already in bash\n", exitCode: 1 };
  }

  /** Runs a script text; `isolated` like a child process (cwd/env restored), else like `source`. */
  async runText(text: string, env: Record<string, string>, isolated: boolean, _args: string[]): Promise<CommandResult> {
    if (this.scriptDepth >= RUN_LIMITS.maxScriptDepth)
      return { stdout: "", stderr: "bash: maximum script nesting level exceeded\n", exitCode: 1 };
    const parsed = parse(text);
    if (!parsed.ok) return { stdout: "", stderr: `${parsed.error}\n`, exitCode: parsed.exitCode };
    let stdout = "";
    let stderr = parsed.warnings.map((warning) => `${warning}\n`).join("");
    const savedCwd = this.state.cwd;
    const savedEnv = { ...this.state.env };
    if (isolated) replaceContents(this.state.env, env);
    this.scriptDepth++;
    let status = 0;
    try {
      status = await this.runScript(parsed.script, {
        stdout: (chunk) => {
          if (stdout.length + chunk.length > RUN_LIMITS.maxOutput) throw new ExpansionError("bash: script output too large");
          stdout += chunk;
        },
        stderr: (chunk) => {
          stderr += chunk;
        },
      });
    } catch (error) {
      if (error instanceof ExitRequest) status = error.code;
      else throw error;
    } finally {
      this.scriptDepth--;
      if (isolated) {
        this.state.cwd = savedCwd;
        replaceContents(this.state.env, savedEnv);
      }
    }
    return { stdout, stderr, exitCode: status };
  }

  makeBuiltins(): Record<string, Builtin> {
    const ok = (stdout = ""): CommandResult => ({ stdout, stderr: "", exitCode: 0 });
    const fail = (stderr: string, exitCode = 1): CommandResult => ({ stdout: "", stderr, exitCode });
    const echo = this.registry.echo;
    const printf = this.registry.printf;
    const viaRegistry =
      (handler: CommandHandler | undefined): Builtin =>
      async (args, io) =>
        handler
          ? handler({
              args,
              stdin: io.stdin,
              env: io.env,
              cwd: this.state.cwd,
              fs: this.fs,
              now: this.options.now,
              network: this.options.network,
              exchanges: this.exchanges,
              random: (n) => this.random(n),
              budget: this.budget,
            })
          : ok();
    return {
      ":": async () => ok(),
      true: async () => ok(),
      false: async () => ({ stdout: "", stderr: "", exitCode: 1 }),
      echo: viaRegistry(echo),
      printf: viaRegistry(printf),
      pwd: async () => ok(`${this.state.cwd}\n`),
      cd: async (args, io) => {
        const operands = args.filter((arg, index) => !(index === 0 && (arg === "-L" || arg === "-P")));
        if (operands.length > 1) return fail("bash: cd: too many arguments\n");
        let target = operands[0];
        let print = false;
        if (target === undefined || target === "") {
          target = io.env.HOME;
          if (target === undefined) return fail("bash: cd: HOME not set\n");
        } else if (target === "-") {
          target = io.env.OLDPWD;
          if (target === undefined) return fail("bash: cd: OLDPWD not set\n");
          print = true;
        }
        const stat = this.fs.stat(target);
        const ancestors = this.fs.readFile(target);
        if (!stat)
          return fail(
            `bash: cd: ${target}: ${!ancestors.ok && ancestors.error === "Not a directory" ? "Not a directory" : "No such file or directory"}\n`,
          );
        if (stat.type !== "dir") return fail(`bash: cd: ${target}: Not a directory\n`);
        const resolved = this.fs.resolve(target);
        return {
          stdout: print ? `${resolved}\n` : "",
          stderr: "",
          exitCode: 0,
          setCwd: resolved,
          setEnv: { OLDPWD: this.state.cwd, PWD: resolved },
        };
      },
      export: async (args) => {
        if (args.length === 0 || args[0] === "-p") {
          return ok(
            Object.keys(this.state.env)
              .sort()
              .map((key) => `declare -x ${key}="${(this.state.env[key] ?? "").replace(/(["\\$`])/g, "\\$1")}"\n`)
              .join(""),
          );
        }
        const setEnv: Record<string, string> = {};
        let stderr = "";
        for (const arg of args) {
          if (arg === "-n") continue;
          const match = /^([A-Za-z_][A-Za-z0-9_]*)(?:=([\s\S]*))?$/.exec(arg);
          if (!match || match[1] === undefined) {
            stderr += `bash: export: \`${arg}': not a valid identifier\n`;
            continue;
          }
          if (match[2] !== undefined) setEnv[match[1]] = match[2];
          else if (this.state.env[match[1]] === undefined) setEnv[match[1]] = "";
        }
        return { stdout: "", stderr, exitCode: stderr === "" ? 0 : 1, setEnv };
      },
      unset: async (args) => {
        for (const arg of args) if (!arg.startsWith("-")) delete this.state.env[arg];
        return ok();
      },
      set: async (args) => {
        if (args.length === 0) {
          return ok(
            Object.keys(this.state.env)
              .sort()
              .map((key) => `${key}=${this.state.env[key] ?? ""}\n`)
              .join(""),
          );
        }
        return ok();
      },
      exit: async (args) => {
        const code = args[0] === undefined ? this.lastExitCode : Number.parseInt(args[0], 10);
        if (args[0] !== undefined && !Number.isFinite(code)) throw new ExitRequest(2);
        throw new ExitRequest(((code % 256) + 256) % 256);
      },
      logout: async () => {
        throw new ExitRequest(0);
      },
      history: async (args) => {
        if (args[0] === "-c") {
          this.state.history = [];
          return ok();
        }
        const count = args[0] !== undefined && /^\d+$/.test(args[0]) ? Number(args[0]) : this.state.history.length;
        const start = Math.max(0, this.state.history.length - count);
        return ok(
          this.state.history
            .slice(start)
            .map((line, index) => `${String(start + index + 1).padStart(5, " ")}  ${line}\n`)
            .join(""),
        );
      },
      alias: async (args) => {
        const aliases = (this.state.aliases ??= {});
        if (args.length === 0) {
          return ok(
            Object.keys(aliases)
              .sort()
              .map((key) => `alias ${key}='${aliases[key] ?? ""}'\n`)
              .join(""),
          );
        }
        let stdout = "";
        let stderr = "";
        for (const arg of args) {
          const eq = arg.indexOf("=");
          const aliasName = arg.slice(0, eq);
          if (eq > 0 && arg.length - eq - 1 > SHELL_LIMITS.maxAliasBytes)
            stderr += `bash: alias: ${aliasName}: definition too long (limit ${SHELL_LIMITS.maxAliasBytes} characters)\n`;
          else if (eq > 0 && aliases[aliasName] === undefined && Object.keys(aliases).length >= SHELL_LIMITS.maxAliases)
            stderr += `bash: alias: ${aliasName}: too many aliases (limit ${SHELL_LIMITS.maxAliases})\n`;
          else if (eq > 0) aliases[aliasName] = arg.slice(eq + 1);
          else if (aliases[arg] !== undefined) stdout += `alias ${arg}='${aliases[arg] ?? ""}'\n`;
          else stderr += `bash: alias: ${arg}: not found\n`;
        }
        return { stdout, stderr, exitCode: stderr === "" ? 0 : 1 };
      },
      unalias: async (args) => {
        const aliases = (this.state.aliases ??= {});
        let stderr = "";
        for (const arg of args) {
          if (arg === "-a") {
            for (const key of Object.keys(aliases)) delete aliases[key];
          } else if (aliases[arg] !== undefined) delete aliases[arg];
          else stderr += `bash: unalias: ${arg}: not found\n`;
        }
        return { stdout: "", stderr, exitCode: stderr === "" ? 0 : 1 };
      },
      type: async (args) => {
        let stdout = "";
        let stderr = "";
        for (const arg of args) {
          const alias = this.state.aliases?.[arg];
          if (alias !== undefined) stdout += `${arg} is aliased to \`${alias}'\n`;
          else if (BUILTINS.has(arg)) stdout += `${arg} is a shell builtin\n`;
          else if (this.registry[arg] || arg === "which") stdout += `${arg} is ${KNOWN_PATHS[arg] ?? `/usr/bin/${arg}`}\n`;
          else stderr += `bash: type: ${arg}: not found\n`;
        }
        return { stdout, stderr, exitCode: stderr === "" ? 0 : 1 };
      },
      hash: async () => ok(),
      which: async (args) => {
        let stdout = "";
        let missing = false;
        for (const arg of args) {
          if (arg.startsWith("-")) continue;
          const path = this.registry[arg] ? (KNOWN_PATHS[arg] ?? `/usr/bin/${arg}`) : undefined;
          if (path) stdout += `${path}\n`;
          else missing = true;
        }
        return { stdout, stderr: "", exitCode: missing || args.length === 0 ? 1 : 0 };
      },
      help: async () =>
        ok(
          "This is a simulated bash for practice. It supports pipelines (|), lists (; && ||), redirections (> >> < 2> 2>&1 &>),\n" +
            "here-documents (<<EOF), quotes, $VAR, ${VAR:-default}, $(command), `command`, globbing (*, ?) and aliases.\n" +
            `Commands: ${[...BUILTINS, ...Object.keys(this.registry)]
              .filter((name, index, all) => all.indexOf(name) === index)
              .sort()
              .join(" ")}\n`,
        ),
      read: async (args, io) => {
        const names = args.filter((arg) => !arg.startsWith("-"));
        const line = io.stdin.split("\n")[0] ?? "";
        const setEnv: Record<string, string> = {};
        const words = line.trim().split(/\s+/);
        names.forEach((name, index) => {
          setEnv[name] = index === names.length - 1 ? words.slice(index).join(" ") : (words[index] ?? "");
        });
        if (names.length === 0) setEnv.REPLY = line;
        return { stdout: "", stderr: "", exitCode: io.stdin === "" ? 1 : 0, setEnv };
      },
      source: async (args, io) => this.sourceFile(args, io.env),
      ".": async (args, io) => this.sourceFile(args, io.env),
      eval: async (args, io) => this.runText(args.join(" "), io.env, false, []),
    };
  }

  async sourceFile(args: string[], env: Record<string, string>): Promise<CommandResult> {
    const file = args[0];
    if (file === undefined)
      return { stdout: "", stderr: "bash: source: filename argument required\nsource: usage: source filename [arguments]\n", exitCode: 2 };
    const read = this.fs.readFile(file);
    if (!read.ok) return { stdout: "", stderr: `bash: ${file}: ${read.error}\n`, exitCode: 1 };
    return this.runText(read.content, env, false, args.slice(1));
  }
}

function replaceContents(target: Record<string, string>, source: Record<string, string>): void {
  const copy = { ...source };
  for (const key of Object.keys(target)) delete target[key];
  Object.assign(target, copy);
}

/**
 * Runs one input (a line or a pasted block) in the session. Mutates `state` (cwd, env, files,
 * history, aliases, lastExitCode). Never throws.
 */
export async function runCommandLine(state: ShellState, line: string, options: RunOptions): Promise<RunResult> {
  const output: OutputChunk[] = [];
  let total = 0;
  let truncated = false;
  const push = (stream: OutputChunk["stream"], text: string): void => {
    if (text === "" || truncated) return;
    if (total + text.length > RUN_LIMITS.maxOutput) {
      truncated = true;
      output.push({ stream, text: text.slice(0, Math.max(0, RUN_LIMITS.maxOutput - total)) });
      output.push({ stream: "stderr", text: `\nbash: output truncated at ${RUN_LIMITS.maxOutput} bytes\n` });
      return;
    }
    total += text.length;
    const previous = output[output.length - 1];
    if (previous && previous.stream === stream) previous.text += text;
    else output.push({ stream, text });
  };
  const sink: Sink = { stdout: (text) => push("stdout", text), stderr: (text) => push("stderr", text) };
  let exitCode = 0;
  let executor: Executor | undefined;
  try {
    if (typeof line !== "string") throw new TypeError("command line must be a string");
    if (!Array.isArray(state.history)) state.history = [];
    if (options.recordHistory !== false && line.trim() !== "" && line.length <= SHELL_LIMITS.maxHistoryLineBytes) {
      state.history.push(line.replace(/\n+$/, ""));
      if (state.history.length > HISTORY_LIMIT) state.history.splice(0, state.history.length - HISTORY_LIMIT);
      let total = state.history.reduce((sum, entry) => sum + entry.length, 0);
      while (total > SHELL_LIMITS.maxHistoryTotalBytes && state.history.length > 1) total -= state.history.shift()?.length ?? 0;
    }
    const parsed = parse(line);
    if (!parsed.ok) {
      sink.stderr(`${parsed.error}\n`);
      exitCode = parsed.exitCode;
    } else {
      executor = new Executor(state, options);
      for (const warning of parsed.warnings) sink.stderr(`${warning}\n`);
      try {
        exitCode = await executor.runScript(parsed.script, sink);
      } catch (error) {
        if (error instanceof ExitRequest) {
          sink.stderr("exit\nbash: this practice terminal stays open: the scenario keeps its shell (use the scenario controls to leave)\n");
          exitCode = error.code;
        } else if (error instanceof BudgetExceeded || error instanceof ExpansionError || error instanceof ResourceLimitError) {
          sink.stderr(`${error.message}\n`);
          exitCode = 1;
        } else throw error;
      }
    }
  } catch (error) {
    sink.stderr(`bash: internal error: ${error instanceof Error ? error.message : String(error)}\n`);
    exitCode = 1;
  }
  state.lastExitCode = exitCode;
  const stdout = output
    .filter((chunk) => chunk.stream === "stdout")
    .map((chunk) => chunk.text)
    .join("");
  const stderr = output
    .filter((chunk) => chunk.stream === "stderr")
    .map((chunk) => chunk.text)
    .join("");
  const result: RunResult = { stdout, stderr, exitCode, exchanges: executor?.exchanges ?? [], output };
  if (executor?.openEditor) result.openEditor = executor.openEditor;
  if (stdout.includes(CLEAR_SCREEN)) result.clearScreen = true;
  return result;
}
