"use client";
import { useState } from "react";
import { clsx } from "clsx";

/** Copies `text`; says so to screen readers too. */
export function CopyButton({ text, label = "Copy", className }: { text: string; label?: string; className?: string }) {
  const [copied, setCopied] = useState<"idle" | "done" | "failed">("idle");
  async function copy() {
    try {
      await navigator.clipboard.writeText(text);
      setCopied("done");
    } catch {
      setCopied("failed");
    }
    setTimeout(() => setCopied("idle"), 2000);
  }
  return (
    <button
      type="button"
      onClick={() => void copy()}
      className={clsx(
        "rounded border border-slate-500 bg-slate-800 px-2 py-1 text-xs font-medium text-slate-100 hover:bg-slate-700 focus-visible:outline-white",
        className,
      )}
    >
      <span aria-live="polite">{copied === "done" ? "Copied" : copied === "failed" ? "Copy failed" : label}</span>
    </button>
  );
}
