/**
 * Go formatting that kubectl's output depends on: text/tabwriter alignment, encoding/json's
 * MarshalIndent (HTML-escaped, 4-space indent), %v of a string slice, klog header lines, RFC1123Z.
 */

export interface TabwriterOptions {
  minwidth: number;
  padding: number;
}

/** printers.GetNewTabWriter: minwidth 6, tabwidth 4, padding 3, pad ' ' (kubectl get, whoami, can-i --list). */
export const GET_TABWRITER: TabwriterOptions = { minwidth: 6, padding: 3 };
/** describe's tabwriter.NewWriter(out, 0, 8, 2, ' ', 0). */
export const DESCRIBE_TABWRITER: TabwriterOptions = { minwidth: 0, padding: 2 };

function runeLength(text: string): number {
  return Array.from(text).length;
}

/**
 * A port of Go's text/tabwriter (flags 0, pad char ' '): cells are tab-terminated, the last cell of a
 * line is not part of a column, and a column block is a run of consecutive lines that have that column.
 */
export function tabwrite(text: string, options: TabwriterOptions): string {
  const endsWithNewline = text.endsWith("\n");
  const rawLines = (endsWithNewline ? text.slice(0, -1) : text).split("\n");
  const lines = rawLines.map((line) => line.split("\t"));
  const out: string[] = [];
  const widths: number[] = [];

  const writeLines = (line0: number, line1: number): void => {
    for (let index = line0; index < line1; index += 1) {
      const cells = lines[index] ?? [];
      let rendered = "";
      cells.forEach((cell, column) => {
        rendered += cell;
        const width = widths[column];
        if (column < cells.length - 1 && width !== undefined) rendered += " ".repeat(Math.max(0, width - runeLength(cell)));
      });
      out.push(rendered);
    }
  };

  const format = (start: number, end: number): void => {
    let line0 = start;
    const column = widths.length;
    for (let current = line0; current < end; current += 1) {
      const cells = lines[current] ?? [];
      if (column >= cells.length - 1) continue;
      writeLines(line0, current);
      line0 = current;
      let width = options.minwidth;
      for (; current < end; current += 1) {
        const blockCells = lines[current] ?? [];
        if (column >= blockCells.length - 1) break;
        const cellWidth = runeLength(blockCells[column] ?? "") + options.padding;
        if (cellWidth > width) width = cellWidth;
      }
      widths.push(width);
      format(line0, current);
      widths.pop();
      line0 = current;
      current -= 1;
    }
    writeLines(line0, end);
  };

  format(0, lines.length);
  return out.join("\n") + (endsWithNewline ? "\n" : "");
}

/** Go's %v of a []string: [a b c]. */
export function goList(values: readonly string[]): string {
  return `[${values.join(" ")}]`;
}

/** Go strconv.Quote for the printable ASCII subset kubectl messages carry. */
export function goQuote(text: string): string {
  return JSON.stringify(text);
}

function escapeJsonString(text: string): string {
  return JSON.stringify(text).replace(/</g, "\\u003c").replace(/>/g, "\\u003e").replace(/&/g, "\\u0026").replace(/\u2028/g, "\\u2028").replace(/\u2029/g, "\\u2029");
}

/**
 * encoding/json MarshalIndent(value, "", indent): HTML-safe escaping, `{}`/`[]` for empty containers.
 * sortKeys mimics marshaling a map (unstructured objects); otherwise insertion order (typed structs).
 */
export function goJson(value: unknown, options: { indent?: string; sortKeys?: boolean } = {}): string {
  const indent = options.indent ?? "";
  const render = (item: unknown, depth: number): string => {
    if (item === null || item === undefined) return "null";
    if (typeof item === "string") return escapeJsonString(item);
    if (typeof item === "number" || typeof item === "boolean") return JSON.stringify(item);
    const pad = indent === "" ? "" : `\n${indent.repeat(depth + 1)}`;
    const close = indent === "" ? "" : `\n${indent.repeat(depth)}`;
    const separator = indent === "" ? ":" : ": ";
    if (Array.isArray(item)) {
      if (item.length === 0) return "[]";
      return `[${item.map((element) => `${pad}${render(element, depth + 1)}`).join(",")}${close}]`;
    }
    if (typeof item === "object") {
      let entries = Object.entries(item).filter(([, element]) => element !== undefined);
      if (options.sortKeys === true) entries = entries.sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
      if (entries.length === 0) return "{}";
      return `{${entries.map(([key, element]) => `${pad}${escapeJsonString(key)}${separator}${render(element, depth + 1)}`).join(",")}${close}}`;
    }
    return "null";
  };
  return render(value, 0);
}

function two(value: number): string {
  return String(value).padStart(2, "0");
}

/** klog header: `E1129 09:29:32.796714   14696 memcache.go:265] ` (pid right-aligned in 7 columns). */
export function klogPrefix(severity: "E" | "W" | "I", now: Date, pid: number, location: string): string {
  const micros = String(now.getUTCMilliseconds() * 1000).padStart(6, "0");
  const time = `${two(now.getUTCHours())}:${two(now.getUTCMinutes())}:${two(now.getUTCSeconds())}.${micros}`;
  return `${severity}${two(now.getUTCMonth() + 1)}${two(now.getUTCDate())} ${time} ${String(pid).padStart(7, " ")} ${location}] `;
}

const DAYS = ["Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"];
const MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];

/** Go time.RFC1123Z in UTC: "Wed, 01 Jan 2025 00:00:00 +0000". */
export function rfc1123z(date: Date): string {
  return `${DAYS[date.getUTCDay()] ?? ""}, ${two(date.getUTCDate())} ${MONTHS[date.getUTCMonth()] ?? ""} ${date.getUTCFullYear()} ${two(date.getUTCHours())}:${two(
    date.getUTCMinutes(),
  )}:${two(date.getUTCSeconds())} +0000`;
}
