// Small pieces the dashboard and the progress page share: scenario status badges, durations, scores.
import type { ScenarioProgressStatus } from "@/lib/progress/types";
import { Badge, cn } from "../../_components/ui";

const SCENARIO_STATUS: Record<ScenarioProgressStatus, { label: string; className: string }> = {
  "not-started": { label: "Not started", className: "bg-slate-100 text-slate-800" },
  "in-progress": { label: "In progress", className: "bg-amber-100 text-amber-900" },
  passed: { label: "Passed", className: "bg-green-100 text-green-900" },
  "gave-up": { label: "Gave up", className: "bg-slate-200 text-slate-900" },
};

export function ScenarioStatusBadge({ status, className }: { status: ScenarioProgressStatus; className?: string }) {
  const style = SCENARIO_STATUS[status];
  return <Badge className={cn("shrink-0", style.className, className)}>{style.label}</Badge>;
}

export function minutes(seconds: number): string {
  if (seconds < 60) return seconds === 0 ? "–" : "< 1 min";
  return `${Math.round(seconds / 60)} min`;
}

export function score(value: number | null): string {
  return value === null ? "–" : `${Math.round(value * 100)}%`;
}
