/**
 * The JSON the scenario routes exchange with the browser terminal. Only what the learner may see:
 * no check definitions, no solution (until completed or given up), no hints not yet revealed.
 */
import { z } from "zod";
import type { EditorRequest } from "../k8s/shell";

export const MAX_COMMAND_BYTES = 100 * 1024;

export const commandRequestSchema = z.object({
  /** One command line, or a pasted block (several lines, heredocs). */
  input: z.string().max(MAX_COMMAND_BYTES, `A command may be at most ${MAX_COMMAND_BYTES / 1024} KB.`),
  /** Client-generated id: a retried request is answered once. */
  requestId: z
    .string()
    .min(8)
    .max(64)
    .regex(/^[A-Za-z0-9_-]+$/, "A request id is letters, digits, - and _."),
});

/** An editor save (vi/nano) into the terminal's files. */
export const fileSaveSchema = z.object({
  path: z.string().min(1).max(1024),
  content: z.string().max(512 * 1024, "A file may be at most 512 KB."),
});
export const MAX_FILE_BODY_BYTES = 1024 * 1024 + 2048;

export const completeRequestSchema = z.object({
  line: z.string().max(4096),
  cursor: z.number().int().min(0).max(4096),
});

/** One API request kubectl made, for the "why?" panel. */
export interface WhyEntry {
  method: string;
  url: string;
  /** Who the credential said it was, e.g. "client certificate CN=jane" or "bearer token" or "no credentials". */
  credential: string;
  status: number;
  /** The engine's trace, one line per authenticator / authorizer decision, in the apiserver's wording. */
  trace: { stage: string; outcome: string; message: string }[];
}

/** What the terminal draws after a command (scenarios and exam tasks alike). */
export interface TerminalOutput {
  /** Terminal output, stdout and stderr interleaved as the learner would see them (\n line ends). */
  output: string;
  exitCode: number;
  /** Present when the command cleared the screen. */
  clear?: boolean;
  /** vi/nano: open the editor panel with this file. */
  openEditor?: EditorRequest;
  prompt: string;
  /** Empty when the why panel is switched off (exams). */
  why: WhyEntry[];
}

export interface CommandResponse extends TerminalOutput {
  /** Check results the learner has earned so far (after each command), and completion. */
  progress: ScenarioProgressView;
}

export interface ScenarioProgressView {
  status: "in-progress" | "passed" | "gave-up";
  score: number;
  /** readsTerminal: the check looks at the web terminal's files or history, not only at the cluster. */
  checks: { id: string; description: string; passed: boolean; weight: number; readsTerminal?: boolean }[];
}

export interface TerminalSnapshot {
  scenarioId: string;
  prompt: string;
  /** Recent transcript for restoring the screen after a reload (bounded). */
  transcript: string;
  history: string[];
  why: WhyEntry[];
  whyEnabled: boolean;
  /** The hints the learner asked for, by step and in order within a step. */
  hintsRevealed: { step: number; hint: string }[];
  progress: ScenarioProgressView;
  /** Only after completion or giving up. */
  solution?: string[];
  /** Where "Next scenario" leads once this one is passed: the next in the course order, if any. */
  next?: { id: string; title: string };
}

/** One revealed hint: `index` counts within its step. */
export interface HintView {
  step: number;
  index: number;
  hint: string;
}
