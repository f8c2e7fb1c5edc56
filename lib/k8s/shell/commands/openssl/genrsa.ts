/** openssl genrsa: an RSA private key (PKCS#8 PEM, as OpenSSL 3 writes it). */
import type { CommandContext } from "../../types";
import { type Io, OpensslError, parseArgs, writeOutput } from "./common";
import { generateKey, pkcs8, progressDots } from "./keys";

export async function genrsa(context: CommandContext, args: string[], io: Io): Promise<void> {
  const options = parseArgs(
    "genrsa",
    args,
    ["help", "verbose", "quiet", "traditional", "aes256", "aes128", "des3"],
    ["out", "passout", "rand", "f4", "3", "primes"],
  );
  if (options.has("aes256") || options.has("aes128") || options.has("des3"))
    throw new OpensslError("genrsa: encrypted keys are not supported in this practice shell; leave out the cipher option\n");
  const bitsText = options.operands[0] ?? "2048";
  const bits = Number(bitsText);
  if (!/^\d+$/.test(bitsText)) throw new OpensslError(`genrsa: Extra option: "${bitsText}"\ngenrsa: Use -help for summary.\n`);
  if (bits < 512)
    throw new OpensslError(
      `Error generating RSA key\n40F7E2B8A37F0000:error:1C8000A9:Provider routines:rsa_gen_set_params:key size too small:../providers/implementations/keymgmt/rsa_kmgmt.c:611:\n`,
    );
  if (bits > 4096) throw new OpensslError("genrsa: this practice shell generates RSA keys of at most 4096 bits\n");
  const key = await generateKey(context, "rsa", bits, "");
  if (options.has("verbose"))
    io.stderr += `Generating RSA private key, ${bits} bit long modulus (2 primes)\n${progressDots(context)}e is 65537 (0x010001)\n`;
  writeOutput(context, io, options.get("out"), pkcs8(key), 0o600);
}
