/** rev: each line reversed. */
import type { CommandHandler } from "../../types";
import { lines, readInputs } from "../util";

export const rev: CommandHandler = async ({ args, fs, stdin }) => {
  const { inputs, errors, failed } = readInputs("rev", fs, args, stdin);
  return {
    stdout: inputs
      .map((input) =>
        lines(input.content)
          .map((line) => `${[...line].reverse().join("")}\n`)
          .join(""),
      )
      .join(""),
    stderr: errors,
    exitCode: failed ? 1 : 0,
  };
};
