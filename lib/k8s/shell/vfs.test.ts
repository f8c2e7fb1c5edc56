import { describe, expect, it } from "vitest";
import { newShellState } from "./state";
import { createVfs, VFS_LIMITS } from "./vfs";

describe("vfs", () => {
  it("normalizes paths and reports coreutils errors", () => {
    const state = newShellState();
    const fs = createVfs(state, { now: new Date(1000) });
    expect(fs.resolve("~/a/../b/./c/")).toBe("/home/student/b/c");
    expect(fs.resolve("../..")).toBe("/");
    expect(fs.writeFile("a.txt", "x")).toEqual({ ok: true });
    expect(fs.readFile("/home/student/a.txt")).toEqual({ ok: true, content: "x" });
    expect(fs.readFile("nope")).toEqual({ ok: false, error: "No such file or directory" });
    expect(fs.readFile("~")).toEqual({ ok: false, error: "Is a directory" });
    expect(fs.readFile("a.txt/x")).toEqual({ ok: false, error: "Not a directory" });
    expect(fs.writeFile("missing/x", "")).toEqual({ ok: false, error: "No such file or directory" });
    expect(fs.mkdir("a.txt")).toEqual({ ok: false, error: "File exists" });
    expect(fs.mkdir("d/e", { parents: true })).toEqual({ ok: true });
    expect(fs.remove("d")).toEqual({ ok: false, error: "Is a directory" });
    expect(fs.remove("d", { recursive: true })).toEqual({ ok: true });
    expect(fs.exists("d/e")).toBe(false);
    expect(fs.list(".")).toEqual([".kube", "a.txt"]);
    expect(fs.writeFile("a.txt", "y", { append: true })).toEqual({ ok: true });
    expect(fs.stat("a.txt")).toEqual({ type: "file", mode: 0o644, size: 2, mtimeMs: 1000 });
    expect(fs.chmod("a.txt", 0o444)).toEqual({ ok: true });
    expect(fs.writeFile("a.txt", "z")).toEqual({ ok: false, error: "Permission denied" });
  });

  it("enforces size and entry limits", () => {
    const fs = createVfs(newShellState());
    expect(fs.writeFile("big", "x".repeat(VFS_LIMITS.maxFileBytes + 1))).toEqual({ ok: false, error: "File too large" });
    let last: { ok: boolean } = { ok: true };
    for (let i = 0; i < VFS_LIMITS.maxEntries + 10 && last.ok; i++) last = fs.writeFile(`f${i}`, "");
    expect(last).toEqual({ ok: false, error: "No space left on device" });
  });
});
