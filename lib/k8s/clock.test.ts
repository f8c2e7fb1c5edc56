import { describe, expect, it } from "vitest";
import { advanceClock, clockNow, createClock, createSeededRandom, parseDuration } from "./clock";

describe("clock", () => {
  it("parses Go-style durations plus days", () => {
    expect(parseDuration("90m")).toBe(90 * 60_000);
    expect(parseDuration("2h")).toBe(7_200_000);
    expect(parseDuration("1h30m15s")).toBe(5_415_000);
    expect(parseDuration("400d")).toBe(400 * 86_400_000);
    expect(parseDuration("1.5h")).toBe(5_400_000);
    expect(parseDuration("-10s")).toBe(-10_000);
    expect(parseDuration("0")).toBe(0);
    for (const bad of ["", "h", "10", "10x", "1h 2m", "--1s"]) expect(parseDuration(bad)).toBeUndefined();
  });

  it("advances without mutating and stays serializable", () => {
    const start = createClock(new Date("2025-01-01T00:00:00Z"));
    const later = advanceClock(start, "400d");
    expect(clockNow(start).toISOString()).toBe("2025-01-01T00:00:00.000Z");
    expect(clockNow(later).toISOString()).toBe("2026-02-05T00:00:00.000Z");
    expect(JSON.parse(JSON.stringify(later))).toEqual(later);
    expect(() => advanceClock(start, "soon")).toThrow(RangeError);
  });

  it("seeded randomness replays exactly", () => {
    const a = createSeededRandom(42);
    const b = createSeededRandom(42);
    expect([a.uuid(), a.hex(8), a.serialHex()]).toEqual([b.uuid(), b.hex(8), b.serialHex()]);
    expect(createSeededRandom("x").uuid()).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    for (let i = 0; i < 200; i++) {
      const serial = a.serialHex(20);
      expect(serial).toHaveLength(40);
      expect(parseInt(serial.slice(0, 2), 16)).toBeLessThan(0x80);
      expect(BigInt(`0x${serial}`) > 0n).toBe(true);
    }
  });
});
