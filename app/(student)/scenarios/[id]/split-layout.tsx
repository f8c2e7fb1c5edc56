"use client";
// The scenario page's frame. From 1024 px: instructions in a scrollable left column, the terminal
// filling the right side at full height, a draggable divider between them (remembered), and an
// optional drawer beside the terminal. Below: one pane at a time under a sticky tab bar, the
// terminal's first. It knows nothing about scenarios' state, so a read-only preview can use it.
import { useCallback, useEffect, useRef, useState, type CSSProperties, type KeyboardEvent, type PointerEvent, type ReactNode } from "react";
import { cn } from "../../../_components/ui";

const SPLIT_KEY = "kubeprep:scenario-split";
const MIN_LEFT = 25;
const MAX_LEFT = 65;
const DEFAULT_LEFT = 32;

type Tab = "steps" | "terminal" | "why";

/** The shortcut between the instructions and the terminal: documented on the page (KeyboardHelp). */
export const FOCUS_SHORTCUT = {
  label: "Alt+Shift+T",
  matches: (event: globalThis.KeyboardEvent) => event.altKey && event.shiftKey && event.code === "KeyT",
};

function clamp(value: number): number {
  return Math.min(MAX_LEFT, Math.max(MIN_LEFT, Math.round(value)));
}

function storedSplit(): number {
  try {
    const value = Number(window.localStorage.getItem(SPLIT_KEY));
    return Number.isFinite(value) && value > 0 ? clamp(value) : DEFAULT_LEFT;
  } catch {
    return DEFAULT_LEFT;
  }
}

