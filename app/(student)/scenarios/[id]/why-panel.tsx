"use client";
// "Why was I rejected?": every API request kubectl made, with the authenticator chain's trace.
import type { WhyEntry } from "@/lib/scenarios/api-types";
import { Badge, cn } from "../../../_components/ui";

const REASONS: Record<number, string> = {
  200: "OK",
  201: "Created",
  202: "Accepted",
  204: "No Content",
  400: "Bad Request",
  401: "Unauthorized",
  403: "Forbidden",
  404: "Not Found",
  405: "Method Not Allowed",
  406: "Not Acceptable",
  409: "Conflict",
  415: "Unsupported Media Type",
  422: "Unprocessable Entity",
  429: "Too Many Requests",
  500: "Internal Server Error",
};

function statusTone(status: number): string {
  if (status >= 200 && status < 300) return "bg-green-100 text-green-900 ring-1 ring-green-700/30";
  if (status === 401) return "bg-red-100 text-red-900 ring-1 ring-red-700/30";
  if (status === 403) return "bg-amber-100 text-amber-900 ring-1 ring-amber-700/30";
  return "bg-slate-100 text-slate-900 ring-1 ring-slate-500/30";
}

function outcomeTone(outcome: string): string {
  if (outcome === "user" || outcome === "allow") return "text-green-800";
  if (outcome === "error" || outcome === "deny") return "text-red-800";
  return "text-slate-700";
}

export function StatusBadge({ status }: { status: number }) {
  // Status 0: the request never got an HTTP answer (kubectl refused the server's certificate, or no server there).
  if (status === 0)
    return <Badge className={cn("shrink-0 font-mono", "bg-red-100 text-red-900 ring-1 ring-red-700/30")}>no response</Badge>;
  const reason = REASONS[status];
  return <Badge className={cn("shrink-0 font-mono", statusTone(status))}>{reason ? `${status} ${reason}` : status}</Badge>;
}

export function WhyPanel({
  entries,
  enabled,
  saving,
  error,
  onToggle,
}: {
  /** Oldest first, as the server keeps them. */
  entries: WhyEntry[];
  enabled: boolean;
  saving: boolean;
  error?: string;
  onToggle: (enabled: boolean) => void;
}) {
  const newestFirst = [...entries].reverse();
  return (
    <section
      aria-labelledby="why-heading"
      className="flex min-h-0 min-w-0 flex-1 flex-col rounded-xl border border-slate-200 bg-white shadow-sm"
    >
      <div className="flex flex-col gap-2 border-b border-slate-200 px-4 py-3">
        <h2 id="why-heading" className="text-base font-semibold text-slate-900">
          Why? The API requests
        </h2>
        <div className="flex items-center gap-3">
          <button
            type="button"
            role="switch"
            aria-checked={enabled}
            aria-labelledby="why-switch-label"
            disabled={saving}
            onClick={() => onToggle(!enabled)}
            className={cn(
              "relative inline-flex h-6 w-11 shrink-0 items-center rounded-full transition-colors disabled:opacity-60",
              enabled ? "bg-brand-700" : "bg-slate-500",
            )}
          >
            <span
              className={cn(
                "inline-block h-5 w-5 rounded-full bg-white shadow transition-transform",
                enabled ? "translate-x-5" : "translate-x-0.5",
              )}
            />
          </button>
          <span id="why-switch-label" className="text-sm font-medium text-slate-800">
            Explain requests
          </span>
        </div>
      </div>
      {error ? (
        <p role="alert" className="border-b border-red-200 bg-red-50 px-4 py-2 text-sm text-red-800">
          {error}
        </p>
      ) : null}
      <div className="relative max-h-[34rem] min-h-0 overflow-y-auto px-4 py-3 lg:max-h-none lg:flex-1">
        {!enabled ? (
          <p className="text-sm text-slate-700">
            Explaining requests is off. Turn it on to see, for each request kubectl sends, which credential it carried and how the API
            server decided.
          </p>
        ) : newestFirst.length === 0 ? (
          <p className="text-sm text-slate-700">
            Run a kubectl command: each request it sends appears here, newest first, with the API server&apos;s reasoning.
          </p>
        ) : (
          <ol className="flex flex-col gap-2" aria-label="API requests, newest first">
            {newestFirst.map((entry, index) => (
              <li key={entries.length - index}>
                <WhyItem entry={entry} open={index === 0} />
              </li>
            ))}
          </ol>
        )}
      </div>
    </section>
  );
}

function WhyItem({ entry, open }: { entry: WhyEntry; open: boolean }) {
  return (
    <details open={open} className="group rounded-lg border border-slate-200 bg-slate-50 open:bg-white">
      <summary className="flex cursor-pointer list-none items-start gap-2 rounded-lg px-3 py-2 [&::-webkit-details-marker]:hidden">
        <span aria-hidden="true" className="mt-0.5 text-slate-600 transition-transform group-open:rotate-90">
          ▸
        </span>
        <span className="flex min-w-0 flex-1 flex-col gap-1">
          <span className="flex flex-wrap items-center gap-2">
            <StatusBadge status={entry.status} />
            <span className="font-mono text-xs font-semibold text-slate-900">{entry.method}</span>
          </span>
          <span className="font-mono text-xs break-all text-slate-800">{entry.url}</span>
        </span>
      </summary>
      <div className="border-t border-slate-200 px-3 py-2 text-sm">
        <p className="text-slate-800">
          <span className="font-medium">Credential:</span> {entry.credential}
        </p>
        {entry.trace.length > 0 ? (
          <ol className="mt-2 flex flex-col gap-1.5" aria-label="Decision trace">
            {entry.trace.map((step, index) => (
              <li key={index} className="rounded bg-slate-100 px-2 py-1.5 font-mono text-xs break-words text-slate-900">
                <span className="font-semibold">{step.stage}</span>{" "}
                <span className={cn("font-semibold", outcomeTone(step.outcome))}>{step.outcome}</span>
                <span className="block whitespace-pre-wrap">{step.message}</span>
              </li>
            ))}
          </ol>
        ) : (
          <p className="mt-2 text-slate-700">No trace was recorded for this request.</p>
        )}
      </div>
    </details>
  );
}
