/**
 * The two markdown features lessons need beyond CommonMark, as small unified plugins (the
 * project has no remark-gfm or rehype-slug): pipe tables, and heading ids built with
 * lib/content's own anchor rules so `#anchor` links the checker validated really land.
 */
import type { Paragraph, PhrasingContent, Root as MdastRoot, RootContent, Table, TableCell, TableRow } from "mdast";
import type { Element, ElementContent, Root as HastRoot, RootContent as HastContent } from "hast";
import { headingAnchor } from "@/lib/content/mdx";

type AlignType = "left" | "right" | "center" | null;
const DELIMITER_CELL = /^\s*(:?)-+(:?)\s*$/;

function cellText(cell: PhrasingContent[]): string {
  return cell.map((node) => ("value" in node ? node.value : "")).join("");
}

/** Splits a paragraph's inline nodes into rows (newlines) and cells (pipes outside code spans). */
function splitIntoCells(children: PhrasingContent[]): PhrasingContent[][][] {
  const rows: PhrasingContent[][][] = [[[]]];
  const currentRow = () => rows[rows.length - 1] ?? [];
  const currentCell = () => currentRow()[currentRow().length - 1] ?? [];
  for (const child of children) {
    if (child.type === "break") {
      rows.push([[]]);
      continue;
    }
    if (child.type !== "text") {
      currentCell().push(child);
      continue;
    }
    for (const part of child.value.split(/(\n|\|)/)) {
      if (part === "\n") rows.push([[]]);
      else if (part === "|") currentRow().push([]);
      else if (part !== "") currentCell().push({ type: "text", value: part });
    }
  }
  return rows.map((row) => {
    const cells = row.map(trimCell);
    if (cells.length > 1 && cells[0]?.length === 0) cells.shift();
    if (cells.length > 1 && cells[cells.length - 1]?.length === 0) cells.pop();
    return cells;
  });
}

function trimCell(cell: PhrasingContent[]): PhrasingContent[] {
  const nodes = cell.map((node) => ({ ...node }));
  const first = nodes[0];
  if (first?.type === "text") first.value = first.value.trimStart();
  const last = nodes[nodes.length - 1];
  if (last?.type === "text") last.value = last.value.trimEnd();
  return nodes.filter((node) => node.type !== "text" || node.value !== "");
}

/** A paragraph that is a pipe table (header row, delimiter row, body rows), or undefined. */
export function paragraphToTable(paragraph: Paragraph): Table | undefined {
  const first = paragraph.children[0];
  if (first?.type !== "text" || !first.value.trimStart().startsWith("|")) return undefined;
  const rows = splitIntoCells(paragraph.children);
  const [header, delimiter, ...body] = rows;
  if (!header || !delimiter || delimiter.length !== header.length) return undefined;
  const delimiterTexts = delimiter.map(cellText);
  if (!delimiterTexts.every((text) => DELIMITER_CELL.test(text))) return undefined;
  const align: AlignType[] = delimiterTexts.map((text) => {
    const match = DELIMITER_CELL.exec(text);
    if (match?.[1] && match[2]) return "center";
    if (match?.[2]) return "right";
    return match?.[1] ? "left" : null;
  });
  const toRow = (cells: PhrasingContent[][]): TableRow => ({
    type: "tableRow",
    children: header.map((_, index): TableCell => ({ type: "tableCell", children: cells[index] ?? [] })),
  });
  return { type: "table", align, children: [toRow(header), ...body.map(toRow)] };
}

function replaceTables(children: RootContent[]): void {
  children.forEach((child, index) => {
    if (child.type === "paragraph") {
      const table = paragraphToTable(child);
      if (table) children[index] = table;
    } else if ("children" in child && Array.isArray(child.children)) {
      replaceTables(child.children as RootContent[]);
    }
  });
}

/** remark plugin: GitHub-style pipe tables. */
export function remarkPipeTables() {
  return (tree: MdastRoot) => replaceTables(tree.children);
}

function textOf(node: ElementContent | HastContent): string {
  if (node.type === "text") return node.value;
  if (node.type === "element") return node.children.map(textOf).join("");
  return "";
}

function assignIds(children: (ElementContent | HastContent)[], counts: Map<string, number>): void {
  for (const child of children) {
    if (child.type !== "element") {
      // MDX components (<Callout>) are not elements but hold markdown children with headings.
      if ("children" in child && Array.isArray(child.children)) assignIds(child.children as ElementContent[], counts);
      continue;
    }
    const element: Element = child;
    if (/^h[1-6]$/.test(element.tagName)) {
      const base = headingAnchor(textOf(element));
      const count = counts.get(base) ?? 0;
      counts.set(base, count + 1);
      element.properties = { ...element.properties, id: count === 0 ? base : `${base}-${count}` };
    } else {
      assignIds(element.children, counts);
    }
  }
}

/** rehype plugin: heading ids with the same slugs (and -1, -2 suffixes) as lib/content's checker. */
export function rehypeHeadingIds() {
  return (tree: HastRoot) => assignIds(tree.children, new Map());
}
