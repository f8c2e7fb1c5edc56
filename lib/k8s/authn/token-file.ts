/**
 * Static token file (--token-auth-file), spec §5: k8s.io/apiserver/pkg/authentication/token/tokenfile.
 *
 * csv-parse is not installed and, more importantly, would not reproduce Go's encoding/csv errors
 * (`parse error on line 1, column 5: bare " in non-quoted-field`), so a small port of Go's reader
 * (Comma ',', FieldsPerRecord -1, LazyQuotes false, TrimLeadingSpace false) lives here.
 */
import type { AuthnContext, AuthnOutcome, TokenAuthenticator, UserInfo } from "../types";

export interface TokenFileEntry {
  token: string;
  user: UserInfo;
}

export type TokenFileParseResult = { ok: true; entries: TokenFileEntry[]; warnings: string[] } | { ok: false; error: string };

export const DEFAULT_TOKEN_FILE_PATH = "/etc/kubernetes/pki/tokens.csv";

/** NewCSV: every record needs 3+ columns; empty tokens are skipped, duplicates: last row wins. */
export function parseTokenFile(csvText: string, path: string = DEFAULT_TOKEN_FILE_PATH): TokenFileParseResult {
  const reader = new GoCsvReader(csvText);
  const byToken = new Map<string, UserInfo>();
  const warnings: string[] = [];
  let recordNum = 0;
  for (;;) {
    const read = reader.read();
    if (read.kind === "eof") break;
    if (read.kind === "error") return { ok: false, error: read.error };
    const record = read.record;
    if (record.length < 3) {
      return { ok: false, error: `token file '${path}' must have at least 3 columns (token, user name, user uid), found ${record.length}` };
    }
    recordNum++;
    const [token = "", name = "", uid = ""] = record;
    if (token === "") {
      warnings.push(`empty token has been found in token file '${path}', record number '${recordNum}'`);
      continue;
    }
    if (byToken.has(token)) {
      warnings.push(`duplicate token has been found in token file '${path}', record number '${recordNum}'`);
      // Go overwrites the map entry; delete first so iteration order follows the winning row.
      byToken.delete(token);
    }
    const groups = record.length >= 4 ? (record[3] ?? "").split(",") : [];
    byToken.set(token, { name, uid, groups, extra: {} });
  }
  return { ok: true, entries: [...byToken].map(([token, user]) => ({ token, user })), warnings };
}

export function createTokenFileAuthenticator(entries: TokenFileEntry[]): TokenAuthenticator {
  const byToken = new Map<string, UserInfo>();
  for (const entry of entries) byToken.set(entry.token, entry.user);
  return {
    name: "token-file",
    async authenticateToken(token: string, _context: AuthnContext): Promise<AuthnOutcome> {
      const user = byToken.get(token);
      if (!user) return { kind: "no-opinion", reason: "token not found in the static token file" };
      // Static tokens never expire: no validUntil.
      return { kind: "user", user: { name: user.name, uid: user.uid, groups: [...user.groups], extra: {} } };
    },
  };
}

type CsvRead = { kind: "record"; record: string[] } | { kind: "eof" } | { kind: "error"; error: string };

const NEWLINE = 0x0a;
const CARRIAGE_RETURN = 0x0d;
const QUOTE = 0x22;
const COMMA = 0x2c;

/** A line-by-line port of Go 1.23 encoding/csv Reader.readRecord, on UTF-8 bytes (columns are 1-based bytes). */
class GoCsvReader {
  private readonly input: Buffer;
  private offset = 0;
  private numLine = 0;
  private readonly decoder = new TextDecoder("utf-8");

  constructor(text: string) {
    this.input = Buffer.from(text, "utf8");
  }

