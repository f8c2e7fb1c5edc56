// Scenario story and step text: plain markdown (format "md"), so `{`, `<` and jsonpath in
// commands stay text and no JSX or expression from a content file is evaluated.
import { MDXRemote } from "next-mdx-remote-client/rsc";

export function Markdown({ source, className = "lesson-prose" }: { source: string; className?: string }) {
  return (
    <div className={className}>
      <MDXRemote source={source} options={{ disableImports: true, disableExports: true, mdxOptions: { format: "md" } }} />
    </div>
  );
}
