// Once per `vitest run`: the learner worker bundle, so the pools under test load what `npm start`
// gives threads (lib/isolation/bundle.ts). A test edits nothing it was built from.
import { buildWorkerBundle } from "../scripts/build-worker";

export default async function setup(): Promise<void> {
  await buildWorkerBundle();
}
