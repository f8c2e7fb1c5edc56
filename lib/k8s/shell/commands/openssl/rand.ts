/** openssl rand: bytes from the scenario's seeded randomness, raw, -hex or -base64. */
import type { CommandContext } from "../../types";
import { type Io, OpensslError, parseArgs, writeOutput } from "./common";

export async function rand(context: CommandContext, args: string[], io: Io): Promise<void> {
  const options = parseArgs("rand", args, ["base64", "hex", "help"], ["out"]);
  const countText = options.operands[0];
  if (countText === undefined) throw new OpensslError("rand: No number given\nrand: Use -help for summary.\n");
  if (!/^\d+$/.test(countText)) throw new OpensslError(`rand: Invalid number "${countText}" for option num\n`);
  const count = Number(countText);
  if (count > 1_000_000) throw new OpensslError("rand: this practice shell returns at most 1000000 random bytes\n");
  const bytes = Buffer.from(context.random(count));
  let text: string;
  if (options.has("hex")) text = `${bytes.toString("hex")}\n`;
  else if (options.has("base64")) text = count === 0 ? "" : `${(bytes.toString("base64").match(/.{1,64}/g) ?? []).join("\n")}\n`;
  else text = bytes.toString("latin1");
  writeOutput(context, io, options.get("out"), text);
}
