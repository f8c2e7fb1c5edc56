/**
 * The full content check behind `npm run content:check`: every rule of `validate.ts`, plus a
 * compile of each lesson with the same MDX compiler the pages use, so a lesson that passes
 * here also renders.
 */
import { serialize } from "next-mdx-remote-client/serialize";
import { lessonRehypePlugins, lessonRemarkPlugins } from "./mdx";
import { readAndValidate, type ValidateOptions } from "./validate";
import type { Course } from "./read";
import type { ContentProblem } from "./problems";

export interface CheckReport {
  course: Course | null;
  problems: ContentProblem[];
  errors: number;
  warnings: number;
}

function firstLineNumber(message: string): number | undefined {
  const match = /\((\d+):\d+(?:-\d+:\d+)?\)/.exec(message);
  return match?.[1] === undefined ? undefined : Number(match[1]);
}

/** Compiles a lesson body; returns the compiler's message (first line) and body line, or null. */
export async function compileLessonBody(body: string): Promise<{ message: string; line?: number } | null> {
  const result = await serialize({ source: body, options: {
      disableImports: true,
      disableExports: true,
      mdxOptions: { remarkPlugins: lessonRemarkPlugins, rehypePlugins: lessonRehypePlugins },
    },
  });
  if (!("error" in result)) return null;
  const raw = result.error.message ?? "MDX compile failed";
  const message = raw.replace(/^\[next-mdx-remote-client\] error compiling MDX:\s*/, "").split("\n")[0] ?? raw;
  return { message, line: firstLineNumber(message) };
}

export async function checkContent(root = "content", options: ValidateOptions = {}): Promise<CheckReport> {
  const { course, problems } = readAndValidate(root, options);
  if (course) {
    // A syntax error the reader already reported (same parser) is not reported again.
    const unreadable = new Set(problems.filter((p) => p.code === "mdx-compile" || p.code === "html-comment").map((p) => p.file));
    for (const lesson of course.modules.flatMap((m) => m.lessons)) {
      if (unreadable.has(lesson.file)) continue;
      const failure = await compileLessonBody(lesson.body);
      if (failure) {
        problems.push({
          severity: "error",
          code: "mdx-compile",
          file: lesson.file,
          line: failure.line === undefined ? undefined : lesson.bodyStartLine + failure.line - 1,
          message: failure.message,
        });
      }
    }
  }
  problems.sort((a, b) => a.file.localeCompare(b.file) || (a.line ?? 0) - (b.line ?? 0));
  return {
    course,
    problems,
    errors: problems.filter((p) => p.severity === "error").length,
    warnings: problems.filter((p) => p.severity === "warning").length,
  };
}
