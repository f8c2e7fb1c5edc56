import type { Metadata } from "next";
import { notFound, redirect } from "next/navigation";
import type { ReactNode } from "react";
import { requirePageUser } from "@/lib/auth/guard";
import { DomainError } from "@/lib/http/errors";
import { getAttempt } from "@/lib/exams/service";
import { Markdown } from "../../../scenarios/markdown";
import { ExamRoom } from "./exam-room";

export const metadata: Metadata = { title: "Exam" };

type Params = { params: Promise<{ id: string }> };

/** The attempt, or a 404 for an id that is not this learner's. */
async function attemptOr404(userId: string, id: string) {
  try {
    return await getAttempt(userId, id);
  } catch (error) {
    if (error instanceof DomainError && error.status === 404) notFound();
    throw error;
  }
}

export default async function ExamAttemptPage({ params }: Params) {
  const user = await requirePageUser("student");
  const { id } = await params;
  if (!/^[a-z0-9]{1,40}$/.test(id)) notFound();
  // A closed attempt (finished, or found past its deadline just now) shows its report.
  const view = await attemptOr404(user.id, id);
  if (view.status === "closed") redirect(`/exams/attempts/${id}/report`);

  // Task texts are markdown, rendered here; the browser gets the public paper only.
  const taskText: Record<string, ReactNode> = {};
  for (const section of view.paper.sections) {
    for (const item of section.items) {
      if (item.kind !== "task") continue;
      taskText[item.key] = (
        <>
          <Markdown source={item.story} className="lesson-prose text-[0.95rem] [&>p:first-child]:mt-0" />
          <div>
            <h3 className="text-base font-semibold text-slate-900">Objectives</h3>
            <ul className="mt-1 flex list-disc flex-col gap-1 pl-5 text-sm text-slate-800">
              {item.objectives.map((objective) => (
                <li key={objective}>{objective}</li>
              ))}
            </ul>
          </div>
          <ol className="flex flex-col gap-3">
            {item.steps.map((step, index) => (
              <li key={step.title} className="rounded-lg border border-slate-200 px-3 py-2">
                <h3 className="text-sm font-semibold text-slate-900">
                  Step {index + 1}: {step.title}
                </h3>
                <Markdown source={step.text} className="lesson-prose text-sm [&>p]:my-1" />
              </li>
            ))}
          </ol>
        </>
      );
    }
  }
  return <ExamRoom initial={view} taskText={taskText} />;
}
