"use client";
// The exam under exam conditions: a task list with status and flags, one item at a time, the
// notepad, and a timer counting down from the server's time left (alerts at 30, 15 and 5 minutes;
// at zero the browser submits, and the server closes the attempt anyway). Nothing here knows a
// key, a grade or a check: the server sends none of them before the close.
import { useRouter } from "next/navigation";
import { useCallback, useEffect, useMemo, useRef, useState, type ReactNode } from "react";
import type { ExamTerminalSnapshot, ItemStatus, OpenAttemptView, PublicExamAnswer } from "@/lib/exams/api-types";
import type { PublicPaperItem } from "@/lib/exams/public";
import type { TerminalOutput } from "@/lib/scenarios/api-types";
import { MAX_NOTEPAD_CHARS } from "@/lib/exams/api-types";
import { Button, buttonStyles, cn, FormAlert } from "../../../../_components/ui";
import { RichText } from "../../../../(public)/learn/_components/rich-text";
import { ConfirmDialog } from "../../../scenarios/[id]/confirm-dialog";
import { EditorPanel, type EditorFile } from "../../../scenarios/[id]/editor-panel";
import { ScenarioTerminal, type TerminalHandle } from "../../../scenarios/[id]/terminal";
import { examApi } from "./exam-api";

interface Entry {
  item: PublicPaperItem;
  /** "Task 1", "Question 3". */
  label: string;
  title: string;
}

const ALERT_MINUTES = [30, 15, 5];

function formatClock(ms: number): string {
  const total = Math.ceil(ms / 1000);
  const hours = Math.floor(total / 3600);
  const minutes = Math.floor((total % 3600) / 60);
  const seconds = total % 60;
  const mm = String(minutes).padStart(2, "0");
  const ss = String(seconds).padStart(2, "0");
  return hours > 0 ? `${hours}:${mm}:${ss}` : `${mm}:${ss}`;
}

function spokenTime(ms: number): string {
  const minutes = Math.ceil(ms / 60_000);
  return minutes <= 1 ? "less than a minute" : `${minutes} minutes`;
}

function entriesOf(view: OpenAttemptView): Entry[] {
  let tasks = 0;
  let questions = 0;
  return view.paper.sections.flatMap((section) =>
    section.items.map((item): Entry => {
      if (item.kind === "task") {
        tasks++;
        return { item, label: `Task ${tasks}`, title: item.title };
      }
      questions++;
      return { item, label: `Question ${questions}`, title: section.title };
    }),
  );
}

function newSubmissionId(): string {
  return crypto.randomUUID();
}

/** Counts down from the server's remaining time; the server's deadline stays the truth. */
function useCountdown(remainingMs: number, syncedAt: number) {
  const [left, setLeft] = useState(remainingMs);
  useEffect(() => {
    const end = syncedAt + remainingMs;
    const tick = () => setLeft(Math.max(0, end - performance.now()));
    tick();
    const timer = window.setInterval(tick, 1000);
    return () => window.clearInterval(timer);
  }, [remainingMs, syncedAt]);
  return left;
}

