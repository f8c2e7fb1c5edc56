"use client";
// What `vi`, `vim` and `nano` open: a textarea in a modal, saved into the scenario's files. For vi
// the textarea starts in normal mode and takes vi's keys (vi.ts): Esc, `i`, `:wq` and `/` do what
// a candidate's fingers expect instead of typing into the file or closing it unsaved.
import { useLayoutEffect, useRef, useState, type KeyboardEvent } from "react";
import type { EditorRequest } from "@/lib/k8s/shell";
import { Button, FormAlert } from "../../../_components/ui";
import type { ApiResult } from "./api";
import { Modal } from "./modal";
import { startVi, viKey, viTyped, type ViState } from "./vi";

export type EditorFile = EditorRequest;

/** Saves the file into the terminal's files (a scenario's or an exam task's). */
type SaveFile = (path: string, content: string) => Promise<ApiResult<unknown>>;

export function EditorPanel({ save, file, onClose }: { save: SaveFile; file: EditorFile | null; onClose: (saved: boolean) => void }) {
  return (
    <Modal open={file !== null} labelledBy="editor-title" onCancel={() => onClose(false)} className="max-w-4xl">
      {file ? <EditorForm key={file.path} save={save} file={file} onClose={onClose} /> : null}
    </Modal>
  );
}

function statusLine(vi: ViState): string {
  if (vi.mode === "command") return `:${vi.commandLine}`;
  if (vi.mode === "search") return `/${vi.commandLine}`;
  if (vi.message) return vi.message;
  return vi.mode === "insert" ? "-- INSERT --" : "";
}

function EditorForm({ save, file, onClose }: { save: SaveFile; file: EditorFile; onClose: (saved: boolean) => void }) {
  const [content, setContent] = useState(file.content);
  const [vi, setVi] = useState<ViState | null>(() => (file.keys === "vi" ? startVi(file.content) : null));
  const [saving, setSaving] = useState(false);
  const [saved, setSaved] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const area = useRef<HTMLTextAreaElement>(null);
  const text = vi ? vi.text : content;

  // vi's cursor: one character selected in normal mode (a block cursor), a caret in insert mode.
  useLayoutEffect(() => {
    const element = area.current;
    if (!vi || !element) return;
    const block = vi.mode !== "insert" && vi.cursor < vi.text.length && vi.text[vi.cursor] !== "\n";
    element.setSelectionRange(vi.cursor, block ? vi.cursor + 1 : vi.cursor);
  }, [vi]);

  async function saveNow(close: boolean) {
    setSaving(true);
    setError(null);
    const result = await save(file.path, text);
    setSaving(false);
    if (!result.ok) {
      setError(result.error);
      return;
    }
    setSaved(true);
    if (close) onClose(true);
    else if (vi) {
      const lines = text.split("\n").length - (text.endsWith("\n") ? 1 : 0);
      setVi({ ...vi, modified: false, message: `"${file.path}" ${lines}L, ${new TextEncoder().encode(text).length}B written` });
    }
  }

  function onKeyDown(event: KeyboardEvent<HTMLTextAreaElement>) {
    if ((event.ctrlKey || event.metaKey) && event.key.toLowerCase() === "s") {
      event.preventDefault();
      void saveNow(true);
      return;
    }
    if (!vi || event.nativeEvent.isComposing) return;
    // Tab still leaves the editor; other shortcuts (copy, select all) keep working.
    if (event.key === "Tab" || event.ctrlKey || event.metaKey || event.altKey) return;
    if (vi.mode === "insert" && event.key !== "Escape") return;
    // Esc is vi's, never the dialog's: it must not close the file unsaved.
    event.preventDefault();
    if (saving) return;
    const { state, effect } = viKey(vi, event.key);
    setVi(state);
    if (effect === "write") void saveNow(false);
    else if (effect === "write-quit") void saveNow(true);
    else if (effect === "quit") onClose(saved);
  }

  const status = vi ? statusLine(vi) : "";
  return (
    <form
      className="flex flex-col gap-4 p-6"
      onSubmit={(event) => {
        event.preventDefault();
        void saveNow(true);
      }}
    >
      <div>
        <h2 id="editor-title" className="text-lg font-semibold">
          Edit file
        </h2>
        <p id="editor-keys" className="mt-1 text-sm text-slate-600">
          {vi
            ? "vi keys: i inserts, Esc returns to normal mode, /text searches, :wq saves and closes, :q! closes without saving. Ctrl+S saves and closes."
            : "Esc cancels without saving. Ctrl+S saves."}
        </p>
      </div>
      <div className="flex flex-col gap-1.5">
        <label htmlFor="editor-content" className="text-sm font-medium text-slate-800">
          Contents of <span className="font-mono">{file.path}</span>
        </label>
        <textarea
          ref={area}
          id="editor-content"
          value={text}
          aria-describedby="editor-keys"
          onChange={(event) => {
            if (!vi) setContent(event.target.value);
            else if (vi.mode === "insert") setVi(viTyped(vi, event.target.value, event.target.selectionStart));
          }}
          onKeyDown={onKeyDown}
          onPaste={(event) => {
            if (vi && vi.mode !== "insert") event.preventDefault();
          }}
          onSelect={(event) => {
            // A click moves vi's cursor too.
            const at = event.currentTarget.selectionStart;
            if (vi && at !== vi.cursor && event.currentTarget.selectionEnd - at <= 1) setVi({ ...vi, cursor: at });
          }}
          autoFocus
          spellCheck={false}
          autoCapitalize="off"
          autoCorrect="off"
          // YAML's indentation must read as it is: long lines scroll instead of wrapping.
          wrap="off"
          rows={18}
          className="min-h-64 w-full resize-y rounded-md border border-slate-300 bg-slate-50 p-3 font-mono text-sm text-slate-900"
        />
        {vi ? (
          <p role="status" aria-label="vi status" className="min-h-5 font-mono text-sm text-slate-800">
            {status}
          </p>
        ) : null}
      </div>
      {error ? <FormAlert>{error}</FormAlert> : null}
      <div className="flex justify-end gap-3">
        <Button variant="secondary" onClick={() => onClose(saved)}>
          {saved ? "Close" : "Cancel"}
        </Button>
        <Button type="submit" disabled={saving}>
          {saving ? "Saving…" : "Save"}
        </Button>
      </div>
    </form>
  );
}
