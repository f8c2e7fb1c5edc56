/**
 * Hints per step: a learner asks for hint N of step S, and hints within a step come in order.
 * The events store the step; hints revealed before that (hintStep null) were handed out in the
 * scenario's flat order, so they still count for the steps that held them.
 */
import { z } from "zod";
import type { Scenario } from "./schema";

/** The body of a hint request; the bounds only keep garbage out, the scenario decides the rest. */
export const hintRequestSchema = z.object({
  step: z.number().int("The step is a whole number.").min(0, "Steps count from 0.").max(999, "There is no such step."),
  hint: z.number().int("The hint is a whole number.").min(0, "Hints count from 0.").max(999, "There is no such hint."),
});

export type HintRequest = z.infer<typeof hintRequestSchema>;

/** The unique request id a hint's event carries: commands' ids cannot contain ":" (api-types.ts). */
export function hintEventId({ step, hint }: HintRequest): string {
  return `hint:${step}:${hint}`;
}

/** How many hints of each step the learner has seen, from the attempt's hint events. */
export function hintCountsByStep(scenario: Pick<Scenario, "steps">, events: { hintStep: number | null }[]): number[] {
  const counts = scenario.steps.map(() => 0);
  const legacy = events.filter((event) => event.hintStep === null).length;
  const flat = scenario.steps.flatMap((step, index) => step.hints.map(() => index));
  for (const step of flat.slice(0, legacy)) counts[step] = (counts[step] ?? 0) + 1;
  for (const event of events) {
    if (event.hintStep !== null && event.hintStep < counts.length) counts[event.hintStep] = (counts[event.hintStep] ?? 0) + 1;
  }
  return counts.map((count, index) => Math.min(count, scenario.steps[index]?.hints.length ?? 0));
}

/** The hint texts a learner has earned, step by step, in order within each step. */
export function revealedHints(scenario: Pick<Scenario, "steps">, counts: number[]): { step: number; hint: string }[] {
  return scenario.steps.flatMap((step, index) => step.hints.slice(0, counts[index] ?? 0).map((hint) => ({ step: index, hint })));
}

export type HintDecision = { kind: "reveal" | "again"; text: string } | { kind: "refuse"; status: 409 | 422; message: string };

/**
 * Whether hint `hint` of step `step` may be shown: the next one of that step is revealed (and
 * recorded), one already shown is shown again (a retried click), anything else is refused.
 */
export function decideHint(scenario: Pick<Scenario, "steps">, counts: number[], { step, hint }: HintRequest): HintDecision {
  const definition = scenario.steps[step];
  if (!definition) {
    const total = scenario.steps.length;
    return {
      kind: "refuse",
      status: 422,
      message: `There is no step ${step + 1}: this scenario has ${total} ${total === 1 ? "step" : "steps"}.`,
    };
  }
  const available = definition.hints.length;
  const text = definition.hints[hint];
  if (text === undefined) {
    const has = available === 0 ? "has no hints" : `has ${available} ${available === 1 ? "hint" : "hints"}`;
    return { kind: "refuse", status: 422, message: `There is no hint ${hint + 1} for step ${step + 1}: that step ${has}.` };
  }
  const shown = counts[step] ?? 0;
  if (hint < shown) return { kind: "again", text };
  if (hint > shown)
    return { kind: "refuse", status: 409, message: `Hints of step ${step + 1} come in order: ask for hint ${shown + 1} first.` };
  return { kind: "reveal", text };
}
