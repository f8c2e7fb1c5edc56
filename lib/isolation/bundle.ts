/**
 * The learner worker's prebuilt bundle. `npm start` bundles lib/isolation/worker.ts and everything
 * it imports into one JavaScript file (scripts/build-worker.ts, esbuild), so that a thread — and
 * each replacement of a stopped one — loads plain JavaScript in well under a second instead of
 * transpiling the engine through tsx (several seconds on a busy 2-core machine).
 *
 * The pool uses the bundle only while it is fresh: present, and newer than every file it was built
 * from. Otherwise (Vitest, `npm run dev` after an edit, a bundle from older sources) it falls back to
 * worker-entry.mjs, which runs the same sources through tsx.
 */
import fs from "node:fs";
import path from "node:path";

export const BUNDLE_DIR = path.join(process.cwd(), ".cache", "learner-worker");
export const BUNDLE_FILE = path.join(BUNDLE_DIR, "worker.mjs");
/** The files the bundle was built from (paths relative to the project root), written beside it. */
export const BUNDLE_INPUTS = path.join(BUNDLE_DIR, "inputs.json");

/** The bundle's path when it is up to date with its sources, else undefined. */
export function freshWorkerBundle(root = process.cwd(), bundle = BUNDLE_FILE, inputsFile = BUNDLE_INPUTS): string | undefined {
  try {
    const built = fs.statSync(bundle).mtimeMs;
    const inputs: unknown = JSON.parse(fs.readFileSync(inputsFile, "utf8"));
    if (!Array.isArray(inputs) || inputs.length === 0) return undefined;
    for (const input of inputs) {
      if (typeof input !== "string") return undefined;
      if (fs.statSync(path.resolve(root, input)).mtimeMs > built) return undefined;
    }
    return bundle;
  } catch {
    // Missing, unreadable or an input gone: not fresh.
    return undefined;
  }
}
