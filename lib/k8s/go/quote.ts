/**
 * Go's ways of quoting a string. They differ, and each Kubernetes message uses one of them:
 *   goQuote       strconv.Quote, fmt's %q            "a\x00b\u00a0😀"
 *   goTimeQuote   the time package's own quote       "a\x00b\xc2\xa0\xf0\x9f\x98\x80" (time.ParseDuration errors)
 *   goJsonString  encoding/json (HTML-safe)          "a\u0000b 😀", with <, >, & as \u003c \u003e \u0026
 * (%v and %s of a string print it raw.)
 *
 * A JavaScript string may hold a lone surrogate where Go would hold invalid UTF-8. The engine's strings
 * reach Go as the JSON decoder or Buffer.from would hand them over, and both turn a lone surrogate into
 * U+FFFD, so that is what every function here sees in its place.
 */

/** strconv.IsPrint (= unicode.IsPrint): letters, marks, numbers, punctuation, symbols and the ASCII space. */
const GO_PRINTABLE = /^[\p{L}\p{M}\p{N}\p{P}\p{S} ]$/u;
/** Printable ASCII other than `"` and `\`: quoted as is by every function here. */
const PLAIN_ASCII = /^[\x20\x21\x23-\x5b\x5d-\x7e]*$/;
const LONE_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g;

const SHORT_ESCAPES: Readonly<Record<string, string>> = {
  "\u0007": "\\a",
  "\b": "\\b",
  "\f": "\\f",
  "\n": "\\n",
  "\r": "\\r",
  "\t": "\\t",
  "\u000b": "\\v",
  '"': '\\"',
  "\\": "\\\\",
};

function hex(value: number, width: number): string {
  return value.toString(16).padStart(width, "0");
}

/** A lone surrogate stands for the U+FFFD Go would hold in its place (see the module comment). */
function wellFormed(value: string): string {
  return value.replace(LONE_SURROGATE, "\ufffd");
}

/** unicode.IsPrint for one code point. */
export function isGoPrintable(char: string): boolean {
  return GO_PRINTABLE.test(char);
}

/** strconv.Quote, which fmt's %q uses for strings: non-printable runes become \a…\v, \xNN, \uNNNN or \UNNNNNNNN. */
export function goQuote(value: string): string {
  if (PLAIN_ASCII.test(value)) return `"${value}"`;
  let out = '"';
  for (const char of wellFormed(value)) {
    const short = SHORT_ESCAPES[char];
    if (short !== undefined) {
      out += short;
      continue;
    }
    const codePoint = char.codePointAt(0) ?? 0;
    if (isGoPrintable(char)) out += char;
    else if (codePoint < 0x20 || codePoint === 0x7f) out += `\\x${hex(codePoint, 2)}`;
    else if (codePoint < 0x10000) out += `\\u${hex(codePoint, 4)}`;
    else out += `\\U${hex(codePoint, 8)}`;
  }
  return `${out}"`;
}

/** fmt's %q of a []string: `["a" "b"]`. */
export function goQuoteSlice(values: readonly string[]): string {
  return `[${values.map(goQuote).join(" ")}]`;
}

/**
 * The time package's private quote (time.ParseDuration's `time: invalid duration "…"`): `"` and `\`
 * escaped, every byte of a control or non-ASCII character written as \xNN.
 */
export function goTimeQuote(value: string): string {
  if (PLAIN_ASCII.test(value)) return `"${value}"`;
  let out = '"';
  for (const char of wellFormed(value)) {
    const codePoint = char.codePointAt(0) ?? 0;
    if (codePoint >= 0x80 || codePoint < 0x20) {
      for (const byte of Buffer.from(char, "utf8")) out += `\\x${hex(byte, 2)}`;
    } else {
      out += char === '"' || char === "\\" ? `\\${char}` : char;
    }
  }
  return `${out}"`;
}

const JSON_HTML_ESCAPES = /[<>&\u2028\u2029]/g;

/**
 * encoding/json's string encoding with HTML escaping on (json.Marshal, MarshalIndent and Encoder's
 * default): JSON.stringify's escapes (\b \f \n \r \t \" \\ and \u00NN, DEL kept as is) plus
 * `<`, `>`, `&`, U+2028 and U+2029 as \u escapes.
 */
export function goJsonString(value: string): string {
  return JSON.stringify(wellFormed(value)).replace(JSON_HTML_ESCAPES, (char) => `\\u${hex(char.charCodeAt(0), 4)}`);
}
