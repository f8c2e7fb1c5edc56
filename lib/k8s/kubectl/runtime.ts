/** Per-invocation state: the command context, stdout/stderr buffers, klog lines with a stable pid. */
import { createHash } from "node:crypto";
import type { CommandContext } from "../shell/types";

/** CommandContext plus what the shell contract does not carry yet (see the report). */
export interface KubectlContext extends CommandContext {
  /** Whether stdout is a terminal (create token adds a newline only then). Default true. */
  stdoutIsTerminal?: boolean;
}

export const CLIENT_VERSION = "v1.32.5";
export const KUSTOMIZE_VERSION = "v5.5.0";
export const USER_AGENT = "kubectl/v1.32.5 (linux/amd64) kubernetes/9894294";

function two(value: number): string {
  return String(value).padStart(2, "0");
}

export class Runtime {
  private out = "";
  private err = "";
  private elapsedMicros = 0;
  readonly pid: number;

  constructor(readonly context: KubectlContext) {
    const seed = `${context.env.HOSTNAME ?? ""}|${context.env.HOME ?? ""}|${context.env.USER ?? ""}`;
    this.pid = 1000 + (createHash("sha256").update(seed).digest().readUInt32BE(0) % 30000);
  }

  get now(): Date {
    return this.context.now;
  }

  stdout(text: string): void {
    this.out += text;
  }

  stderr(text: string): void {
    this.err += text;
  }

  get stdoutText(): string {
    return this.out;
  }

  get stderrText(): string {
    return this.err;
  }

  /** A klog error line; the timestamp is the simulated clock plus a few simulated milliseconds per line. */
  klogError(location: string, message: string): void {
    this.klog("E", location, message);
  }

  /** A klog warning line (`W1207 02:47:50.781734   15181 helpers.go:702] ...`). */
  klogWarning(location: string, message: string): void {
    this.klog("W", location, message);
  }

  private klog(severity: "E" | "W", location: string, message: string): void {
    this.elapsedMicros += 2_000 + ((this.elapsedMicros * 7) % 900);
    const totalMicros = this.now.getTime() * 1000 + this.elapsedMicros;
    const date = new Date(Math.floor(totalMicros / 1000));
    const micros = String(totalMicros % 1_000_000).padStart(6, "0");
    const time = `${two(date.getUTCHours())}:${two(date.getUTCMinutes())}:${two(date.getUTCSeconds())}.${micros}`;
    this.err += `${severity}${two(date.getUTCMonth() + 1)}${two(date.getUTCDate())} ${time} ${String(this.pid).padStart(7, " ")} ${location}] ${message}\n`;
  }
}
