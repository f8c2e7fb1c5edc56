import { describe, expect, it } from "vitest";
import { ageSince, humanDuration } from "./human-duration";

const S = 1000;
const M = 60 * S;
const H = 60 * M;
const D = 24 * H;

describe("humanDuration (Go duration.HumanDuration)", () => {
  it.each([
    [-5 * S, "<invalid>"],
    [-1 * S, "0s"],
    [0, "0s"],
    [59 * S, "59s"],
    [119 * S, "119s"],
    [2 * M, "2m"],
    [2 * M + 5 * S, "2m5s"],
    [9 * M + 59 * S, "9m59s"],
    [10 * M + 30 * S, "10m"],
    [179 * M, "179m"],
    [3 * H, "3h"],
    [3 * H + 20 * M, "3h20m"],
    [8 * H, "8h"],
    [47 * H, "47h"],
    [2 * D, "2d"],
    [2 * D + 3 * H, "2d3h"],
    [8 * D, "8d"],
    [100 * D, "100d"],
    [729 * D, "729d"],
    [730 * D, "2y"],
    [731 * D, "2y1d"],
    [8 * 365 * D, "8y"],
    [20 * 365 * D + 3 * D, "20y"],
  ])("%d ms -> %s", (ms, expected) => {
    expect(humanDuration(ms)).toBe(expected);
  });

  it("ageSince handles missing timestamps", () => {
    expect(ageSince(undefined, 0)).toBe("<unknown>");
    expect(ageSince("2025-01-01T00:00:00Z", Date.parse("2025-01-01T00:00:30Z"))).toBe("30s");
  });
});
