/** seq: FIRST [INCREMENT] LAST. */
import type { CommandHandler } from "../../types";
import { fail, ok } from "../util";

export const seq: CommandHandler = async ({ args }) => {
  const numbers = args.map(Number);
  if (args.length === 0 || args.length > 3 || numbers.some((n) => !Number.isFinite(n))) {
    return fail(
      args.length === 0
        ? "seq: missing operand\nTry 'seq --help' for more information."
        : `seq: invalid floating point argument: \u2018${args.find((arg) => !Number.isFinite(Number(arg))) ?? ""}\u2019`,
    );
  }
  const [first, step, last] =
    args.length === 1
      ? [1, 1, numbers[0] ?? 1]
      : args.length === 2
        ? [numbers[0] ?? 1, 1, numbers[1] ?? 1]
        : [numbers[0] ?? 1, numbers[1] ?? 1, numbers[2] ?? 1];
  if (step === 0) return fail("seq: invalid Zero increment value: \u20180\u2019");
  let out = "";
  let count = 0;
  for (let n = first; step > 0 ? n <= last : n >= last; n += step) {
    out += `${n}\n`;
    if (++count > 100_000) break;
  }
  return ok(out);
};
