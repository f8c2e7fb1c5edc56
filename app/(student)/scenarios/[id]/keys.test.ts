import { describe, expect, it } from "vitest";
import { normalizePaste, tokenize } from "./keys";

describe("tokenize", () => {
  it("groups printable characters into text and names control keys", () => {
    expect(tokenize("ls -l\r")).toEqual([
      { type: "text", text: "ls -l" },
      { type: "key", key: "enter" },
    ]);
    expect(tokenize("\x01\x05\x03\x04\x0b\x0c\x15\x17\x7f\t").map((t) => (t.type === "key" ? t.key : t.type))).toEqual([
      "home",
      "end",
      "interrupt",
      "eof",
      "kill-to-end",
      "clear-screen",
      "kill-to-start",
      "kill-word-back",
      "backspace",
      "tab",
    ]);
  });

  it("reads CSI and SS3 escape sequences, including modified arrows, and drops unknown ones", () => {
    const keys = tokenize("\x1b[A\x1bOB\x1b[C\x1b[D\x1b[H\x1b[4~\x1b[3~\x1b[1;5C\x1b[1;3D\x1bb\x1bf\x1b\x7f\x1b[99~x");
    expect(keys.map((t) => (t.type === "key" ? t.key : t.text))).toEqual([
      "up",
      "down",
      "right",
      "left",
      "home",
      "end",
      "delete",
      "word-right",
      "word-left",
      "word-left",
      "word-right",
      "kill-word-back",
      "x",
    ]);
  });

  it("keeps a bracketed paste whole, control characters included, even without its end marker", () => {
    expect(tokenize("a\x1b[200~x\ty\r\x1b[201~b")).toEqual([
      { type: "text", text: "a" },
      { type: "paste", text: "x\ty\r" },
      { type: "text", text: "b" },
    ]);
    expect(tokenize("\x1b[200~open")).toEqual([{ type: "paste", text: "open" }]);
  });

  it("ignores other control characters and a lone escape", () => {
    expect(tokenize("a\x07b\x1b")).toEqual([{ type: "text", text: "ab" }]);
  });
});

describe("normalizePaste", () => {
  it("turns CR and CRLF line ends into LF", () => {
    expect(normalizePaste("a\r\nb\rc\n")).toBe("a\nb\nc\n");
  });
});
