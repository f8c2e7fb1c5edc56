"use client";
// Everything on a scenario page that talks to the learner's instance: terminal, "why?" panel,
// hints, progress, reset and give up, in the split-pane frame (split-layout.tsx). The server holds
// the state; this keeps a view of it.
import Link from "next/link";
import { useCallback, useEffect, useMemo, useRef, useState, type ReactNode } from "react";
import type { CommandResponse, ScenarioProgressView, TerminalSnapshot, WhyEntry } from "@/lib/scenarios/api-types";
import { Button, buttonStyles, FormAlert } from "../../../_components/ui";
import { percent } from "../score";
import { kubeconfigUrl, scenarioApi } from "./api";
import { ConfirmDialog } from "./confirm-dialog";
import { EditorPanel, type EditorFile } from "./editor-panel";
import { ProgressPanel } from "./progress-panel";
import { StepsPanel, type StepView } from "./steps-panel";
import { ScenarioSplitLayout } from "./split-layout";
import { ScenarioTerminal, type TerminalHandle } from "./terminal";
import { WhyPanel } from "./why-panel";

const MAX_WHY_ENTRIES = 60;

type Confirmation = "reset" | "give-up";

const CONFIRMATIONS: Record<Confirmation, { title: string; body: string; label: string }> = {
  reset: {
    title: "Start this scenario again?",
    body: "Your cluster, files, terminal history and score for this scenario go back to the beginning.",
    label: "Reset scenario",
  },
  "give-up": {
    title: "Give up and see the solution?",
    body: "This attempt is recorded as given up and the reference solution is shown. You can reset and try again afterwards.",
    label: "Give up",
  },
};

const WHY_KEY = "kubeprep:scenario-why-open";

interface Finish {
  title: string;
  href: string;
  label: string;
}

const SCENARIO_FINISH: Finish = { title: "Scenario passed", href: "/scenarios", label: "All scenarios" };