export function ScenarioSplitLayout({
  header,
  instructions,
  terminalHeader,
  terminal,
  why,
  whyOpen = false,
  focusTerminal,
}: {
  /** The title row above both panes. */
  header: ReactNode;
  /** The left column: situation, steps, hints, checks. */
  instructions: ReactNode;
  /** Above the terminal and the drawer, across the right side: toolbar, pass banner, messages. */
  terminalHeader?: ReactNode;
  /** The terminal itself: it fills the right side's height. */
  terminal: ReactNode;
  /** Shown beside the terminal when `whyOpen` (from 1024 px), and as its own tab below. */
  why?: ReactNode;
  whyOpen?: boolean;
  focusTerminal?: () => void;
}) {
  const [left, setLeft] = useState(DEFAULT_LEFT);
  const [tab, setTab] = useState<Tab>("terminal");
  const frameRef = useRef<HTMLDivElement>(null);
  const instructionsRef = useRef<HTMLDivElement>(null);
  const terminalPaneRef = useRef<HTMLDivElement>(null);
  const dragging = useRef(false);

  useEffect(() => setLeft(storedSplit()), []);

  const commit = useCallback((value: number) => {
    const next = clamp(value);
    setLeft(next);
    try {
      window.localStorage.setItem(SPLIT_KEY, String(next));
    } catch {
      // Private mode or storage full: the split still works, it is just not remembered.
    }
  }, []);

  // One shortcut moves focus between the instructions and the terminal, from anywhere on the page
  // (capture phase: the terminal would otherwise take the keystroke).
  useEffect(() => {
    const onKey = (event: globalThis.KeyboardEvent) => {
      if (!FOCUS_SHORTCUT.matches(event)) return;
      event.preventDefault();
      event.stopPropagation();
      if (terminalPaneRef.current?.contains(document.activeElement)) {
        setTab("steps");
        requestAnimationFrame(() => instructionsRef.current?.focus());
      } else {
        setTab("terminal");
        requestAnimationFrame(() => focusTerminal?.());
      }
    };
    window.addEventListener("keydown", onKey, true);
    return () => window.removeEventListener("keydown", onKey, true);
  }, [focusTerminal]);

  function onSeparatorKey(event: KeyboardEvent<HTMLDivElement>) {
    const step = event.shiftKey ? 10 : 2;
    const moves: Record<string, number> = { ArrowLeft: left - step, ArrowRight: left + step, Home: MIN_LEFT, End: MAX_LEFT };
    const next = moves[event.key];
    if (next === undefined) return;
    event.preventDefault();
    commit(next);
  }

  function onPointerDown(event: PointerEvent<HTMLDivElement>) {
    dragging.current = true;
    event.currentTarget.setPointerCapture(event.pointerId);
  }

  function onPointerMove(event: PointerEvent<HTMLDivElement>) {
    const frame = frameRef.current;
    if (!dragging.current || !frame) return;
    const box = frame.getBoundingClientRect();
    setLeft(clamp(((event.clientX - box.left) / box.width) * 100));
  }

  function onPointerUp(event: PointerEvent<HTMLDivElement>) {
    if (!dragging.current) return;
    dragging.current = false;
    event.currentTarget.releasePointerCapture(event.pointerId);
    commit(left);
  }

  const tabs: { id: Tab; label: string }[] = [
    { id: "steps", label: "Steps" },
    { id: "terminal", label: "Terminal" },
    ...(why ? [{ id: "why" as const, label: "Why?" }] : []),
  ];

  function onTabKey(event: KeyboardEvent<HTMLDivElement>) {
    const index = tabs.findIndex((entry) => entry.id === tab);
    const delta = event.key === "ArrowRight" ? 1 : event.key === "ArrowLeft" ? -1 : 0;
    if (delta === 0) return;
    event.preventDefault();
    const next = tabs[(index + delta + tabs.length) % tabs.length];
    if (!next) return;
    setTab(next.id);
    document.getElementById(`scenario-tab-${next.id}`)?.focus();
  }

  return (
    <div className="scenario-page flex flex-col gap-3">
      {header}
      <div
        role="tablist"
        aria-label="Scenario panes"
        onKeyDown={onTabKey}
        className="sticky top-0 z-10 -mx-4 flex border-b border-slate-200 bg-white px-2 sm:-mx-6 lg:hidden"
      >
        {tabs.map((entry) => (
          <button
            key={entry.id}
            id={`scenario-tab-${entry.id}`}
            type="button"
            role="tab"
            aria-selected={tab === entry.id}
            aria-controls={`scenario-pane-${entry.id}`}
            tabIndex={tab === entry.id ? 0 : -1}
            onClick={() => setTab(entry.id)}
            className={cn(
              "flex-1 border-b-2 px-3 py-2.5 text-sm font-medium",
              tab === entry.id ? "border-brand-700 text-brand-800" : "border-transparent text-slate-700 hover:text-slate-900",
            )}
          >
            {entry.label}
          </button>
        ))}
      </div>
      <div
        ref={frameRef}
        className="flex min-h-0 flex-1 flex-col lg:grid lg:grid-cols-[var(--split-left)_0.75rem_minmax(0,1fr)]"
        style={{ "--split-left": `${left}%` } as CSSProperties}
      >
        <div
          ref={instructionsRef}
          id="scenario-pane-steps"
          role="tabpanel"
          aria-labelledby="scenario-tab-steps"
          tabIndex={0}
          className={cn(
            // relative: its sr-only texts (absolute) are clipped here instead of growing the page below the footer.
            "relative min-h-0 flex-col gap-4 outline-none focus-visible:ring-2 focus-visible:ring-brand-600 lg:flex lg:overflow-y-auto lg:pr-1",
            tab === "steps" ? "flex" : "hidden",
          )}
        >
          {instructions}
        </div>
        <div
          role="separator"
          aria-orientation="vertical"
          aria-label="Resize the instructions and the terminal"
          aria-controls="scenario-pane-steps"
          aria-valuemin={MIN_LEFT}
          aria-valuemax={MAX_LEFT}
          aria-valuenow={left}
          aria-valuetext={`Instructions ${left}% of the width`}
          tabIndex={0}
          onKeyDown={onSeparatorKey}
          onPointerDown={onPointerDown}
          onPointerMove={onPointerMove}
          onPointerUp={onPointerUp}
          onPointerCancel={onPointerUp}
          className="group hidden cursor-col-resize touch-none justify-center outline-none lg:flex"
        >
          <span className="my-2 w-1 rounded-full bg-slate-200 group-hover:bg-brand-600 group-focus-visible:bg-brand-700 group-focus-visible:ring-2 group-focus-visible:ring-brand-600" />
        </div>
        <div ref={terminalPaneRef} className={cn("min-h-0 min-w-0 flex-col gap-2 lg:flex", tab === "steps" ? "hidden" : "flex")}>
          {terminalHeader}
          <div className="flex min-h-0 min-w-0 flex-1 gap-3">
            <div
              id="scenario-pane-terminal"
              role="tabpanel"
              aria-labelledby="scenario-tab-terminal"
              className={cn("min-h-0 min-w-0 flex-1 flex-col gap-2 lg:flex", tab === "terminal" ? "flex" : "hidden")}
            >
              {terminal}
            </div>
            {why ? (
              <div
                id="scenario-pane-why"
                role="tabpanel"
                aria-labelledby="scenario-tab-why"
                className={cn(
                  "min-h-0 min-w-0 flex-1 flex-col lg:w-[18rem] lg:flex-none 2xl:w-[24rem]",
                  tab === "why" ? "flex" : "hidden",
                  whyOpen ? "lg:flex" : "lg:hidden",
                )}
              >
                {why}
              </div>
            ) : null}
          </div>
        </div>
      </div>
    </div>
  );
}

/** The page's keyboard help: the focus shortcut, the divider, and the terminal's own keys. */
export function KeyboardHelp() {
  return (
    <details className="relative text-sm">
      <summary className="cursor-pointer rounded-md px-2 py-1 font-medium text-brand-700 hover:bg-slate-100">Keyboard</summary>
      <div className="absolute right-0 z-20 mt-1 w-80 rounded-lg border border-slate-200 bg-white p-3 text-slate-800 shadow-lg">
        <dl className="flex flex-col gap-2">
          <div>
            <dt className="font-mono text-xs font-semibold">{FOCUS_SHORTCUT.label}</dt>
            <dd>Move focus between the steps and the terminal.</dd>
          </div>
          <div>
            <dt className="font-mono text-xs font-semibold">Esc, then Tab</dt>
            <dd>Leave the terminal (Tab alone completes commands).</dd>
          </div>
          <div>
            <dt className="font-mono text-xs font-semibold">← →, Shift+← →, Home, End</dt>
            <dd>On the divider between the panes (wide screens): make the steps narrower or wider.</dd>
          </div>
        </dl>
      </div>
    </details>
  );
}
