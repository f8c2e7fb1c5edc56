/** openssl pkey and openssl rsa: read a key, check it, print it, write its public half (-pubout). */
import { createPublicKey, type KeyObject } from "node:crypto";
import type { CommandContext } from "../../types";
import { type Io, OpensslError, parseArgs, readInput, writeOutput, loadPrivateKey } from "./common";
import { pkcs8 } from "./keys";
import { publicKeyInfo } from "./render";

export async function pkey(sub: string, context: CommandContext, args: string[], io: Io): Promise<void> {
  const options = parseArgs(
    sub,
    args,
    ["pubout", "noout", "text", "check", "help", "traditional", "pubin"],
    ["in", "out", "inform", "outform", "passin"],
  );
  if (options.has("pubin")) {
    const text = readInput(context, options.get("in"), "public key");
    let key: KeyObject;
    try {
      key = createPublicKey(text);
    } catch {
      throw new OpensslError(`Could not read public key from ${options.get("in") ?? "<stdin>"}\nUnable to load Public Key\n`);
    }
    if (options.has("text"))
      io.stdout += publicKeyInfo(new Uint8Array(key.export({ format: "der", type: "spki" })), "").replace(
        /^Subject Public Key Info:\n/,
        "",
      );
    if (!options.has("noout")) writeOutput(context, io, options.get("out"), key.export({ format: "pem", type: "spki" }).toString());
    return;
  }
  const { key } = loadPrivateKey(context, options.get("in"), sub);
  if (options.has("check")) io.stdout += sub === "rsa" ? "RSA key ok\n" : "Key is valid\n";
  if (options.has("text")) {
    const details = key.asymmetricKeyDetails;
    io.stdout +=
      key.asymmetricKeyType === "rsa"
        ? `Private-Key: (${details?.modulusLength ?? 0} bit, 2 primes)\n`
        : `Private-Key: (${details?.namedCurve === "secp384r1" ? 384 : 256} bit)\n`;
  }
  if (options.has("noout")) return;
  if (options.has("pubout")) {
    if (sub === "rsa") io.stderr += "writing RSA key\n";
    writeOutput(context, io, options.get("out"), createPublicKey(key).export({ format: "pem", type: "spki" }).toString());
    return;
  }
  if (sub === "rsa") io.stderr += "writing RSA key\n";
  writeOutput(context, io, options.get("out"), pkcs8(key), 0o600);
}
