import { describe, expect, it } from "vitest";
import { questionSchema } from "./schema";
import { loadCourse } from "./load";
import { validateShortAnswers } from "./grading-rules";

describe("content:check on command answers", () => {
  it("accepts the course's canonical commands", () => {
    expect(validateShortAnswers(loadCourse())).toEqual([]);
  });

  it("rejects a canonical command kubectl would not parse", () => {
    const course = loadCourse();
    const question = questionSchema.parse({
      id: "broken",
      type: "short",
      prompt: "p",
      explanation: "e",
      tags: ["t"],
      difficulty: "easy",
      accepted: ["kubectl auth whoami", "kubectl config use-contxt k8s-c2", "kubectl get pods --bogus", "kubectl get pods | wc -l"],
      match: { kind: "command" },
    });
    const problems = validateShortAnswers({ ...course, questions: new Map([["broken", question]]), questionFiles: new Map([["broken", "q.yaml"]]) });
    expect(problems.map((problem) => [problem.code, problem.field])).toEqual([
      ["command-does-not-parse", "broken.accepted[1]"],
      ["command-does-not-parse", "broken.accepted[2]"],
      ["command-does-not-parse", "broken.accepted[3]"],
    ]);
    expect(problems[1]?.message).toContain("unknown flag: --bogus");
  });
});
