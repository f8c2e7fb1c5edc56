/** openssl verify: a certificate chain checked against -CAfile, with OpenSSL's error numbers and texts. */
import { formatOpensslName, parsePemBlocks } from "../../../pki";
import { checkSignatureFrom } from "../../../pki/go-verify";
import type { CommandContext } from "../../types";
import { type Io, OpensslError, parseArgs, readInput } from "./common";
import { loadCertificate, type LoadedCertificate } from "./render";

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

export async function verify(context: CommandContext, args: string[], io: Io): Promise<void> {
  const options = parseArgs(
    "verify",
    args,
    ["help", "verbose", "show_chain", "x509_strict", "no-CApath", "no-CAfile", "partial_chain"],
    ["CAfile", "untrusted", "attime", "purpose", "CApath"],
  );
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
        pool.find(
          (candidate) =>
            sameName(candidate.parsed.rawSubject, current.parsed.rawIssuer) &&
            checkSignatureFrom(current.parsed, candidate.parsed) === undefined,
        ) ?? pool.find((candidate) => sameName(candidate.parsed.rawSubject, current.parsed.rawIssuer));
      const root = issuerFrom(roots);
      if (root) {
        if (!Buffer.from(root.der).equals(Buffer.from(current.der))) chain.push(root);
        trusted = true;
        break;
      }
      const selfIssued = sameName(current.parsed.rawSubject, current.parsed.rawIssuer);
      if (selfIssued) {
        error =
          chain.length === 1 ? { depth: 0, ...VERIFY_ERRORS.selfSigned } : { depth: chain.length - 1, ...VERIFY_ERRORS.selfSignedInChain };
        break;
      }
      const intermediate = issuerFrom(untrusted.filter((candidate) => !chain.includes(candidate)));
      if (!intermediate) {
        error =
          chain.length === 1
            ? { depth: 0, ...VERIFY_ERRORS.unableToGetIssuerLocally }
            : { depth: chain.length - 1, ...VERIFY_ERRORS.unableToGetIssuerLocally };
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