export function ExamRoom({ initial, taskText }: { initial: OpenAttemptView; taskText: Record<string, ReactNode> }) {
  const router = useRouter();
  const attemptId = initial.attemptId;
  const entries = useMemo(() => entriesOf(initial), [initial]);
  const storageKey = `kubeprep:exam:${attemptId}:item`;
  const [current, setCurrent] = useState(0);
  const [answers, setAnswers] = useState<Record<string, PublicExamAnswer>>(initial.answers);
  const [status, setStatus] = useState<Record<string, ItemStatus>>(initial.itemStatus);
  const [flags, setFlags] = useState<string[]>(initial.flags);
  const [clock, setClock] = useState({ remainingMs: initial.remainingMs, syncedAt: 0 });
  const [alert, setAlert] = useState<string>();
  const [error, setError] = useState<string>();
  const [confirming, setConfirming] = useState(false);
  const [finishing, setFinishing] = useState(false);
  const [timeUp, setTimeUp] = useState(false);
  const announced = useRef(new Set(initial.alertsReached));
  const reportUrl = `/exams/attempts/${attemptId}/report`;

  useEffect(() => {
    setClock({ remainingMs: initial.remainingMs, syncedAt: performance.now() });
    try {
      const stored = Number(window.sessionStorage.getItem(storageKey));
      if (Number.isInteger(stored) && stored >= 0 && stored < entries.length) setCurrent(stored);
    } catch {
      // No storage: start at the first item.
    }
  }, [initial.remainingMs, storageKey, entries.length]);

  const left = useCountdown(clock.remainingMs, clock.syncedAt);
  const thresholds = ALERT_MINUTES.filter((minutes) => minutes < initial.paper.durationMinutes);

  const finish = useCallback(async () => {
    setFinishing(true);
    const result = await examApi.close(attemptId);
    if (result.ok) {
      router.push(reportUrl);
      return;
    }
    setFinishing(false);
    setConfirming(false);
    // The server closes it anyway at the deadline; the report appears on the next visit.
    setError(`${result.error} Your exam is closed at the deadline in any case; reload to see your report.`);
  }, [attemptId, reportUrl, router]);

  // Alerts, and the automatic submission at zero.
  useEffect(() => {
    if (clock.syncedAt === 0) return;
    for (const minutes of thresholds) {
      if (left <= minutes * 60_000 && left > 0 && !announced.current.has(minutes)) {
        announced.current.add(minutes);
        setAlert(`${minutes} minutes left.`);
      }
    }
    if (left === 0 && !timeUp) {
      setTimeUp(true);
      setAlert("Time is up. Your exam is being submitted.");
      void finish();
    }
  }, [left, thresholds, timeUp, finish, clock.syncedAt]);

  // Back from another tab or a sleeping laptop: the server's clock again.
  useEffect(() => {
    const resync = async () => {
      if (document.visibilityState !== "visible") return;
      const result = await examApi.attempt(attemptId);
      if (!result.ok) return;
      if (result.data.status === "closed") router.push(reportUrl);
      else setClock({ remainingMs: result.data.remainingMs, syncedAt: performance.now() });
    };
    document.addEventListener("visibilitychange", resync);
    return () => document.removeEventListener("visibilitychange", resync);
  }, [attemptId, reportUrl, router]);

  function go(index: number) {
    setCurrent(index);
    setError(undefined);
    try {
      window.sessionStorage.setItem(storageKey, String(index));
    } catch {
      // Not remembered over a reload.
    }
    requestAnimationFrame(() => document.getElementById("exam-item-heading")?.focus());
  }

  async function toggleFlag(key: string) {
    const flagged = !flags.includes(key);
    const result = await examApi.flag(attemptId, key, flagged);
    if (result.ok) setFlags(result.data.flags);
    else setError(result.error);
  }

  const entry = entries[current];
  const questionEntries = entries.filter((candidate) => candidate.item.kind === "question");
  const answered = questionEntries.filter((candidate) => status[candidate.item.key] === "attempted").length;
  const taskEntries = entries.filter((candidate) => candidate.item.kind === "task");
  const worked = taskEntries.filter((candidate) => status[candidate.item.key] === "attempted").length;
  const lowTime = left <= 5 * 60_000;

  return (
    <div className="flex flex-col gap-4">
      <div className="sticky top-0 z-10 -mx-4 flex flex-wrap items-center justify-between gap-3 border-b border-slate-200 bg-white/95 px-4 py-3 backdrop-blur sm:mx-0 sm:rounded-xl sm:border">
        <div className="min-w-0">
          <h1 className="text-lg font-semibold text-slate-900 sm:text-xl">{initial.paper.title}</h1>
          <p className="text-sm text-slate-600">
            Attempt {initial.number} · pass mark {initial.paper.passMark}%
          </p>
        </div>
        <div className="flex items-center gap-3">
          <p
            className={cn(
              "rounded-lg px-3 py-1.5 font-mono text-lg font-semibold tabular-nums",
              lowTime ? "bg-red-50 text-red-800" : "bg-slate-100 text-slate-900",
            )}
          >
            <span className="sr-only">Time left: </span>
            <span role="timer" aria-label={`Time left: ${spokenTime(left)}`}>
              {formatClock(left)}
            </span>
          </p>
          <Button onClick={() => setConfirming(true)} disabled={finishing}>
            Finish exam
          </Button>
        </div>
      </div>
      {/* Announced as soon as it changes: the time alerts and the automatic submission. */}
      <div role="alert" aria-live="assertive" className="empty:hidden">
        {alert ? <p className="rounded-lg border border-amber-300 bg-amber-50 px-4 py-2 font-medium text-amber-950">{alert}</p> : null}
      </div>
      {error ? <FormAlert>{error}</FormAlert> : null}

      {/* The current item first (phones read it first); from 1024 px the list and notepad sit on its left. */}
      <div className="grid grid-cols-1 gap-4 lg:grid-cols-[18rem_minmax(0,1fr)]">
        <div className="min-w-0 lg:col-start-2 lg:row-start-1">
          {entry ? (
            <section
              aria-labelledby="exam-item-heading"
              className="flex flex-col gap-4 rounded-xl border border-slate-200 bg-white p-4 shadow-sm sm:p-6"
            >
              <div className="flex flex-wrap items-start justify-between gap-3">
                <div className="min-w-0">
                  <h2 id="exam-item-heading" tabIndex={-1} className="text-xl font-semibold text-slate-900 focus:outline-none">
                    {entry.label}
                    {entry.item.kind === "task" ? `: ${entry.title}` : ""}
                  </h2>
                  <p className="text-sm text-slate-600">
                    {entry.item.points.toFixed(1)} points
                    {entry.item.kind === "task" ? ` · graded by ${entry.item.checkCount} checks when the exam closes` : ""}
                  </p>
                </div>
                <Button
                  variant="secondary"
                  size="sm"
                  aria-pressed={flags.includes(entry.item.key)}
                  onClick={() => void toggleFlag(entry.item.key)}
                >
                  {flags.includes(entry.item.key) ? "Flagged for review" : "Flag for review"}
                </Button>
              </div>
              {entry.item.kind === "question" ? (
                <QuestionPane
                  key={entry.item.key}
                  attemptId={attemptId}
                  item={entry.item}
                  saved={answers[entry.item.key]}
                  onSaved={(answer) => {
                    const key = entry.item.key;
                    setAnswers((all) => ({ ...all, [key]: answer }));
                    setStatus((all) => ({ ...all, [key]: "attempted" }));
                  }}
                />
              ) : (
                <TaskPane
                  key={entry.item.key}
                  attemptId={attemptId}
                  item={entry.item}
                  text={taskText[entry.item.key]}
                  onCommand={() => setStatus((all) => ({ ...all, [entry.item.key]: "attempted" }))}
                />
              )}
              <div className="flex flex-wrap justify-between gap-3 border-t border-slate-100 pt-4">
                <Button variant="secondary" disabled={current === 0} onClick={() => go(current - 1)}>
                  ← Previous
                </Button>
                <Button variant="secondary" disabled={current === entries.length - 1} onClick={() => go(current + 1)}>
                  Next →
                </Button>
              </div>
            </section>
          ) : null}
        </div>
        <aside className="flex min-w-0 flex-col gap-4 lg:col-start-1 lg:row-start-1">
          <nav aria-label="Tasks and questions" className="rounded-xl border border-slate-200 bg-white p-3 shadow-sm">
            <h2 className="px-1 text-sm font-semibold text-slate-900">
              Tasks and questions <span className="font-normal text-slate-600">({entries.length})</span>
            </h2>
            <ol className="mt-2 flex max-h-[40dvh] flex-col gap-1 overflow-y-auto p-0.5 lg:max-h-none">
              {entries.map((candidate, index) => {
                const key = candidate.item.key;
                const flagged = flags.includes(key);
                const state = status[key] === "attempted" ? "Attempted" : "Not started";
                return (
                  <li key={key}>
                    <button
                      type="button"
                      onClick={() => go(index)}
                      aria-current={index === current ? "step" : undefined}
                      className={cn(
                        "flex w-full items-center justify-between gap-2 rounded-md px-2 py-1.5 text-left text-sm",
                        index === current
                          ? "bg-brand-50 font-semibold text-brand-900 ring-1 ring-brand-600/40"
                          : "text-slate-800 hover:bg-slate-50",
                      )}
                    >
                      <span className="min-w-0 truncate">
                        {candidate.label}
                        {candidate.item.kind === "task" ? `: ${candidate.title}` : ""}
                      </span>
                      <span className="flex shrink-0 items-center gap-1 text-xs font-normal">
                        {flagged ? <span className="rounded bg-amber-100 px-1.5 py-0.5 text-amber-900">Flagged</span> : null}
                        <span
                          className={cn(
                            "rounded px-1.5 py-0.5",
                            state === "Attempted" ? "bg-green-100 text-green-900" : "bg-slate-100 text-slate-700",
                          )}
                        >
                          {state}
                        </span>
                      </span>
                    </button>
                  </li>
                );
              })}
            </ol>
          </nav>
          <Notepad attemptId={attemptId} initial={initial.notepad} />
        </aside>
      </div>

      <ConfirmDialog
        open={confirming}
        title="Finish the exam?"
        body={`You answered ${answered} of ${questionEntries.length} questions and worked on ${worked} of ${taskEntries.length} tasks; ${flags.length} flagged for review. Once you finish, nothing can be changed and your score report is shown.`}
        confirmLabel="Finish exam"
        busy={finishing}
        onConfirm={() => void finish()}
        onCancel={() => setConfirming(false)}
      />
    </div>
  );
}

