/**
 * A simulated `openssl` (OpenSSL 3.0 output shapes) for the certificate workflows of the CKA/CKS:
 * genrsa, genpkey, ecparam -genkey, pkey/rsa, req (-new, -x509, -text, -subject, -verify),
 * x509 (inspect, -req signing, -checkend), verify, rand, version. Real keys and signatures
 * (node:crypto and @peculiar/x509 through lib/k8s/pki); keys never leave the VFS.
 */
import "reflect-metadata";
import { createHash, createPrivateKey, createPublicKey, generateKeyPair, type KeyObject } from "node:crypto";
import * as x509 from "@peculiar/x509";
import { buildCertificate } from "../../../pki/issue";
import { importPublicKey, importSigningKey } from "../../../pki/keys";
import { derToPem, formatOpensslName, parsePemBlocks } from "../../../pki";
import { checkSignatureFrom } from "../../../pki/go-verify";
import type { CommandContext, CommandHandler, CommandResult } from "../../types";
import { SHELL_LIMITS } from "../../limits";
import { loadCertificate, renderCertificateText, renderCsrText, EXTENSION_SHORT_NAMES, renderExtension, publicKeyInfo, type LoadedCertificate } from "./render";

x509.cryptoProvider.set(globalThis.crypto);

interface Io {
  stdout: string;
  stderr: string;
}

class OpensslError extends Error {
  constructor(
    message: string,
    readonly exitCode = 1,
  ) {
    super(message);
  }
}

function usageError(sub: string, option: string): never {
  throw new OpensslError(`${sub}: Unknown option or message digest: ${option.replace(/^-+/, "")}\n${sub}: Use -help for summary.\n`);
}

/** Options of one subcommand: flags and valued options (in command-line order). */
function parseArgs(sub: string, args: string[], flags: string[], valued: string[]): { order: { name: string; value?: string }[]; operands: string[]; has(name: string): boolean; get(name: string): string | undefined; all(name: string): string[] } {
  const order: { name: string; value?: string }[] = [];
  const operands: string[] = [];
  for (let i = 0; i < args.length; i++) {
    const arg = args[i] ?? "";
    if (arg.startsWith("-") && arg.length > 1) {
      const name = arg.replace(/^--?/, "");
      if (flags.includes(name)) order.push({ name });
      else if (valued.includes(name)) {
        const value = args[++i];
        if (value === undefined) throw new OpensslError(`${sub}: Option -${name} needs a value\n${sub}: Use -help for summary.\n`);
        order.push({ name, value });
      } else usageError(sub, arg);
    } else operands.push(arg);
  }
  return {
    order,
    operands,
    has: (name) => order.some((entry) => entry.name === name),
    get: (name) => [...order].reverse().find((entry) => entry.name === name)?.value,
    all: (name) => order.filter((entry) => entry.name === name).map((entry) => entry.value ?? ""),
  };
}

function readInput(context: CommandContext, path: string | undefined, what: string): string {
  if (path === undefined || path === "-") return context.stdin;
  const read = context.fs.readFile(path);
  if (!read.ok) {
    throw new OpensslError(
      `Could not open file or uri for loading ${what} from ${path}\n` +
        `40F7E2B8A37F0000:error:80000002:system library:file_open:${read.error}:../providers/implementations/storemgmt/file_store.c:267:calling stat(${path})\n` +
        `Unable to load ${what}\n`,
    );
  }
  return read.content;
}

function writeOutput(context: CommandContext, io: Io, path: string | undefined, content: string, mode?: number): void {
  if (path === undefined || path === "-") {
    io.stdout += content;
    return;
  }
  const written = context.fs.writeFile(path, content, mode === undefined ? {} : { mode });
  if (!written.ok) throw new OpensslError(`Could not open file or uri for writing ${path}: ${written.error}\n`);
}

function loadPrivateKey(context: CommandContext, path: string | undefined, sub: string): { key: KeyObject; pem: string } {
  const text = readInput(context, path, "private key");
  const block = parsePemBlocks(text).find((candidate) => /PRIVATE KEY$/.test(candidate.type));
  try {
    if (!block) throw new Error("no key");
    const key = createPrivateKey({ key: text, format: "pem" });
    return { key, pem: key.export({ format: "pem", type: "pkcs8" }).toString() };
  } catch {
    throw new OpensslError(`${sub === "x509" ? "" : ""}Could not read private key from ${path ?? "<stdin>"}\n${sub}: Error loading private key\n`.replace(/^/, ""));
  }
}

function loadCert(context: CommandContext, path: string | undefined, what = "certificate"): LoadedCertificate {
  const text = readInput(context, path, what);
  const block = parsePemBlocks(text).find((candidate) => candidate.type === "CERTIFICATE" || candidate.type === "TRUSTED CERTIFICATE");
  const loaded = block ? loadCertificate(block.der) : undefined;
  if (!loaded) throw new OpensslError(`Could not read ${what} from ${path ?? "<stdin>"}\nUnable to load ${what}\n`);
  return loaded;
}

