/**
 * The topic catalogue (`content/topics.yaml`): every tag a question carries must have a title,
 * a lesson that exists and scenarios that exist, so "Topics to revisit" never shows a bare tag
 * or links nowhere.
 */
import type { ContentProblem } from "./problems";
import type { Course } from "./read";

export function validateTopics(course: Course, scenarioIds: ReadonlySet<string>): ContentProblem[] {
  const file = course.topicsFile;
  if (course.topics === null) {
    return [{ severity: "warning", code: "no-topic-catalog", file, message: "there is no topics.yaml: topics to revisit show bare tags and no lesson" }];
  }
  const problems: ContentProblem[] = [];
  const lessons = new Set(course.modules.flatMap((m) => m.lessons.map((l) => l.slug)));
  const seen = new Set<string>();
  course.topics.forEach((topic, index) => {
    const field = `topics[${index}]`;
    if (seen.has(topic.id)) problems.push({ severity: "error", code: "duplicate-topic", file, field: `${field}.id`, message: `topic "${topic.id}" is listed twice` });
    seen.add(topic.id);
    if (!lessons.has(topic.lesson)) {
      problems.push({ severity: "error", code: "unknown-topic-lesson", file, field: `${field}.lesson`, message: `topic "${topic.id}": no lesson has the slug "${topic.lesson}"` });
    }
    topic.scenarios.forEach((id, position) => {
      if (!scenarioIds.has(id)) {
        problems.push({ severity: "error", code: "unknown-topic-scenario", file, field: `${field}.scenarios[${position}]`, message: `topic "${topic.id}": there is no scenario "${id}"` });
      }
    });
  });
  const used = new Set<string>();
  for (const [id, question] of course.questions) {
    question.tags.forEach((tag, index) => {
      used.add(tag);
      if (!seen.has(tag)) {
        problems.push({
          severity: "error",
          code: "unknown-topic",
          file: course.questionFiles.get(id) ?? file,
          field: `${id}.tags[${index}]`,
          message: `tag "${tag}" is not in topics.yaml: add it there with a title and the lesson that teaches it`,
        });
      }
    });
  }
  course.topics.forEach((topic, index) => {
    if (!used.has(topic.id)) problems.push({ severity: "warning", code: "unused-topic", file, field: `topics[${index}].id`, message: `no question is tagged "${topic.id}"` });
  });
  return problems;
}