function QuestionPane({
  attemptId,
  item,
  saved,
  onSaved,
}: {
  attemptId: string;
  item: Extract<PublicPaperItem, { kind: "question" }>;
  saved: PublicExamAnswer | undefined;
  onSaved: (answer: PublicExamAnswer) => void;
}) {
  const { question } = item;
  const [picked, setPicked] = useState<string[]>(saved && "optionIds" in saved ? saved.optionIds : []);
  const [text, setText] = useState(saved && "text" in saved ? saved.text : "");
  const [state, setState] = useState<"saved" | "unsaved" | "saving">(saved ? "saved" : "unsaved");
  const [error, setError] = useState<string>();
  const shownAt = useRef(0);
  useEffect(() => {
    shownAt.current = performance.now();
  }, []);
  const promptId = `prompt-${item.key}`;
  const inputName = `answer-${item.key}`;

  async function save() {
    const response = question.options ? { optionIds: picked } : { text };
    setState("saving");
    setError(undefined);
    const timeSpentSeconds = Math.min(86_400, Math.round((performance.now() - shownAt.current) / 1000));
    const result = await examApi.answer(attemptId, { itemKey: item.key, response, submissionId: newSubmissionId(), timeSpentSeconds });
    if (!result.ok) {
      setState("unsaved");
      setError(result.error);
      return;
    }
    shownAt.current = performance.now();
    setState("saved");
    onSaved(response);
  }

  function change(next: () => void) {
    next();
    setState("unsaved");
  }

  return (
    <form
      onSubmit={(event) => {
        event.preventDefault();
        void save();
      }}
      className="flex flex-col gap-4"
      data-question-id={question.id}
    >
      <fieldset aria-labelledby={promptId} className="flex flex-col gap-3">
        <legend id={promptId} className="text-base text-slate-900">
          <RichText text={question.prompt} />
          {question.multiple ? <span className="mt-1 block text-sm text-slate-600">Choose every option that applies.</span> : null}
        </legend>
        {question.options ? (
          <ul className="flex flex-col gap-2">
            {question.options.map((option) => {
              const id = `${inputName}-${option.id}`;
              const checked = picked.includes(option.id);
              return (
                <li key={option.id}>
                  <label
                    htmlFor={id}
                    className={cn(
                      "flex cursor-pointer items-start gap-3 rounded-lg border px-3 py-2.5 text-sm",
                      checked ? "border-brand-600 bg-brand-50" : "border-slate-200 hover:bg-slate-50",
                    )}
                  >
                    <input
                      id={id}
                      type={question.multiple ? "checkbox" : "radio"}
                      name={inputName}
                      className="mt-0.5 h-4 w-4 shrink-0"
                      checked={checked}
                      onChange={(event) =>
                        change(() =>
                          setPicked((current) =>
                            question.multiple
                              ? event.target.checked
                                ? [...current, option.id]
                                : current.filter((other) => other !== option.id)
                              : [option.id],
                          ),
                        )
                      }
                    />
                    <span className="min-w-0">
                      <RichText text={option.text} inline />
                    </span>
                  </label>
                </li>
              );
            })}
          </ul>
        ) : (
          <div className="flex flex-col gap-1.5">
            <label htmlFor={inputName} className="text-sm font-medium text-slate-800">
              Your answer
            </label>
            <input
              id={inputName}
              value={text}
              maxLength={2000}
              autoComplete="off"
              spellCheck={false}
              onChange={(event) => change(() => setText(event.target.value))}
              className="h-10 rounded-md border border-slate-300 bg-white px-3 font-mono text-sm text-slate-900"
            />
          </div>
        )}
      </fieldset>
      <div className="flex flex-wrap items-center gap-3">
        <Button type="submit" disabled={state === "saving" || (question.options ? picked.length === 0 : text.trim() === "")}>
          {state === "saving" ? "Saving…" : "Save answer"}
        </Button>
        <p role="status" className="text-sm text-slate-700">
          {state === "saved"
            ? "Answer saved. You can change it until the exam ends."
            : state === "unsaved" && saved
              ? "Changed, not saved yet."
              : ""}
        </p>
      </div>
      {error ? <FormAlert>{error}</FormAlert> : null}
    </form>
  );
}

