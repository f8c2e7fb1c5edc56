import { describe, expect, it } from "vitest";
import { examClock } from "./clock";

const start = new Date("2026-12-07T09:00:00Z");
const at = (minutes: number, seconds = 0) => new Date(start.getTime() + minutes * 60_000 + seconds * 1000);

describe("examClock", () => {
  it("counts down from the duration to a deadline at start + duration", () => {
    const clock = examClock(start, 120, at(0));
    expect(clock).toEqual({
      deadline: at(120),
      remainingMs: 120 * 60_000,
      closed: false,
      alertsReached: [],
      nextAlert: { minutes: 30, at: at(90) },
    });
  });

  it.each([
    [89, 59, [], 30],
    [90, 0, [30], 15],
    [105, 0, [30, 15], 5],
    [114, 59, [30, 15], 5],
    [115, 0, [30, 15, 5], null],
  ])("at %i min %i s of a 2-hour exam the alerts reached are %j, next %s", (minutes, seconds, reached, next) => {
    const clock = examClock(start, 120, at(minutes, seconds));
    expect(clock.alertsReached).toEqual(reached);
    expect(clock.nextAlert?.minutes ?? null).toBe(next);
    expect(clock.closed).toBe(false);
  });

  it("closes at the deadline and stays closed", () => {
    expect(examClock(start, 120, at(119, 59)).closed).toBe(false);
    for (const minutes of [120, 121, 60 * 24 * 30]) {
      const clock = examClock(start, 120, at(minutes));
      expect(clock).toMatchObject({ closed: true, remainingMs: 0, nextAlert: null, alertsReached: [30, 15, 5] });
    }
  });

  it("a 30-minute exam has no 30-minute alert", () => {
    expect(examClock(start, 30, at(0)).alertsReached).toEqual([]);
    expect(examClock(start, 30, at(0)).nextAlert).toEqual({ minutes: 15, at: at(15) });
  });

  it("a clock behind the start counts as the start", () => {
    expect(examClock(start, 30, at(-5)).remainingMs).toBe(30 * 60_000);
  });

  it("refuses invalid dates and durations", () => {
    expect(() => examClock(new Date("nope"), 30, at(0))).toThrow(RangeError);
    expect(() => examClock(start, 30, new Date(Number.NaN))).toThrow(RangeError);
    expect(() => examClock(start, 0, at(0))).toThrow(RangeError);
  });
});
