/** X.509 v3 extensions as people write them by hand: -addext values and the sections of an -extfile. */
import * as x509 from "@peculiar/x509";
import { OpensslError } from "./common";

export function parseAddext(values: string[], sub: string): x509.Extension[] {
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
  const items = value
    .split(",")
    .map((item) => item.trim())
    .filter(Boolean);
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
export function extensionsFromConfig(text: string, section: string | undefined, sub: string): x509.Extension[] {
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
