/** printf: the format directives of bash's builtin, `-v var`, and the format reused for extra arguments. */
import { checkStringLength } from "../../limits";
import type { CommandHandler } from "../../types";
import { fail } from "../util";
import { backslashEscapes } from "./echo";

export const printf: CommandHandler = async ({ args }) => {
  let rest = args;
  let variable: string | undefined;
  if (rest[0] === "-v" && rest[1] !== undefined) {
    variable = rest[1];
    rest = rest.slice(2);
  }
  if (rest[0] === "--") rest = rest.slice(1);
  const [format, ...values] = rest;
  if (format === undefined) return fail("printf: usage: printf [-v var] format [arguments]", 2);
  let out = "";
  let stderr = "";
  let valueIndex = 0;
  let rounds = 0;
  do {
    let consumed = false;
    const spec = /%([-+ #0]*)(\*|\d+)?(?:\.(\*|\d+))?([sdibcxXofeEgGq%])/g;
    let last = 0;
    let stop = false;
    for (const match of format.matchAll(spec)) {
      out += backslashEscapes(format.slice(last, match.index)).text;
      last = (match.index ?? 0) + match[0].length;
      const conversion = match[4] ?? "s";
      if (conversion === "%") {
        out += "%";
        continue;
      }
      const next = (): string => {
        consumed = true;
        return values[valueIndex++] ?? "";
      };
      const flagsText = match[1] ?? "";
      const widthText = match[2] === "*" ? next() : match[2];
      const precisionText = match[3] === "*" ? next() : match[3];
      const value = next();
      let body: string;
      switch (conversion) {
        case "s":
          body = precisionText !== undefined ? value.slice(0, Number(precisionText)) : value;
          break;
        case "b": {
          const escaped = backslashEscapes(value, true);
          body = escaped.text;
          stop = escaped.stop;
          break;
        }
        case "q":
          body = /^[A-Za-z0-9_./-]+$/.test(value) ? value : `'${value.replace(/'/g, "'\\''")}'`;
          break;
        case "c":
          body = value.slice(0, 1);
          break;
        default: {
          const trimmed = value.trim();
          let number = trimmed === "" ? 0 : /^'./.test(trimmed) ? trimmed.charCodeAt(1) : Number(trimmed);
          if (!Number.isFinite(number)) {
            stderr += `bash: printf: ${value}: invalid number\n`;
            number = 0;
          }
          if (conversion === "d" || conversion === "i") body = String(Math.trunc(number));
          else if (conversion === "x") body = Math.trunc(number).toString(16);
          else if (conversion === "X") body = Math.trunc(number).toString(16).toUpperCase();
          else if (conversion === "o") body = Math.trunc(number).toString(8);
          else if (conversion === "e" || conversion === "E") {
            body = number.toExponential(precisionText === undefined ? 6 : Number(precisionText)).replace(/e([+-])(\d)$/, "e$10$2");
            if (conversion === "E") body = body.toUpperCase();
          } else if (conversion === "g" || conversion === "G")
            body = String(Number(number.toPrecision(precisionText === undefined ? 6 : Math.max(1, Number(precisionText)))));
          else body = number.toFixed(precisionText === undefined ? 6 : Math.min(50, Number(precisionText)));
          if (flagsText.includes("+") && number >= 0) body = `+${body}`;
          else if (flagsText.includes(" ") && number >= 0) body = ` ${body}`;
        }
      }
      const width = Math.min(Number(widthText ?? "0") || 0, 10_000);
      if (flagsText.includes("-")) body = body.padEnd(width, " ");
      else if (flagsText.includes("0") && conversion !== "s" && !/^[-+]/.test(body)) body = body.padStart(width, "0");
      else body = body.padStart(width, " ");
      checkStringLength("bash: printf", out.length + body.length);
      out += body;
      if (stop) break;
    }
    if (stop) break;
    out += backslashEscapes(format.slice(last)).text;
    if (!consumed) break;
    rounds++;
  } while (valueIndex < values.length && rounds < 10_000);
  if (variable !== undefined) return { stdout: "", stderr, exitCode: stderr === "" ? 0 : 1, setEnv: { [variable]: out } };
  return { stdout: out, stderr, exitCode: stderr === "" ? 0 : 1 };
};
