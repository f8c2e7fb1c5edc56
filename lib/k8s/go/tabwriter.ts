/** Go's text/tabwriter, which kubectl's tables and describe output go through. */

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