export function ScenarioWorkspace({
  scenarioId,
  steps,
  header,
  intro,
  ownKubectl,
  finish = SCENARIO_FINISH,
}: {
  scenarioId: string;
  steps: StepView[];
  /** Rendered on the server: the title row, the situation and objectives, the own-kubectl help. */
  header: ReactNode;
  intro: ReactNode;
  ownKubectl: ReactNode;
  /** What the pass banner says and where it leads when there is no next scenario (a review drill: back to Review). */
  finish?: Finish;
}) {
  const [snapshot, setSnapshot] = useState<TerminalSnapshot | null>(null);
  const [loadError, setLoadError] = useState<string | null>(null);
  const [progress, setProgress] = useState<ScenarioProgressView | null>(null);
  const [why, setWhy] = useState<WhyEntry[]>([]);
  const [whyEnabled, setWhyEnabled] = useState(true);
  const [whySaving, setWhySaving] = useState(false);
  const [whyError, setWhyError] = useState<string>();
  const [hints, setHints] = useState<{ step: number; hint: string }[]>([]);
  const [hintPending, setHintPending] = useState<number | null>(null);
  const [hintError, setHintError] = useState<string>();
  const [solution, setSolution] = useState<string[]>();
  const [next, setNext] = useState<TerminalSnapshot["next"]>();
  const [whyOpen, setWhyOpen] = useState(true);
  const [editorFile, setEditorFile] = useState<EditorFile | null>(null);
  const [notice, setNotice] = useState<string>();
  const [confirmation, setConfirmation] = useState<Confirmation | null>(null);
  const [actionBusy, setActionBusy] = useState(false);
  const [actionError, setActionError] = useState<string>();
  const terminalRef = useRef<TerminalHandle>(null);
  const solutionRef = useRef<HTMLElement>(null);
  const statusRef = useRef<ScenarioProgressView["status"] | null>(null);

  const applySnapshot = useCallback((next: TerminalSnapshot) => {
    setSnapshot(next);
    setProgress(next.progress);
    statusRef.current = next.progress.status;
    setWhy(next.why);
    setWhyEnabled(next.whyEnabled);
    setHints(next.hintsRevealed);
    setSolution(next.solution);
    setNext(next.next);
  }, []);

  useEffect(() => {
    try {
      if (window.localStorage.getItem(WHY_KEY) === "closed") setWhyOpen(false);
    } catch {
      // No storage: the drawer starts open.
    }
  }, []);

  function toggleWhyDrawer() {
    setWhyOpen((open) => {
      try {
        window.localStorage.setItem(WHY_KEY, open ? "closed" : "open");
      } catch {
        // Not remembered, still toggled.
      }
      return !open;
    });
  }

  const load = useCallback(async () => {
    setLoadError(null);
    const result = await scenarioApi.session(scenarioId);
    if (result.ok) applySnapshot(result.data);
    else setLoadError(result.error);
  }, [scenarioId, applySnapshot]);

  useEffect(() => {
    void load();
  }, [load]);

  const onResponse = useCallback(
    (_input: string, response: CommandResponse) => {
      const before = statusRef.current;
      statusRef.current = response.progress.status;
      setProgress(response.progress);
      if (response.why.length > 0) setWhy((entries) => [...entries, ...response.why].slice(-MAX_WHY_ENTRIES));
      if (response.openEditor) setEditorFile(response.openEditor);
      if (before !== "passed" && response.progress.status === "passed") {
        // The reference solution is released with the pass; the session carries it.
        void scenarioApi.session(scenarioId).then((result) => {
          if (result.ok) {
            setSolution(result.data.solution);
            setNext(result.data.next);
          }
        });
      }
    },
    [scenarioId],
  );

  const [checking, setChecking] = useState(false);
  const lastCheck = useRef(0);
  const checkCluster = useCallback(
    async (quiet: boolean) => {
      if (statusRef.current !== "in-progress") return;
      lastCheck.current = Date.now();
      setChecking(true);
      const result = await scenarioApi.check(scenarioId);
      setChecking(false);
      if (!result.ok) {
        if (!quiet) setActionError(result.error);
        return;
      }
      statusRef.current = result.data.status;
      setProgress(result.data);
      if (!quiet) setNotice("Checked your cluster.");
      if (result.data.status === "passed") {
        void scenarioApi.session(scenarioId).then((session) => {
          if (session.ok) {
            setSolution(session.data.solution);
            setNext(session.data.next);
          }
        });
      }
    },
    [scenarioId],
  );

  // Work done with the learner's own kubectl (practice API) counts as soon as they come back.
  useEffect(() => {
    const onFocus = () => {
      if (document.visibilityState === "visible" && Date.now() - lastCheck.current > 5000) void checkCluster(true);
    };
    window.addEventListener("focus", onFocus);
    document.addEventListener("visibilitychange", onFocus);
    return () => {
      window.removeEventListener("focus", onFocus);
      document.removeEventListener("visibilitychange", onFocus);
    };
  }, [checkCluster]);

  async function uploadKubeconfig(file: File | undefined) {
    if (!file) return;
    setActionError(undefined);
    if (file.size > 512 * 1024) return setActionError("A kubeconfig may be at most 512 KB.");
    const result = await scenarioApi.saveFile(scenarioId, "~/.kube/config", await file.text());
    if (!result.ok) return setActionError(result.error);
    setNotice("Uploaded your kubeconfig to ~/.kube/config in the terminal.");
    void checkCluster(false);
  }

  async function revealHint(step: number) {
    setHintPending(step);
    setHintError(undefined);
    const result = await scenarioApi.hint(scenarioId, step, hints.filter((hint) => hint.step === step).length);
    setHintPending(null);
    if (!result.ok) return setHintError(result.error);
    const { index, hint } = result.data;
    setHints((revealed) => (revealed.filter((shown) => shown.step === step).length > index ? revealed : [...revealed, { step, hint }]));
  }

  async function toggleWhy(enabled: boolean) {
    setWhySaving(true);
    setWhyError(undefined);
    const result = await scenarioApi.settings(scenarioId, enabled);
    setWhySaving(false);
    if (result.ok) setWhyEnabled(result.data.whyEnabled);
    else setWhyError(result.error);
  }

  async function confirmAction() {
    if (!confirmation) return;
    setActionBusy(true);
    setActionError(undefined);
    const result = confirmation === "reset" ? await scenarioApi.reset(scenarioId) : await scenarioApi.giveUp(scenarioId);
    setActionBusy(false);
    const done = confirmation;
    setConfirmation(null);
    if (!result.ok) return setActionError(result.error);
    applySnapshot(result.data);
    setNotice(done === "reset" ? "The scenario was reset." : undefined);
    if (done === "give-up") requestAnimationFrame(() => solutionRef.current?.focus());
  }

  function closeEditor(saved: boolean) {
    const path = editorFile?.path;
    setEditorFile(null);
    setNotice(saved && path ? `Saved ${path}.` : undefined);
    terminalRef.current?.focus();
  }

  const terminalIo = useMemo(
    () => ({
      run: (input: string, requestId: string) => scenarioApi.command(scenarioId, input, requestId),
      complete: (line: string, cursor: number) => scenarioApi.complete(scenarioId, line, cursor),
    }),
    [scenarioId],
  );
  const status = progress?.status;
  const focusTerminal = useCallback(() => terminalRef.current?.focus(), []);

  const instructions = (
    <>
      {intro}
      <StepsPanel
        steps={steps}
        hints={hints}
        pendingStep={hintPending}
        disabled={!snapshot}
        error={hintError}
        onHint={(step) => void revealHint(step)}
      />
      {progress ? <ProgressPanel progress={progress} checking={checking} onCheck={() => void checkCluster(false)} /> : null}
      {ownKubectl}
    </>
  );

  const terminalHeader = (
    <>
      <div className="flex flex-wrap items-center justify-between gap-2">
        <h2 id="terminal-heading" className="sr-only text-lg font-semibold text-slate-900 lg:not-sr-only">
          Terminal
        </h2>
        <div className="flex flex-wrap gap-2">
          <Button
            variant="secondary"
            size="sm"
            className="hidden lg:inline-flex"
            aria-expanded={whyOpen}
            aria-controls="scenario-pane-why"
            onClick={() => toggleWhyDrawer()}
          >
            {whyOpen ? "Hide “Why?”" : "Show “Why?”"}
          </Button>
          <a href={kubeconfigUrl(scenarioId)} download className={buttonStyles({ variant: "secondary", size: "sm" })}>
            Download kubeconfig
          </a>
          <label className={buttonStyles({ variant: "secondary", size: "sm" })}>
            Upload kubeconfig
            <input
              type="file"
              className="sr-only"
              disabled={!snapshot}
              onChange={(event) => {
                void uploadKubeconfig(event.target.files?.[0]);
                event.target.value = "";
              }}
            />
          </label>
          <Button variant="secondary" size="sm" disabled={!snapshot} onClick={() => setConfirmation("reset")}>
            Reset
          </Button>
          <Button variant="secondary" size="sm" disabled={!snapshot || status !== "in-progress"} onClick={() => setConfirmation("give-up")}>
            Give up
          </Button>
        </div>
      </div>
      {/* A live region that exists before the pass, so screen readers announce it when it fills. */}
      <div role="status" className="empty:hidden">
        {status === "passed" ? <PassedBanner score={progress?.score ?? 0} next={next} finish={finish} /> : null}
      </div>
      <p role="status" className="sr-only">
        {notice}
      </p>
      {actionError ? <FormAlert>{actionError}</FormAlert> : null}
      {loadError ? (
        <div className="flex flex-col items-start gap-3">
          <FormAlert>Your scenario could not be started: {loadError}</FormAlert>
          <Button variant="secondary" size="sm" onClick={() => void load()}>
            Try again
          </Button>
        </div>
      ) : null}
      {solution && solution.length > 0 ? (
        // Open after giving up (that is what was asked for); folded after a pass, to keep the terminal tall.
        <details key={status} open={status === "gave-up"} className="rounded-lg border border-slate-200 bg-white px-3 py-2 shadow-sm">
          <summary ref={solutionRef} className="cursor-pointer text-base font-semibold text-slate-900">
            {status === "gave-up" ? "Solution" : "Reference solution"}
          </summary>
          {status === "gave-up" ? (
            <p className="mt-1 text-sm text-slate-700">
              You gave up on this attempt. Read the commands, then reset the scenario to try them yourself.
            </p>
          ) : null}
          <pre
            className="mt-2 max-h-48 overflow-auto rounded-md bg-slate-900 p-3 font-mono text-xs text-slate-100"
            tabIndex={0}
            aria-label="Solution commands"
          >
            <code>{solution.join("\n")}</code>
          </pre>
        </details>
      ) : null}
    </>
  );

  const terminal = (
    <section aria-labelledby="terminal-heading" className="flex min-h-0 flex-1 flex-col gap-2">
      {snapshot ? (
        <ScenarioTerminal ref={terminalRef} sessionKey={scenarioId} io={terminalIo} snapshot={snapshot} onResponse={onResponse} />
      ) : (
        <div
          className="grid h-[60dvh] min-h-64 place-items-center rounded-lg bg-slate-900 text-sm text-slate-300 lg:h-auto lg:flex-1"
          role="status"
        >
          {loadError ? "No terminal" : "Preparing your cluster…"}
        </div>
      )}
    </section>
  );

  return (
    <>
      <ScenarioSplitLayout
        header={header}
        instructions={instructions}
        terminalHeader={terminalHeader}
        terminal={terminal}
        why={
          <WhyPanel
            entries={why}
            enabled={whyEnabled}
            saving={whySaving || !snapshot}
            error={whyError}
            onToggle={(enabled) => void toggleWhy(enabled)}
          />
        }
        whyOpen={whyOpen}
        focusTerminal={focusTerminal}
      />
      <EditorPanel save={(path, content) => scenarioApi.saveFile(scenarioId, path, content)} file={editorFile} onClose={closeEditor} />
      {confirmation ? (
        <ConfirmDialog
          open
          title={CONFIRMATIONS[confirmation].title}
          body={CONFIRMATIONS[confirmation].body}
          confirmLabel={CONFIRMATIONS[confirmation].label}
          busy={actionBusy}
          onConfirm={() => void confirmAction()}
          onCancel={() => setConfirmation(null)}
        />
      ) : null}
    </>
  );
}

/** Shown next to the terminal when every check is green; the server names the next scenario. */
function PassedBanner({ score, next, finish }: { score: number; next: TerminalSnapshot["next"]; finish: Finish }) {
  return (
    <div className="flex flex-wrap items-center justify-between gap-3 rounded-lg border border-green-300 bg-green-50 px-4 py-3 text-green-950">
      <div>
        <p className="font-semibold">{finish.title}</p>
        <p className="text-sm">Every check is green. Your score is {percent(score)}%.</p>
      </div>
      {next ? (
        <Link href={`/scenarios/${next.id}`} className={buttonStyles({ size: "sm" })}>
          Next scenario: {next.title} →
        </Link>
      ) : (
        <Link href={finish.href} className={buttonStyles({ size: "sm" })}>
          {finish.label} →
        </Link>
      )}
    </div>
  );
}
