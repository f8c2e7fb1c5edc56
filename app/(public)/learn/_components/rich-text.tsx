// The small markdown subset of question prompts, options and explanations: paragraphs, "-"
// lists, `code`, **strong**, *emphasis* and links. Pure (no hooks), so server and client
// components render it the same way; never uses dangerouslySetInnerHTML.
import type { ReactNode } from "react";
import Link from "next/link";
import { clsx } from "clsx";

const INLINE = /(`+)([\s\S]*?[^`])\1(?!`)|\*\*([\s\S]+?)\*\*|(?<![\w*])[*_]([^*_\s][^*_]*?)[*_](?![\w*])|\[([^\]]+)\]\(([^)\s]+)\)/g;

export function renderInline(text: string, keyPrefix = "i"): ReactNode[] {
  const out: ReactNode[] = [];
  let last = 0;
  let n = 0;
  for (const match of text.matchAll(INLINE)) {
    if (match.index > last) out.push(text.slice(last, match.index));
    const key = `${keyPrefix}-${n++}`;
    if (match[2] !== undefined) {
      out.push(
        <code key={key} className="rounded bg-slate-100 px-1 py-0.5 font-mono text-[0.9em] text-slate-900 [overflow-wrap:anywhere]">
          {match[2].trim()}
        </code>,
      );
    } else if (match[3] !== undefined) {
      out.push(<strong key={key}>{renderInline(match[3], key)}</strong>);
    } else if (match[4] !== undefined) {
      out.push(<em key={key}>{renderInline(match[4], key)}</em>);
    } else if (match[5] !== undefined && match[6] !== undefined) {
      const href = match[6];
      out.push(
        href.startsWith("/") ? (
          <Link key={key} href={href} className="text-brand-700 underline">
            {renderInline(match[5], key)}
          </Link>
        ) : (
          <a key={key} href={/^https:\/\//.test(href) ? href : undefined} className="text-brand-700 underline" rel="noreferrer">
            {renderInline(match[5], key)}
          </a>
        ),
      );
    }
    last = match.index + match[0].length;
  }
  if (last < text.length) out.push(text.slice(last));
  return out;
}

/**
 * Block markdown. With `inline`, blocks become spans (for places like <legend> or <label>
 * that only allow phrasing content).
 */
export function RichText({ text, inline = false, className }: { text: string; inline?: boolean; className?: string }) {
  const blocks = text.trim().split(/\n\s*\n/);
  const Block = inline ? "span" : "p";
  return (
    <span className={clsx("flex flex-col gap-2", className)}>
      {blocks.map((block, index) => {
        const lines = block.split("\n");
        if (lines.every((line) => /^\s*[-*]\s+/.test(line))) {
          return inline ? (
            <span key={index} className="flex flex-col gap-1 pl-4">
              {lines.map((line, i) => (
                <span key={i}>• {renderInline(line.replace(/^\s*[-*]\s+/, ""), `${index}-${i}`)}</span>
              ))}
            </span>
          ) : (
            <ul key={index} className="list-disc space-y-1 pl-5">
              {lines.map((line, i) => (
                <li key={i}>{renderInline(line.replace(/^\s*[-*]\s+/, ""), `${index}-${i}`)}</li>
              ))}
            </ul>
          );
        }
        return (
          <Block key={index} className="block">
            {renderInline(lines.map((line) => line.trim()).join(" "), String(index))}
          </Block>
        );
      })}
    </span>
  );
}
