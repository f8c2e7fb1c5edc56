/**
 * Runs learner input in an instance: the simulated shell with kubectl wired to the instance's
 * cluster. Records each API exchange for the checks and the "why?" panel, and keeps the end of
 * the screen for restoring the terminal after a reload.
 */
import crypto from "node:crypto";
import { type RunResult } from "../k8s/shell";
import { activeFrame, apiServerServing, runInCluster } from "../k8s/node";
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
  const session = activeFrame(instance.shell) ?? instance.shell;
  const { USER: user = "student", HOME: home = "/" } = session.env;
  const cwd = session.cwd === home ? "~" : session.cwd.startsWith(`${home}/`) ? `~${session.cwd.slice(home.length)}` : session.cwd;
  return `${user}@${session.env.HOSTNAME ?? "controlplane"}:${cwd}${user === "root" ? "#" : "$"} `;
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
  options: { recordHistory?: boolean; echoPrompt?: boolean; tick?: boolean } = {},
): Promise<ExecuteResult> {
  const prompt = promptFor(instance);
  const run = await runInCluster(instance.cluster, instance.shell, input, {
    tick: options.tick ?? true,
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
  if (instance.cluster.node !== undefined) instance.apiServerDown = !apiServerServing(instance.cluster);
  const screen = run.clearScreen ? "" : `${instance.transcript}${options.echoPrompt === false ? "" : `${prompt}${input}\n`}${output}`;
  instance.transcript = screen.length > LIMITS.transcriptChars ? screen.slice(screen.length - LIMITS.transcriptChars) : screen;
  return { run, output, why };
}
