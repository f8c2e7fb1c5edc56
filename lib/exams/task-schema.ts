/**
 * Hands-on tasks written for exams (`content/exams/tasks/<id>.yaml`): the scenario format (cluster,
 * workspace, steps, weighted checks, reference solution, known-wrong paths), so a task runs in the
 * simulated cluster through the same instance and check machinery as a scenario. A task has no
 * place in the course order and teaches no lesson; it names the topics it examines instead.
 */
import { z } from "zod";
import { kebabId } from "../content/schema";
import { refineScenario, scenarioFieldsSchema, type Scenario } from "../scenarios/schema";

export const examTaskSchema = scenarioFieldsSchema
  .omit({ order: true, lessons: true })
  .extend({ topics: z.array(kebabId).min(1, "name at least one topic (a tag of topics.yaml) the task examines") })
  .superRefine(refineScenario);
export type ExamTask = z.output<typeof examTaskSchema>;

/** The task as the scenario machinery takes it (instances, checks); outside the course order. */
export function taskAsScenario(task: ExamTask): Scenario {
  const { topics: _topics, ...fields } = task;
  return { ...fields, order: 0, lessons: [] };
}
