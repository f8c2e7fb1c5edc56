/** Where questions are embedded: the link between question banks and lessons. */
import { getLesson, loadCourse, type Lesson } from "@/lib/content/load";
import type { LessonRef } from "./submission";

let index: Map<string, Lesson[]> | undefined;

/** Every lesson that embeds `questionId`, in course order. */
export function lessonsEmbedding(questionId: string): Lesson[] {
  if (!index) {
    const built = new Map<string, Lesson[]>();
    for (const courseModule of loadCourse().modules) {
      for (const lesson of courseModule.lessons) {
        for (const id of lesson.questionIds) built.set(id, [...(built.get(id) ?? []), lesson]);
      }
    }
    index = built;
  }
  return index.get(questionId) ?? [];
}

/**
 * The lesson an answer counts for: the one the browser names when it embeds the question,
 * otherwise the first lesson that does. Undefined for a question no lesson embeds.
 */
export function lessonForAnswer(questionId: string, hint?: LessonRef): Lesson | undefined {
  if (hint) {
    const named = getLesson(hint.moduleId, hint.lessonSlug);
    if (named?.questionIds.includes(questionId)) return named;
  }
  return lessonsEmbedding(questionId)[0];
}
