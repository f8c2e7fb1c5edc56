// Small accessible SVG charts (no chart library): each SVG has a title and description, every
// bar a text label, and a table with the same numbers follows for screen readers and copying.
import { cn } from "../../../_components/ui";

export interface Bar {
  label: string;
  value: number;
  /** Text for the value (defaults to the number). */
  text?: string;
}

export function BarChart({
  id,
  title,
  description,
  bars,
  unit,
  className,
}: {
  id: string;
  title: string;
  description: string;
  bars: Bar[];
  unit: string;
  className?: string;
}) {
  const max = Math.max(1, ...bars.map((bar) => bar.value));
  const width = 640;
  const height = 220;
  const top = 20;
  const bottom = 40;
  const chartHeight = height - top - bottom;
  const slot = width / Math.max(1, bars.length);
  const barWidth = Math.max(4, slot * 0.7);
  const labelEvery = Math.ceil(bars.length / 10);
  return (
    <figure className={cn("flex flex-col gap-2", className)}>
      <figcaption id={`${id}-title`} className="font-medium text-slate-900">
        {title}
      </figcaption>
      <svg viewBox={`0 0 ${width} ${height}`} role="img" aria-labelledby={`${id}-title ${id}-desc`} className="h-auto w-full">
        <desc id={`${id}-desc`}>{description}</desc>
        <line x1={0} y1={top + chartHeight} x2={width} y2={top + chartHeight} className="stroke-slate-400" />
        {bars.map((bar, index) => {
          const h = (bar.value / max) * chartHeight;
          const x = index * slot + (slot - barWidth) / 2;
          const y = top + chartHeight - h;
          return (
            <g key={`${bar.label}-${index}`}>
              <rect x={x} y={y} width={barWidth} height={Math.max(0, h)} className="fill-brand-700" rx={2} />
              {bars.length <= 16 || bar.value === max ? (
                <text x={x + barWidth / 2} y={Math.max(12, y - 4)} textAnchor="middle" className="fill-slate-800 text-[11px]">
                  {bar.text ?? bar.value}
                </text>
              ) : null}
              {index % labelEvery === 0 ? (
                <text x={x + barWidth / 2} y={height - bottom + 16} textAnchor="middle" className="fill-slate-700 text-[11px]">
                  {bar.label}
                </text>
              ) : null}
            </g>
          );
        })}
      </svg>
      <details className="text-sm">
        <summary className="cursor-pointer text-brand-800 underline">Show the numbers as a table</summary>
        <table className="mt-2 text-left">
          <caption className="sr-only">{title}</caption>
          <thead>
            <tr>
              <th scope="col" className="pr-6 font-medium">
                {unit}
              </th>
              <th scope="col" className="font-medium">
                Value
              </th>
            </tr>
          </thead>
          <tbody>
            {bars.map((bar, index) => (
              <tr key={`${bar.label}-${index}`}>
                <th scope="row" className="pr-6 font-normal">
                  {bar.label}
                </th>
                <td className="tabular-nums">{bar.text ?? bar.value}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </details>
    </figure>
  );
}

/** A labelled horizontal bar for a share (0..1); the text carries the number, the bar is decoration. */
export function ProgressBar({ value, label, className }: { value: number; label: string; className?: string }) {
  const clamped = Math.max(0, Math.min(1, value));
  return (
    <div className={cn("flex items-center gap-2", className)}>
      <div className="h-2 w-16 shrink-0 overflow-hidden rounded-full bg-slate-200" aria-hidden="true">
        <div className="h-full rounded-full bg-brand-700" style={{ width: `${clamped * 100}%` }} />
      </div>
      <span className="tabular-nums">{label}</span>
    </div>
  );
}
