"use client";
// Everything on a scenario page that talks to the learner's instance: terminal, "why?" panel,
// hints, progress, reset and give up. The server holds the state; this keeps a view of it.
import { useCallback, useEffect, useRef, useState } from "react";
import type { CommandResponse, ScenarioProgressView, TerminalSnapshot, WhyEntry } from "@/lib/scenarios/api-types";
import { Button, buttonStyles, FormAlert } from "../../../_components/ui";
import { percent } from "../score";
import { kubeconfigUrl, scenarioApi } from "./api";
import { ConfirmDialog } from "./confirm-dialog";
import { EditorPanel, type EditorFile } from "./editor-panel";
import { ProgressPanel } from "./progress-panel";
import { StepsPanel, type StepView } from "./steps-panel";
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

export function ScenarioWorkspace({ scenarioId, steps }: { scenarioId: string; steps: StepView[] }) {
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
  const [editorFile, setEditorFile] = useState<EditorFile | null>(null);
  const [notice, setNotice] = useState<string>();
  const [confirmation, setConfirmation] = useState<Confirmation | null>(null);
  const [actionBusy, setActionBusy] = useState(false);
  const [actionError, setActionError] = useState<string>();
  const terminalRef = useRef<TerminalHandle>(null);
  const solutionRef = useRef<HTMLHeadingElement>(null);
  const statusRef = useRef<ScenarioProgressView["status"] | null>(null);

  const applySnapshot = useCallback((next: TerminalSnapshot) => {
    setSnapshot(next);
    setProgress(next.progress);
    statusRef.current = next.progress.status;
    setWhy(next.why);
    setWhyEnabled(next.whyEnabled);
    setHints(next.hintsRevealed);
    setSolution(next.solution);
  }, []);

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
          if (result.ok) setSolution(result.data.solution);
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
          if (session.ok) setSolution(session.data.solution);
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

  const status = progress?.status;

  return (
    <div className="flex flex-col gap-6 [&>[role=status]:empty]:hidden">
      {/* A live region that exists before the pass, so screen readers announce it when it fills. */}
      <div role="status">
        {status === "passed" ? (
          <div className="rounded-xl border border-green-300 bg-green-50 px-5 py-4 text-green-950">
            <p className="text-lg font-semibold">Scenario passed</p>
            <p className="mt-1 text-sm">Every check is green. Your score is {percent(progress?.score ?? 0)}%.</p>
          </div>
        ) : null}
      </div>

      <div className="grid items-start gap-6 lg:grid-cols-[minmax(0,1fr)_20rem]">
        <StepsPanel steps={steps} hints={hints} pendingStep={hintPending}
          disabled={!snapshot} error={hintError} onHint={(step) => void revealHint(step)} />
        {progress ? <ProgressPanel progress={progress} checking={checking} onCheck={() => void checkCluster(false)} /> : null}
      </div>

      <section aria-labelledby="terminal-heading" className="flex flex-col gap-3">
        <div className="flex flex-wrap items-center justify-between gap-3">
          <h2 id="terminal-heading" className="text-lg font-semibold text-slate-900">
            Terminal
          </h2>
          <div className="flex flex-wrap gap-2">
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
        <div className="grid items-start gap-6 lg:grid-cols-[minmax(0,1fr)_22rem]">
          {snapshot ? (
            <ScenarioTerminal ref={terminalRef} scenarioId={scenarioId} snapshot={snapshot} onResponse={onResponse} />
          ) : (
            <div className="grid h-80 place-items-center rounded-lg bg-slate-900 text-sm text-slate-300 sm:h-[28rem]" role="status">
              {loadError ? "No terminal" : "Preparing your cluster…"}
            </div>
          )}
          <WhyPanel entries={why} enabled={whyEnabled} saving={whySaving || !snapshot} error={whyError} onToggle={(enabled) => void toggleWhy(enabled)} />
        </div>
      </section>

      {solution && solution.length > 0 ? (
        <section aria-labelledby="solution-heading" className="rounded-xl border border-slate-200 bg-white p-5 shadow-sm">
          <h2 id="solution-heading" ref={solutionRef} tabIndex={-1} className="text-base font-semibold text-slate-900">
            {status === "gave-up" ? "Solution" : "Reference solution"}
          </h2>
          {status === "gave-up" ? (
            <p className="mt-1 text-sm text-slate-700">You gave up on this attempt. Read the commands, then reset the scenario to try them yourself.</p>
          ) : null}
          <pre className="mt-3 overflow-x-auto rounded-lg bg-slate-900 p-4 font-mono text-sm text-slate-100">
            <code>{solution.join("\n")}</code>
          </pre>
        </section>
      ) : null}

      <EditorPanel scenarioId={scenarioId} file={editorFile} onClose={closeEditor} />
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
    </div>
  );
}
