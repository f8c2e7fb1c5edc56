"use client";
// The scenario terminal: xterm.js draws, ShellSession edits the line, the server runs everything.
import "@xterm/xterm/css/xterm.css";
import { useEffect, useImperativeHandle, useRef, useState, type Ref } from "react";
import type { TerminalOutput, TerminalSnapshot } from "@/lib/scenarios/api-types";
import { cn } from "../../../_components/ui";
import { newRequestId, type ApiResult, type CompletionResult } from "./api";
import { ShellSession } from "./shell-session";
import { FOCUS_SHORTCUT } from "./split-layout";

/** Where the terminal's commands go: a scenario's routes, or an exam task's. */
export interface TerminalIo<R extends TerminalOutput> {
  run(input: string, requestId: string): Promise<ApiResult<R>>;
  complete(line: string, cursor: number): Promise<ApiResult<CompletionResult>>;
}

export interface TerminalHandle {
  focus(): void;
}

interface LogEntry {
  id: number;
  command?: string;
  output: string;
}

const MAX_LOG_ENTRIES = 200;

const THEME = {
  background: "#0f172a",
  foreground: "#e2e8f0",
  cursor: "#93c5fd",
  cursorAccent: "#0f172a",
  selectionBackground: "#334155",
};

export function ScenarioTerminal<R extends TerminalOutput>({
  sessionKey,
  io,
  snapshot,
  onResponse,
  ref,
}: {
  /** What the terminal is attached to (a scenario id, an exam task): a new key starts a new session. */
  sessionKey: string;
  io: TerminalIo<R>;
  /** A new snapshot (reset, give up) starts a new session on a fresh screen. */
  snapshot: Pick<TerminalSnapshot, "prompt" | "transcript" | "history">;
  onResponse: (input: string, response: R) => void;
  ref?: Ref<TerminalHandle>;
}) {
  const hostRef = useRef<HTMLDivElement>(null);
  const focusRef = useRef<() => void>(() => undefined);
  const onResponseRef = useRef(onResponse);
  const ioRef = useRef(io);
  const nextLogId = useRef(1);
  const [ready, setReady] = useState(false);
  const [logOpen, setLogOpen] = useState(false);
  const [log, setLog] = useState<LogEntry[]>([]);

  useEffect(() => {
    onResponseRef.current = onResponse;
    ioRef.current = io;
  }, [onResponse, io]);

  useImperativeHandle(ref, () => ({ focus: () => focusRef.current() }), []);

  useEffect(() => {
    let disposed = false;
    let cleanup = () => undefined as void;
    setReady(false);
    setLog(snapshot.transcript ? [{ id: 0, output: snapshot.transcript }] : []);

    void (async () => {
      const [{ Terminal }, { FitAddon }] = await Promise.all([import("@xterm/xterm"), import("@xterm/addon-fit")]);
      const host = hostRef.current;
      if (disposed || !host) return;
      const narrow = host.clientWidth < 480;
      const term = new Terminal({
        screenReaderMode: true,
        cursorBlink: true,
        fontFamily: 'ui-monospace, SFMono-Regular, Menlo, Consolas, "Liberation Mono", monospace',
        fontSize: narrow ? 12 : 14,
        lineHeight: 1.2,
        scrollback: 5000,
        theme: THEME,
      });
      const fit = new FitAddon();
      term.loadAddon(fit);
      term.open(host);
      fit.fit();
      term.textarea?.setAttribute("aria-label", "Scenario terminal");
      term.textarea?.setAttribute("aria-describedby", "terminal-keys-help");
      // Tab completes inside the terminal; Escape hands the keyboard back to the page.
      term.attachCustomKeyEventHandler((event) => {
        if (event.type === "keydown" && event.key === "Escape") {
          term.blur();
          return false;
        }
        return true;
      });
      // Bracketed paste: a paste arrives marked, so it is never mistaken for typing.
      term.write("\x1b[?2004h");

      const session = new ShellSession(
        {
          write: (data) => term.write(data),
          get cols() {
            return term.cols;
          },
        },
        {
          run: (input) => ioRef.current.run(input, newRequestId()),
          complete: (line, cursor) => ioRef.current.complete(line, cursor),
          // The response came from ioRef's run, so it is an R.
          onResponse: (input, response) => onResponseRef.current(input, response as R),
          onLog: (entry) => {
            const id = nextLogId.current++;
            setLog((entries) => [...entries, { id, ...entry }].slice(-MAX_LOG_ENTRIES));
          },
        },
        { prompt: snapshot.prompt, transcript: snapshot.transcript, history: snapshot.history },
      );
      const dataListener = term.onData((data) => session.handleData(data));
      const resizeListener = term.onResize(() => session.resize());
      const observer = new ResizeObserver(() => fit.fit());
      observer.observe(host);
      focusRef.current = () => term.focus();
      setReady(true);
      cleanup = () => {
        observer.disconnect();
        dataListener.dispose();
        resizeListener.dispose();
        focusRef.current = () => undefined;
        term.dispose();
      };
    })();

    return () => {
      disposed = true;
      cleanup();
    };
  }, [sessionKey, snapshot]);

  return (
    <div className="flex min-h-0 min-w-0 flex-1 flex-col gap-2">
      <p id="terminal-keys-help" className="text-xs text-slate-600 lg:text-sm">
        Tab completes commands and Up recalls earlier ones. Esc, then Tab, leaves the terminal; {FOCUS_SHORTCUT.label} jumps to the steps.
      </p>
      <div
        className={cn(
          // Full width on a phone (every column counts), the pane's full height from 1024 px.
          "relative -mx-4 min-h-0 overflow-hidden bg-slate-900 p-2 ring-offset-2 focus-within:ring-4 focus-within:ring-brand-600 sm:mx-0 sm:rounded-lg lg:flex-1",
        )}
        aria-busy={!ready}
      >
        <div ref={hostRef} role="group" aria-label="Scenario terminal" className="h-[60dvh] min-h-64 w-full lg:h-full lg:min-h-0" />
        {ready ? null : <p className="absolute inset-0 grid place-items-center text-sm text-slate-300">Starting the terminal…</p>}
      </div>
      <div>
        <button
          type="button"
          className="text-sm font-medium text-brand-700 underline-offset-2 hover:underline"
          aria-expanded={logOpen}
          aria-controls="terminal-output-log"
          onClick={() => setLogOpen((open) => !open)}
        >
          {logOpen ? "Hide" : "Show"} output log (for screen readers)
        </button>
        {/* Always in the accessibility tree so it is announced; only its visibility toggles. */}
        <div
          id="terminal-output-log"
          role="log"
          aria-live="polite"
          aria-label="Terminal output log"
          className={logOpen ? "mt-2 max-h-72 overflow-y-auto rounded-md border border-slate-200 bg-white p-3" : "sr-only"}
        >
          {log.length === 0 ? <p className="text-sm text-slate-600">No commands yet.</p> : null}
          {log.map((entry) => (
            <div key={entry.id} className="border-b border-slate-100 py-2 last:border-0">
              <p className="font-mono text-sm font-semibold whitespace-pre-wrap text-slate-900">
                {entry.command === undefined ? "Earlier output" : `$ ${entry.command}`}
              </p>
              {entry.output ? <pre className="mt-1 font-mono text-xs whitespace-pre-wrap text-slate-800">{entry.output}</pre> : null}
            </div>
          ))}
        </div>
      </div>
    </div>
  );
}
