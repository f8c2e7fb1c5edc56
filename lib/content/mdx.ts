/**
 * Lesson MDX: the one definition of the dialect (MDX plus GitHub tables and heading ids) and a
 * reader of it. The renderer (`app/(public)/learn/_components/lesson-body.tsx`) and the compile
 * check use `lessonRemarkPlugins`/`lessonRehypePlugins`; `scanMdx` parses with the same mdast
 * parser (remark-parse + remark-mdx + the same remark plugins) and finds what the checker and the
 * loader need: components and their props, headings and the ids rehype-slug gives them,
 * internal links, and JavaScript that lessons may not contain, with line numbers.
 */
import GithubSlugger from "github-slugger";
import type { Nodes, Root } from "mdast";
import type { MdxJsxFlowElement, MdxJsxTextElement } from "mdast-util-mdx-jsx";
import { toString } from "mdast-util-to-string";
import rehypeSlug from "rehype-slug";
import remarkGfm from "remark-gfm";
import remarkMdx from "remark-mdx";
import remarkParse from "remark-parse";
import { unified } from "unified";

/** The remark and rehype plugins every lesson is compiled with (besides MDX's own). */
export const lessonRemarkPlugins = [remarkGfm];
export const lessonRehypePlugins = [rehypeSlug];

const parser = unified().use(remarkParse).use(remarkMdx).use(lessonRemarkPlugins).freeze();

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
  /** The id rehype-slug gives the heading on the page (github-slugger: -1, -2 for repeats). */
  anchor: string;
  line: number;
}

export interface LinkUse {
  href: string;
  line: number;
}

export type MdxProblemCode = "js-expression" | "esm-statement" | "invalid-component-props" | "html-comment" | "mdx-compile";

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

/** At most this many syntax errors are reported (and lines blanked to read on) per lesson. */
const MAX_SYNTAX_ERRORS = 20;

const EXPRESSION_MESSAGE = `"{" starts a JavaScript expression, which lessons may not use (put it in a code span or escape it as \\{)`;

/** The 1-based line of a parse error: its position, else the first `(line:column` in its text. */
function errorLine(error: unknown): number | undefined {
  if (typeof error !== "object" || error === null) return undefined;
  if ("line" in error && typeof error.line === "number") return error.line;
  const match = "message" in error && typeof error.message === "string" ? /\((\d+):\d+/.exec(error.message) : null;
  return match?.[1] === undefined ? undefined : Number(match[1]);
}

/**
 * Parses like the renderer. MDX stops at the first syntax error, so each one is reported and its
 * line blanked before reading on, and the rest of the lesson is still checked.
 */
function parseWithRecovery(source: string, problems: MdxProblem[]): Root {
  const lines = source.split("\n");
  for (let attempt = 0; attempt < MAX_SYNTAX_ERRORS; attempt += 1) {
    try {
      return parser.parse(lines.join("\n"));
    } catch (error) {
      const line = errorLine(error);
      const text = line === undefined ? undefined : lines[line - 1];
      if (line === undefined || text === undefined || text.trim() === "") {
        problems.push({ code: "mdx-compile", line: line ?? 1, message: error instanceof Error ? error.message : String(error) });
        break;
      }
      problems.push(
        text.includes("<!--")
          ? { code: "html-comment", line, message: "HTML comments are not valid MDX; delete the comment" }
          : { code: "mdx-compile", line, message: error instanceof Error ? error.message : String(error) },
      );
      lines[line - 1] = " ".repeat(text.length);
    }
  }
  return { type: "root", children: [] };
}

function componentUse(node: MdxJsxFlowElement | MdxJsxTextElement, source: string, problems: MdxProblem[]): ComponentUse {
  const name = node.name ?? "";
  const line = node.position?.start.line ?? 1;
  const props: Record<string, string> = {};
  for (const attribute of node.attributes) {
    const attributeLine = attribute.position?.start.line ?? line;
    if (attribute.type === "mdxJsxExpressionAttribute" || (attribute.value !== null && typeof attribute.value === "object")) {
      problems.push({ code: "js-expression", line: attributeLine, message: EXPRESSION_MESSAGE });
    } else if (attribute.value === null || attribute.value === undefined) {
      problems.push({
        code: "invalid-component-props",
        line: attributeLine,
        message: `<${name}> prop "${attribute.name}" has no string value (only prop="text" is allowed)`,
      });
    } else {
      props[attribute.name] = attribute.value;
    }
  }
  const start = node.position?.start.offset;
  const end = node.position?.end.offset;
  const tag = start === undefined || end === undefined ? "" : source.slice(start, end);
  return { name, props, selfClosing: node.children.length === 0 && tag.trimEnd().endsWith("/>"), line };
}

export function scanMdx(source: string): MdxScan {
  const components: ComponentUse[] = [];
  const headings: Heading[] = [];
  const links: LinkUse[] = [];
  const problems: MdxProblem[] = [];
  const tree = parseWithRecovery(source, problems);
  const slugger = new GithubSlugger();

  const visit = (node: Nodes): void => {
    const line = node.position?.start.line ?? 1;
    switch (node.type) {
      case "mdxjsEsm":
        problems.push({ code: "esm-statement", line, message: "import/export statements are not allowed in lessons" });
        return;
      case "mdxFlowExpression":
      case "mdxTextExpression":
        problems.push({ code: "js-expression", line, message: EXPRESSION_MESSAGE });
        return;
      case "mdxJsxFlowElement":
      case "mdxJsxTextElement":
        components.push(componentUse(node, source, problems));
        break;
      case "heading": {
        // rehype-slug reads the rendered heading's text, in which images have none.
        const text = toString(node, { includeImageAlt: false });
        headings.push({ depth: node.depth, text: text.trim(), anchor: slugger.slug(text), line });
        break;
      }
      case "link":
      case "definition":
        links.push({ href: node.url, line });
        break;
      default:
        break;
    }
    if ("children" in node) node.children.forEach(visit);
  };
  visit(tree);
  return { components, headings, links, problems };
}
