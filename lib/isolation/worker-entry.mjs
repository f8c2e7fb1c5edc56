// The learner worker thread's entry file (lib/isolation/pool.ts starts threads on it). Plain
// JavaScript on purpose: it registers tsx's TypeScript loader in this thread, so the worker runs the
// same source under `npm start` (a tsx process serving Next's production build), Vitest and the
// benchmarks, and never goes through Next's bundler.
import { register } from "tsx/esm/api";

register();
const worker = await import("./worker.ts");

export default worker.default;
