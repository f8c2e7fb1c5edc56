/**
 * Short answers that are commands, graded by what they mean. The learner's line goes through the
 * simulated shell's parser (quotes, the `k` alias) and the simulated kubectl's command and flag
 * parser, and the resulting invocation is compared with the question's canonical commands (also
 * parsed that way). So `k -n dev create token builder --duration 120m` equals
 * `kubectl create token builder -n dev --duration=2h`, and no list of permutations is kept.
 *
 * Bounded: one line of at most MAX_COMMAND_LENGTH characters, parsers that never throw and run in
 * linear time, no regular expression over the learner's text with nested quantifiers.
 */
import { DURATION_FLAGS, normalizeKubectlInvocation, type NormalizedInvocation } from "@/lib/k8s/kubectl";
import { parse, type Word, DEFAULT_ALIASES } from "@/lib/k8s/shell";

export const MAX_COMMAND_LENGTH = 500;

export type CommandAnalysis = { ok: true; invocation: NormalizedInvocation } | { ok: false; reason: string };

/** The literal value of a word made of (quoted or unquoted) text only; undefined when it needs expansion. */
function literal(word: Word): string | undefined {
  let text = "";
  for (const part of word.parts) {
    if (part.kind !== "text") return undefined;
    text += part.value;
  }
  return text;
}

/** The argument vector of a single simple command, the way the shell would pass it. */
export function commandWords(text: string): { ok: true; argv: string[] } | { ok: false; reason: string } {
  if (text.length > MAX_COMMAND_LENGTH) return { ok: false, reason: `The command is longer than ${MAX_COMMAND_LENGTH} characters.` };
  const parsed = parse(text);
  if (!parsed.ok) return { ok: false, reason: `The shell cannot parse this: ${parsed.error}` };
  if (parsed.incomplete) return { ok: false, reason: "The command is incomplete (an open quote or a trailing operator)." };
  const lists = parsed.script.lists;
  const pipeline = lists.length === 1 && lists[0]?.rest.length === 0 ? lists[0].first : undefined;
  const command = pipeline !== undefined && !pipeline.negated && pipeline.commands.length === 1 ? pipeline.commands[0] : undefined;
  if (command === undefined) return { ok: false, reason: "Give one command, without pipes, `;` or `&&`." };
  if (command.redirects.length > 0 || command.assignments.length > 0) {
    return { ok: false, reason: "Give the command alone, without redirections or variable assignments." };
  }
  const argv: string[] = [];
  for (const word of command.words) {
    const value = literal(word);
    if (value === undefined)
      return {
        ok: false,
        reason: "The command uses shell expansion ($VAR, $(...) or ~), which the grader does not evaluate; write the values out.",
      };
    argv.push(value);
  }
  const [first, ...rest] = argv;
  if (first === undefined) return { ok: false, reason: "There is no command." };
  const alias = Object.prototype.hasOwnProperty.call(DEFAULT_ALIASES, first) ? DEFAULT_ALIASES[first] : undefined;
  const expanded = alias === undefined ? argv : [...alias.split(" "), ...rest];
  return { ok: true, argv: expanded };
}

/** Parses one command line into a normalized kubectl invocation. Never throws. */
export function analyzeCommand(text: string): CommandAnalysis {
  const words = commandWords(text);
  if (!words.ok) return words;
  const [program, ...args] = words.argv;
  if (program !== "kubectl" && !(program ?? "").endsWith("/kubectl")) return { ok: false, reason: "This is not a kubectl command." };
  const result = normalizeKubectlInvocation(args);
  if (!result.ok) return { ok: false, reason: `kubectl would reject this: ${result.error}` };
  return result;
}

const canonicalCache = new Map<string, CommandAnalysis>();

/** Canonical commands come from content files: parsed once per process. */
export function analyzeCanonical(text: string): CommandAnalysis {
  let analysis = canonicalCache.get(text);
  if (analysis === undefined) {
    analysis = analyzeCommand(text);
    canonicalCache.set(text, analysis);
  }
  return analysis;
}

function sameValues(a: readonly string[] | undefined, b: readonly string[] | undefined): boolean {
  return a !== undefined && b !== undefined && a.length === b.length && a.every((value, index) => value === b[index]);
}

function flagText(name: string, values: readonly string[]): string {
  const shown = (value: string): string =>
    DURATION_FLAGS.has(name) && value.endsWith("ms") ? `${Number(value.slice(0, -2)) / 1000}s` : value;
  return values.map((value) => (value === "true" ? `--${name}` : `--${name}=${shown(value)}`)).join(" ");
}

export interface CommandComparison {
  match: boolean;
  /** What differs, in kubectl's terms, for the feedback (empty when it matches). */
  differences: string[];
}

/**
 * Same command path, same positional arguments, every canonical flag with the same value, and no
 * other flag except the optional ones.
 */
export function compareInvocations(
  given: NormalizedInvocation,
  canonical: NormalizedInvocation,
  optionalFlags: readonly string[],
): CommandComparison {
  const differences: string[] = [];
  if (given.commandPath !== canonical.commandPath) differences.push(`a different command (\`${given.commandPath}\`)`);
  else if (!sameValues(given.positional, canonical.positional)) differences.push(`different arguments (\`${given.positional.join(" ")}\`)`);
  for (const [name, values] of canonical.flags) {
    const other = given.flags.get(name);
    if (other === undefined) differences.push(`missing \`${flagText(name, values)}\``);
    else if (!sameValues(other, values)) differences.push(`a different value for --${name}`);
  }
  for (const [name, values] of given.flags) {
    if (!canonical.flags.has(name) && !optionalFlags.includes(name)) differences.push(`\`${flagText(name, values)}\` is not asked for`);
  }
  return { match: differences.length === 0, differences };
}

export interface CommandGrade {
  correct: boolean;
  /** Why it is not accepted, for the learner; undefined when correct. */
  note?: string;
}

/** Grades a learner's command against canonical commands; never throws. */
export function gradeCommand(text: string, canonicals: readonly string[], optionalFlags: readonly string[]): CommandGrade {
  const given = analyzeCommand(text);
  if (!given.ok) return { correct: false, note: given.reason };
  let closest: CommandComparison | undefined;
  for (const canonical of canonicals) {
    const expected = analyzeCanonical(canonical);
    if (!expected.ok) continue;
    const comparison = compareInvocations(given.invocation, expected.invocation, optionalFlags);
    if (comparison.match) return { correct: true };
    if (closest === undefined || comparison.differences.length < closest.differences.length) closest = comparison;
  }
  return {
    correct: false,
    ...(closest === undefined ? {} : { note: `Compared with the expected command, this has ${closest.differences.join("; ")}.` }),
  };
}
