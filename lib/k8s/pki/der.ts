/**
 * A minimal, strict DER reader: just enough ASN.1 to take certificates apart on the hot path
 * of client-certificate authentication without a full ASN.1 library. Throws DerError on any
 * malformed input; callers turn that into an error value.
 */

export class DerError extends Error {}

export interface DerNode {
  /** Full identifier octet (class + constructed bit + tag number < 31). */
  tag: number;
  /** Offset of the identifier octet. */
  start: number;
  /** Offset of the first content byte. */
  contentStart: number;
  /** Offset one past the last content byte. */
  end: number;
}

export const TAG = {
  BOOLEAN: 0x01,
  INTEGER: 0x02,
  BIT_STRING: 0x03,
  OCTET_STRING: 0x04,
  NULL: 0x05,
  OID: 0x06,
  UTF8_STRING: 0x0c,
  PRINTABLE_STRING: 0x13,
  T61_STRING: 0x14,
  IA5_STRING: 0x16,
  UTC_TIME: 0x17,
  GENERALIZED_TIME: 0x18,
  UNIVERSAL_STRING: 0x1c,
  BMP_STRING: 0x1e,
  SEQUENCE: 0x30,
  SET: 0x31,
} as const;

export function readNode(buf: Uint8Array, offset: number, limit: number = buf.length): DerNode {
  if (offset + 2 > limit) throw new DerError("truncated");
  const tag = buf[offset] ?? 0;
  if ((tag & 0x1f) === 0x1f) throw new DerError("high tag numbers unsupported");
  let lengthByte = buf[offset + 1] ?? 0;
  let cursor = offset + 2;
  let length: number;
  if (lengthByte < 0x80) {
    length = lengthByte;
  } else {
    lengthByte &= 0x7f;
    if (lengthByte === 0 || lengthByte > 4) throw new DerError("unsupported length");
    if (cursor + lengthByte > limit) throw new DerError("truncated length");
    length = 0;
    for (let i = 0; i < lengthByte; i++) length = length * 256 + (buf[cursor + i] ?? 0);
    cursor += lengthByte;
  }
  const end = cursor + length;
  if (end > limit) throw new DerError("truncated content");
  return { tag, start: offset, contentStart: cursor, end };
}

/** Children of a constructed node. */
export function children(buf: Uint8Array, node: DerNode): DerNode[] {
  const out: DerNode[] = [];
  let cursor = node.contentStart;
  while (cursor < node.end) {
    const child = readNode(buf, cursor, node.end);
    out.push(child);
    cursor = child.end;
  }
  return out;
}

export function expectTag(node: DerNode | undefined, tag: number): DerNode {
  if (!node || node.tag !== tag) throw new DerError(`expected tag 0x${tag.toString(16)}`);
  return node;
}

export function content(buf: Uint8Array, node: DerNode): Uint8Array {
  return buf.subarray(node.contentStart, node.end);
}

export function whole(buf: Uint8Array, node: DerNode): Uint8Array {
  return buf.subarray(node.start, node.end);
}

export function decodeOid(bytes: Uint8Array): string {
  if (bytes.length === 0) throw new DerError("empty OID");
  const parts: number[] = [];
  let value = 0;
  for (let i = 0; i < bytes.length; i++) {
    const b = bytes[i] ?? 0;
    value = value * 128 + (b & 0x7f);
    if ((b & 0x80) === 0) {
      if (parts.length === 0) {
        const first = value < 80 ? Math.floor(value / 40) : 2;
        parts.push(first, value - first * 40);
      } else {
        parts.push(value);
      }
      value = 0;
    } else if (i === bytes.length - 1) {
      throw new DerError("truncated OID");
    }
  }
  return parts.join(".");
}

/** Two's-complement big-endian INTEGER. */
export function decodeBigInt(bytes: Uint8Array): bigint {
  if (bytes.length === 0) throw new DerError("empty integer");
  let value = 0n;
  for (const b of bytes) value = (value << 8n) | BigInt(b);
  if (((bytes[0] ?? 0) & 0x80) !== 0) value -= 1n << BigInt(bytes.length * 8);
  return value;
}

export function decodeSmallInt(bytes: Uint8Array): number {
  const value = decodeBigInt(bytes);
  if (value > 1_000_000n || value < -1_000_000n) throw new DerError("integer too large");
  return Number(value);
}

export function decodeTime(buf: Uint8Array, node: DerNode): Date {
  // Hand-rolled digit parsing: this runs twice per certificate on the authentication hot path.
  const start = node.contentStart;
  const length = node.end - start;
  const digit = (offset: number): number => {
    const code = (buf[start + offset] ?? 0) - 0x30;
    if (code < 0 || code > 9) throw new DerError("bad time digit");
    return code;
  };
  const two = (offset: number): number => digit(offset) * 10 + digit(offset + 1);
  let year: number;
  let cursor: number;
  if (node.tag === TAG.UTC_TIME) {
    if (length !== 13) throw new DerError("bad UTCTime");
    const yy = two(0);
    year = yy < 50 ? 2000 + yy : 1900 + yy;
    cursor = 2;
  } else if (node.tag === TAG.GENERALIZED_TIME) {
    if (length !== 15) throw new DerError("bad GeneralizedTime");
    year = two(0) * 100 + two(2);
    cursor = 4;
  } else {
    throw new DerError("expected a time");
  }
  if (buf[node.end - 1] !== 0x5a) throw new DerError("time must end in Z");
  const month = two(cursor);
  const day = two(cursor + 2);
  const hour = two(cursor + 4);
  const minute = two(cursor + 6);
  const second = two(cursor + 8);
  if (month < 1 || month > 12 || day < 1 || day > 31 || hour > 23 || minute > 59 || second > 59) throw new DerError("bad time");
  const date = new Date(0);
  date.setUTCFullYear(year, month - 1, day);
  date.setUTCHours(hour, minute, second, 0);
  return date;
}

/** Decodes the directory-string types Go accepts in names. */
const utf8 = new TextDecoder("utf-8", { fatal: true });

export function decodeString(buf: Uint8Array, node: DerNode): string {
  const bytes = content(buf, node);
  switch (node.tag) {
    case TAG.UTF8_STRING:
      return utf8.decode(bytes);
    case TAG.PRINTABLE_STRING:
    case TAG.IA5_STRING:
    case TAG.T61_STRING:
      return Buffer.from(bytes).toString("latin1");
    case TAG.BMP_STRING: {
      if (bytes.length % 2 !== 0) throw new DerError("bad BMPString");
      let out = "";
      for (let i = 0; i < bytes.length; i += 2) out += String.fromCharCode(((bytes[i] ?? 0) << 8) | (bytes[i + 1] ?? 0));
      return out;
    }
    default:
      throw new DerError("unsupported string type");
  }
}
