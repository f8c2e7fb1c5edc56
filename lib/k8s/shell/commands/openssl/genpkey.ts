/** openssl genpkey: RSA, EC (-pkeyopt ec_paramgen_curve) or Ed25519 private keys. */
import type { KeyObject } from "node:crypto";
import type { CommandContext } from "../../types";
import { type Io, OpensslError, parseArgs, writeOutput } from "./common";
import { generateKey, pkcs8, progressDots } from "./keys";

export async function genpkey(context: CommandContext, args: string[], io: Io): Promise<void> {
  const options = parseArgs(
    "genpkey",
    args,
    ["help", "quiet", "text", "aes256", "des3"],
    ["algorithm", "pkeyopt", "out", "outform", "pass"],
  );
  const algorithm = (options.get("algorithm") ?? "").toUpperCase();
  if (algorithm === "") throw new OpensslError("genpkey: no keytype specified\ngenpkey: Use -help for summary.\n");
  let bits = 2048;
  let curve = "";
  for (const opt of options.all("pkeyopt")) {
    const [name, value = ""] = opt.split(":");
    if (name === "rsa_keygen_bits") bits = Number(value);
    else if (name === "ec_paramgen_curve" || name === "group") curve = value;
    else if (name === "rsa_keygen_pubexp" || name === "ec_param_enc") continue;
    else throw new OpensslError(`genpkey: Error setting ${name}:${value} parameter:\n`);
  }
  let key: KeyObject;
  if (algorithm === "RSA" || algorithm === "RSA-PSS") {
    if (!Number.isFinite(bits) || bits < 512 || bits > 4096)
      throw new OpensslError(`genpkey: Error setting rsa_keygen_bits:${bits} parameter:\n`);
    key = await generateKey(context, "rsa", bits, "");
    if (!options.has("quiet")) io.stderr += `${progressDots(context)}`;
  } else if (algorithm === "EC") {
    const named = {
      "P-256": "prime256v1",
      prime256v1: "prime256v1",
      "P-384": "secp384r1",
      secp384r1: "secp384r1",
      "P-521": "secp521r1",
      secp521r1: "secp521r1",
    }[curve];
    if (!named)
      throw new OpensslError(
        curve === ""
          ? "genpkey: Error generating EC key: no curve given (-pkeyopt ec_paramgen_curve:P-256)\n"
          : `genpkey: Error setting ec_paramgen_curve:${curve} parameter:\n`,
      );
    key = await generateKey(context, "ec", 0, named);
  } else if (algorithm === "ED25519") {
    key = await generateKey(context, "ed25519", 0, "");
  } else {
    throw new OpensslError(`genpkey: Algorithm ${options.get("algorithm") ?? ""} not found\n`);
  }
  writeOutput(context, io, options.get("out"), pkcs8(key), 0o600);
}
