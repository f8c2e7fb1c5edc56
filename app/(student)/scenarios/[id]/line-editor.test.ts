import { describe, expect, it } from "vitest";
import * as edit from "./line-editor";

const at = (text: string, cursor = text.length): edit.LineState => ({ text, cursor });

describe("line editing", () => {
  it("inserts, deletes and moves within the line", () => {
    let line = edit.insert(edit.emptyLine, "kubectl get");
    line = edit.moveLeft(edit.moveLeft(edit.moveLeft(line)));
    line = edit.insert(line, "x");
    expect(line).toEqual(at("kubectl xget", 9));
    expect(edit.backspace(line)).toEqual(at("kubectl get", 8));
    expect(edit.deleteForward(line)).toEqual(at("kubectl xet", 9));
    expect(edit.backspace(at("a", 0))).toEqual(at("a", 0));
    expect(edit.deleteForward(at("a"))).toEqual(at("a"));
    expect(edit.moveRight(at("ab"))).toEqual(at("ab"));
    expect(edit.moveLeft(at("ab", 0))).toEqual(at("ab", 0));
  });

  it("keeps Home, End and the kill keys within the logical line of a continued input", () => {
    const line = at("echo 'a\nbc d", 10);
    expect(edit.moveHome(line).cursor).toBe(8);
    expect(edit.moveEnd(at("ab\ncd", 1)).cursor).toBe(2);
    expect(edit.killToStart(line)).toEqual(at("echo 'a\n d", 8));
    expect(edit.killToEnd(at("ab\ncd", 1))).toEqual(at("a\ncd", 1));
    expect(edit.currentLine(line)).toEqual({ line: "bc d", cursor: 2, offset: 8 });
  });

  it("moves by readline words (letters and digits) and kills whitespace-delimited words", () => {
    const line = at("kubectl get pods/web-1 ");
    expect(edit.wordLeft(line).cursor).toBe("kubectl get pods/web-".length);
    expect(edit.wordRight(at(line.text, 0)).cursor).toBe("kubectl".length);
    expect(edit.killWordBack(line)).toEqual(at("kubectl get "));
    expect(edit.killWordBack(at("a\nb"))).toEqual(at("a\n"));
  });

  it("replaces a range and finds the common prefix of completions", () => {
    expect(edit.replaceRange(at("kubectl g x", 9), 8, 9, "get")).toEqual(at("kubectl get x", 11));
    expect(edit.commonPrefix(["config", "configmaps", "conf"])).toBe("conf");
    expect(edit.commonPrefix([])).toBe("");
  });
});

describe("screen layout", () => {
  it("places characters after the prompt, wrapping at the width and after continuation prompts", () => {
    expect(edit.positionOf("$ ", "abc", 3, 80)).toEqual({ row: 0, col: 5 });
    expect(edit.positionOf("$ ", "abcdefgh", 8, 5)).toEqual({ row: 2, col: 0 });
    expect(edit.positionOf("$ ", "ab\ncd", 5, 80)).toEqual({ row: 1, col: 4 });
    expect(edit.render("$ ", "ab\ncd")).toBe("$ ab\r\n> cd");
  });

  it("writes output with CRLF and lays completions out in columns, filled down first", () => {
    expect(edit.toTerminalText("a\nb\r\nc")).toBe("a\r\nb\r\nc");
    expect(edit.columns(["a", "bb", "c", "d"], 8)).toEqual(["a   c", "bb  d"]);
    expect(edit.columns(["one"], 0)).toEqual(["one"]);
  });
});
