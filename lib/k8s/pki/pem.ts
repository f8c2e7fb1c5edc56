/**
 * PEM <-> DER. Parsing is forgiving the way Go's encoding/pem is: text around and between
 * blocks is skipped, a block with broken base64 is skipped, and nothing throws.
 */

export interface PemBlock {
  /** e.g. "CERTIFICATE", "CERTIFICATE REQUEST", "PRIVATE KEY". */
  type: string;
  der: Uint8Array;
}

const BLOCK = /-----BEGIN ([A-Z0-9 ]+)-----([\s\S]*?)-----END \1-----/g;

export function parsePemBlocks(text: string): PemBlock[] {
  const blocks: PemBlock[] = [];
  if (typeof text !== "string") return blocks;
  for (const match of text.matchAll(BLOCK)) {
    const type = match[1] ?? "";
    const body = (match[2] ?? "")
      .split(/\r?\n/)
      // RFC 1421 headers ("Proc-Type: 4,ENCRYPTED") are not base64.
      .filter((line) => !line.includes(":"))
      .join("")
      .replace(/\s+/g, "");
    if (!/^[A-Za-z0-9+/]*={0,2}$/.test(body) || body.length % 4 !== 0 || body.length === 0) continue;
    blocks.push({ type, der: new Uint8Array(Buffer.from(body, "base64")) });
  }
  return blocks;
}

/** DER of the first block of `type` (any type when omitted), or undefined. */
export function pemToDer(pem: string, type?: string): Uint8Array | undefined {
  return parsePemBlocks(pem).find((block) => type === undefined || block.type === type)?.der;
}

export function derToPem(der: Uint8Array, type: string): string {
  const base64 = Buffer.from(der).toString("base64");
  const lines = base64.match(/.{1,64}/g) ?? [];
  return `-----BEGIN ${type}-----\n${lines.join("\n")}\n-----END ${type}-----\n`;
}

/** Every CERTIFICATE block of a bundle, as DER. */
export function certificatesFromPem(bundle: string): Uint8Array[] {
  return parsePemBlocks(bundle)
    .filter((block) => block.type === "CERTIFICATE")
    .map((block) => block.der);
}