function loadCsr(context: CommandContext, path: string | undefined): x509.Pkcs10CertificateRequest {
  const text = readInput(context, path, "certificate request");
  const block = parsePemBlocks(text).find((candidate) => candidate.type === "CERTIFICATE REQUEST" || candidate.type === "NEW CERTIFICATE REQUEST");
  try {
    if (!block) throw new Error("no csr");
    return new x509.Pkcs10CertificateRequest(Uint8Array.from(block.der));
  } catch {
    throw new OpensslError(`Could not read certificate request from ${path ?? "<stdin>"}\nUnable to load certificate request\n`);
  }
}

/** `-subj "/CN=jane/O=dev-team"` into RDNs in order; `\/` escapes a slash. */
export function parseSubject(subject: string, sub: string): x509.JsonName {
  if (!subject.startsWith("/")) throw new OpensslError(`${sub}: name is expected to be in the format /type0=value0/type1=value1/type2=... where characters may be escaped by \\. This name is not in that format: '${subject}'\n${sub}: Error making certificate request\n`);
  const allowed = new Set(["CN", "O", "OU", "C", "ST", "L", "emailAddress", "DC", "UID", "serialNumber"]);
  const name: x509.JsonName = [];
  const parts = subject.slice(1).split(/(?<!\\)\//).filter((part) => part !== "");
  for (const part of parts) {
    const eq = part.indexOf("=");
    const type = eq > 0 ? part.slice(0, eq) : part;
    const value = eq > 0 ? part.slice(eq + 1).replace(/\\(.)/g, "$1") : "";
    if (eq <= 0) throw new OpensslError(`${sub}: Hit end of string before finding the equals.\n${sub}: Error making certificate request\n`);
    if (!allowed.has(type)) throw new OpensslError(`${sub}: Skipping unknown subject name attribute "${type}"\n`);
    if (value === "") continue;
    name.push({ [type]: [value] });
  }
  return name;
}

function randomHexSerial(context: CommandContext): string {
  const bytes = Uint8Array.from(context.random(20));
  bytes[0] = (bytes[0] ?? 0) & 0x7f;
  if (bytes[0] === 0) bytes[0] = 0x36;
  return Buffer.from(bytes).toString("hex").toUpperCase();
}

/**
 * Key generation runs off the JavaScript thread (node:crypto's asynchronous generateKeyPair) and
 * is charged to the input's key budget: at most two 4096-bit or eight 2048-bit RSA keys per input.
 */
async function generateKey(context: CommandContext, kind: "rsa" | "ec" | "ed25519", bits: number, curve: string): Promise<KeyObject> {
  if (context.budget && !context.budget.chargeKey(kind, bits)) {
    throw new OpensslError(`Error generating ${kind === "rsa" ? "RSA" : kind === "ec" ? "EC" : "ED25519"} key: this practice shell generates at most ${SHELL_LIMITS.maxKeyUnits} 2048-bit keys (or ${Math.floor(SHELL_LIMITS.maxKeyUnits / 4)} of 4096 bits) per input; generate the next one in a new command\n`);
  }
  return new Promise((resolve, reject) => {
    const done = (error: Error | null, _publicKey: KeyObject, privateKey: KeyObject): void => (error ? reject(error) : resolve(privateKey));
    if (kind === "rsa") generateKeyPair("rsa", { modulusLength: bits }, done);
    else if (kind === "ec") generateKeyPair("ec", { namedCurve: curve }, done);
    else generateKeyPair("ed25519", {}, done);
  });
}

function pkcs8(key: KeyObject): string {
  return key.export({ format: "pem", type: "pkcs8" }).toString();
}

function progressDots(context: CommandContext): string {
  const bytes = context.random(24);
  let line = "";
  for (const byte of bytes) line += ".".repeat((byte % 7) + 1) + "+";
  return `${line}++++++++++++++++++++++++*\n`;
}

// ---------------------------------------------------------------- key generation

async function genrsa(context: CommandContext, args: string[], io: Io): Promise<void> {
  const options = parseArgs("genrsa", args, ["help", "verbose", "quiet", "traditional", "aes256", "aes128", "des3"], ["out", "passout", "rand", "f4", "3", "primes"]);
  if (options.has("aes256") || options.has("aes128") || options.has("des3")) throw new OpensslError("genrsa: encrypted keys are not supported in this practice shell; leave out the cipher option\n");
  const bitsText = options.operands[0] ?? "2048";
  const bits = Number(bitsText);
  if (!/^\d+$/.test(bitsText)) throw new OpensslError(`genrsa: Extra option: "${bitsText}"\ngenrsa: Use -help for summary.\n`);
  if (bits < 512) throw new OpensslError(`Error generating RSA key\n40F7E2B8A37F0000:error:1C8000A9:Provider routines:rsa_gen_set_params:key size too small:../providers/implementations/keymgmt/rsa_kmgmt.c:611:\n`);
  if (bits > 4096) throw new OpensslError("genrsa: this practice shell generates RSA keys of at most 4096 bits\n");
  const key = await generateKey(context, "rsa", bits, "");
  if (options.has("verbose")) io.stderr += `Generating RSA private key, ${bits} bit long modulus (2 primes)\n${progressDots(context)}e is 65537 (0x010001)\n`;
  writeOutput(context, io, options.get("out"), pkcs8(key), 0o600);
}

async function genpkey(context: CommandContext, args: string[], io: Io): Promise<void> {
  const options = parseArgs("genpkey", args, ["help", "quiet", "text", "aes256", "des3"], ["algorithm", "pkeyopt", "out", "outform", "pass"]);
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
    if (!Number.isFinite(bits) || bits < 512 || bits > 4096) throw new OpensslError(`genpkey: Error setting rsa_keygen_bits:${bits} parameter:\n`);
    key = await generateKey(context, "rsa", bits, "");
    if (!options.has("quiet")) io.stderr += `${progressDots(context)}`;
  } else if (algorithm === "EC") {
    const named = { "P-256": "prime256v1", prime256v1: "prime256v1", "P-384": "secp384r1", secp384r1: "secp384r1", "P-521": "secp521r1", secp521r1: "secp521r1" }[curve];
    if (!named) throw new OpensslError(curve === "" ? "genpkey: Error generating EC key: no curve given (-pkeyopt ec_paramgen_curve:P-256)\n" : `genpkey: Error setting ec_paramgen_curve:${curve} parameter:\n`);
    key = await generateKey(context, "ec", 0, named);
  } else if (algorithm === "ED25519") {
    key = await generateKey(context, "ed25519", 0, "");
  } else {
    throw new OpensslError(`genpkey: Algorithm ${options.get("algorithm") ?? ""} not found\n`);
  }
  writeOutput(context, io, options.get("out"), pkcs8(key), 0o600);
}

