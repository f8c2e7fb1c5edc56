import { describe, expect, it } from "vitest";
import { drillScenario, runnableScenario } from "./drills";
import { drillIdOf, drillItem, itemKey, parseItemKey } from "./items";

describe("drills", () => {
  it("an exam task's check comes with the checks it requires, and the task's cluster and steps", () => {
    const drill = drillScenario("drill.task.least-privilege-serviceaccount.nothing-more");
    expect(drill?.checks.map((check) => check.id)).toEqual(["watches-everywhere", "nothing-more"]);
    expect(drill?.title).toBe("Drill: metrics still cannot read Secrets or ConfigMaps, delete pods or list nodes");
    expect(drill?.steps.length).toBeGreaterThan(0);
    expect(drill?.estimatedMinutes).toBeGreaterThanOrEqual(3);
  });

  it("a scenario check alone; unknown sources, checks and shapes resolve to nothing", () => {
    expect(drillScenario("drill.scenario.expired-cert.saw-401")?.checks.map((check) => check.id)).toEqual(["saw-401"]);
    expect(drillScenario("drill.scenario.expired-cert.no-such-check")).toBeUndefined();
    expect(drillScenario("drill.task.no-such-task.x")).toBeUndefined();
    expect(drillScenario("drill.task.../../etc.x")).toBeUndefined();
    expect(runnableScenario("expired-cert")?.id).toBe("expired-cert");
    expect(runnableScenario("drill.scenario.expired-cert.saw-401")?.id).toBe("drill.scenario.expired-cert.saw-401");
  });

  it("item keys and drill ids name the same check both ways", () => {
    const key = "check:task:csr-new-developer:csr-approved";
    const item = parseItemKey(key);
    if (item?.kind !== "check") throw new Error("not a check");
    expect(itemKey(item)).toBe(key);
    expect(drillItem(drillIdOf(item))).toEqual(item);
    expect(parseItemKey("question:x509-username-source")).toEqual({ kind: "question", questionId: "x509-username-source" });
    expect(parseItemKey("check:exam:a:b")).toBeUndefined();
    expect(drillItem("expired-cert")).toBeUndefined();
  });
});
