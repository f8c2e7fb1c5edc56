/** base64: encode (wrapped at 76 columns, -w), decode (-d, -i). */
import type { CommandHandler } from "../../types";
import { fail, ok, parseOptions, readInputs } from "../util";

/** Text that is valid UTF-8 stays text; other bytes are kept one char per byte. */
export function bytesToText(bytes: Uint8Array): string {
  const buffer = Buffer.from(bytes);
  const text = buffer.toString("utf8");
  return Buffer.from(text, "utf8").equals(buffer) ? text : buffer.toString("latin1");
}

export const base64: CommandHandler = async ({ args, fs, stdin }) => {
  const parsed = parseOptions("base64", args, {
    flags: "di",
    valued: "w",
    long: { decode: "d", "ignore-garbage": "i" },
    longValued: { wrap: "w" },
  });
  if (!parsed.ok) return fail(parsed.error);
  const { flags, values, operands } = parsed.options;
  if (operands.length > 1) return fail(`base64: extra operand \u2018${operands[1] ?? ""}\u2019\nTry 'base64 --help' for more information.`);
  const { inputs, errors, failed } = readInputs("base64", fs, operands, stdin);
  if (failed) return fail(errors);
  const input = inputs[0]?.content ?? "";
  if (flags.has("d")) {
    let cleaned = input.replace(/[\r\n]/g, "");
    if (flags.has("i")) cleaned = cleaned.replace(/[^A-Za-z0-9+/=]/g, "");
    const valid = /^[A-Za-z0-9+/]*={0,2}$/.test(cleaned) && cleaned.length % 4 !== 1 && !/=[^=]/.test(cleaned);
    const prefixMatch = /^[A-Za-z0-9+/]*/.exec(cleaned)?.[0] ?? "";
    const usable = valid ? cleaned : prefixMatch.slice(0, prefixMatch.length - (prefixMatch.length % 4));
    const decoded = bytesToText(new Uint8Array(Buffer.from(usable, "base64")));
    const complete = valid && (cleaned.length % 4 === 0 || cleaned.endsWith("="));
    if (!complete) return { stdout: decoded, stderr: "base64: invalid input\n", exitCode: 1 };
    return ok(decoded);
  }
  const wrapText = values.get("w") ?? "76";
  if (!/^\d+$/.test(wrapText)) return fail(`base64: invalid wrap size: \u2018${wrapText}\u2019`);
  const wrap = Number(wrapText);
  const encoded = Buffer.from(input, "utf8").toString("base64");
  if (encoded === "") return ok("");
  if (wrap === 0) return ok(encoded);
  return ok(`${(encoded.match(new RegExp(`.{1,${wrap}}`, "g")) ?? []).join("\n")}\n`);
};
