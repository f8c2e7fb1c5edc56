/**
 * The few Go formatting rules whose output reaches learners byte for byte: `%q`, `%v` of string
 * slices, encoding/json string escaping, and utilerrors.NewAggregate's message.
 */

const SIMPLE_ESCAPES: Record<string, string> = {
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

/** strconv.IsPrint: letters, marks, numbers, punctuation, symbols and the ASCII space. */
const GO_PRINTABLE = /^[\p{L}\p{M}\p{N}\p{P}\p{S} ]$/u;

function hex(codePoint: number, width: number): string {
  return codePoint.toString(16).padStart(width, "0");
}

/** fmt's %q for a string (strconv.Quote). Lone surrogates stand in for invalid UTF-8 and become U+FFFD. */
/** Printable ASCII other than `"` and `\`: quoted as is (the common case, checked without a per-character loop). */
const PLAIN_ASCII = /^[\x20\x21\x23-\x5b\x5d-\x7e]*$/;

export function goQuote(value: string): string {
  if (PLAIN_ASCII.test(value)) return `"${value}"`;
  let out = '"';
  for (const char of value) {
    const simple = SIMPLE_ESCAPES[char];
    if (simple !== undefined) {
      out += simple;
      continue;
    }
    const codePoint = char.codePointAt(0) ?? 0;
    if (codePoint >= 0xd800 && codePoint <= 0xdfff) {
      out += "\\ufffd";
    } else if (GO_PRINTABLE.test(char)) {
      out += char;
    } else if (codePoint < 0x80) {
      out += `\\x${hex(codePoint, 2)}`;
    } else if (codePoint < 0x10000) {
      out += `\\u${hex(codePoint, 4)}`;
    } else {
      out += `\\U${hex(codePoint, 8)}`;
    }
  }
  return `${out}"`;
}

/** fmt's %v of a []string: `[a b c]`. */
export function goStringSlice(values: readonly string[]): string {
  return `[${values.join(" ")}]`;
}

/** fmt's %q of a []string: `["a" "b"]`. */
export function goQuotedSlice(values: readonly string[]): string {
  return `[${values.map(goQuote).join(" ")}]`;
}

/**
 * encoding/json string encoding (HTML escaping on, as json.Encoder defaults): like JSON.stringify
 * but `<`, `>`, `&`, U+2028 and U+2029 become \u escapes and invalid UTF-8 becomes U+FFFD.
 */
export function goJsonString(value: string): string {
  const wellFormed = value.replace(/[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g, "\ufffd");
  return JSON.stringify(wellFormed).replace(/[<>&\u2028\u2029]/g, (char) => `\\u${hex(char.charCodeAt(0), 4)}`);
}

/** utilerrors.NewAggregate(errs).Error(): one message alone, several deduplicated inside `[a, b]`. */
export function aggregateErrorMessage(messages: readonly string[]): string {
  const unique = [...new Set(messages)];
  if (messages.length === 0) return "";
  if (messages.length === 1 || unique.length === 1) return unique[0] ?? "";
  return `[${unique.join(", ")}]`;
}
