/**
 * Runs learner input in an instance: the simulated shell with kubectl wired to the instance's
 * cluster. Records each API exchange for the checks and the "why?" panel, and keeps the end of
 * the screen for restoring the terminal after a reload.
 */
import crypto from "node:crypto";
import { runCommandLine, type RunResult } from "../k8s/shell";
import type { ApiExchange } from "../k8s/shell";
import { scenarioCommands } from "./commands";
import { authErrorOf } from "../practice-api/instance-store";
import type { WhyEntry } from "./api-types";
import { clusterNetwork, LIMITS, recordRequests, type InstanceState } from "./instance";

export interface ExecuteResult {
  run: RunResult;
  /** stdout/stderr interleaved, as the terminal shows it. */
  output: string;
  why: WhyEntry[];
}

export function promptFor(instance: InstanceState): string {
  const { USER: user = "student", HOME: home = "/" } = instance.shell.env;
  const cwd =
    instance.shell.cwd === home
      ? "~"
      : instance.shell.cwd.startsWith(`${home}/`)
        ? `~${instance.shell.cwd.slice(home.length)}`
        : instance.shell.cwd;
  return `${user}@${instance.shell.env.HOSTNAME ?? "controlplane"}:${cwd}$ `;
}

function describeCredential(exchange: ApiExchange): string {
  return exchange.request.identity;
}

export function toWhyEntry(exchange: ApiExchange): WhyEntry {
  return {
    method: exchange.request.method,
    url: exchange.request.url,
    credential: describeCredential(exchange),
    status: exchange.status,
    trace: exchange.trace.map((step) => ({ stage: step.stage, outcome: step.outcome, message: step.message })),
  };
}

function keepTail<T>(items: T[], limit: number): T[] {
  return items.length > limit ? items.slice(items.length - limit) : items;
}

export async function execute(
  instance: InstanceState,
  input: string,
  options: { recordHistory?: boolean; echoPrompt?: boolean } = {},
): Promise<ExecuteResult> {
  const prompt = promptFor(instance);
  const run = await runCommandLine(instance.shell, input, {
    commands: scenarioCommands(instance),
    now: new Date(instance.cluster.clock.nowMs),
    network: clusterNetwork(instance),
    random: (bytes) => new Uint8Array(crypto.randomBytes(bytes)),
    hostname: instance.shell.env.HOSTNAME,
    recordHistory: options.recordHistory ?? true,
  });
  const output = run.output.map((chunk) => chunk.text).join("");
  const why = run.exchanges.map(toWhyEntry);
  recordRequests(
    instance,
    run.exchanges.map((exchange) => {
      const authError = authErrorOf(exchange.trace);
      return {
        method: exchange.request.method,
        url: exchange.request.url,
        status: exchange.status,
        ...(authError === undefined ? {} : { authError }),
      };
    }),
  );
  instance.why = keepTail([...instance.why, ...why], LIMITS.why);
  const screen = run.clearScreen ? "" : `${instance.transcript}${options.echoPrompt === false ? "" : `${prompt}${input}\n`}${output}`;
  instance.transcript = screen.length > LIMITS.transcriptChars ? screen.slice(screen.length - LIMITS.transcriptChars) : screen;
  return { run, output, why };
}
