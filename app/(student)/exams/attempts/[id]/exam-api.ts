/** The browser's side of the exam attempt routes (app/api/exam-attempts/<id>/...). */
import type { AttemptView, ExamTerminalSnapshot } from "@/lib/exams/api-types";
import type { TerminalOutput } from "@/lib/scenarios/api-types";
import type { QuizResponse } from "@/lib/quiz/response";
import { callApi, type CompletionResult } from "../../../scenarios/[id]/api";

const base = (attemptId: string) => `/api/exam-attempts/${encodeURIComponent(attemptId)}`;
const task = (attemptId: string, key: string) => `${base(attemptId)}/tasks/${encodeURIComponent(key)}`;

export const examApi = {
  attempt: (attemptId: string) => callApi<AttemptView>(base(attemptId), { method: "GET" }),
  answer: (attemptId: string, body: { itemKey: string; response: QuizResponse; submissionId: string; timeSpentSeconds: number }) =>
    callApi<{ itemKey: string }>(`${base(attemptId)}/answers`, { method: "PUT", body }),
  flag: (attemptId: string, itemKey: string, flagged: boolean) =>
    callApi<{ flags: string[] }>(`${base(attemptId)}/flags`, { method: "PUT", body: { itemKey, flagged } }),
  notepad: (attemptId: string, text: string) => callApi<{ saved: true }>(`${base(attemptId)}/notepad`, { method: "PUT", body: { text } }),
  close: (attemptId: string) => callApi<AttemptView>(`${base(attemptId)}/close`, { method: "POST" }),
  openTask: (attemptId: string, key: string) => callApi<ExamTerminalSnapshot>(`${task(attemptId, key)}/session`, { method: "POST" }),
  command: (attemptId: string, key: string, input: string, requestId: string) =>
    callApi<TerminalOutput>(`${task(attemptId, key)}/commands`, { method: "POST", body: { input, requestId } }),
  complete: (attemptId: string, key: string, line: string, cursor: number) =>
    callApi<CompletionResult>(`${task(attemptId, key)}/complete`, { method: "POST", body: { line, cursor } }),
  saveFile: (attemptId: string, key: string, path: string, content: string) =>
    callApi<{ ok: true }>(`${task(attemptId, key)}/files`, { method: "PUT", body: { path, content } }),
  kubeconfigUrl: (attemptId: string, key: string) => `${task(attemptId, key)}/kubeconfig`,
};
