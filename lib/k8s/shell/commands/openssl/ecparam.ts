/** openssl ecparam: named-curve parameters, and with -genkey an EC private key (SEC1 PEM). */
import type { CommandContext } from "../../types";
import { type Io, OpensslError, parseArgs, writeOutput } from "./common";
import { generateKey } from "./keys";

export async function ecparam(context: CommandContext, args: string[], io: Io): Promise<void> {
  const options = parseArgs("ecparam", args, ["genkey", "noout", "text", "help"], ["name", "out"]);
  const name = options.get("name");
  const named = { prime256v1: "prime256v1", secp384r1: "secp384r1", secp521r1: "secp521r1", "P-256": "prime256v1" }[name ?? ""];
  if (!named)
    throw new OpensslError(
      name === undefined
        ? "ecparam: this practice shell needs -name prime256v1 (or secp384r1) -genkey\n"
        : `ecparam: unknown curve name (${name})\n`,
    );
  if (!options.has("genkey")) {
    writeOutput(context, io, options.get("out"), "-----BEGIN EC PARAMETERS-----\nBggqhkjOPQMBBw==\n-----END EC PARAMETERS-----\n");
    return;
  }
  const key = await generateKey(context, "ec", 0, named);
  const sec1 = key.export({ format: "pem", type: "sec1" }).toString();
  const params = options.has("noout") ? "" : "-----BEGIN EC PARAMETERS-----\nBggqhkjOPQMBBw==\n-----END EC PARAMETERS-----\n";
  writeOutput(context, io, options.get("out"), params + sec1, 0o600);
}
