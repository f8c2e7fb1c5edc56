/** Bodies of the progress routes. */
import { z } from "zod";
import { lessonRefSchema } from "../quiz/submission";
import { MAX_HEARTBEAT_SECONDS } from "./limits";

export const visitRequestSchema = lessonRefSchema;
export const completeRequestSchema = lessonRefSchema;
export const heartbeatRequestSchema = lessonRefSchema.extend({
  seconds: z.int().min(1).max(MAX_HEARTBEAT_SECONDS, `at most ${MAX_HEARTBEAT_SECONDS} seconds per heartbeat`),
});
