// The translations to RE2 and the documented differences from GNU regex and Oniguruma.
import { describe, expect, it } from "vitest";
import { compileAuthored, compileOniguruma, compilePosix, posixToRe2, RegexSyntaxError } from "./regex";
import { compileGlob, globMatch } from "./glob";

const grep = (pattern: string, text: string, extended = false) => compilePosix(pattern, { extended }).test(text);

describe("POSIX BRE and ERE (GNU)", () => {
  it("BRE: \\( \\) \\{ \\} \\| \\+ \\? are operators, the bare characters are literal", () => {
    expect(grep("a\\{2\\}", "xaay")).toBe(true);
    expect(grep("a{2}", "a{2}")).toBe(true);
    expect(grep("a{2}", "aa")).toBe(false);
    expect(grep("\\(ab\\)\\+$", "abab")).toBe(true);
    expect(grep("a|b", "a|b")).toBe(true);
    expect(grep("a\\|b", "b")).toBe(true);
    expect(grep("(x)", "(x)")).toBe(true);
    expect(grep("*a", "*a")).toBe(true);
    expect(grep("a^b$c", "a^b$c")).toBe(true);
    expect(grep("^ab$", "ab")).toBe(true);
  });

  it("ERE: ( ) { } | + ? are operators; a leading * and a malformed { are literal", () => {
    expect(grep("^(ab)+$", "abab", true)).toBe(true);
    expect(grep("a{2,}", "aa", true)).toBe(true);
    expect(grep("a{,x", "a{,x", true)).toBe(true);
    expect(grep("*a", "*a", true)).toBe(true);
    expect(grep("cat|dog", "hotdog", true)).toBe(true);
  });

  it("bracket expressions: classes, a leading ], a literal backslash", () => {
    expect(grep("^[[:digit:]]\\+$", "123")).toBe(true);
    expect(grep("[]x]", "]")).toBe(true);
    expect(grep("[\\]", "\\")).toBe(true);
    expect(grep("[^[:space:]]", "   ")).toBe(false);
    expect(() => posixToRe2("[[:nope:]]", false)).toThrow(/Invalid character class name/);
    expect(() => posixToRe2("[abc", false)).toThrow(/Unmatched \[/);
  });

  it("GNU escapes: \\w \\s \\b kept, \\< \\> become \\b, stray escapes are the letter", () => {
    expect(grep("\\bfoo\\b", "a foo b")).toBe(true);
    expect(grep("\\<foo\\>", "a foo b")).toBe(true);
    expect(grep("\\w\\+", "abc")).toBe(true);
    expect(grep("\\d", "d")).toBe(true);
    expect(grep("\\d", "1")).toBe(false);
  });

  it("differences: backreferences and equivalence classes are refused; repeats are at most 1000", () => {
    expect(() => posixToRe2("\\(a\\)\\1", false)).toThrow(RegexSyntaxError);
    expect(() => posixToRe2("(a)\\1", true)).toThrow("backreferences are not supported");
    expect(() => posixToRe2("[[=a=]]", false)).toThrow("equivalence classes and collating symbols are not supported");
    expect(() => posixToRe2("a{1001}", true)).toThrow("repetition counts above 1000 are not supported");
  });

  it("difference: leftmost-first instead of POSIX leftmost-longest", () => {
    const [first] = [...compilePosix("a|ab", { extended: true }).matches("abcd")];
    expect(first?.groups[0]).toBe("a");
  });

  it("-P: Perl syntax; lookaround refused", () => {
    expect(compilePosix("\\d+(?:x)", { extended: false, perl: true }).test("12x")).toBe(true);
    expect(() => compilePosix("a(?=b)", { extended: false, perl: true })).toThrow("lookaround is not supported");
  });

  it("-w, -x, -F and -i", () => {
    const word = compilePosix("foo", { extended: false, word: true });
    expect([...word.matches("foo foo xfoo foo_ foo")].map((m) => m.index)).toEqual([0, 4, 18]);
    expect(compilePosix("a.c", { extended: false, fixed: true }).test("abc")).toBe(false);
    expect(compilePosix("a.c", { extended: false, line: true }).test("xabc")).toBe(false);
    expect(compilePosix("ABC", { extended: false, ignoreCase: true }).test("abc")).toBe(true);
  });

  it("runs in linear time on patterns that make backtracking engines explode", () => {
    const started = performance.now();
    expect(grep("^(a+)+$", `${"a".repeat(100_000)}!`, true)).toBe(false);
    expect(grep("^\\(a*\\)*b$", "a".repeat(100_000))).toBe(false);
    expect(performance.now() - started).toBeLessThan(2000);
  });
});

describe("Oniguruma (jq)", () => {
  it("Perl syntax, named groups and flags", () => {
    const named = compileOniguruma("(?<year>\\d{4})-(?<month>\\d\\d)");
    expect(named.names()).toEqual({ year: 1, month: 2 });
    expect(named.exec("on 2026-12-07")?.groups).toEqual(["2026-12", "2026", "12"]);
    expect(compileOniguruma("ABC", { ignoreCase: true }).test("abc")).toBe(true);
    expect(compileOniguruma("a b # comment\n c", { extended: true }).test("abc")).toBe(true);
    expect(compileOniguruma("a.b", { dotAll: true }).test("a\nb")).toBe(true);
    expect(compileOniguruma("a.b").test("a\nb")).toBe(false);
    expect(compileOniguruma("\\h+").exec("xx0fz")?.groups[0]).toBe("0f");
  });

  it("differences: lookaround, atomic groups, possessive quantifiers and backreferences are refused", () => {
    expect(() => compileOniguruma("a(?=b)")).toThrow("lookaround is not supported");
    expect(() => compileOniguruma("(?<!a)b")).toThrow("lookaround is not supported");
    expect(() => compileOniguruma("(?>a)")).toThrow("atomic groups are not supported");
    expect(() => compileOniguruma("a++")).toThrow("possessive quantifiers are not supported");
    expect(() => compileOniguruma("(a)\\1")).toThrow("backreferences");
    expect(() => compileOniguruma("\\k<x>")).toThrow("backreferences");
  });
});

describe("authored check patterns (JavaScript syntax)", () => {
  it("multiline anchors and named groups", () => {
    expect(compileAuthored("^no\\nno$", { multiline: true }).test("yes\nno\nno\n")).toBe(true);
    expect(compileAuthored("^Username\\s+sam$", { multiline: true }).test("Username  sam\nGroups x")).toBe(true);
    expect(compileAuthored("(?<v>\\d+)").test("v1")).toBe(true);
  });

  it("remembered answers are test's, for repeated, many and long texts", () => {
    const pattern = compileAuthored("/selfsubject(access|rules)reviews$");
    const texts = [
      "/apis/authorization.k8s.io/v1/selfsubjectaccessreviews",
      "/apis/authentication.k8s.io/v1/selfsubjectreviews",
      ...Array.from({ length: 1200 }, (_, index) => `/apis/authorization.k8s.io/v1/selfsubject${index % 2 ? "rules" : "x"}reviews`),
      `${"a".repeat(5000)}/selfsubjectrulesreviews`,
      `${"a".repeat(5000)}/selfsubjectreviews`,
    ];
    for (let round = 0; round < 2; round++)
      for (const text of texts) expect(pattern.testRemembered(text), text.slice(-40)).toBe(pattern.test(text));
  });
});

describe("globs", () => {
  const match = (pattern: string, name: string, ignoreCase = false) => globMatch(compileGlob(pattern, undefined, ignoreCase), name);
  it("*, ?, brackets, negation, classes, escapes", () => {
    expect(match("*.yaml", "pod.yaml")).toBe(true);
    expect(match("p?d.*", "pod.yml")).toBe(true);
    expect(match("[a-c]*", "bob")).toBe(true);
    expect(match("[!a-c]*", "bob")).toBe(false);
    expect(match("[[:digit:]]x", "7x")).toBe(true);
    expect(match("\\*", "*")).toBe(true);
    expect(match("\\*", "a")).toBe(false);
    expect(match("[]]", "]")).toBe(true);
    expect(match("[ab", "[ab")).toBe(true);
    expect(match("*.YAML", "pod.yaml", true)).toBe(true);
  });

  it("quoted characters are literal", () => {
    expect(globMatch(compileGlob("*x", [false, true]), "abx")).toBe(false);
    expect(globMatch(compileGlob("*x", [false, true]), "*x")).toBe(true);
  });

  it("linear on *a*a*a*…b against a long name", () => {
    const started = performance.now();
    for (let i = 0; i < 2000; i++) expect(match(`${"*a".repeat(60)}*b`, "a".repeat(255))).toBe(false);
    expect(performance.now() - started).toBeLessThan(3000);
  });
});
