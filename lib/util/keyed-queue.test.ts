import { describe, expect, it } from "vitest";
import { KeyedQueue } from "./keyed-queue";

describe("KeyedQueue", () => {
  it("runs tasks of one key one after another, in order, and other keys alongside", async () => {
    const queue = new KeyedQueue();
    const events: string[] = [];
    let release = (): void => {};
    const gate = new Promise<void>((resolve) => {
      release = resolve;
    });
    const first = queue.run("a", async () => {
      events.push("a1 start");
      await gate;
      events.push("a1 end");
    });
    const second = queue.run("a", async () => {
      events.push("a2");
    });
    const other = queue.run("b", async () => {
      events.push("b1");
    });
    expect(queue.depth("a")).toBe(2);
    await other;
    expect(events).toEqual(["a1 start", "b1"]);
    release();
    await Promise.all([first, second]);
    expect(events).toEqual(["a1 start", "b1", "a1 end", "a2"]);
    await Promise.resolve();
    expect(queue.depth("a")).toBe(0);
  });

  it("a failing task rejects its own caller only; the next one still runs", async () => {
    const queue = new KeyedQueue();
    const failed = queue.run("a", () => Promise.reject(new Error("boom")));
    const next = queue.run("a", () => Promise.resolve("ran"));
    await expect(failed).rejects.toThrow("boom");
    await expect(next).resolves.toBe("ran");
  });
});
