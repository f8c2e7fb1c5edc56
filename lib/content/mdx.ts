/**
 * A small, dependency-free reader of lesson MDX. It does not render anything: it finds what
 * the checker and the loader need (components and their props, headings and their anchors,
 * internal links, JavaScript that the renderer would refuse) with line numbers.
 *
 * Code is masked first (fenced blocks and inline spans keep their length but lose their
 * characters), so `<ns>` or `{.status}` inside code never counts as JSX or an expression.
 */

export interface ComponentUse {
  name: string;
  /** String props in source order. Non-string props are reported in `problems` instead. */
  props: Record<string, string>;
  selfClosing: boolean;
  line: number;
}

export interface Heading {
  depth: number;
  text: string;
  anchor: string;
  line: number;
}

export interface LinkUse {
  href: string;
  line: number;
}

export type MdxProblemCode = "js-expression" | "esm-statement" | "invalid-component-props" | "html-comment";

export interface MdxProblem {
  code: MdxProblemCode;
  line: number;
  message: string;
}

export interface MdxScan {
  components: ComponentUse[];
  headings: Heading[];
  links: LinkUse[];
  problems: MdxProblem[];
}

const FENCE = /^ {0,3}(`{3,}|~{3,})/;

/** Replaces every character of code (fenced blocks and inline spans) by a space, keeping newlines. */
export function maskCode(source: string): string {
  const lines = source.split("\n");
  let fence: string | null = null;
  const masked = lines.map((line) => {
    const match = FENCE.exec(line);
    if (fence !== null) {
      if (match?.[1] !== undefined && match[1][0] === fence[0] && match[1].length >= fence.length && line.trim() === match[1]) {
        fence = null;
      }
      return " ".repeat(line.length);
    }
    if (match?.[1] !== undefined) {
      fence = match[1];
      return " ".repeat(line.length);
    }
    return line;
  });
  // Inline code spans: a run of N backticks up to the next run of exactly N backticks.
  return masked.join("\n").replace(/(`+)([\s\S]*?[^`])\1(?!`)/g, (span) => span.replace(/[^\n]/g, " "));
}

function lineAt(text: string, offset: number): number {
  let line = 1;
  for (let i = 0; i < offset && i < text.length; i += 1) if (text.charCodeAt(i) === 10) line += 1;
  return line;
}

/**
 * GitHub-style heading anchors (the algorithm of github-slugger, used by rehype-slug):
 * lowercase, drop punctuation, spaces become hyphens; repeated anchors get -1, -2 ...
 * Pages must generate heading ids with the same rules for `#anchor` links to work.
 */
export function headingAnchor(text: string): string {
  return plainHeadingText(text)
    .toLowerCase()
    .replace(/[^\p{L}\p{M}\p{N}\p{Pc} -]/gu, "")
    .replace(/ /g, "-");
}

/** The visible text of a heading's markdown: links keep their text, emphasis and code marks go. */
export function plainHeadingText(markdownText: string): string {
  return markdownText
    .replace(/!?\[([^\]]*)\]\([^)]*\)/g, "$1")
    .replace(/[`*_~]/g, "")
    .trim();
}

const ATTRIBUTE = /([A-Za-z_][\w-]*)(?:\s*=\s*("([^"]*)"|'([^']*)'|\{))?/g;

function parseProps(
  attributes: string,
  name: string,
  line: number,
  problems: MdxProblem[],
): Record<string, string> {
  const props: Record<string, string> = {};
  // An expression value is reported by the `{` scan; drop its inside so it is not read as props.
  for (const match of attributes.replace(/\{[^}]*\}?/g, "{").matchAll(ATTRIBUTE)) {
    const prop = match[1] ?? "";
    const value = match[3] ?? match[4];
    if (match[2] === "{") continue; // reported as an expression by the `{` scan
    if (value === undefined) {
      problems.push({
        code: "invalid-component-props",
        line,
        message: `<${name}> prop "${prop}" has no string value (only prop="text" is allowed)`,
      });
      continue;
    }
    props[prop] = value;
  }
  return props;
}

export function scanMdx(source: string): MdxScan {
  const text = maskCode(source);
  const components: ComponentUse[] = [];
  const headings: Heading[] = [];
  const links: LinkUse[] = [];
  const problems: MdxProblem[] = [];

  const anchorCounts = new Map<string, number>();
  const sourceLines = source.split("\n");
  text.split("\n").forEach((lineText, index) => {
    const line = index + 1;
    if (/^(import|export)\s/.test(lineText)) {
      problems.push({ code: "esm-statement", line, message: "import/export statements are not allowed in lessons" });
    }
    // Masked text says whether this is a heading; the source line keeps its inline code.
    const heading = /^ {0,3}#{1,6}\s/.test(lineText)
      ? /^ {0,3}(#{1,6})\s+(.*?)(?:\s+#+)?\s*$/.exec(sourceLines[index] ?? "")
      : null;
    if (heading?.[1] !== undefined && heading[2] !== undefined) {
      const base = headingAnchor(heading[2]);
      const count = anchorCounts.get(base) ?? 0;
      anchorCounts.set(base, count + 1);
      headings.push({
        depth: heading[1].length,
        text: plainHeadingText(heading[2]),
        anchor: count === 0 ? base : `${base}-${count}`,
        line,
      });
    }
  });

  for (const match of text.matchAll(/<!--/g)) {
    problems.push({
      code: "html-comment",
      line: lineAt(text, match.index),
      message: "HTML comments are not valid MDX; delete the comment",
    });
  }

  // Attribute values may contain `>` inside quotes, so the tag pattern skips quoted strings.
  const tag = /<(\/?)([A-Za-z][\w.]*)((?:"[^"]*"|'[^']*'|[^'">])*?)(\/?)>/g;
  for (const match of text.matchAll(tag)) {
    if (match[1] === "/") continue;
    const name = match[2] ?? "";
    const line = lineAt(text, match.index);
    components.push({
      name,
      props: parseProps(match[3] ?? "", name, line, problems),
      selfClosing: match[4] === "/",
      line,
    });
  }

  // Outside code and quoted attribute values, MDX reads `{` as the start of a JavaScript expression.
  const withoutAttributeStrings = text.replace(tag, (whole) =>
    whole.replace(/"[^"]*"|'[^']*'/g, (quoted) => quoted.replace(/[^\n]/g, " ")),
  );
  for (const match of withoutAttributeStrings.matchAll(/(?<!\\)\{/g)) {
    problems.push({
      code: "js-expression",
      line: lineAt(text, match.index),
      message: `"{" starts a JavaScript expression, which lessons may not use (put it in a code span or escape it as \\{)`,
    });
  }

  for (const match of text.matchAll(/\]\(\s*([^)\s]+)(?:\s+"[^"]*")?\s*\)/g)) {
    links.push({ href: match[1] ?? "", line: lineAt(text, match.index) });
  }

  return { components, headings, links, problems };
}
