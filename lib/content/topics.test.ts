import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { readAndValidate } from "./validate";

const valid = path.join(__dirname, "__fixtures__", "valid");
const copies: string[] = [];

/** A copy of the valid fixture with another topics.yaml (or none). */
function withTopics(text: string | null): string {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), "kp-topics-"));
  copies.push(root);
  fs.cpSync(valid, root, { recursive: true });
  const file = path.join(root, "topics.yaml");
  if (text === null) fs.rmSync(file);
  else fs.writeFileSync(file, text);
  return root;
}

function topicProblems(root: string) {
  return readAndValidate(root).problems.filter((p) => p.code.includes("topic")).map((p) => [p.severity, p.code, p.field ?? "", p.message]);
}

afterEach(() => {
  for (const root of copies.splice(0)) fs.rmSync(root, { recursive: true, force: true });
});

describe("the topic catalogue", () => {
  it("is read with titles, lessons and scenarios", () => {
    const { course } = readAndValidate(valid);
    expect(course?.topics).toEqual([{ id: "basics", title: "The basics", lesson: "first", scenarios: ["known-scenario"] }]);
    expect(topicProblems(valid)).toEqual([]);
  });

  it("needs every question tag, and names only lessons and scenarios that exist", () => {
    const root = withTopics(
      ["topics:", "  - { id: other, title: Other, lesson: nowhere, scenarios: [known-scenario, ghost] }", "  - { id: other, title: Again, lesson: first }"].join("\n"),
    );
    const problems = topicProblems(root);
    expect(problems.map(([severity, code, field]) => [severity, code, field])).toEqual([
      ["error", "unknown-topic-lesson", "topics[0].lesson"],
      ["error", "unknown-topic-scenario", "topics[0].scenarios[1]"],
      ["error", "duplicate-topic", "topics[1].id"],
      ["error", "unknown-topic", "pick-one.tags[0]"],
      ["error", "unknown-topic", "pick-many.tags[0]"],
      ["error", "unknown-topic", "type-it.tags[0]"],
      ["error", "unknown-topic", "explain-it.tags[0]"],
      ["warning", "unused-topic", "topics[0].id"],
      ["warning", "unused-topic", "topics[1].id"],
    ]);
    expect(problems.some((p) => p[1] === "unknown-topic" && String(p[3]).includes('tag "basics"'))).toBe(true);
  });

  it("rejects a bad file with a schema problem, not a crash", () => {
    const root = withTopics("topics:\n  - { id: Not A Slug, title: '', lesson: first, extra: 1 }\n");
    const { problems } = readAndValidate(root);
    expect(problems.filter((p) => p.file.endsWith("topics.yaml") && p.code === "schema").length).toBeGreaterThanOrEqual(3);
  });

  it("warns when there is no catalogue at all", () => {
    expect(topicProblems(withTopics(null)).map(([severity, code]) => [severity, code])).toEqual([["warning", "no-topic-catalog"]]);
  });
});
