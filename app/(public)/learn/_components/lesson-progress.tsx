"use client";
// The learner's personal layer over a static lesson page: records the visit and visible time,
// loads past answers, and offers "Mark as complete". Nothing here runs for anonymous visitors.
import { createContext, useCallback, useContext, useEffect, useMemo, useRef, useState, type ReactNode } from "react";
import type { LessonState, QuestionState } from "@/lib/progress/types";
import type { LessonRef } from "@/lib/quiz/submission";
import { HEARTBEAT_INTERVAL_MS, MAX_HEARTBEAT_SECONDS } from "@/lib/progress/limits";
import { Button } from "../../../_components/button";
import { useViewer } from "../../../_components/providers";

interface LessonProgressValue {
  lesson: LessonRef;
  signedIn: boolean | undefined;
  state: LessonState | null;
  /** The learner's lesson state could not be loaded (questions then fall back to a random option order). */
  loadFailed: boolean;
  recordAnswer(questionId: string, update: { question: QuestionState; lessonCompleted: boolean }): void;
  markComplete(): Promise<void>;
}

const LessonProgressContext = createContext<LessonProgressValue | null>(null);

export function useLessonProgress(): LessonProgressValue | null {
  return useContext(LessonProgressContext);
}

function postJson(url: string, body: unknown): Promise<Response> {
  return fetch(url, { method: "POST", headers: { "Content-Type": "application/json" }, body: JSON.stringify(body) });
}

function useVisibleTime(lesson: LessonRef, enabled: boolean): void {
  const visibleSince = useRef<number | null>(null);
  const pending = useRef(0);
  useEffect(() => {
    if (!enabled) return;
    const take = (): number => {
      const now = Date.now();
      if (visibleSince.current !== null) pending.current += (now - visibleSince.current) / 1000;
      visibleSince.current = document.visibilityState === "visible" ? now : null;
      const seconds = Math.min(MAX_HEARTBEAT_SECONDS, Math.floor(pending.current));
      pending.current -= seconds;
      return seconds;
    };
    const beat = (useBeacon: boolean) => {
      const seconds = take();
      if (seconds < 1) return;
      const body = JSON.stringify({ ...lesson, seconds });
      if (useBeacon && navigator.sendBeacon)
        navigator.sendBeacon("/api/progress/heartbeat", new Blob([body], { type: "application/json" }));
      else
        void fetch("/api/progress/heartbeat", { method: "POST", headers: { "Content-Type": "application/json" }, body, keepalive: true });
    };
    visibleSince.current = document.visibilityState === "visible" ? Date.now() : null;
    const timer = setInterval(() => beat(false), HEARTBEAT_INTERVAL_MS);
    const onVisibility = () => (document.visibilityState === "hidden" ? beat(true) : take());
    const onHide = () => beat(true);
    document.addEventListener("visibilitychange", onVisibility);
    window.addEventListener("pagehide", onHide);
    return () => {
      clearInterval(timer);
      document.removeEventListener("visibilitychange", onVisibility);
      window.removeEventListener("pagehide", onHide);
      beat(true);
    };
  }, [enabled, lesson]);
}

export function LessonProgressProvider({ moduleId, lessonSlug, children }: { moduleId: string; lessonSlug: string; children: ReactNode }) {
  const signedIn = useViewer() !== null;
  const lesson = useMemo(() => ({ moduleId, lessonSlug }), [moduleId, lessonSlug]);
  const [state, setState] = useState<LessonState | null>(null);
  const [loadFailed, setLoadFailed] = useState(false);

  useEffect(() => {
    if (!signedIn) return;
    let cancelled = false;
    void (async () => {
      try {
        await postJson("/api/progress/visit", lesson);
        const response = await fetch(`/api/progress/lessons/${lesson.moduleId}/${lesson.lessonSlug}`, { cache: "no-store" });
        if (cancelled) return;
        if (response.ok) setState((await response.json()) as LessonState);
        else setLoadFailed(true);
      } catch {
        if (!cancelled) setLoadFailed(true);
      }
    })();
    return () => {
      cancelled = true;
    };
  }, [signedIn, lesson]);
  useVisibleTime(lesson, signedIn === true);

  const recordAnswer = useCallback<LessonProgressValue["recordAnswer"]>((questionId, update) => {
    setState((previous) => {
      if (!previous) return previous;
      return {
        ...previous,
        completedAt: previous.completedAt ?? (update.lessonCompleted ? new Date().toISOString() : null),
        completedBy: previous.completedBy ?? (update.lessonCompleted ? "questions" : null),
        questions: { ...previous.questions, [questionId]: update.question },
      };
    });
  }, []);

  const markComplete = useCallback(async () => {
    const response = await postJson("/api/progress/complete", lesson);
    if (!response.ok) return;
    const body = (await response.json()) as { completedAt: string | null; completedBy: string | null };
    setState((previous) => (previous ? { ...previous, completedAt: body.completedAt, completedBy: body.completedBy } : previous));
  }, [lesson]);

  const value = useMemo(
    () => ({ lesson, signedIn, state, loadFailed, recordAnswer, markComplete }),
    [lesson, signedIn, state, loadFailed, recordAnswer, markComplete],
  );
  return <LessonProgressContext.Provider value={value}>{children}</LessonProgressContext.Provider>;
}

/** End of the lesson: completion status, or the button to complete it by hand. */
export function LessonCompletion({ questionCount }: { questionCount: number }) {
  const progress = useLessonProgress();
  const [busy, setBusy] = useState(false);
  if (!progress || progress.signedIn === undefined) return null;
  if (!progress.signedIn) {
    return <p className="text-sm text-slate-700">Sign in to keep your progress and answers across devices.</p>;
  }
  const answered = Object.keys(progress.state?.questions ?? {}).length;
  return (
    <div role="status" className="flex flex-col gap-3 sm:flex-row sm:items-center sm:justify-between">
      {progress.state?.completedAt ? (
        <p className="font-medium text-green-800">
          <span aria-hidden="true">✓ </span>Lesson complete
        </p>
      ) : (
        <>
          <p className="text-sm text-slate-700">
            {questionCount > 0
              ? `${answered} of ${questionCount} questions answered. Answer them all to complete the lesson, or`
              : "Done reading?"}
          </p>
          <Button
            variant="secondary"
            disabled={busy || progress.state === null}
            onClick={() => {
              setBusy(true);
              void progress.markComplete().finally(() => setBusy(false));
            }}
          >
            Mark as complete
          </Button>
        </>
      )}
    </div>
  );
}
