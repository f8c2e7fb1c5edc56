// Bundles the learner worker (lib/isolation/worker.ts and all it imports) into one file that worker
// threads load quickly; see lib/isolation/bundle.ts. Run by `npm start`; `npx tsx scripts/build-worker.ts`
// by hand.
import fs from "node:fs";
import path from "node:path";
import { build, stop } from "esbuild";
import { BUNDLE_DIR, BUNDLE_FILE, BUNDLE_INPUTS } from "../lib/isolation/bundle";

export async function buildWorkerBundle(root = process.cwd(), outfile = BUNDLE_FILE, inputsFile = BUNDLE_INPUTS): Promise<string> {
  fs.mkdirSync(path.dirname(outfile), { recursive: true });
  const partial = `${outfile}.${process.pid}.tmp`;
  const result = await build({
    absWorkingDir: root,
    entryPoints: [path.join(root, "lib", "isolation", "worker.ts")],
    bundle: true,
    platform: "node",
    format: "esm",
    target: "node20",
    outfile: partial,
    keepNames: true,
    metafile: true,
    logLevel: "warning",
    // CommonJS dependencies call require() for Node's built-in modules; ESM has none of its own.
    banner: {
      js: "import { createRequire as kubeprepCreateRequire } from 'node:module'; const require = kubeprepCreateRequire(import.meta.url);",
    },
  }).finally(() => stop());
  const inputs = Object.keys(result.metafile.inputs).map((input) => path.relative(root, path.resolve(root, input)));
  // Inputs first, then the bundle: its mtime must be newer than theirs, and a reader never sees half a file.
  fs.writeFileSync(inputsFile, JSON.stringify(inputs));
  fs.renameSync(partial, outfile);
  return outfile;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const started = performance.now();
  await buildWorkerBundle();
  console.log(
    `learner worker bundled into ${path.relative(process.cwd(), BUNDLE_FILE)} in ${Math.round(performance.now() - started)} ms (${BUNDLE_DIR})`,
  );
}
