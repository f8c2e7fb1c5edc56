import { splitFlowSteps } from "@/lib/content/schema";

/** A flow diagram as real text: an ordered list, with the arrows hidden from screen readers. */
export function Flow({ label, steps }: { label?: string; steps?: string }) {
  const items = splitFlowSteps(steps ?? "");
  return (
    <figure className="my-6">
      <figcaption className="mb-2 text-sm font-medium text-slate-700">{label}</figcaption>
      <ol aria-label={label} className="flex flex-col items-stretch gap-2 sm:flex-row sm:flex-wrap sm:items-center">
        {items.map((step, index) => (
          <li key={index} className="flex flex-col items-center gap-2 sm:flex-row">
            <span className="w-full rounded-lg border border-slate-300 bg-white px-3 py-2 text-center text-sm text-slate-900 shadow-sm sm:w-auto">
              {step}
            </span>
            {index < items.length - 1 ? (
              <span aria-hidden="true" className="text-slate-500">
                <span className="sm:hidden">↓</span>
                <span className="hidden sm:inline">→</span>
              </span>
            ) : null}
          </li>
        ))}
      </ol>
    </figure>
  );
}
