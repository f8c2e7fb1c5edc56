import { describe, expect, it } from "vitest";
import type { PublicScenario } from "../scenarios/catalog";
import { summarizeScenario } from "./scenarios";

const scenario: PublicScenario = {
  id: "whoami",
  title: "Who am I?",
  summary: "",
  order: 1,
  difficulty: "easy",
  estimatedMinutes: 10,
  objectives: [],
  story: "",
  lessons: ["how-kubernetes-authenticates"],
  steps: [],
  checkCount: 2,
};
const at = new Date("2026-01-02T10:00:00Z");

describe("summarizeScenario", () => {
  it("is not started without attempts", () => {
    expect(summarizeScenario(scenario, undefined)).toMatchObject({
      status: "not-started",
      score: null,
      attempts: 0,
      href: "/scenarios/whoami",
      lastActiveAt: null,
    });
  });

  it("reports the current attempt while not passed, and gave-up as such", () => {
    const facts = {
      attempts: 2,
      timeSpentSeconds: 300,
      hintsUsed: 1,
      lastActiveAt: at,
      current: { status: "IN_PROGRESS" as const, score: 0.5 },
    };
    expect(summarizeScenario(scenario, facts)).toMatchObject({
      status: "in-progress",
      score: 0.5,
      attempts: 2,
      timeSpentSeconds: 300,
      hintsUsed: 1,
      lastActiveAt: at.toISOString(),
    });
    expect(summarizeScenario(scenario, { ...facts, current: { status: "GAVE_UP", score: 0.25 } })).toMatchObject({
      status: "gave-up",
      score: 0.25,
    });
  });

  it("stays passed with the best score after a reset, and keeps the first pass time", () => {
    const facts = {
      attempts: 3,
      timeSpentSeconds: 900,
      hintsUsed: 0,
      lastActiveAt: at,
      passedScore: 1,
      firstPassedAt: at,
      current: { status: "IN_PROGRESS" as const, score: 0 },
    };
    expect(summarizeScenario(scenario, facts)).toMatchObject({ status: "passed", score: 1, attempts: 3, passedAt: at.toISOString() });
  });

  it("counts attempts without a current instance as in progress, and clamps scores", () => {
    expect(summarizeScenario(scenario, { attempts: 1, timeSpentSeconds: 0, hintsUsed: 0, lastActiveAt: at })).toMatchObject({
      status: "in-progress",
      score: 0,
    });
    expect(summarizeScenario(scenario, { attempts: 1, timeSpentSeconds: 0, hintsUsed: 0, lastActiveAt: at, passedScore: 7 }).score).toBe(1);
  });
});
