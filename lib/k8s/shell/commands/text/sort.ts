/** sort: lines, numbers (-n), keys (-k, -t), reversed, unique, case-folded. */
import type { CommandHandler } from "../../types";
import { fail, lines, ok, parseOptions, readInputs } from "../util";

export const sort: CommandHandler = async ({ args, fs, stdin }) => {
  const parsed = parseOptions("sort", args, {
    flags: "rnufhV",
    valued: "kto",
    long: { reverse: "r", "numeric-sort": "n", unique: "u", "ignore-case": "f" },
    longValued: { key: "k", "field-separator": "t", output: "o" },
  });
  if (!parsed.ok) return fail(parsed.error, 2);
  const { flags, values, operands } = parsed.options;
  const { inputs, errors, failed } = readInputs("sort", fs, operands, stdin);
  if (failed) return fail(errors.replace(/^sort: /gm, "sort: cannot read: "), 2);
  let all = inputs.flatMap((input) => lines(input.content));
  const keySpec = values.get("k");
  const separator = values.get("t");
  const keyField = keySpec ? Number(/^\d+/.exec(keySpec)?.[0] ?? "1") : undefined;
  const keyOf = (line: string): string => {
    if (keyField === undefined) return line;
    const parts = separator !== undefined ? line.split(separator) : line.trim().split(/\s+/);
    return parts.slice(keyField - 1).join(separator ?? " ");
  };
  const numeric = flags.has("n") || flags.has("h") || /n/.test(keySpec ?? "");
  const compare = (a: string, b: string): number => {
    const ka = keyOf(a);
    const kb = keyOf(b);
    if (numeric) {
      const na = Number.parseFloat(ka) || 0;
      const nb = Number.parseFloat(kb) || 0;
      if (na !== nb) return na - nb;
    } else {
      const x = flags.has("f") ? ka.toLowerCase() : ka;
      const y = flags.has("f") ? kb.toLowerCase() : kb;
      if (x !== y) return x < y ? -1 : 1;
    }
    return a < b ? -1 : a > b ? 1 : 0;
  };
  all.sort(compare);
  if (flags.has("r")) all.reverse();
  if (flags.has("u")) all = all.filter((line, index) => index === 0 || compare(all[index - 1] ?? "", line) !== 0);
  const text = all.map((line) => `${line}\n`).join("");
  const output = values.get("o");
  if (output !== undefined) {
    const written = fs.writeFile(output, text);
    return written.ok ? ok() : fail(`sort: open failed: ${output}: ${written.error}`, 2);
  }
  return ok(text);
};
