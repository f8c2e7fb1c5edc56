import { describe, expect, it } from "vitest";
import { opensHeredoc, parse, parseIncomplete, PARSE_LIMITS, type Script } from "./parse";

function ok(input: string): Script {
  const result = parse(input);
  if (!result.ok) throw new Error(result.error);
  return result.script;
}

function error(input: string): string {
  const result = parse(input);
  if (result.ok) throw new Error(`expected a syntax error for ${input}`);
  return result.error;
}

describe("parse", () => {
  it("builds lists, pipelines and redirections", () => {
    const script = ok("a | b && c || d; e > f 2>&1 < g >> h");
    expect(script.lists).toHaveLength(2);
    expect(script.lists[0]?.first.commands).toHaveLength(2);
    expect(script.lists[0]?.rest.map((r) => r.op)).toEqual(["&&", "||"]);
    const e = script.lists[1]?.first.commands[0];
    expect(e?.redirects.map((r) => r.kind)).toEqual(["file", "dup", "file", "file"]);
  });

  it("keeps quoting information on word parts", () => {
    const words = ok(`echo 'a b' "c $X" d\\ e $(f) \`g\``).lists[0]?.first.commands[0]?.words ?? [];
    expect(words).toHaveLength(6);
    expect(words[1]?.parts).toEqual([{ kind: "text", value: "a b", quoted: true }]);
    expect(words[2]?.parts.map((p) => p.kind)).toEqual(["text", "param"]);
    expect(words[4]?.parts[0]?.kind).toBe("command");
    expect(words[5]?.parts[0]?.kind).toBe("command");
  });

  it("reads here-documents from the following lines", () => {
    const script = ok("cat <<EOF > out\nhello $USER\nEOF\necho done");
    const redirect = script.lists[0]?.first.commands[0]?.redirects[0];
    expect(redirect?.kind).toBe("heredoc");
    if (redirect?.kind === "heredoc") {
      expect(redirect.terminated).toBe(true);
      expect(redirect.body.parts.map((p) => p.kind)).toEqual(["text", "param", "text"]);
    }
    expect(script.lists).toHaveLength(2);
    const quoted = ok("cat <<'EOF'\n$USER\nEOF").lists[0]?.first.commands[0]?.redirects[0];
    expect(quoted?.kind === "heredoc" && quoted.body.parts).toEqual([{ kind: "text", value: "$USER\n", quoted: true }]);
    const tabs = ok("cat <<-EOF\n\t\tx\n\tEOF").lists[0]?.first.commands[0]?.redirects[0];
    expect(tabs?.kind === "heredoc" && tabs.body.raw).toBe("x\n");
  });

  it("warns like bash about an unterminated here-document", () => {
    const result = parse("cat <<EOF\nabc");
    expect(result.ok && result.warnings).toEqual(["bash: warning: here-document at line 1 delimited by end-of-file (wanted `EOF')"]);
  });

  it("nests command substitutions", () => {
    const script = ok('echo "$(echo $(echo `echo hi`))"');
    expect(script.lists[0]?.first.commands[0]?.words[1]?.parts[0]?.kind).toBe("command");
  });

  it("uses bash's syntax error wording", () => {
    expect(error("| ls")).toBe("bash: syntax error near unexpected token `|'");
    expect(error("ls && && ls")).toBe("bash: syntax error near unexpected token `&&'");
    expect(error("ls >")).toBe("bash: syntax error near unexpected token `newline'");
    expect(error("ls > | x")).toBe("bash: syntax error near unexpected token `|'");
    expect(error("ls ;;")).toBe("bash: syntax error near unexpected token `;;'");
    expect(error("ls )")).toBe("bash: syntax error near unexpected token `)'");
    expect(error('echo "abc')).toBe("bash: unexpected EOF while looking for matching `\"'");
    expect(error("echo 'abc")).toBe("bash: unexpected EOF while looking for matching `''");
    expect(error("echo `abc")).toBe("bash: unexpected EOF while looking for matching ``'");
    expect(error("echo $(abc")).toBe("bash: unexpected EOF while looking for matching `)'");
    expect(error("echo ${a!b}")).toBe("bash: ${a!b}: bad substitution");
    expect(error("ls |")).toBe("bash: syntax error: unexpected end of file");
  });

  it("tells the terminal when a line needs continuation", () => {
    for (const input of ['echo "abc', "echo 'x", "cat <<EOF", "cat <<EOF\nabc", "ls |", "ls &&", "echo abc \\", "echo $(ls"]) {
      expect(parseIncomplete(input), input).toBe(true);
    }
    for (const input of ["echo abc", "cat <<EOF\nabc\nEOF", "ls | wc -l", "| ls", "echo 'a'"]) {
      expect(parseIncomplete(input), input).toBe(false);
    }
  });

  it("tells whether an input opens a here-document (the terminal sends such a paste whole)", () => {
    for (const input of ["cat <<EOF\nabc\nEOF", "cat <<-'END' > f\n\tx\n", "echo $(cat <<X\ny\nX\n)"]) {
      expect(opensHeredoc(input), input).toBe(true);
    }
    for (const input of ["cat <<<word", "echo '<<EOF'", "echo a # <<EOF", "ls\nwc -l"]) {
      expect(opensHeredoc(input), input).toBe(false);
    }
  });

  it("enforces limits with clear errors and never throws", () => {
    const big = parse(`echo ${"a".repeat(PARSE_LIMITS.maxInput + 1)}`);
    expect(big.ok).toBe(false);
    expect(!big.ok && big.error).toMatch(/input too long/);
    const deep = parse(`${"$(".repeat(500)}x${")".repeat(500)}`);
    expect(!deep.ok && deep.error).toMatch(/nested too deeply/);
    const deepBackticks = parse("echo " + "$(echo ".repeat(20) + ")".repeat(20));
    expect(deepBackticks.ok).toBe(false);
    const many = parse(Array.from({ length: 2000 }, () => "true").join(";"));
    expect(!many.ok && many.error).toMatch(/too many commands/);
    const junk = String.fromCharCode(...Array.from({ length: 5000 }, (_v, i) => (i * 7919) % 65536));
    expect(() => parse(junk)).not.toThrow();
  });
});
