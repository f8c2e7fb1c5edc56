/**
 * The browser's side of the scenario routes (app/api/scenarios/<id>/...). Every call returns a
 * typed result instead of throwing, so the terminal can print a readable line for any failure.
 */
import type { CommandResponse, HintView, ScenarioProgressView, TerminalSnapshot } from "@/lib/scenarios/api-types";

export type ApiResult<T> = { ok: true; data: T } | { ok: false; status: number; error: string };

export interface CompletionResult {
  candidates: string[];
  start: number;
}

function messageFor(status: number, body: unknown): string {
  if (body && typeof body === "object" && "error" in body && typeof body.error === "string") return body.error;
  if (status === 401) return "Your session has ended. Sign in again.";
  if (status === 429) return "Too many requests. Wait a moment and try again.";
  return `The server answered ${status}.`;
}

function call<T>(scenarioId: string, path: string, init: { method: string; body?: unknown }): Promise<ApiResult<T>> {
  return callApi<T>(`/api/scenarios/${encodeURIComponent(scenarioId)}/${path}`, init);
}

/** A JSON request to one of our routes: the data, or a readable message (exam pages use it too). */
export async function callApi<T>(url: string, init: { method: string; body?: unknown }): Promise<ApiResult<T>> {
  let response: Response;
  try {
    response = await fetch(url, {
      method: init.method,
      headers: init.body === undefined ? undefined : { "content-type": "application/json" },
      body: init.body === undefined ? undefined : JSON.stringify(init.body),
      cache: "no-store",
    });
  } catch {
    return { ok: false, status: 0, error: "Could not reach the server. Check your connection." };
  }
  const body: unknown = await response.json().catch(() => undefined);
  if (!response.ok) return { ok: false, status: response.status, error: messageFor(response.status, body) };
  return { ok: true, data: body as T };
}

/** Random id for one command: a retried request is answered once by the server. */
export function newRequestId(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(12));
  return Array.from(bytes, (byte) => byte.toString(16).padStart(2, "0")).join("");
}

export const scenarioApi = {
  session: (id: string) => call<TerminalSnapshot>(id, "session", { method: "GET" }),
  async command(id: string, input: string, requestId: string): Promise<ApiResult<CommandResponse>> {
    const result = await call<CommandResponse>(id, "commands", { method: "POST", body: { input, requestId } });
    // One retry with the same id after a network failure: the server answers a repeated id once.
    if (!result.ok && result.status === 0) return call<CommandResponse>(id, "commands", { method: "POST", body: { input, requestId } });
    return result;
  },
  complete: (id: string, line: string, cursor: number) =>
    call<CompletionResult>(id, "complete", { method: "POST", body: { line, cursor } }),
  /** Reveals hint `hint` of step `step` (0-based; within a step, hints come in order). */
  hint: (id: string, step: number, hint: number) => call<HintView>(id, "hints", { method: "POST", body: { step, hint } }),
  reset: (id: string) => call<TerminalSnapshot>(id, "reset", { method: "POST" }),
  giveUp: (id: string) => call<TerminalSnapshot>(id, "give-up", { method: "POST" }),
  /** Grades the cluster as it is now (after work with the learner's own kubectl). */
  check: (id: string) => call<ScenarioProgressView>(id, "checks", { method: "POST" }),
  saveFile: (id: string, path: string, content: string) => call<{ ok: true }>(id, "files", { method: "PUT", body: { path, content } }),
  settings: (id: string, whyEnabled: boolean) => call<{ whyEnabled: boolean }>(id, "settings", { method: "PATCH", body: { whyEnabled } }),
};

export function kubeconfigUrl(scenarioId: string): string {
  return `/api/scenarios/${encodeURIComponent(scenarioId)}/kubeconfig`;
}
