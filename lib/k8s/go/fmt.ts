/** fmt's %v of the aggregate values Kubernetes messages print, and utilerrors' aggregate error text. */

/** fmt's %v of a []string: `[a b c]` (elements raw, so `[a b]` may also be one element "a b"). */
export function goStringSlice(values: readonly string[]): string {
  return `[${values.join(" ")}]`;
}

/** Go's string order: byte-wise over UTF-8, which differs from UTF-16 order above U+FFFF. */
export function compareGoStrings(a: string, b: string): number {
  return Buffer.compare(Buffer.from(a, "utf8"), Buffer.from(b, "utf8"));
}

/** fmt's %v of a map with string keys: `map[a:1 b:2]`, keys sorted as fmt sorts them. */
export function goMap<T>(entries: Readonly<Record<string, T>>, formatValue: (value: T) => string): string {
  const keys = Object.keys(entries).sort(compareGoStrings);
  return `map[${keys.map((key) => `${key}:${formatValue(entries[key] as T)}`).join(" ")}]`;
}

/** An error as Go composes them: a message, or a utilerrors.Aggregate of errors (which may nest). */
export type GoError = string | { aggregate: readonly GoError[] };

/**
 * k8s.io/apimachinery/pkg/util/errors aggregate.Error(): an empty aggregate prints nothing and a single
 * error prints itself; otherwise nested aggregates are flattened, duplicate messages dropped, and two or
 * more distinct messages bracketed as `[a, b]`.
 */
export function goErrorText(error: GoError): string {
  if (typeof error === "string") return error;
  const list = error.aggregate;
  if (list.length === 0) return "";
  if (list.length === 1 && list[0] !== undefined) return goErrorText(list[0]);
  const seen = new Set<string>();
  const visit = (node: GoError): void => {
    if (typeof node === "string") seen.add(node);
    else for (const child of node.aggregate) visit(child);
  };
  visit(error);
  const messages = [...seen];
  return messages.length === 1 ? (messages[0] ?? "") : `[${messages.join(", ")}]`;
}

/** utilerrors.NewAggregate(messages).Error() for a flat list of messages. */
export function goAggregateText(messages: readonly string[]): string {
  return goErrorText({ aggregate: messages });
}

/** The JSON type name Go's encoding/json reports in an UnmarshalTypeError ("number", "string", ...). */
export function goJsonTypeName(value: unknown): string {
  if (value === null) return "null";
  if (Array.isArray(value)) return "array";
  if (typeof value === "object") return "object";
  if (typeof value === "boolean") return "bool";
  return typeof value;
}
