/** cut: fields (-d, -f, -s), characters or bytes (-c, -b) by list. */
import type { CommandHandler } from "../../types";
import { fail, lines, parseOptions, readInputs } from "../util";

function parseList(list: string): ((n: number) => boolean) | undefined {
  const ranges: [number, number][] = [];
  for (const part of list.split(",")) {
    const match = /^(\d*)(-?)(\d*)$/.exec(part);
    if (!match || part === "" || part === "-") return undefined;
    const from = match[1] === "" ? 1 : Number(match[1]);
    const to = match[2] === "" ? from : match[3] === "" ? Infinity : Number(match[3]);
    if (from === 0) return undefined;
    ranges.push([from, to]);
  }
  return (n) => ranges.some(([from, to]) => n >= from && n <= to);
}

export const cut: CommandHandler = async ({ args, fs, stdin }) => {
  const parsed = parseOptions("cut", args, {
    flags: "s",
    valued: "dfcb",
    longValued: { delimiter: "d", fields: "f", characters: "c", bytes: "b", "output-delimiter": "o" },
    long: { "only-delimited": "s" },
  });
  if (!parsed.ok) return fail(parsed.error);
  const { values, flags, operands } = parsed.options;
  const fields = values.get("f");
  const chars = values.get("c") ?? values.get("b");
  if (fields === undefined && chars === undefined)
    return fail("cut: you must specify a list of bytes, characters, or fields\nTry 'cut --help' for more information.");
  const selector = parseList(fields ?? chars ?? "");
  if (!selector) return fail(`cut: invalid field value \u2018${fields ?? chars ?? ""}\u2019\nTry 'cut --help' for more information.`);
  const delimiter = values.get("d") ?? "\t";
  if ([...delimiter].length !== 1) return fail("cut: the delimiter must be a single character\nTry 'cut --help' for more information.");
  const outputDelimiter = values.get("o") ?? delimiter;
  const { inputs, errors, failed } = readInputs("cut", fs, operands, stdin);
  let stdout = "";
  for (const input of inputs) {
    for (const line of lines(input.content)) {
      if (fields !== undefined) {
        if (!line.includes(delimiter)) {
          if (!flags.has("s")) stdout += `${line}\n`;
          continue;
        }
        stdout += `${line
          .split(delimiter)
          .filter((_field, index) => selector(index + 1))
          .join(outputDelimiter)}\n`;
      } else {
        stdout += `${[...line].filter((_ch, index) => selector(index + 1)).join("")}\n`;
      }
    }
  }
  return { stdout, stderr: errors, exitCode: failed ? 1 : 0 };
};
