import { describe, expect, it } from "vitest";
import type { Root as HastRoot } from "hast";
import { serialize } from "next-mdx-remote-client/serialize";
import { lessonRehypePlugins, lessonRemarkPlugins, scanMdx } from "./mdx";
import { readContent } from "./read";

describe("heading anchors", () => {
  it.each([
    ["Why a 401, not a 403?", "why-a-401-not-a-403"],
    ["The `kubectl auth whoami` command", "the-kubectl-auth-whoami-command"],
    ["The identity a 1.32 server builds", "the-identity-a-132-server-builds"],
    ["[Links](/x) keep text", "links-keep-text"],
    ["system:anonymous and system:unauthenticated", "systemanonymous-and-systemunauthenticated"],
    ["The `email_verified` rule", "the-email_verified-rule"],
  ])("%s -> %s", (heading, anchor) => {
    expect(scanMdx(`## ${heading}`).headings[0]?.anchor).toBe(anchor);
  });

  it("are the ids the lesson renderer gives, for every lesson of the course", async () => {
    const lessons = readContent("content").course?.modules.flatMap((m) => m.lessons) ?? [];
    expect(lessons.length).toBeGreaterThan(0);
    for (const lesson of lessons) {
      const ids: string[] = [];
      const recordIds = () => (tree: HastRoot) => {
        const walk = (node: HastRoot | HastRoot["children"][number]): void => {
          if (node.type === "element" && /^h[1-6]$/.test(node.tagName)) ids.push(String(node.properties["id"]));
          if ("children" in node) node.children.forEach(walk);
        };
        walk(tree);
      };
      const result = await serialize({
        source: lesson.body,
        options: {
          disableImports: true,
          disableExports: true,
          mdxOptions: { remarkPlugins: lessonRemarkPlugins, rehypePlugins: [...lessonRehypePlugins, recordIds] },
        },
      });
      expect("error" in result, lesson.file).toBe(false);
      expect(ids, lesson.file).toEqual(lesson.headings.map((h) => h.anchor));
    }
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

  it("reads on after a syntax error, reporting each one with its line", () => {
    const scan = scanMdx('<!-- note -->\n\n## After\n\n<Callout kind="note">\nnever closed\n\n<Question id="q" />');
    expect(scan.problems.map((p) => [p.code, p.line])).toEqual([
      ["html-comment", 1],
      ["mdx-compile", 5],
    ]);
    expect(scan.headings.map((h) => h.anchor)).toEqual(["after"]);
    expect(scan.components.map((c) => c.name)).toEqual(["Question"]);
  });

  it("tells an empty element from a self-closing one and reports props without a string", () => {
    const scan = scanMdx('<ScenarioLink id="a"></ScenarioLink>\n\n<Question id="b" hidden />');
    expect(scan.components.map((c) => [c.name, c.selfClosing])).toEqual([
      ["ScenarioLink", false],
      ["Question", true],
    ]);
    expect(scan.problems.map((p) => p.code)).toEqual(["invalid-component-props"]);
  });

  it("reads code and tables as the renderer does: no components or expressions inside code", () => {
    const scan = scanMdx("| a | b |\n|---|---|\n| `<ns>` | `{x}` |\n\n```yaml\nk: {v}\n<Foo />\n```");
    expect(scan.components).toEqual([]);
    expect(scan.problems).toEqual([]);
  });
});
