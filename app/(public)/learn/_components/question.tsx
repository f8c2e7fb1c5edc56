// <Question id="..." /> in a lesson. Runs on the server at build time and hands the browser
// only toPublicQuestion(): the prompt and the option texts, never the answer key.
import { getQuestion } from "@/lib/content/load";
import { toPublicQuestion } from "@/lib/quiz/public";
import { QuestionCard } from "./question-card";

export function Question({ id }: { id?: string }) {
  const question = id ? getQuestion(id) : undefined;
  if (!question) {
    return <p className="my-6 rounded-md border border-red-300 bg-red-50 p-3 text-red-800">This question is missing.</p>;
  }
  const partialCredit = question.type === "multiple" && question.scoring === "partial";
  return <QuestionCard question={toPublicQuestion(question)} partialCredit={partialCredit} />;
}