async function ecparam(context: CommandContext, args: string[], io: Io): Promise<void> {
  const options = parseArgs("ecparam", args, ["genkey", "noout", "text", "help"], ["name", "out"]);
  const name = options.get("name");
  const named = { prime256v1: "prime256v1", secp384r1: "secp384r1", secp521r1: "secp521r1", "P-256": "prime256v1" }[name ?? ""];
  if (!named) throw new OpensslError(name === undefined ? "ecparam: this practice shell needs -name prime256v1 (or secp384r1) -genkey\n" : `ecparam: unknown curve name (${name})\n`);
  if (!options.has("genkey")) {
    writeOutput(context, io, options.get("out"), "-----BEGIN EC PARAMETERS-----\nBggqhkjOPQMBBw==\n-----END EC PARAMETERS-----\n");
    return;
  }
  const key = await generateKey(context, "ec", 0, named);
  const sec1 = key.export({ format: "pem", type: "sec1" }).toString();
  const params = options.has("noout") ? "" : "-----BEGIN EC PARAMETERS-----\nBggqhkjOPQMBBw==\n-----END EC PARAMETERS-----\n";
  writeOutput(context, io, options.get("out"), params + sec1, 0o600);
}

async function pkey(sub: string, context: CommandContext, args: string[], io: Io): Promise<void> {
  const options = parseArgs(sub, args, ["pubout", "noout", "text", "check", "help", "traditional", "pubin"], ["in", "out", "inform", "outform", "passin"]);
  if (options.has("pubin")) {
    const text = readInput(context, options.get("in"), "public key");
    let key: KeyObject;
    try {
      key = createPublicKey(text);
    } catch {
      throw new OpensslError(`Could not read public key from ${options.get("in") ?? "<stdin>"}\nUnable to load Public Key\n`);
    }
    if (options.has("text")) io.stdout += publicKeyInfo(new Uint8Array(key.export({ format: "der", type: "spki" })), "").replace(/^Subject Public Key Info:\n/, "");
    if (!options.has("noout")) writeOutput(context, io, options.get("out"), key.export({ format: "pem", type: "spki" }).toString());
    return;
  }
  const { key } = loadPrivateKey(context, options.get("in"), sub);
  if (options.has("check")) io.stdout += sub === "rsa" ? "RSA key ok\n" : "Key is valid\n";
  if (options.has("text")) {
    const details = key.asymmetricKeyDetails;
    io.stdout += key.asymmetricKeyType === "rsa" ? `Private-Key: (${details?.modulusLength ?? 0} bit, 2 primes)\n` : `Private-Key: (${details?.namedCurve === "secp384r1" ? 384 : 256} bit)\n`;
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

// ---------------------------------------------------------------- req

function parseAddext(values: string[], sub: string): x509.Extension[] {
  const extensions: x509.Extension[] = [];
  for (const value of values) {
    const extension = parseExtensionLine(value, sub);
    if (extension) extensions.push(extension);
  }
  return extensions;
}

const EKU_BY_NAME: Record<string, string> = {
  serverAuth: "1.3.6.1.5.5.7.3.1",
  clientAuth: "1.3.6.1.5.5.7.3.2",
  codeSigning: "1.3.6.1.5.5.7.3.3",
  emailProtection: "1.3.6.1.5.5.7.3.4",
  timeStamping: "1.3.6.1.5.5.7.3.8",
  OCSPSigning: "1.3.6.1.5.5.7.3.9",
  anyExtendedKeyUsage: "2.5.29.37.0",
};

const KU_BY_NAME: Record<string, number> = {
  digitalSignature: x509.KeyUsageFlags.digitalSignature,
  nonRepudiation: x509.KeyUsageFlags.nonRepudiation,
  keyEncipherment: x509.KeyUsageFlags.keyEncipherment,
  dataEncipherment: x509.KeyUsageFlags.dataEncipherment,
  keyAgreement: x509.KeyUsageFlags.keyAgreement,
  keyCertSign: x509.KeyUsageFlags.keyCertSign,
  cRLSign: x509.KeyUsageFlags.cRLSign,
};

/** `name = value` lines of an OpenSSL config / -addext, for the extensions people write by hand. */
function parseExtensionLine(line: string, sub: string): x509.Extension | undefined {
  const eq = line.indexOf("=");
  if (eq < 0) throw new OpensslError(`${sub}: Error adding extension: ${line}\n`);
  const name = line.slice(0, eq).trim();
  let value = line.slice(eq + 1).trim();
  const critical = value.startsWith("critical,");
  if (critical) value = value.slice("critical,".length).trim();
  const items = value.split(",").map((item) => item.trim()).filter(Boolean);
  switch (name) {
    case "basicConstraints": {
      const ca = items.some((item) => /^CA:\s*true$/i.test(item));
      const path = items.find((item) => /^pathlen:/i.test(item));
      return new x509.BasicConstraintsExtension(ca, path ? Number(path.split(":")[1]) : undefined, critical);
    }
    case "keyUsage": {
      let flags = 0;
      for (const item of items) {
        const flag = KU_BY_NAME[item];
        if (flag === undefined) throw new OpensslError(`${sub}: unknown key usage: ${item}\n`);
        flags |= flag;
      }
      return new x509.KeyUsagesExtension(flags, critical);
    }
    case "extendedKeyUsage":
      return new x509.ExtendedKeyUsageExtension(
        items.map((item) => {
          const oid = EKU_BY_NAME[item] ?? (/^\d+(\.\d+)+$/.test(item) ? item : undefined);
          if (!oid) throw new OpensslError(`${sub}: unknown extended key usage: ${item}\n`);
          return oid;
        }),
        critical,
      );
    case "subjectAltName":
      return new x509.SubjectAlternativeNameExtension(
        items.map((item) => {
          const colon = item.indexOf(":");
          const kind = item.slice(0, colon);
          const text = item.slice(colon + 1);
          if (kind === "DNS") return { type: "dns" as const, value: text };
          if (kind === "IP") return { type: "ip" as const, value: text };
          if (kind === "email") return { type: "email" as const, value: text };
          if (kind === "URI") return { type: "url" as const, value: text };
          throw new OpensslError(`${sub}: unsupported subjectAltName entry: ${item}\n`);
        }),
        critical,
      );
    case "subjectKeyIdentifier":
    case "authorityKeyIdentifier":
      return undefined;
    default:
      throw new OpensslError(`${sub}: the extension ${name} is not supported in this practice shell\n`);
  }
}

/** Extensions from an -extfile (optionally one [section]). */
function extensionsFromConfig(text: string, section: string | undefined, sub: string): x509.Extension[] {
  const extensions: x509.Extension[] = [];
  let current: string | undefined;
  const altNames: string[] = [];
  const sections = new Map<string, Map<string, string>>();
  for (const raw of text.split("\n")) {
    const line = raw.replace(/#.*$/, "").trim();
    if (line === "") continue;
    const header = /^\[\s*([^\]]+?)\s*\]$/.exec(line);
    if (header) {
      current = header[1];
      continue;
    }
    const eq = line.indexOf("=");
    if (eq < 0) continue;
    const key = line.slice(0, eq).trim();
    const value = line.slice(eq + 1).trim();
    const map = sections.get(current ?? "") ?? new Map<string, string>();
    map.set(key, value);
    sections.set(current ?? "", map);
  }
  const chosen = sections.get(section ?? "") ?? (section === undefined ? sections.get("") : undefined);
  if (!chosen) {
    if (section !== undefined) throw new OpensslError(`${sub}: Error checking extension section ${section}\n`);
    return extensions;
  }
  for (const [key, value] of chosen) {
    if (key === "subjectAltName" && value.startsWith("@")) {
      const names = sections.get(value.slice(1)) ?? new Map<string, string>();
      for (const [altKey, altValue] of names) altNames.push(`${altKey.replace(/\.\d+$/, "")}:${altValue}`);
      const extension = parseExtensionLine(`subjectAltName = ${altNames.join(",")}`, sub);
      if (extension) extensions.push(extension);
      continue;
    }
    const extension = parseExtensionLine(`${key} = ${value}`, sub);
    if (extension) extensions.push(extension);
  }
  return extensions;
}

async function req(context: CommandContext, args: string[], io: Io): Promise<void> {
  const options = parseArgs(
    "req",
    args,
    ["new", "x509", "noout", "text", "verify", "nodes", "noenc", "pubkey", "subject", "batch", "help", "sha256", "utf8"],
    ["key", "subj", "out", "in", "days", "newkey", "keyout", "addext", "config", "extensions", "reqexts", "set_serial", "pkeyopt", "outform", "inform", "passout", "passin", "nameopt"],
  );
  if (options.has("new") || options.has("newkey") || (options.has("x509") && !options.has("in"))) {
    let keyObject: KeyObject;
    const newkey = options.get("newkey");
    if (newkey !== undefined) {
      const [kind = "", param = ""] = newkey.split(":");
      const bits = param === "" ? 2048 : Number(param);
      if (kind === "rsa" && !(Number.isInteger(bits) && bits >= 512 && bits <= 4096)) throw new OpensslError(`req: this practice shell generates RSA keys of 512 to 4096 bits, not ${param}\n`);
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
      if (keyPath === undefined) throw new OpensslError("req: use -key FILE (or -newkey rsa:2048 -keyout FILE): this practice shell does not read a default config\n");
      keyObject = loadPrivateKey(context, keyPath, "req").key;
    }
    const subj = options.get("subj");
    if (subj === undefined) throw new OpensslError('req: give the subject with -subj "/CN=name/O=group": this terminal cannot answer openssl\'s interactive prompts\n');
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
          if (!extensions.some((extension) => extension.type === "2.5.29.19")) list.push(new x509.BasicConstraintsExtension(true, undefined, true));
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

async function appendReqOutputs(context: CommandContext, io: Io, options: ReturnType<typeof parseArgs>, pem: string, csr: x509.Pkcs10CertificateRequest | undefined): Promise<void> {
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

// ---------------------------------------------------------------- x509

function fingerprint(der: Uint8Array, algorithm: "sha1" | "sha256" | "sha512" | "md5"): string {
  return createHash(algorithm)
    .update(der)
    .digest("hex")
    .toUpperCase()
    .match(/../g)
    ?.join(":") ?? "";
}

function serialFileFor(caPath: string): string {
  const slash = caPath.lastIndexOf("/");
  const dot = caPath.lastIndexOf(".");
  return `${dot > slash ? caPath.slice(0, dot) : caPath}.srl`;
}

async function x509Command(context: CommandContext, args: string[], io: Io): Promise<void> {
  const options = parseArgs(
    "x509",
    args,
    ["noout", "text", "subject", "issuer", "dates", "startdate", "enddate", "serial", "fingerprint", "sha1", "sha256", "sha512", "md5", "req", "CAcreateserial", "pubkey", "modulus", "hash", "subject_hash", "issuer_hash", "email", "purpose", "help", "nocert"],
    ["in", "out", "CA", "CAkey", "CAserial", "days", "set_serial", "signkey", "key", "extfile", "extensions", "ext", "checkend", "nameopt", "inform", "outform", "certopt", "copy_extensions", "passin"],
  );
  const digest = options.has("sha256") ? "sha256" : options.has("sha512") ? "sha512" : options.has("md5") ? "md5" : "sha1";
  let pem: string;
  if (options.has("req")) pem = await signRequest(context, io, options);
  else {
    const loaded = loadCert(context, options.get("in"));
    pem = derToPem(loaded.der, "CERTIFICATE");
  }
  const block = parsePemBlocks(pem)[0];
  const loaded = block ? loadCertificate(block.der) : undefined;
  if (!loaded) throw new OpensslError("Unable to load certificate\n");
  const { description } = loaded;
  let exitCode = 0;
  for (const entry of options.order) {
    switch (entry.name) {
      case "subject":
        io.stdout += `subject=${description.subject}\n`;
        break;
      case "issuer":
        io.stdout += `issuer=${description.issuer}\n`;
        break;
      case "dates":
        io.stdout += `notBefore=${description.notBeforeText}\nnotAfter=${description.notAfterText}\n`;
        break;
      case "startdate":
        io.stdout += `notBefore=${description.notBeforeText}\n`;
        break;
      case "enddate":
        io.stdout += `notAfter=${description.notAfterText}\n`;
        break;
      case "serial":
        io.stdout += `serial=${description.serialNumberHex.replace(/:/g, "").toUpperCase()}\n`;
        break;
      case "fingerprint":
        io.stdout += `${digest === "sha1" ? "SHA1" : digest} Fingerprint=${fingerprint(loaded.der, digest)}\n`;
        break;
      case "pubkey":
        io.stdout += derToPem(loaded.parsed.rawSpki, "PUBLIC KEY");
        break;
      case "modulus": {
        try {
          const jwk = createPublicKey({ key: Buffer.from(loaded.parsed.rawSpki), format: "der", type: "spki" }).export({ format: "jwk" });
          io.stdout += jwk.n ? `Modulus=${Buffer.from(jwk.n, "base64url").toString("hex").toUpperCase()}\n` : "No modulus for this public key type\n";
        } catch {
          io.stdout += "No modulus for this public key type\n";
        }
        break;
      }
      case "text":
        io.stdout += renderCertificateText(loaded);
        break;
      case "ext": {
        const wanted = (entry.value ?? "").split(",").map((name) => name.trim());
        for (const name of wanted) if (!EXTENSION_SHORT_NAMES[name]) throw new OpensslError(`Invalid extension name: ${name}\n`);
        const found = loaded.cert.extensions.filter((extension) => wanted.some((name) => EXTENSION_SHORT_NAMES[name] === extension.type));
        if (found.length === 0) io.stdout += "No extensions in certificate\n";
        else for (const extension of found) io.stdout += renderExtension(extension, "");
        break;
      }
      case "checkend": {
        const seconds = Number(entry.value ?? "0");
        if (!Number.isFinite(seconds)) throw new OpensslError(`x509: Invalid number "${entry.value ?? ""}" for option -checkend\n`);
        const expires = description.notAfter.getTime() < context.now.getTime() + seconds * 1000;
        io.stdout += expires ? "Certificate will expire\n" : "Certificate will not expire\n";
        exitCode = expires ? 1 : 0;
        break;
      }
      default:
        break;
    }
  }
  if (!options.has("noout")) writeOutput(context, io, options.get("out"), pem);
  if (exitCode !== 0) throw new OpensslError("", exitCode);
}

async function signRequest(context: CommandContext, io: Io, options: ReturnType<typeof parseArgs>): Promise<string> {
  const csr = loadCsr(context, options.get("in"));
  const valid = await csr.verify().catch(() => false);
  if (!valid) throw new OpensslError("Certificate request self-signature did not match the contents\nx509: Error while signing certificate request\n");
  io.stderr += "Certificate request self-signature ok\n";
  const subjectRaw = new Uint8Array(csr.subjectName.toArrayBuffer());
  io.stderr += `subject=${formatOpensslName(subjectRaw)}\n`;
  const days = Number(options.get("days") ?? "30");
  if (!Number.isFinite(days)) throw new OpensslError(`x509: Invalid number "${options.get("days") ?? ""}" for option -days\n`);
  const notBefore = context.now;
  const notAfter = new Date(context.now.getTime() + days * 86_400_000);
  const publicKeyPem = derToPem(new Uint8Array(csr.publicKey.rawData), "PUBLIC KEY");
  const extfile = options.get("extfile");
  const extensions = extfile === undefined ? [] : extensionsFromConfig(readInput(context, extfile, "config"), options.get("extensions"), "x509");
  const caPath = options.get("CA");
  const signkey = options.get("signkey") ?? options.get("key");
  let serialHex: string;
  const setSerial = options.get("set_serial");
  if (caPath !== undefined) {
    const caKeyPath = options.get("CAkey") ?? caPath;
    const ca = loadCert(context, caPath, "CA certificate");
    const caKey = loadPrivateKey(context, caKeyPath, "x509");
    const caPublic = createPublicKey(caKey.key).export({ format: "der", type: "spki" });
    if (!Buffer.from(caPublic).equals(Buffer.from(ca.parsed.rawSpki))) {
      throw new OpensslError("Warning: CA private key does not match the CA certificate\nx509: Error while signing certificate request\n");
    }
    if (setSerial !== undefined) serialHex = BigInt(setSerial).toString(16);
    else {
      const serialPath = options.get("CAserial") ?? serialFileFor(caPath);
      const existing = context.fs.readFile(serialPath);
      if (existing.ok && /^[0-9A-Fa-f]+\s*$/.test(existing.content)) {
        serialHex = (BigInt(`0x${existing.content.trim()}`) + 1n).toString(16).toUpperCase();
      } else if (existing.ok) {
        throw new OpensslError(`unable to load number from ${serialPath}\nerror while loading serial number\n`);
      } else if (options.has("CAcreateserial") || options.get("CAserial") === undefined) {
        // OpenSSL 3.0 picks a random serial when the file is missing.
        serialHex = randomHexSerial(context);
      } else {
        throw new OpensslError(`${serialPath}: No such file or directory\nerror while loading serial number\n`);
      }
      if (options.has("CAcreateserial") || existing.ok) {
        const written = context.fs.writeFile(serialPath, `${serialHex.padStart(serialHex.length + (serialHex.length % 2), "0")}\n`);
        if (!written.ok) throw new OpensslError(`${serialPath}: ${written.error}\n`);
      }
    }
    return buildCertificate({
      subject: new x509.Name(subjectRaw),
      subjectPublicKeyPem: publicKeyPem,
      issuer: { certPem: derToPem(ca.der, "CERTIFICATE"), keyPem: caKey.pem },
      selfSigned: false,
      notBefore,
      notAfter,
      serialNumber: serialHex.padStart(serialHex.length + (serialHex.length % 2), "0"),
      extensions: async () => [...extensions],
    });
  }
  if (signkey === undefined) throw new OpensslError("x509: We need a private key to sign with, use -signkey or -key or -CAkey\n");
  const key = loadPrivateKey(context, signkey, "x509");
  serialHex = setSerial !== undefined ? BigInt(setSerial).toString(16) : randomHexSerial(context);
  return buildCertificate({
    subject: new x509.Name(subjectRaw),
    subjectPublicKeyPem: publicKeyPem,
    issuer: { certPem: "", keyPem: key.pem },
    selfSigned: true,
    notBefore,
    notAfter,
    serialNumber: serialHex.padStart(serialHex.length + (serialHex.length % 2), "0"),
    extensions: async () => [...extensions],
  });
}

// ---------------------------------------------------------------- verify

const VERIFY_ERRORS = {
  unableToGetIssuerLocally: { code: 20, text: "unable to get local issuer certificate" },
  unableToGetIssuer: { code: 2, text: "unable to get issuer certificate" },
  selfSigned: { code: 18, text: "self-signed certificate" },
  selfSignedInChain: { code: 19, text: "self-signed certificate in certificate chain" },
  notYetValid: { code: 9, text: "certificate is not yet valid" },
  expired: { code: 10, text: "certificate has expired" },
  signature: { code: 7, text: "certificate signature failure" },
  invalidCa: { code: 24, text: "invalid CA certificate" },
} as const;

function certsFromFile(context: CommandContext, path: string, what: string): LoadedCertificate[] {
  const text = readInput(context, path, what);
  const certs = parsePemBlocks(text)
    .filter((block) => block.type === "CERTIFICATE")
    .map((block) => loadCertificate(block.der))
    .filter((cert): cert is LoadedCertificate => cert !== undefined);
  if (certs.length === 0) throw new OpensslError(`Could not read ${what} from ${path}\nUnable to load ${what}\n`);
  return certs;
}

function sameName(a: Uint8Array, b: Uint8Array): boolean {
  return Buffer.from(a).equals(Buffer.from(b));
}

async function verify(context: CommandContext, args: string[], io: Io): Promise<void> {
  const options = parseArgs("verify", args, ["help", "verbose", "show_chain", "x509_strict", "no-CApath", "no-CAfile", "partial_chain"], ["CAfile", "untrusted", "attime", "purpose", "CApath"]);
  const roots = options.has("CAfile") ? options.all("CAfile").flatMap((path) => certsFromFile(context, path, "certificates")) : [];
  const untrusted = options.all("untrusted").flatMap((path) => certsFromFile(context, path, "certificates"));
  const attime = options.get("attime");
  const now = attime !== undefined ? new Date(Number(attime) * 1000) : context.now;
  const targets = options.operands.length > 0 ? options.operands : ["-"];
  let failed = false;
  for (const target of targets) {
    const shown = target === "-" ? "stdin" : target;
    let leaf: LoadedCertificate;
    try {
      const list = certsFromFile(context, target, "certificate file");
      const first = list[0];
      if (!first) throw new OpensslError("Unable to load certificate file\n");
      leaf = first;
    } catch (error) {
      if (error instanceof OpensslError) {
        io.stderr += error.message.replace("Unable to load certificates", "Unable to load certificate file");
        failed = true;
        continue;
      }
      throw error;
    }
    // Build the chain leaf -> root: untrusted intermediates, then a trusted root.
    const chain: LoadedCertificate[] = [leaf];
    let error: { depth: number; code: number; text: string } | undefined;
    let trusted = roots.some((root) => Buffer.from(root.der).equals(Buffer.from(leaf.der)));
    for (let guard = 0; !trusted && guard < 10; guard++) {
      const current = chain[chain.length - 1];
      if (!current) break;
      const issuerFrom = (pool: LoadedCertificate[]): LoadedCertificate | undefined =>
        pool.find((candidate) => sameName(candidate.parsed.rawSubject, current.parsed.rawIssuer) && checkSignatureFrom(current.parsed, candidate.parsed) === undefined) ??
        pool.find((candidate) => sameName(candidate.parsed.rawSubject, current.parsed.rawIssuer));
      const root = issuerFrom(roots);
      if (root) {
        if (!Buffer.from(root.der).equals(Buffer.from(current.der))) chain.push(root);
        trusted = true;
        break;
      }
      const selfIssued = sameName(current.parsed.rawSubject, current.parsed.rawIssuer);
      if (selfIssued) {
        error = chain.length === 1 ? { depth: 0, ...VERIFY_ERRORS.selfSigned } : { depth: chain.length - 1, ...VERIFY_ERRORS.selfSignedInChain };
        break;
      }
      const intermediate = issuerFrom(untrusted.filter((candidate) => !chain.includes(candidate)));
      if (!intermediate) {
        error = chain.length === 1 ? { depth: 0, ...VERIFY_ERRORS.unableToGetIssuerLocally } : { depth: chain.length - 1, ...VERIFY_ERRORS.unableToGetIssuerLocally };
        break;
      }
      chain.push(intermediate);
    }
    if (!error) {
      // OpenSSL checks from the top of the chain down to the leaf.
      for (let depth = chain.length - 1; depth >= 0 && !error; depth--) {
        const cert = chain[depth];
        if (!cert) continue;
        const parent = chain[depth + 1] ?? (sameName(cert.parsed.rawSubject, cert.parsed.rawIssuer) ? cert : undefined);
        if (parent && depth < chain.length - 1) {
          const problem = checkSignatureFrom(cert.parsed, parent.parsed);
          if (problem?.includes("cannot sign")) error = { depth: depth + 1, ...VERIFY_ERRORS.invalidCa };
          else if (problem) error = { depth, ...VERIFY_ERRORS.signature };
        }
        if (!error && cert.parsed.notBefore.getTime() > now.getTime()) error = { depth, ...VERIFY_ERRORS.notYetValid };
        if (!error && cert.parsed.notAfter.getTime() < now.getTime()) error = { depth, ...VERIFY_ERRORS.expired };
      }
    }
    if (error) {
      const culprit = chain[error.depth] ?? leaf;
      io.stderr += `${formatOpensslName(culprit.parsed.rawSubject)}\nerror ${error.code} at ${error.depth} depth lookup: ${error.text}\nerror ${shown}: verification failed\n`;
      failed = true;
      continue;
    }
    io.stdout += `${shown}: OK\n`;
    if (options.has("show_chain")) {
      io.stdout += "Chain:\n";
      chain.forEach((cert, depth) => {
        io.stdout += `depth=${depth}: ${formatOpensslName(cert.parsed.rawSubject)}${depth === 0 ? "" : ""}\n`;
      });
    }
  }
  if (failed) throw new OpensslError("", 2);
}

// ---------------------------------------------------------------- rand / version

async function rand(context: CommandContext, args: string[], io: Io): Promise<void> {
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

const SUBCOMMANDS = ["genrsa", "genpkey", "ecparam", "pkey", "rsa", "req", "x509", "verify", "rand", "version", "help"];

export const openssl: CommandHandler = async (context): Promise<CommandResult> => {
  const [sub, ...args] = context.args;
  const io: Io = { stdout: "", stderr: "" };
  if (sub === undefined) return { stdout: "", stderr: "", exitCode: 0 };
  try {
    switch (sub) {
      case "genrsa":
        await genrsa(context, args, io);
        break;
      case "genpkey":
        await genpkey(context, args, io);
        break;
      case "ecparam":
        await ecparam(context, args, io);
        break;
      case "pkey":
      case "rsa":
        await pkey(sub, context, args, io);
        break;
      case "req":
        await req(context, args, io);
        break;
      case "x509":
        await x509Command(context, args, io);
        break;
      case "verify":
        await verify(context, args, io);
        break;
      case "rand":
        await rand(context, args, io);
        break;
      case "version":
        io.stdout += args.includes("-a") ? "OpenSSL 3.0.13 30 Jan 2024 (Library: OpenSSL 3.0.13 30 Jan 2024)\nbuilt on: simulated\n" : "OpenSSL 3.0.13 30 Jan 2024 (Library: OpenSSL 3.0.13 30 Jan 2024)\n";
        break;
      case "help":
        io.stderr += `help:\n\nStandard commands (in this practice shell)\n${SUBCOMMANDS.join("  ")}\n`;
        break;
      default:
        return { stdout: "", stderr: `Invalid command '${sub}'; type "help" for a list.\n`, exitCode: 1 };
    }
  } catch (error) {
    if (error instanceof OpensslError) return { stdout: io.stdout, stderr: io.stderr + error.message, exitCode: error.exitCode };
    const message = error instanceof Error ? error.message : String(error);
    return { stdout: io.stdout, stderr: `${io.stderr}${sub}: ${message}\n`, exitCode: 1 };
  }
  return { stdout: io.stdout, stderr: io.stderr, exitCode: 0 };
};

