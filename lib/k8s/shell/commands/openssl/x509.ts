/** openssl x509: inspect a certificate (-text, -subject, -dates, -fingerprint, -checkend, …) or sign a CSR with a CA (-req). */
import { createHash, createPublicKey } from "node:crypto";
import * as x509 from "@peculiar/x509";
import { derToPem, formatOpensslName, parsePemBlocks } from "../../../pki";
import { buildCertificate } from "../../../pki/issue";
import type { CommandContext } from "../../types";
import { type Io, OpensslError, parseArgs, readInput, writeOutput, loadPrivateKey, loadCert, loadCsr, randomHexSerial } from "./common";
import { extensionsFromConfig } from "./extensions";
import { loadCertificate, renderCertificateText, EXTENSION_SHORT_NAMES, renderExtension } from "./render";

function fingerprint(der: Uint8Array, algorithm: "sha1" | "sha256" | "sha512" | "md5"): string {
  return createHash(algorithm).update(der).digest("hex").toUpperCase().match(/../g)?.join(":") ?? "";
}

function serialFileFor(caPath: string): string {
  const slash = caPath.lastIndexOf("/");
  const dot = caPath.lastIndexOf(".");
  return `${dot > slash ? caPath.slice(0, dot) : caPath}.srl`;
}

export async function x509Command(context: CommandContext, args: string[], io: Io): Promise<void> {
  const options = parseArgs(
    "x509",
    args,
    [
      "noout",
      "text",
      "subject",
      "issuer",
      "dates",
      "startdate",
      "enddate",
      "serial",
      "fingerprint",
      "sha1",
      "sha256",
      "sha512",
      "md5",
      "req",
      "CAcreateserial",
      "pubkey",
      "modulus",
      "hash",
      "subject_hash",
      "issuer_hash",
      "email",
      "purpose",
      "help",
      "nocert",
    ],
    [
      "in",
      "out",
      "CA",
      "CAkey",
      "CAserial",
      "days",
      "set_serial",
      "signkey",
      "key",
      "extfile",
      "extensions",
      "ext",
      "checkend",
      "nameopt",
      "inform",
      "outform",
      "certopt",
      "copy_extensions",
      "passin",
    ],
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
          io.stdout += jwk.n
            ? `Modulus=${Buffer.from(jwk.n, "base64url").toString("hex").toUpperCase()}\n`
            : "No modulus for this public key type\n";
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
  if (!valid)
    throw new OpensslError(
      "Certificate request self-signature did not match the contents\nx509: Error while signing certificate request\n",
    );
  io.stderr += "Certificate request self-signature ok\n";
  const subjectRaw = new Uint8Array(csr.subjectName.toArrayBuffer());
  io.stderr += `subject=${formatOpensslName(subjectRaw)}\n`;
  const days = Number(options.get("days") ?? "30");
  if (!Number.isFinite(days)) throw new OpensslError(`x509: Invalid number "${options.get("days") ?? ""}" for option -days\n`);
  const notBefore = context.now;
  const notAfter = new Date(context.now.getTime() + days * 86_400_000);
  const publicKeyPem = derToPem(new Uint8Array(csr.publicKey.rawData), "PUBLIC KEY");
  const extfile = options.get("extfile");
  const extensions =
    extfile === undefined ? [] : extensionsFromConfig(readInput(context, extfile, "config"), options.get("extensions"), "x509");
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
