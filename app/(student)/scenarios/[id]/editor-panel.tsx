"use client";
// What `vi` and `nano` open: a plain textarea in a modal, saved into the scenario's files.
import { useState } from "react";
import { Button, FormAlert } from "../../../_components/ui";
import type { ApiResult } from "./api";
import { Modal } from "./modal";

export interface EditorFile {
  path: string;
  content: string;
}

/** Saves the file into the terminal's files (a scenario's or an exam task's). */
type SaveFile = (path: string, content: string) => Promise<ApiResult<unknown>>;

export function EditorPanel({ save, file, onClose }: { save: SaveFile; file: EditorFile | null; onClose: (saved: boolean) => void }) {
  return (
    <Modal open={file !== null} labelledBy="editor-title" onCancel={() => onClose(false)} className="max-w-3xl">
      {file ? <EditorForm key={file.path} save={save} file={file} onClose={onClose} /> : null}
    </Modal>
  );
}

function EditorForm({ save, file, onClose }: { save: SaveFile; file: EditorFile; onClose: (saved: boolean) => void }) {
  const [content, setContent] = useState(file.content);
  const [saving, setSaving] = useState(false);
  const [error, setError] = useState<string | null>(null);

  async function saveNow() {
    setSaving(true);
    setError(null);
    const result = await save(file.path, content);
    setSaving(false);
    if (result.ok) onClose(true);
    else setError(result.error);
  }

  return (
    <form
      className="flex flex-col gap-4 p-6"
      onSubmit={(event) => {
        event.preventDefault();
        void saveNow();
      }}
    >
      <div>
        <h2 id="editor-title" className="text-lg font-semibold">
          Edit file
        </h2>
        <p className="mt-1 text-sm text-slate-600">Esc cancels without saving. Ctrl+S saves.</p>
      </div>
      <div className="flex flex-col gap-1.5">
        <label htmlFor="editor-content" className="text-sm font-medium text-slate-800">
          Contents of <span className="font-mono">{file.path}</span>
        </label>
        <textarea
          id="editor-content"
          value={content}
          onChange={(event) => setContent(event.target.value)}
          onKeyDown={(event) => {
            if ((event.ctrlKey || event.metaKey) && event.key.toLowerCase() === "s") {
              event.preventDefault();
              void saveNow();
            }
          }}
          autoFocus
          spellCheck={false}
          autoCapitalize="off"
          autoCorrect="off"
          rows={18}
          className="min-h-64 w-full resize-y rounded-md border border-slate-300 bg-slate-50 p-3 font-mono text-sm text-slate-900"
        />
      </div>
      {error ? <FormAlert>{error}</FormAlert> : null}
      <div className="flex justify-end gap-3">
        <Button variant="secondary" onClick={() => onClose(false)}>
          Cancel
        </Button>
        <Button type="submit" disabled={saving}>
          {saving ? "Saving…" : "Save"}
        </Button>
      </div>
    </form>
  );
}