  private readLine(): { line: Buffer; eof: boolean } {
    if (this.offset >= this.input.length) {
      this.numLine++;
      return { line: Buffer.alloc(0), eof: true };
    }
    const newline = this.input.indexOf(NEWLINE, this.offset);
    let line: Buffer;
    if (newline < 0) {
      line = this.input.subarray(this.offset);
      this.offset = this.input.length;
      // For backwards compatibility Go drops a trailing \r before EOF.
      if (line[line.length - 1] === CARRIAGE_RETURN) line = line.subarray(0, line.length - 1);
    } else {
      line = this.input.subarray(this.offset, newline + 1);
      this.offset = newline + 1;
    }
    this.numLine++;
    const n = line.length;
    if (n >= 2 && line[n - 2] === CARRIAGE_RETURN && line[n - 1] === NEWLINE) {
      line = Buffer.concat([line.subarray(0, n - 2), Buffer.from([NEWLINE])]);
    }
    return { line, eof: false };
  }

  read(): CsvRead {
    let line: Buffer = Buffer.alloc(0);
    let eof = false;
    for (;;) {
      const next = this.readLine();
      line = next.line;
      eof = next.eof;
      if (eof) return { kind: "eof" };
      if (line.length === lengthNL(line)) continue; // skip empty lines
      break;
    }
    const recordLine = this.numLine;
    const fields: string[] = [];
    let col = 1;
    let lineNo = this.numLine;
    const parseError = (errorLine: number, column: number, message: string): CsvRead => {
      const error =
        recordLine !== errorLine
          ? `record on line ${recordLine}; parse error on line ${errorLine}, column ${column}: ${message}`
          : `parse error on line ${errorLine}, column ${column}: ${message}`;
      return { kind: "error", error };
    };
    const bareQuote = 'bare " in non-quoted-field';
    const badQuote = 'extraneous or missing " in quoted-field';

    for (;;) {
      if (line.length === 0 || line[0] !== QUOTE) {
        const i = line.indexOf(COMMA);
        const field = i >= 0 ? line.subarray(0, i) : line.subarray(0, line.length - lengthNL(line));
        const j = field.indexOf(QUOTE);
        if (j >= 0) return parseError(this.numLine, col + j, bareQuote);
        fields.push(this.decoder.decode(field));
        if (i >= 0) {
          line = line.subarray(i + 1);
          col += i + 1;
          continue;
        }
        break;
      }
      // Quoted field.
      line = line.subarray(1);
      col += 1;
      const parts: Buffer[] = [];
      let fieldDone = false;
      let recordDone = false;
      let readEof = false;
      while (!fieldDone) {
        const i = line.indexOf(QUOTE);
        if (i >= 0) {
          parts.push(line.subarray(0, i));
          line = line.subarray(i + 1);
          col += i + 1;
          const next = line.length > 0 ? line[0] : -1;
          if (next === QUOTE) {
            parts.push(Buffer.from([QUOTE]));
            line = line.subarray(1);
            col += 1;
          } else if (next === COMMA) {
            line = line.subarray(1);
            col += 1;
            fieldDone = true;
          } else if (lengthNL(line) === line.length) {
            fieldDone = true;
            recordDone = true;
          } else {
            return parseError(this.numLine, col - 1, badQuote);
          }
        } else if (line.length > 0) {
          parts.push(line);
          if (readEof) {
            fieldDone = true;
            recordDone = true;
            break;
          }
          col += line.length;
          const next = this.readLine();
          line = next.line;
          if (line.length > 0) {
            lineNo++;
            col = 1;
          }
          // Go resets the EOF marker here and reports the missing quote on the next pass.
          readEof = false;
        } else {
          if (!readEof) return parseError(lineNo, col, badQuote);
          fieldDone = true;
          recordDone = true;
        }
      }
      fields.push(this.decoder.decode(Buffer.concat(parts)));
      if (recordDone) break;
    }
    return { kind: "record", record: fields };
  }
}

function lengthNL(line: Buffer): number {
  return line.length > 0 && line[line.length - 1] === NEWLINE ? 1 : 0;
}
