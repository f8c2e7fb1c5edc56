import Link from "next/link";
import type { CohortSummary } from "@/lib/cohorts/access";
import { Badge, ButtonLink, cn } from "../../../_components/ui";
import { day } from "./format";

const TABS = [
  { key: "overview", label: "Students", href: (id: string) => `/instructor/cohorts/${id}` },
  { key: "exams", label: "Exams", href: (id: string) => `/instructor/cohorts/${id}/exams` },
  { key: "items", label: "Item analysis", href: (id: string) => `/instructor/cohorts/${id}/items` },
  { key: "members", label: "Members & join link", href: (id: string) => `/instructor/cohorts/${id}/members` },
] as const;

export function CohortHeader({
  cohort,
  current,
  students,
}: {
  cohort: CohortSummary;
  current: (typeof TABS)[number]["key"] | "student";
  students?: number;
}) {
  return (
    <div className="mb-6 flex flex-col gap-4">
      <nav aria-label="Breadcrumb" className="text-sm">
        <Link href="/instructor" className="text-brand-800 underline">
          Cohorts
        </Link>{" "}
        / <span aria-current={current === "overview" ? "page" : undefined}>{cohort.name}</span>
      </nav>
      <div className="flex flex-col gap-3 sm:flex-row sm:items-end sm:justify-between">
        <div>
          <h1 className="text-2xl font-semibold tracking-tight text-slate-900 sm:text-3xl">{cohort.name}</h1>
          <p className="mt-1 flex flex-wrap items-center gap-2 text-sm text-slate-700">
            {students !== undefined ? <Badge>{students} students</Badge> : null}
            {cohort.startsAt || cohort.endsAt ? (
              <span>
                {day(cohort.startsAt)} → {day(cohort.endsAt)}
              </span>
            ) : null}
            {cohort.description ? <span>{cohort.description}</span> : null}
          </p>
        </div>
        <div className="flex flex-wrap gap-2">
          <ButtonLink variant="secondary" size="sm" href={`/api/instructor/cohorts/${cohort.id}/export/gradebook.csv`} prefetch={false}>
            Gradebook CSV
          </ButtonLink>
          <ButtonLink variant="secondary" size="sm" href={`/api/instructor/cohorts/${cohort.id}/export/attempts.csv`} prefetch={false}>
            Attempts CSV
          </ButtonLink>
          <ButtonLink variant="secondary" size="sm" href={`/api/instructor/cohorts/${cohort.id}/export/scenarios.csv`} prefetch={false}>
            Scenarios CSV
          </ButtonLink>
        </div>
      </div>
      <nav aria-label="Cohort sections" className="flex flex-wrap gap-1 border-b border-slate-200">
        {TABS.map((tab) => (
          <Link
            key={tab.key}
            href={tab.href(cohort.id)}
            aria-current={tab.key === current ? "page" : undefined}
            className={cn(
              "-mb-px border-b-2 px-3 py-2 text-sm font-medium",
              tab.key === current ? "border-brand-700 text-brand-800" : "border-transparent text-slate-700 hover:text-slate-900",
            )}
          >
            {tab.label}
          </Link>
        ))}
      </nav>
    </div>
  );
}
