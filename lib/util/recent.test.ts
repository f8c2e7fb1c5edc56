import { describe, expect, it } from "vitest";
import { setRecent } from "./recent";

describe("setRecent", () => {
  it("keeps the most recently set entries, oldest forgotten first", () => {
    const map = new Map<string, number>();
    setRecent(map, "a", 1, 2);
    setRecent(map, "b", 2, 2);
    setRecent(map, "a", 3, 2);
    setRecent(map, "c", 4, 2);
    expect([...map]).toEqual([
      ["a", 3],
      ["c", 4],
    ]);
  });
});