function TaskPane({
  attemptId,
  item,
  text,
  onCommand,
}: {
  attemptId: string;
  item: Extract<PublicPaperItem, { kind: "task" }>;
  text: ReactNode;
  onCommand: () => void;
}) {
  const [snapshot, setSnapshot] = useState<ExamTerminalSnapshot | null>(null);
  const [error, setError] = useState<string>();
  const [editorFile, setEditorFile] = useState<EditorFile | null>(null);
  const terminalRef = useRef<TerminalHandle>(null);
  const key = item.key;

  const load = useCallback(async () => {
    setError(undefined);
    const result = await examApi.openTask(attemptId, key);
    if (result.ok) setSnapshot(result.data);
    else setError(result.error);
  }, [attemptId, key]);

  useEffect(() => {
    void load();
  }, [load]);

  const io = useMemo(
    () => ({
      run: (input: string, requestId: string) => examApi.command(attemptId, key, input, requestId),
      complete: (line: string, cursor: number) => examApi.complete(attemptId, key, line, cursor),
    }),
    [attemptId, key],
  );
  const onResponse = useCallback(
    (_input: string, response: TerminalOutput) => {
      onCommand();
      if (response.openEditor) setEditorFile(response.openEditor);
    },
    [onCommand],
  );

  return (
    <div className="flex flex-col gap-4">
      <div className="flex flex-col gap-2">{text}</div>
      <section aria-labelledby={`terminal-${key}`} className="flex flex-col gap-2">
        <div className="flex flex-wrap items-center justify-between gap-2">
          <h3 id={`terminal-${key}`} className="text-base font-semibold text-slate-900">
            Terminal (this task&apos;s own cluster)
          </h3>
          <a href={examApi.kubeconfigUrl(attemptId, key)} download className={buttonStyles({ variant: "secondary", size: "sm" })}>
            Download kubeconfig
          </a>
        </div>
        {error ? (
          <div className="flex flex-col items-start gap-3">
            <FormAlert>This task&apos;s cluster could not be opened: {error}</FormAlert>
            <Button variant="secondary" size="sm" onClick={() => void load()}>
              Try again
            </Button>
          </div>
        ) : null}
        <div className="flex h-[60dvh] min-h-64 flex-col lg:h-[30rem]">
          {snapshot ? (
            <ScenarioTerminal ref={terminalRef} sessionKey={key} io={io} snapshot={snapshot} onResponse={onResponse} />
          ) : (
            <div className="grid flex-1 place-items-center rounded-lg bg-slate-900 text-sm text-slate-300" role="status">
              {error ? "No terminal" : "Preparing this task's cluster…"}
            </div>
          )}
        </div>
      </section>
      <EditorPanel
        save={(path, content) => examApi.saveFile(attemptId, key, path, content)}
        file={editorFile}
        onClose={() => {
          setEditorFile(null);
          terminalRef.current?.focus();
        }}
      />
    </div>
  );
}

