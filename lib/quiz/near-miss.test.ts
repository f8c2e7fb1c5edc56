import { describe, expect, it } from "vitest";
import { getQuestion } from "@/lib/content/load";
import { gradeAnswer } from "./grade";
import { gradingFeedback } from "./public";
import { explainNearMiss } from "./near-miss";
import { MAX_TEXT_LENGTH } from "./response";

function note(questionId: string, text: string): string | undefined {
  const question = getQuestion(questionId);
  if (!question) throw new Error(`no question ${questionId}`);
  const result = gradeAnswer(question, { text });
  expect(result.correct).toBe(false);
  return gradingFeedback(question, result).note;
}

describe("near-miss notes on short text answers", () => {
  it("explains letter case with the question's own note", () => {
    expect(note("x509-username-short", "Maria")).toContain("Usernames are case-sensitive");
  });

  it("explains the parts of a ServiceAccount username: plural prefix, namespace, name, order", () => {
    expect(note("sa-username", "system:serviceaccounts:dev:builder")).toContain(
      "(plural) starts the names of the ServiceAccount **groups**",
    );
    expect(note("sa-username", "system:serviceaccount:default:builder")).toContain("The namespace part is not the one in the question");
    expect(note("sa-username", "system:serviceaccount:dev:default")).toContain("The ServiceAccount name part");
    expect(note("sa-username", "system:serviceaccount:builder:dev")).toContain("The namespace comes first");
    expect(note("sa-username", "system:serviceaccounts:dev")).toContain("(plural)");
  });

  it("explains a missing prefix, an extra prefix and a value cut short", () => {
    expect(note("oidc-groups-prefix", "dev")).toContain("leaves out what comes in front of it");
    expect(note("oidc-default-prefix", "alice")).toContain("leaves out what comes in front of it");
    expect(note("x509-username-short", "user:maria")).toContain("a prefix in front of the expected value");
    expect(note("csr-signer-name", "kubernetes.io/kube-apiserver")).toContain("stops early");
  });

  it("combines a structural difference with letter case on case-sensitive answers", () => {
    expect(note("oidc-groups-prefix", "Dev")).toMatch(/leaves out what comes in front of it.*Letter case counts here as well\./);
  });

  it("tells 401 from 403", () => {
    expect(note("failed-authn-status-code", "403")).toContain("401 Unauthorized means no authenticator accepted");
    expect(note("failed-authn-status-code", "HTTP 403 Forbidden")).toContain("403 Forbidden means");
  });

  it("points at look-alike and invisible characters by code point, never echoing the answer", () => {
    expect(note("x509-username-short", "m\u0430ria")).toBe(
      "Your answer contains U+0430, a character that only looks like the one expected (or is invisible). Names and flags are compared character for character: type them rather than pasting from a document.",
    );
    expect(note("x509-username-short", "ma\u200bria")).toContain("U+200B");
    expect(note("csr-signer-name", "kubernetes.io/kube\u2013apiserver\u2013client")).toContain("U+2013");
    expect(note("x509-username-short", "mariä")).toBe(
      "Your answer contains U+00E4, which is not a plain ASCII character; the expected value has none.",
    );
    expect(note("x509-username-short", "👩‍💻")).toContain("U+1F469");
  });

  it("explains spaces inside a value", () => {
    expect(note("sa-username", "system: serviceaccount:dev:builder")).toContain("Only the spaces differ");
  });

  it("says nothing when the answer is simply different, and never repeats the learner's text", () => {
    expect(note("x509-username-short", "jane")).toBeUndefined();
    expect(note("failed-authn-status-code", "500")).toBeUndefined();
    const secretish = "system:serviceaccount:<script>alert(1)</script>:builder";
    expect(note("sa-username", secretish) ?? "").not.toContain("<script>");
  });

  it("stays bounded: huge, empty and pathological inputs give no note quickly", () => {
    expect(explainNearMiss("a".repeat(MAX_TEXT_LENGTH + 1), ["a"])).toBeUndefined();
    expect(explainNearMiss("", ["maria"])).toBeUndefined();
    const started = performance.now();
    for (let i = 0; i < 200; i++) {
      explainNearMiss(`system:serviceaccount:${":".repeat(900)}x${" ".repeat(1000)}`, ["system:serviceaccount:dev:builder"]);
      explainNearMiss("\u0430".repeat(MAX_TEXT_LENGTH), ["a".repeat(MAX_TEXT_LENGTH)]);
    }
    expect(performance.now() - started).toBeLessThan(2000);
    const question = getQuestion("sa-username");
    if (!question) throw new Error("content fixture changed");
    expect(gradeAnswer(question, { text: "x".repeat(MAX_TEXT_LENGTH + 5) })).toMatchObject({ invalidResponse: true });
  });
});
