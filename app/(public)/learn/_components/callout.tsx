import type { ReactNode } from "react";
import { cn } from "../../../_components/ui";

const KINDS = {
  note: { label: "Note", className: "border-brand-600 bg-brand-50", labelClass: "text-brand-800" },
  tip: { label: "Tip", className: "border-green-700 bg-green-50", labelClass: "text-green-800" },
  warning: { label: "Warning", className: "border-amber-600 bg-amber-50", labelClass: "text-amber-900" },
} as const;

export function Callout({ kind, title, children }: { kind?: string; title?: string; children?: ReactNode }) {
  const style = KINDS[kind === "tip" || kind === "warning" ? kind : "note"];
  return (
    <aside aria-label={title ?? style.label} className={cn("my-6 rounded-r-lg border-l-4 px-4 py-3 [&>p]:my-2", style.className)}>
      <p className={cn("text-sm font-semibold", style.labelClass)}>
        {style.label}
        {title ? <span className="text-slate-900">: {title}</span> : null}
      </p>
      {children}
    </aside>
  );
}
