/**
 * Real kubectl v1.32 and the simulated kubectl, byte for byte, for what the simulator prints from
 * generators and schemas: `kubectl run` and `kubectl create deployment` with --dry-run=client, and
 * `kubectl explain` (real kubectl reads the practice API's /openapi/v3 documents, the simulator the
 * same documents through handleRequest). kubectl comes from $KUBECTL_132 or .cache/kubectl/kubectl
 * (`npx tsx scripts/get-kubectl.ts`); without it these tests are skipped.
 */
import { execFile, type ExecFileException } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createHarness, type Harness } from "../../lib/k8s/test-helpers";
import { buildKubeconfig } from "../../lib/practice-api";
import { findKubectl } from "../../scripts/get-kubectl";
import { credentialOf, startFixtureServer, type FixtureServer } from "../helpers/practice-api";

const kubectl = findKubectl();
if (kubectl === undefined)
  console.warn("practice-api kubectl generator tests SKIPPED: no kubectl 1.32 (set KUBECTL_132 or run `npx tsx scripts/get-kubectl.ts`)");

interface Run {
  stdout: string;
  stderr: string;
  code: number;
}

let fx: FixtureServer;
let work: string;
let kubeconfig: string;
let simulated: Harness;

function realKubectl(args: string[]): Promise<Run> {
  const binary = kubectl;
  if (binary === undefined) throw new Error("kubectl missing");
  const home = mkdtempSync(join(work, "home-"));
  return new Promise((resolve) => {
    const child = execFile(
      binary,
      ["--kubeconfig", kubeconfig, ...args],
      { env: { ...process.env, HOME: home, KUBECONFIG: kubeconfig }, timeout: 60_000, encoding: "utf8", maxBuffer: 16 * 1024 * 1024 },
      (error: ExecFileException | null, stdout: string, stderr: string) => {
        resolve({ stdout, stderr, code: error === null ? 0 : typeof error.code === "number" ? error.code : -1 });
      },
    );
    child.stdin?.end();
  });
}

async function simulatedKubectl(args: string[]): Promise<Run> {
  const result = await simulated.run(args);
  return { stdout: result.stdout, stderr: result.stderr, code: result.exitCode };
}

const CASES: string[][] = [
  ["run", "x", "--image=nginx", "--dry-run=client", "-o", "yaml"],
  [
    "run",
    "x",
    "--image=nginx:1.27",
    "--dry-run=client",
    "-o",
    "yaml",
    "-n",
    "dev",
    "--restart=Never",
    "--labels=app=x,tier=web",
    "--env=A=1",
    "--port=8080",
    "--command",
    "--",
    "sh",
    "-c",
    "sleep 3600",
  ],
  [
    "run",
    "x",
    "--image=busybox",
    "--dry-run=client",
    "-o",
    "json",
    "--privileged",
    "--image-pull-policy=IfNotPresent",
    "--annotations=a=b",
    "--",
    "sleep",
    "1",
  ],
  ["run", "x", "--image=nginx", "--dry-run=client"],
  ["run", "x", "--image=ngi nx", "--dry-run=client"],
  ["run", "x", "--image=nginx", "--restart=Sometimes", "--dry-run=client"],
  ["create", "deployment", "web", "--image=nginx", "--dry-run=client", "-o", "yaml"],
  [
    "create",
    "deployment",
    "web",
    "--image=nginx",
    "--image=redis:7",
    "--replicas=3",
    "--port=80",
    "-n",
    "dev",
    "--dry-run=client",
    "-o",
    "json",
  ],
  ["create", "deployment", "web", "--image=nginx", "--dry-run=client", "-o", "yaml", "--", "nginx", "-g", "daemon off;"],
  ["create", "deployment", "web", "--dry-run=client"],
  ["create", "deployment", "web", "--image=nginx", "--save-config", "--dry-run=client", "-o", "yaml"],
  ["create", "serviceaccount", "bot", "--save-config", "--dry-run=client", "-o", "json"],
  ["create", "deployment", "web", "--image=nginx", "--replicas=3000000000"],
  ["explain", "pods"],
  ["explain", "pods.spec.containers"],
  ["explain", "pod.spec.securityContext"],
  ["explain", "deployments.spec.template.spec.containers.livenessProbe"],
  ["explain", "deploy", "--recursive"],
  ["explain", "secrets.type"],
  ["explain", "csr.spec.usages"],
  ["explain", "clusterrolebindings.roleRef"],
  ["explain", "serviceaccounts", "--recursive"],
  ["explain", "namespaces.spec.finalizers"],
  ["explain", "selfsubjectreviews.status.userInfo"],
  ["explain", "pods.spec.nope"],
  ["explain", "foo"],
];

describe.skipIf(kubectl === undefined)("real kubectl v1.32 and the simulator print the same bytes", () => {
  beforeAll(async () => {
    fx = await startFixtureServer();
    work = mkdtempSync(join(tmpdir(), "kubeprep-kubectl-generators-"));
    kubeconfig = join(work, "admin.kubeconfig");
    writeFileSync(
      kubeconfig,
      buildKubeconfig({ server: fx.url, caCertPem: fx.serving.caCertPem, userName: "admin", user: credentialOf(fx.fixture, "admin") }),
      { mode: 0o600 },
    );
    simulated = await createHarness();
  });

  afterAll(async () => {
    await fx?.server.close();
    if (work !== undefined) rmSync(work, { recursive: true, force: true });
  });

  it.each(CASES.map((args) => [args.join(" "), args] as const))(
    "kubectl %s",
    async (_title, args) => {
      const [real, simulation] = await Promise.all([realKubectl([...args]), simulatedKubectl([...args])]);
      expect(real.stdout.length + real.stderr.length).toBeGreaterThan(0);
      expect(simulation).toEqual(real);
    },
    60_000,
  );
});
