"use client";
// Progress bars, lesson status and "Continue where you left off" on the static course and
// module pages, filled in from the learner's own data after the page has loaded.
import { createContext, useContext, useEffect, useState, type ReactNode } from "react";
import type { CourseProgress, LessonStatus as Status } from "@/lib/progress/types";
import { clsx } from "clsx";
import { ButtonLink } from "../../../_components/button";
import { useViewer } from "../../../_components/providers";

const CourseProgressContext = createContext<CourseProgress | null>(null);

export function CourseProgressProvider({ children }: { children: ReactNode }) {
  const signedIn = useViewer() !== null;
  const [progress, setProgress] = useState<CourseProgress | null>(null);
  useEffect(() => {
    if (!signedIn) return;
    let cancelled = false;
    void fetch("/api/progress/course", { cache: "no-store" }).then(async (response) => {
      if (!cancelled && response.ok) setProgress((await response.json()) as CourseProgress);
    });
    return () => {
      cancelled = true;
    };
  }, [signedIn]);
  return <CourseProgressContext.Provider value={progress}>{children}</CourseProgressContext.Provider>;
}

export function ProgressBar({ percent, label }: { percent: number; label: string }) {
  return (
    <div className="flex items-center gap-3">
      <div
        role="progressbar"
        aria-label={label}
        aria-valuemin={0}
        aria-valuemax={100}
        aria-valuenow={percent}
        className="h-2 flex-1 overflow-hidden rounded-full bg-slate-200"
      >
        <div className="h-full rounded-full bg-brand-700" style={{ width: `${percent}%` }} />
      </div>
      <span className="w-10 text-right text-sm tabular-nums text-slate-700">{percent}%</span>
    </div>
  );
}

export function ModuleProgress({ moduleId, title }: { moduleId: string; title: string }) {
  const progress = useContext(CourseProgressContext);
  const found = progress?.modules.find((m) => m.id === moduleId);
  if (!found) return null;
  return (
    <div className="mt-4">
      <ProgressBar percent={found.percent} label={`${title} progress`} />
      <p className="mt-1 text-xs text-slate-600">
        {found.completedLessons} of {found.lessons.length} lessons complete
      </p>
    </div>
  );
}

const STATUS: Record<Status, { label: string; className: string }> = {
  "not-started": { label: "Not started", className: "bg-slate-100 text-slate-700" },
  "in-progress": { label: "In progress", className: "bg-amber-100 text-amber-900" },
  completed: { label: "Completed", className: "bg-green-100 text-green-900" },
};

export function LessonStatusBadge({ moduleId, slug }: { moduleId: string; slug: string }) {
  const progress = useContext(CourseProgressContext);
  const lesson = progress?.modules.find((m) => m.id === moduleId)?.lessons.find((l) => l.slug === slug);
  if (!lesson) return null;
  const style = STATUS[lesson.status];
  return (
    <span className={clsx("inline-flex items-center rounded-full px-2.5 py-0.5 text-xs font-medium", style.className)}>
      {style.label}
      {lesson.questionCount > 0 && lesson.answeredCount > 0 ? ` · ${lesson.answeredCount}/${lesson.questionCount} answered` : ""}
    </span>
  );
}

export function ContinueLearning() {
  const progress = useContext(CourseProgressContext);
  const target = progress?.continueWith;
  if (!progress || !target) return null;
  const verb = target.reason === "continue" ? "Continue where you left off" : target.reason === "next" ? "Up next" : "Start here";
  return (
    <section
      aria-label="Continue learning"
      className="mb-8 flex flex-col gap-3 rounded-xl border border-brand-100 bg-brand-50 p-5 sm:flex-row sm:items-center sm:justify-between"
    >
      <div>
        <p className="text-sm font-semibold text-brand-800">{verb}</p>
        <p className="text-lg font-semibold text-slate-900">{target.lesson.title}</p>
        <p className="text-sm text-slate-700">
          Course: {progress.completedLessons} of {progress.totalLessons} lessons complete, {progress.questionsAnswered} of{" "}
          {progress.totalQuestions} questions answered
        </p>
      </div>
      <ButtonLink href={target.lesson.href}>{target.reason === "continue" ? "Continue" : "Open lesson"}</ButtonLink>
    </section>
  );
}
