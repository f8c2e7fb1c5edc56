// Fenced code blocks. ```console blocks are terminal transcripts: commands after a `$ ` prompt
// (with `\` continuation lines) are copyable on their own, the prompt is never copied, and the
// output is shown dimmer. Other languages get one copy button for the whole block.
import { isValidElement, type ReactNode } from "react";
import { CopyButton } from "./copy-button";

interface TranscriptPart {
  kind: "command" | "output";
  text: string;
}

export function parseTranscript(source: string): TranscriptPart[] {
  const parts: TranscriptPart[] = [];
  let continuing = false;
  for (const line of source.replace(/\n$/, "").split("\n")) {
    const last = parts[parts.length - 1];
    if (continuing && last?.kind === "command") {
      last.text += `\n${line}`;
    } else if (/^\$ ?/.test(line) && line.startsWith("$")) {
      parts.push({ kind: "command", text: line.replace(/^\$ ?/, "") });
    } else if (last?.kind === "output") {
      last.text += `\n${line}`;
    } else {
      parts.push({ kind: "output", text: line });
    }
    continuing = parts[parts.length - 1]?.kind === "command" && line.endsWith("\\");
  }
  return parts;
}

function codeOf(children: ReactNode): { language: string; text: string } {
  if (isValidElement<{ className?: string; children?: ReactNode }>(children)) {
    const language = /language-([\w-]+)/.exec(children.props.className ?? "")?.[1] ?? "text";
    const text = typeof children.props.children === "string" ? children.props.children : "";
    return { language, text };
  }
  return { language: "text", text: typeof children === "string" ? children : "" };
}

export function CodeBlock({ children }: { children?: ReactNode }) {
  const { language, text } = codeOf(children);
  if (language === "console") return <Transcript source={text} />;
  return (
    <div className="group relative my-6">
      <div className="flex items-center justify-between rounded-t-lg bg-slate-800 px-3 py-1.5">
        <span className="font-mono text-xs text-slate-300">{language}</span>
        <CopyButton text={text.replace(/\n$/, "")} label={`Copy ${language === "text" ? "code" : language}`} />
      </div>
      {/* Focusable: long lines scroll sideways by keyboard too. */}
      <pre tabIndex={0} className="overflow-x-auto rounded-b-lg bg-slate-900 p-4 text-sm leading-relaxed text-slate-100">
        <code>{text.replace(/\n$/, "")}</code>
      </pre>
    </div>
  );
}

function Transcript({ source }: { source: string }) {
  const parts = parseTranscript(source);
  return (
    <figure className="my-6 overflow-hidden rounded-lg bg-slate-900 text-sm text-slate-100">
      <figcaption className="flex items-center gap-2 bg-slate-800 px-3 py-1.5 text-xs text-slate-300">
        <span aria-hidden="true" className="flex gap-1">
          <span className="h-2.5 w-2.5 rounded-full bg-slate-600" />
          <span className="h-2.5 w-2.5 rounded-full bg-slate-600" />
          <span className="h-2.5 w-2.5 rounded-full bg-slate-600" />
        </span>
        Terminal
      </figcaption>
      <div className="overflow-x-auto p-4 font-mono leading-relaxed">
        {parts.map((part, index) =>
          part.kind === "command" ? (
            <div key={index} className="group flex items-start gap-3">
              <pre className="flex-1 whitespace-pre">
                <span aria-hidden="true" className="select-none text-green-300">
                  ${" "}
                </span>
                <span className="sr-only">Command: </span>
                <code className="text-white">{part.text}</code>
              </pre>
              <CopyButton text={part.text} label="Copy command" className="shrink-0" />
            </div>
          ) : (
            <pre key={index} className="whitespace-pre text-slate-300">
              <span className="sr-only">Output: </span>
              <samp>{part.text}</samp>
            </pre>
          ),
        )}
      </div>
    </figure>
  );
}
