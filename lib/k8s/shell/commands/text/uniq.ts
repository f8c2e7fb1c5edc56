/** uniq: adjacent repeats counted (-c), repeated only (-d), unique only (-u), case-folded (-i). */
import type { CommandHandler } from "../../types";
import { fail, lines, ok, parseOptions, readInputs } from "../util";

export const uniq: CommandHandler = async ({ args, fs, stdin }) => {
  const parsed = parseOptions("uniq", args, { flags: "cdui", long: { count: "c", repeated: "d", unique: "u", "ignore-case": "i" } });
  if (!parsed.ok) return fail(parsed.error);
  const { flags, operands } = parsed.options;
  const { inputs, errors, failed } = readInputs("uniq", fs, operands.slice(0, 1), stdin);
  if (failed) return fail(errors);
  const groups: { line: string; count: number }[] = [];
  for (const line of lines(inputs[0]?.content ?? "")) {
    const last = groups[groups.length - 1];
    if (last && (flags.has("i") ? last.line.toLowerCase() === line.toLowerCase() : last.line === line)) last.count++;
    else groups.push({ line, count: 1 });
  }
  const text = groups
    .filter((group) => (!flags.has("d") || group.count > 1) && (!flags.has("u") || group.count === 1))
    .map((group) => (flags.has("c") ? `${String(group.count).padStart(7, " ")} ${group.line}\n` : `${group.line}\n`))
    .join("");
  if (operands[1] !== undefined) {
    const written = fs.writeFile(operands[1], text);
    return written.ok ? ok() : fail(`uniq: ${operands[1]}: ${written.error}`);
  }
  return ok(text);
};
