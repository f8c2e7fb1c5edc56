// A lesson's MDX rendered on the server. Lessons may use only the components below, with
// string props (lib/content checks that), so no JavaScript from content ever runs.
import type { ComponentProps, JSX } from "react";
import Link from "next/link";
import { evaluate } from "next-mdx-remote-client/rsc";
import type { MDXComponents } from "next-mdx-remote-client/rsc";
import { lessonRehypePlugins, lessonRemarkPlugins } from "@/lib/content/mdx";
import { Callout } from "./callout";
import { CodeBlock } from "./code-block";
import { Flow } from "./flow";
import { Question } from "./question";
import { ScenarioLink } from "./scenario-link";

function Anchor({ href = "", children, ...props }: ComponentProps<"a">) {
  if (href.startsWith("/") || href.startsWith("#")) {
    return (
      <Link href={href} {...props}>
        {children}
      </Link>
    );
  }
  return (
    <a href={href} rel="noreferrer" {...props}>
      {children}
    </a>
  );
}

const components: MDXComponents = {
  Callout,
  Flow,
  Question,
  ScenarioLink,
  pre: CodeBlock,
  a: Anchor,
  table: (props) => (
    <div tabIndex={0} role="region" aria-label="Table" className="my-6 overflow-x-auto rounded-lg border border-slate-200">
      <table {...props} />
    </div>
  ),
};

/**
 * Compiled once per lesson source and process: pages render per request (their scripts carry
 * the request's CSP nonce, see proxy.ts), and compiling MDX is most of a lesson page's cost.
 */
const compiled = new Map<string, Promise<JSX.Element>>();

function compileLesson(source: string): Promise<JSX.Element> {
  let content = compiled.get(source);
  if (!content) {
    content = evaluate({
      source,
      components,
      options: {
        disableImports: true,
        disableExports: true,
        mdxOptions: { remarkPlugins: lessonRemarkPlugins, rehypePlugins: lessonRehypePlugins },
      },
    }).then(({ content: element, error }) => {
      if (error) throw error;
      return element;
    });
    content.catch(() => compiled.delete(source));
    compiled.set(source, content);
  }
  return content;
}

export async function LessonBody({ source }: { source: string }) {
  return <div className="lesson-prose">{await compileLesson(source)}</div>;
}
