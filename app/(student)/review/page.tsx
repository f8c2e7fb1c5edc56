import type { Metadata } from "next";
import Link from "next/link";
import { requirePageUser } from "@/lib/auth/guard";
import { db } from "@/lib/db/client";
import { reviewOverview, type ReviewListEntry } from "@/lib/review/service";
import { Badge, ButtonLink, Card, PageHeader } from "../../_components/ui";
import { score } from "../_components/progress-format";
import { dueIn } from "./due";
import { RefreshHeader } from "./refresh-header";

export const metadata: Metadata = { title: "Review" };

function Entry({ entry, now, link }: { entry: ReviewListEntry; now: Date; link: boolean }) {
  return (
    <li className="flex flex-col gap-1 border-b border-slate-200 py-3 last:border-b-0 sm:flex-row sm:items-baseline sm:gap-4">
      <span className="flex shrink-0 items-center gap-2 sm:w-44">
        <Badge className={entry.kind === "check" ? "bg-brand-50 text-brand-800" : undefined}>
          {entry.kind === "check" ? "Drill" : "Question"}
        </Badge>
        <span className="text-xs text-slate-600">{dueIn(new Date(entry.due), now)}</span>
      </span>
      <span className="min-w-0 flex-1">
        {link ? (
          <Link href={`/review/${entry.id}`} className="break-words font-medium text-brand-800 hover:underline">
            {entry.title}
          </Link>
        ) : (
          <span className="break-words text-slate-900">{entry.title}</span>
        )}
        {entry.kind === "check" ? <span className="block text-xs text-slate-600">{entry.context}</span> : null}
      </span>
    </li>
  );
}

export default async function ReviewPage() {
  const user = await requirePageUser("student");
  const now = new Date();
  const overview = await reviewOverview(db(), user.id, now);
  const stats = [
    { label: "Due now", value: String(overview.dueNow), id: "due-now" },
    { label: "Due later this week", value: String(overview.dueThisWeek), id: "due-week" },
    {
      label: "Retention, last 30 days",
      value: overview.retention30d === null ? "–" : score(overview.retention30d),
      note:
        overview.reviews30d === 0
          ? "no reviews yet"
          : `share of ${overview.reviews30d} ${overview.reviews30d === 1 ? "review" : "reviews"} rated good or easy`,
      id: "retention",
    },
    {
      label: "Average recall now",
      value: overview.averageRecall === null ? "–" : score(overview.averageRecall),
      note: overview.averageRecall === null ? `${overview.totalCards} cards, none reviewed yet` : `of the cards reviewed so far`,
      id: "recall",
    },
  ];
  return (
    <>
      {overview.settled > 0 ? <RefreshHeader /> : null}
      <PageHeader
        title="Review"
        description="Questions you missed and checks you did not pass come back here, spaced out so they stick: soon after a miss, then at growing intervals."
      >
        {overview.dueNow > 0 ? <ButtonLink href="/review/next">Start review ({overview.dueNow} due)</ButtonLink> : null}
      </PageHeader>
      <dl className="mb-8 grid grid-cols-2 gap-3 lg:grid-cols-4">
        {stats.map((stat) => (
          <div key={stat.id} className="flex flex-col gap-1 rounded-xl border border-slate-200 bg-white p-4 shadow-sm">
            <dt className="text-sm text-slate-700">{stat.label}</dt>
            <dd className="text-2xl font-semibold tabular-nums text-slate-900" data-stat={stat.id}>
              {stat.value}
            </dd>
            {stat.note ? <dd className="text-xs text-slate-600">{stat.note}</dd> : null}
          </div>
        ))}
      </dl>
      <section aria-labelledby="due-heading" className="mb-8">
        <h2 id="due-heading" className="mb-2 text-lg font-semibold text-slate-900">
          Due now
        </h2>
        {overview.due.length === 0 ? (
          <Card className="p-4 text-slate-700">
            Nothing is due.{" "}
            {overview.totalCards === 0 ? "Missed questions and failed checks will appear here." : "Come back when the next item is due."}
          </Card>
        ) : (
          <Card className="px-4 py-1">
            <ol aria-label="Due now, most overdue first">
              {overview.due.map((entry) => (
                <Entry key={entry.id} entry={entry} now={now} link />
              ))}
            </ol>
          </Card>
        )}
      </section>
      <section aria-labelledby="week-heading">
        <h2 id="week-heading" className="mb-2 text-lg font-semibold text-slate-900">
          Coming this week
        </h2>
        {overview.upcoming.length === 0 ? (
          <Card className="p-4 text-slate-700">Nothing else falls due in the next seven days.</Card>
        ) : (
          <Card className="px-4 py-1">
            <ol aria-label="Coming this week">
              {overview.upcoming.map((entry) => (
                <Entry key={entry.id} entry={entry} now={now} link={false} />
              ))}
            </ol>
          </Card>
        )}
      </section>
    </>
  );
}
