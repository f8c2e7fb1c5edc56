import type { ReactNode } from "react";
import Link from "next/link";

export function ScenarioLink({ id, children }: { id?: string; children?: ReactNode }) {
  return (
    <div className="my-6">
      <Link
        href={`/scenarios/${id ?? ""}`}
        className="inline-flex items-center gap-3 rounded-lg border border-brand-600 bg-white px-4 py-3 font-medium text-brand-800 hover:bg-brand-50"
      >
        <span aria-hidden="true" className="grid h-7 w-7 place-items-center rounded bg-slate-900 font-mono text-xs text-green-300">
          $_
        </span>
        <span>
          <span className="block text-xs font-semibold uppercase tracking-wide text-slate-600">Hands-on scenario</span>
          {children}
        </span>
      </Link>
    </div>
  );
}
