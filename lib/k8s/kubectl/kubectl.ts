/**
 * The simulated kubectl v1.32.5: finds the (sub)command like cobra, parses flags like pflag, runs it,
 * and renders any error exactly as cmdutil.CheckErr does.
 */
import type { CommandHandler } from "../shell/types";
import { Flags, GLOBAL_FLAGS, parseArgs, takesSeparateValue, type FlagSpec, type ParsedArgs } from "./args";
import type { CommandSpec } from "./command";
import { apiResourcesCommand, clusterInfoCommand, versionCommand } from "./commands/info";
import { applyCommand } from "./commands/apply";
import { authCommand } from "./commands/auth";
import { certificateCommand } from "./commands/certificate";
import { configCommand } from "./commands/config";
import { createCommand } from "./commands/create";
import { deleteCommand } from "./commands/delete";
import { describeCommand } from "./commands/describe";
import { execCommand } from "./commands/exec";
import { explainCommand } from "./commands/explain";
import { getCommand } from "./commands/get";
import { runCommand } from "./commands/run";
import { renderError, RenderedError } from "./errors";
import { Runtime, type KubectlContext } from "./runtime";

export const COMMANDS: CommandSpec[] = [
  getCommand,
  explainCommand,
  describeCommand,
  createCommand,
  runCommand,
  execCommand,
  applyCommand,
  deleteCommand,
  authCommand,
  configCommand,
  certificateCommand,
  versionCommand,
  clusterInfoCommand,
  apiResourcesCommand,
];

function allFlags(commands: CommandSpec[]): FlagSpec[] {
  return commands.flatMap((command) => [...(command.flags ?? []), ...allFlags(command.subcommands ?? [])]);
}

/** Every flag kubectl knows, global or of any command (listed once: the commands never change). */
let knownFlags: FlagSpec[] | undefined;

export function findCommand(list: CommandSpec[], name: string): CommandSpec | undefined {
  return list.find((command) => command.name === name || (command.aliases ?? []).includes(name));
}

function levenshtein(a: string, b: string): number {
  const row = Array.from({ length: b.length + 1 }, (_, index) => index);
  for (let i = 1; i <= a.length; i += 1) {
    let previous = row[0] ?? 0;
    row[0] = i;
    for (let j = 1; j <= b.length; j += 1) {
      const current = row[j] ?? 0;
      row[j] = Math.min((row[j] ?? 0) + 1, (row[j - 1] ?? 0) + 1, previous + (a[i - 1] === b[j - 1] ? 0 : 1));
      previous = current;
    }
  }
  return row[b.length] ?? 0;
}

function suggestions(name: string, list: CommandSpec[]): string {
  const found = list
    .map((command) => command.name)
    .filter((candidate) => levenshtein(name, candidate) <= 2 || candidate.startsWith(name.toLowerCase()));
  return found.length === 0 ? "" : `\n\nDid you mean this?\n${found.map((candidate) => `\t${candidate}\n`).join("")}`;
}

const ROOT_HELP = `kubectl controls the Kubernetes cluster manager.

 Find more information at: https://kubernetes.io/docs/reference/kubectl/

Basic Commands (Beginner):
  create          Create a resource from a file or from stdin
  run             Run a particular image on the cluster

Basic Commands (Intermediate):
  explain         Get documentation for a resource
  get             Display one or many resources
  delete          Delete resources by file names, stdin, resources and names, or by resources and label selector

Cluster Management Commands:
  certificate     Modify certificate resources
  cluster-info    Display cluster information

Troubleshooting and Debugging Commands:
  describe        Show details of a specific resource or group of resources
  exec            Execute a command in a container
  auth            Inspect authorization

Advanced Commands:
  apply           Apply a configuration to a resource by file name or stdin

Settings Commands:
  config          Modify kubeconfig files

Other Commands:
  api-resources   Print the supported API resources on the server
  version         Print the client and server version information

Usage:
  kubectl [flags] [options]

Use "kubectl <command> --help" for more information about a given command.
Use "kubectl options" for a list of global command-line options (applies to all commands).
`;

