/** The pieces every openssl subcommand shares: its option parser, errors, file input and output, and loading keys, certificates and requests. */
import { createPrivateKey, type KeyObject } from "node:crypto";
import * as x509 from "@peculiar/x509";
import { parsePemBlocks } from "../../../pki";
import type { CommandContext } from "../../types";
import { loadCertificate, type LoadedCertificate } from "./render";

export interface Io {
  stdout: string;
  stderr: string;
}

export class OpensslError extends Error {
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
export function parseArgs(
  sub: string,
  args: string[],
  flags: string[],
  valued: string[],
): {
  order: { name: string; value?: string }[];
  operands: string[];
  has(name: string): boolean;
  get(name: string): string | undefined;
  all(name: string): string[];
} {
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

export function readInput(context: CommandContext, path: string | undefined, what: string): string {
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

export function writeOutput(context: CommandContext, io: Io, path: string | undefined, content: string, mode?: number): void {
  if (path === undefined || path === "-") {
    io.stdout += content;
    return;
  }
  const written = context.fs.writeFile(path, content, mode === undefined ? {} : { mode });
  if (!written.ok) throw new OpensslError(`Could not open file or uri for writing ${path}: ${written.error}\n`);
}

export function loadPrivateKey(context: CommandContext, path: string | undefined, sub: string): { key: KeyObject; pem: string } {
  const text = readInput(context, path, "private key");
  const block = parsePemBlocks(text).find((candidate) => /PRIVATE KEY$/.test(candidate.type));
  try {
    if (!block) throw new Error("no key");
    const key = createPrivateKey({ key: text, format: "pem" });
    return { key, pem: key.export({ format: "pem", type: "pkcs8" }).toString() };
  } catch {
    throw new OpensslError(
      `${sub === "x509" ? "" : ""}Could not read private key from ${path ?? "<stdin>"}\n${sub}: Error loading private key\n`.replace(
        /^/,
        "",
      ),
    );
  }
}

export function loadCert(context: CommandContext, path: string | undefined, what = "certificate"): LoadedCertificate {
  const text = readInput(context, path, what);
  const block = parsePemBlocks(text).find((candidate) => candidate.type === "CERTIFICATE" || candidate.type === "TRUSTED CERTIFICATE");
  const loaded = block ? loadCertificate(block.der) : undefined;
  if (!loaded) throw new OpensslError(`Could not read ${what} from ${path ?? "<stdin>"}\nUnable to load ${what}\n`);
  return loaded;
}

export function loadCsr(context: CommandContext, path: string | undefined): x509.Pkcs10CertificateRequest {
  const text = readInput(context, path, "certificate request");
  const block = parsePemBlocks(text).find(
    (candidate) => candidate.type === "CERTIFICATE REQUEST" || candidate.type === "NEW CERTIFICATE REQUEST",
  );
  try {
    if (!block) throw new Error("no csr");
    return new x509.Pkcs10CertificateRequest(Uint8Array.from(block.der));
  } catch {
    throw new OpensslError(`Could not read certificate request from ${path ?? "<stdin>"}\nUnable to load certificate request\n`);
  }
}

/** `-subj "/CN=jane/O=dev-team"` into RDNs in order; `\/` escapes a slash. */
export function parseSubject(subject: string, sub: string): x509.JsonName {
  if (!subject.startsWith("/"))
    throw new OpensslError(
      `${sub}: name is expected to be in the format /type0=value0/type1=value1/type2=... where characters may be escaped by \\. This name is not in that format: '${subject}'\n${sub}: Error making certificate request\n`,
    );
  const allowed = new Set(["CN", "O", "OU", "C", "ST", "L", "emailAddress", "DC", "UID", "serialNumber"]);
  const name: x509.JsonName = [];
  const parts = subject
    .slice(1)
    .split(/(?<!\\)\//)
    .filter((part) => part !== "");
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

export function randomHexSerial(context: CommandContext): string {
  const bytes = Uint8Array.from(context.random(20));
  bytes[0] = (bytes[0] ?? 0) & 0x7f;
  if (bytes[0] === 0) bytes[0] = 0x36;
  return Buffer.from(bytes).toString("hex").toUpperCase();
}
