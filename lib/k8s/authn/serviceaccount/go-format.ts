/**
 * Go formatting helpers. The apiserver builds its log texts with fmt verbs (%q, %v) and
 * k8s.io/apimachinery aggregates; learners compare our texts with real logs, so these mimic Go.
 */

/** strconv.Quote: like JSON, but Go escapes control characters as \x.. and keeps printable Unicode. */
export function goQuote(value: string): string {
  let out = '"';
  for (const char of value) {
    const code = char.codePointAt(0) ?? 0;
    if (char === '"') out += '\\"';
    else if (char === "\\") out += "\\\\";
    else if (char === "\n") out += "\\n";
    else if (char === "\r") out += "\\r";
    else if (char === "\t") out += "\\t";
    else if (code === 7) out += "\\a";
    else if (code === 8) out += "\\b";
    else if (code === 12) out += "\\f";
    else if (code === 11) out += "\\v";
    else if (code < 0x20 || code === 0x7f) out += `\\x${code.toString(16).padStart(2, "0")}`;
    else out += char;
  }
  return `${out}"`;
}

/** fmt %q applied to a []string: `["a" "b"]`. */
export function goQuoteList(values: readonly string[]): string {
  return `[${values.map(goQuote).join(" ")}]`;
}

const pad = (value: number, width = 2): string => String(value).padStart(width, "0");

/**
 * fmt %v of a time.Time in UTC: `2006-01-02 15:04:05.999999999 +0000 UTC`.
 * The kube-apiserver runs with TZ=UTC in the usual images, hence the fixed zone.
 */
export function goTime(date: Date): string {
  const ms = date.getTime();
  if (!Number.isFinite(ms)) return "0001-01-01 00:00:00 +0000 UTC";
  const base =
    `${pad(date.getUTCFullYear(), 4)}-${pad(date.getUTCMonth() + 1)}-${pad(date.getUTCDate())} ` +
    `${pad(date.getUTCHours())}:${pad(date.getUTCMinutes())}:${pad(date.getUTCSeconds())}`;
  const millis = date.getUTCMilliseconds();
  const fraction = millis === 0 ? "" : `.${pad(millis, 3).replace(/0+$/, "")}`;
  return `${base}${fraction} +0000 UTC`;
}

/** Go's zero time.Time, printed when a token carries no `exp`. */
export const GO_ZERO_TIME = "0001-01-01 00:00:00 +0000 UTC";

/** Seconds since the epoch as Go's time.Unix(sec, 0) printed with %v. */
export function goUnixTime(seconds: number): string {
  return goTime(new Date(Math.trunc(seconds) * 1000));
}

/** utilerrors.NewAggregate(errs).Error(): one message bare, several deduplicated inside brackets. */
export function aggregateMessages(messages: readonly string[]): string {
  if (messages.length === 1) return messages[0] ?? "";
  const unique = [...new Set(messages)];
  if (unique.length === 1) return unique[0] ?? "";
  return `[${unique.join(", ")}]`;
}

/** The JSON type name Go's encoding/json reports in UnmarshalTypeError ("number", "string", ...). */
export function goJsonTypeName(value: unknown): string {
  if (value === null) return "null";
  if (Array.isArray(value)) return "array";
  if (typeof value === "object") return "object";
  if (typeof value === "boolean") return "bool";
  return typeof value;
}
