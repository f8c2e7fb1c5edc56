// Hints per step: the request's bounds (hostile bodies get a 4xx, never a 500), the decision for
// each request, old attempts' flat-order hints, and no hint text in what a page gets before asking.
import { describe, expect, it } from "vitest";
import { readJson } from "@/lib/http/body";
import { DomainError } from "@/lib/http/errors";
import { listScenarios, loadScenarios } from "@/lib/scenarios/catalog";
import { decideHint, hintCountsByStep, hintRequestSchema, revealedHints } from "@/lib/scenarios/hints";

const scenario = {
  steps: [
    { title: "one", text: "", hints: ["1a"] },
    { title: "two", text: "", hints: ["2a", "2b"] },
    { title: "three", text: "", hints: ["3a", "3b", "3c"] },
    { title: "four", text: "", hints: [] },
  ],
};

function request(body: string): Request {
  return new Request("http://app.test/api/scenarios/expired-cert/hints", {
    method: "POST",
    headers: { "content-type": "application/json" },
    body,
  });
}

async function statusOf(body: string): Promise<number> {
  try {
    await readJson(request(body), hintRequestSchema, 1024);
    return 200;
  } catch (error) {
    if (error instanceof DomainError) return error.status;
    throw error;
  }
}

describe("hint requests", () => {
  it("accepts a step and a hint index", async () => {
    expect(await readJson(request('{"step":2,"hint":0}'), hintRequestSchema, 1024)).toEqual({ step: 2, hint: 0 });
  });

  it.each([
    ["negative step", '{"step":-1,"hint":0}'],
    ["negative hint", '{"step":0,"hint":-1}'],
    ["huge step", '{"step":1e308,"hint":0}'],
    ["step past MAX_SAFE_INTEGER", '{"step":9007199254740993,"hint":0}'],
    ["fractional step", '{"step":1.5,"hint":0}'],
    ["fractional hint", '{"step":1,"hint":0.5}'],
    ["step as a string", '{"step":"2","hint":0}'],
    ["step as null", '{"step":null,"hint":0}'],
    ["no hint index", '{"step":2}'],
    ["an array", "[2,0]"],
    ["nothing", "{}"],
  ])("refuses a %s with 422", async (_name, body) => {
    expect(await statusOf(body)).toBe(422);
  });

  it("refuses a body that is not JSON (400) or too large (413)", async () => {
    expect(await statusOf("{step:2}")).toBe(400);
    expect(await statusOf(`{"step":2,"hint":0,"pad":"${"x".repeat(2048)}"}`)).toBe(413);
  });
});

describe("deciding a hint", () => {
  it("reveals the next hint of any step, without the earlier steps' hints", () => {
    expect(decideHint(scenario, [0, 0, 0, 0], { step: 2, hint: 0 })).toEqual({ kind: "reveal", text: "3a" });
    expect(decideHint(scenario, [0, 0, 1, 0], { step: 2, hint: 1 })).toEqual({ kind: "reveal", text: "3b" });
  });

  it("shows a hint already revealed again without counting it", () => {
    expect(decideHint(scenario, [0, 0, 2, 0], { step: 2, hint: 0 })).toEqual({ kind: "again", text: "3a" });
  });

  it("keeps the hints of one step in order", () => {
    expect(decideHint(scenario, [0, 0, 0, 0], { step: 2, hint: 1 })).toEqual({
      kind: "refuse",
      status: 409,
      message: "Hints of step 3 come in order: ask for hint 1 first.",
    });
  });

  it("refuses a step or hint that does not exist with a message that says what does", () => {
    expect(decideHint(scenario, [0, 0, 0, 0], { step: 4, hint: 0 })).toEqual({
      kind: "refuse",
      status: 422,
      message: "There is no step 5: this scenario has 4 steps.",
    });
    expect(decideHint(scenario, [1, 0, 0, 0], { step: 0, hint: 1 })).toEqual({
      kind: "refuse",
      status: 422,
      message: "There is no hint 2 for step 1: that step has 1 hint.",
    });
    expect(decideHint(scenario, [0, 0, 0, 0], { step: 3, hint: 0 })).toEqual({
      kind: "refuse",
      status: 422,
      message: "There is no hint 1 for step 4: that step has no hints.",
    });
    expect(decideHint(scenario, [0, 0, 3, 0], { step: 2, hint: 3 })).toMatchObject({ kind: "refuse", status: 422 });
  });
});

describe("counting hints per step", () => {
  it("counts new hints by their step", () => {
    expect(hintCountsByStep(scenario, [{ hintStep: 2 }, { hintStep: 2 }, { hintStep: 0 }])).toEqual([1, 0, 2, 0]);
  });

  it("reads old attempts' hints (no step) in the scenario's flat order", () => {
    expect(hintCountsByStep(scenario, [{ hintStep: null }, { hintStep: null }])).toEqual([1, 1, 0, 0]);
    expect(hintCountsByStep(scenario, [{ hintStep: null }, { hintStep: null }, { hintStep: 1 }])).toEqual([1, 2, 0, 0]);
  });

  it("never counts more than a step has, nor steps that no longer exist", () => {
    expect(
      hintCountsByStep(
        scenario,
        Array.from({ length: 20 }, () => ({ hintStep: null })),
      ),
    ).toEqual([1, 2, 3, 0]);
    expect(hintCountsByStep(scenario, [{ hintStep: 0 }, { hintStep: 0 }, { hintStep: 7 }])).toEqual([1, 0, 0, 0]);
  });

  it("lists revealed texts step by step", () => {
    expect(revealedHints(scenario, [0, 1, 2, 0])).toEqual([
      { step: 1, hint: "2a" },
      { step: 2, hint: "3a" },
      { step: 2, hint: "3b" },
    ]);
  });
});

describe("what a scenario page gets before any hint is asked for", () => {
  it("carries hint counts, never hint texts", () => {
    const definitions = loadScenarios();
    for (const view of listScenarios()) {
      const json = JSON.stringify(view);
      const hints = definitions.get(view.id)?.steps.flatMap((step) => step.hints) ?? [];
      expect(hints.length).toBeGreaterThan(0);
      for (const hint of hints) expect(json).not.toContain(JSON.stringify(hint).slice(1, -1));
    }
  });
});