export interface ResolvedCommand {
  /** The (sub)command found, undefined for a bare `kubectl [flags]`. */
  command: CommandSpec | undefined;
  /** "kubectl config view": canonical names, aliases resolved. */
  commandPath: string;
  /** Flags and positional arguments after removing the command path, parsed with the command's flags. */
  parsed: ParsedArgs;
}

/**
 * Finds the (sub)command like cobra and parses the remaining arguments like pflag, without running
 * anything. Throws kubectl's RenderedError for an unknown command or flag. The quiz grader uses it
 * to compare commands by meaning.
 */
export function resolveCommand(args: readonly string[]): ResolvedCommand {
  knownFlags ??= [...GLOBAL_FLAGS, ...allFlags(COMMANDS)];
  const path: CommandSpec[] = [];
  const pathIndexes: number[] = [];
  let list = COMMANDS;
  for (let index = 0; index < args.length; index += 1) {
    const arg = args[index] ?? "";
    if (arg === "--") break;
    if (arg.startsWith("-") && arg !== "-") {
      if (takesSeparateValue(arg, knownFlags)) index += 1;
      continue;
    }
    const next = findCommand(list, arg);
    if (next === undefined) {
      if (path.length === 0)
        throw new RenderedError(
          `error: unknown command "${arg}" for "kubectl"${suggestions(arg, COMMANDS)}\nRun 'kubectl --help' for usage.`,
        );
      const parent = path[path.length - 1];
      if (parent?.run === undefined) {
        const parentPath = `kubectl ${path.map((command) => command.name).join(" ")}`;
        throw new RenderedError(
          `error: unknown command "${arg}" for "${parentPath}"${suggestions(arg, parent?.subcommands ?? [])}\nRun '${parentPath} --help' for usage.`,
        );
      }
      break;
    }
    path.push(next);
    pathIndexes.push(index);
    list = next.subcommands ?? [];
    if (list.length === 0) break;
  }
  const command = path[path.length - 1];
  const commandPath = `kubectl${path.map((item) => ` ${item.name}`).join("")}`;
  const remaining = args.filter((_, index) => !pathIndexes.includes(index));
  const specs = [...GLOBAL_FLAGS, ...(command?.flags ?? [])];
  const parsed = parseArgs(remaining, specs);
  if (!parsed.ok) throw new RenderedError(`error: ${parsed.error}\nSee '${commandPath} --help' for usage.`);
  return { command, commandPath, parsed: parsed.parsed };
}

/** The flag specs a resolved command accepts: the global ones and its own. */
export function commandFlagSpecs(command: CommandSpec | undefined): FlagSpec[] {
  return [...GLOBAL_FLAGS, ...(command?.flags ?? [])];
}

async function dispatch(runtime: Runtime, args: string[]): Promise<number> {
  const { command, commandPath, parsed } = resolveCommand(args);
  const flags = new Flags(parsed);
  if (command === undefined || flags.bool("help") || command.run === undefined) {
    if (command === undefined) runtime.stdout(ROOT_HELP);
    else {
      const subcommands = (command.subcommands ?? []).map((sub) => `  ${sub.name}`).join("\n");
      runtime.stdout(
        `Usage:\n  ${commandPath} [flags] [options]\n${subcommands === "" ? "" : `\nAvailable Commands:\n${subcommands}\n`}\nUse "kubectl options" for a list of global command-line options (applies to all commands).\n`,
      );
    }
    return 0;
  }
  const shadowed = (command.flags ?? [])
    .map((spec) => spec.name)
    .filter((name) => GLOBAL_FLAGS.some((global) => global.name === name) && name !== "namespace");
  const result = await command.run({ runtime, flags, globalFlags: flags.without(shadowed), args: flags.positional, commandPath });
  return typeof result === "number" ? result : 0;
}

/** The `kubectl` command for the simulated shell. */
export const kubectlCommand: CommandHandler = async (context) => {
  const runtime = new Runtime(context as KubectlContext);
  let exitCode: number;
  try {
    exitCode = await dispatch(runtime, context.args);
  } catch (error) {
    const rendered = renderError(error);
    runtime.stderr(rendered.text);
    exitCode = rendered.exitCode;
  }
  return { stdout: runtime.stdoutText, stderr: runtime.stderrText, exitCode };
};
