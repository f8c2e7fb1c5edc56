import { describe, expect, it } from "vitest";
import { TextMemo } from "./memo";

describe("TextMemo", () => {
  it("works a text out once, keeps the most recently used within its limit, and never keeps an oversized text", () => {
    const memo = new TextMemo<number>(2, 10);
    let computed = 0;
    const get = (key: string) => memo.get(key, () => ++computed);
    expect([get("a"), get("a"), get("b"), get("a")]).toEqual([1, 1, 2, 1]);
    // "b" is the least recently used: a third text pushes it out, "a" stays.
    expect([get("c"), get("a"), get("b")]).toEqual([3, 1, 4]);
    expect(computed).toBe(4);
    // Over the key limit: computed every time.
    const long = "x".repeat(11);
    expect([get(long), get(long)]).toEqual([5, 6]);
  });
});