function Notepad({ attemptId, initial }: { attemptId: string; initial: string }) {
  const [text, setText] = useState(initial);
  const [state, setState] = useState<"saved" | "unsaved" | "saving" | "error">("saved");
  const [error, setError] = useState<string>();
  const latest = useRef(initial);
  const timer = useRef<number | undefined>(undefined);

  const save = useCallback(async () => {
    window.clearTimeout(timer.current);
    const value = latest.current;
    setState("saving");
    const result = await examApi.notepad(attemptId, value);
    if (!result.ok) {
      setState("error");
      setError(result.error);
      return;
    }
    setError(undefined);
    setState(latest.current === value ? "saved" : "unsaved");
  }, [attemptId]);

  return (
    <section aria-labelledby="notepad-heading" className="rounded-xl border border-slate-200 bg-white p-3 shadow-sm">
      <div className="flex items-center justify-between gap-2">
        <h2 id="notepad-heading" className="px-1 text-sm font-semibold text-slate-900">
          <label htmlFor="exam-notepad">Notepad</label>
        </h2>
        <p role="status" className="text-xs text-slate-600">
          {state === "saved" ? "Saved" : state === "saving" ? "Saving…" : state === "unsaved" ? "Not saved yet" : ""}
        </p>
      </div>
      <textarea
        id="exam-notepad"
        value={text}
        maxLength={MAX_NOTEPAD_CHARS}
        rows={5}
        aria-describedby="exam-notepad-help"
        onChange={(event) => {
          setText(event.target.value);
          latest.current = event.target.value;
          setState("unsaved");
          window.clearTimeout(timer.current);
          timer.current = window.setTimeout(() => void save(), 1500);
        }}
        onBlur={() => {
          if (state === "unsaved") void save();
        }}
        className="mt-2 w-full rounded-md border border-slate-300 bg-white px-2 py-1.5 font-mono text-sm text-slate-900"
      />
      <p id="exam-notepad-help" className="text-xs text-slate-600">
        Kept with this attempt on the server; saved as you type.
      </p>
      {error ? <FormAlert>{error}</FormAlert> : null}
    </section>
  );
}
