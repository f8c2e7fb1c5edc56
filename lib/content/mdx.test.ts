import { describe, expect, it } from "vitest";
import { headingAnchor, maskCode, scanMdx } from "./mdx";

describe("maskCode", () => {
  it("blanks fenced blocks and inline code but keeps line structure", () => {
    const source = "a `{x}` b\n```yaml\nk: {v}\n```\nc";
    const masked = maskCode(source);
    expect(masked.split("\n")).toHaveLength(5);
    expect(masked).not.toContain("{");
    expect(masked.startsWith("a ")).toBe(true);
    expect(masked.endsWith("c")).toBe(true);
  });

  it("handles double-backtick spans containing a backtick", () => {
    expect(maskCode("x `` a`b `` y")).toBe("x           y");
  });
});

describe("headingAnchor", () => {
  it.each([
    ["Why a 401, not a 403?", "why-a-401-not-a-403"],
    ["The `kubectl auth whoami` command", "the-kubectl-auth-whoami-command"],
    ["The identity a 1.32 server builds", "the-identity-a-132-server-builds"],
    ["[Links](/x) keep text", "links-keep-text"],
    ["system:anonymous and system:unauthenticated", "systemanonymous-and-systemunauthenticated"],
  ])("%s -> %s", (heading, anchor) => {
    expect(headingAnchor(heading)).toBe(anchor);
  });
});

describe("scanMdx", () => {
  const body = [
    "## Intro",
    "",
    '<Callout kind="note" title="a > b">',
    "Text with [a link](/learn/m/l#intro).",
    "</Callout>",
    "",
    '<Flow label="x" steps="a -> b" />',
    "",
    "## Intro",
    "",
    '<Question id="q1" />',
    "`<ns>` and \\{ escaped",
  ].join("\n");
  const scan = scanMdx(body);

  it("finds components with their string props and lines", () => {
    expect(scan.components.map((c) => [c.name, c.line, c.selfClosing])).toEqual([
      ["Callout", 3, false],
      ["Flow", 7, true],
      ["Question", 11, true],
    ]);
    expect(scan.components[0]?.props).toEqual({ kind: "note", title: "a > b" });
    expect(scan.components[1]?.props["steps"]).toBe("a -> b");
  });

  it("numbers repeated heading anchors like GitHub", () => {
    expect(scan.headings.map((h) => h.anchor)).toEqual(["intro", "intro-1"]);
  });

  it("collects links", () => {
    expect(scan.links).toEqual([{ href: "/learn/m/l#intro", line: 4 }]);
  });

  it("does not report code or escaped braces", () => {
    expect(scan.problems).toEqual([]);
  });

  it("reports expressions, including expression props", () => {
    const problems = scanMdx('Sum {1+1}\n\n<Question id={x} />').problems;
    expect(problems.filter((p) => p.code === "js-expression").map((p) => p.line)).toEqual([1, 3]);
  });
});
