/** openssl req: a new CSR (or with -x509 a self-signed certificate) from a key and -subj, or an existing CSR printed and verified. */
import { createPublicKey, type KeyObject } from "node:crypto";
import * as x509 from "@peculiar/x509";
import { derToPem, formatOpensslName, parsePemBlocks } from "../../../pki";
import { buildCertificate } from "../../../pki/issue";
import { importPublicKey, importSigningKey } from "../../../pki/keys";
import type { CommandContext } from "../../types";
import { type Io, OpensslError, parseArgs, writeOutput, loadPrivateKey, loadCsr, parseSubject, randomHexSerial } from "./common";
import { parseAddext } from "./extensions";
import { generateKey, pkcs8, progressDots } from "./keys";
import { loadCertificate, renderCertificateText, renderCsrText } from "./render";

export async function req(context: CommandContext, args: string[], io: Io): Promise<void> {
  const options = parseArgs(
    "req",
    args,
    ["new", "x509", "noout", "text", "verify", "nodes", "noenc", "pubkey", "subject", "batch", "help", "sha256", "utf8"],
    [
      "key",
      "subj",
      "out",
      "in",
      "days",
      "newkey",
      "keyout",
      "addext",
      "config",
      "extensions",
      "reqexts",
      "set_serial",
      "pkeyopt",
      "outform",
      "inform",
      "passout",
      "passin",
      "nameopt",
    ],
  );
  if (options.has("new") || options.has("newkey") || (options.has("x509") && !options.has("in"))) {
    let keyObject: KeyObject;
    const newkey = options.get("newkey");
    if (newkey !== undefined) {
      const [kind = "", param = ""] = newkey.split(":");
      const bits = param === "" ? 2048 : Number(param);
      if (kind === "rsa" && !(Number.isInteger(bits) && bits >= 512 && bits <= 4096))
        throw new OpensslError(`req: this practice shell generates RSA keys of 512 to 4096 bits, not ${param}\n`);
      if (kind === "rsa") keyObject = await generateKey(context, "rsa", bits, "");
      else if (kind === "ec") keyObject = await generateKey(context, "ec", 0, "prime256v1");
      else throw new OpensslError(`req: Unknown algorithm ${kind}\n`);
      if (!options.has("nodes") && !options.has("noenc")) io.stderr += "req: -nodes assumed: this practice shell writes unencrypted keys\n";
      const keyout = options.get("keyout") ?? "privkey.pem";
      if (kind === "rsa") io.stderr += progressDots(context);
      io.stderr += "-----\n";
      writeOutput(context, io, keyout, pkcs8(keyObject), 0o600);
    } else {
      const keyPath = options.get("key");
      if (keyPath === undefined)
        throw new OpensslError(
          "req: use -key FILE (or -newkey rsa:2048 -keyout FILE): this practice shell does not read a default config\n",
        );
      keyObject = loadPrivateKey(context, keyPath, "req").key;
    }
    const subj = options.get("subj");
    if (subj === undefined)
      throw new OpensslError(
        'req: give the subject with -subj "/CN=name/O=group": this terminal cannot answer openssl\'s interactive prompts\n',
      );
    const name = parseSubject(subj, "req");
    const signing = await importSigningKey(pkcs8(keyObject));
    const publicKeyPem = createPublicKey(keyObject).export({ format: "pem", type: "spki" }).toString();
    const extensions = parseAddext(options.all("addext"), "req");
    if (options.has("x509")) {
      const days = Number(options.get("days") ?? "30");
      if (!Number.isFinite(days)) throw new OpensslError(`req: Invalid number "${options.get("days") ?? ""}" for option -days\n`);
      const serialOption = options.get("set_serial");
      const certPem = await buildCertificate({
        subject: new x509.Name(name),
        subjectPublicKeyPem: publicKeyPem,
        issuer: { certPem: "", keyPem: pkcs8(keyObject) },
        selfSigned: true,
        notBefore: context.now,
        notAfter: new Date(context.now.getTime() + days * 86_400_000),
        serialNumber: serialOption !== undefined ? BigInt(serialOption).toString(16).padStart(2, "0") : randomHexSerial(context),
        extensions: async (publicKey) => {
          const list: x509.Extension[] = [await x509.SubjectKeyIdentifierExtension.create(publicKey)];
          if (!extensions.some((extension) => extension.type === "2.5.29.19"))
            list.push(new x509.BasicConstraintsExtension(true, undefined, true));
          return [...list, ...extensions];
        },
      });
      await appendReqOutputs(context, io, options, certPem, undefined);
      return;
    }
    const csr = await x509.Pkcs10CertificateRequestGenerator.create({
      name,
      keys: { privateKey: signing.privateKey, publicKey: await importPublicKey(publicKeyPem) },
      signingAlgorithm: signing.signingAlgorithm,
      extensions,
    });
    await appendReqOutputs(context, io, options, `${csr.toString("pem")}\n`, csr);
    return;
  }
  const csr = loadCsr(context, options.get("in"));
  await appendReqOutputs(context, io, options, `${csr.toString("pem")}\n`, csr);
}

async function appendReqOutputs(
  context: CommandContext,
  io: Io,
  options: ReturnType<typeof parseArgs>,
  pem: string,
  csr: x509.Pkcs10CertificateRequest | undefined,
): Promise<void> {
  if (csr && options.has("verify")) {
    const valid = await csr.verify().catch(() => false);
    if (!valid) throw new OpensslError("Certificate request self-signature verify failure\n");
    io.stderr += "Certificate request self-signature verify OK\n";
  }
  if (csr && options.has("text")) io.stdout += renderCsrText(csr);
  if (csr && options.has("subject")) io.stdout += `subject=${formatOpensslName(new Uint8Array(csr.subjectName.toArrayBuffer()))}\n`;
  if (csr && options.has("pubkey")) io.stdout += derToPem(new Uint8Array(csr.publicKey.rawData), "PUBLIC KEY");
  if (!csr && options.has("text")) {
    const block = parsePemBlocks(pem)[0];
    const loaded = block ? loadCertificate(block.der) : undefined;
    if (loaded) io.stdout += renderCertificateText(loaded);
  }
  if (!options.has("noout")) writeOutput(context, io, options.get("out"), pem);
}
