/**
 * Real kubectl v1.32 against the practice API server: what it prints and its exit code for every
 * fixture identity (spec §2, §7 and kubectl-1.32-transcripts.txt), and the CSR flow end to end.
 * kubectl comes from $KUBECTL_132 or .cache/kubectl/kubectl (`npx tsx scripts/get-kubectl.ts`);
 * without it these tests are skipped.
 */
import { execFile, type ExecFileException } from "node:child_process";
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { buildKubeconfig, type FixtureIdentity } from "../../lib/practice-api";
import { findKubectl } from "../../scripts/get-kubectl";
import { startFixtureServer, type FixtureServer } from "../helpers/practice-api";

const kubectl = findKubectl();
if (kubectl === undefined) {
  console.warn("practice-api kubectl tests SKIPPED: no kubectl 1.32 (set KUBECTL_132 or run `npx tsx scripts/get-kubectl.ts`)");
}

interface Run {
  stdout: string;
  stderr: string;
  code: number;
}

let fx: FixtureServer;
let work: string;

function kubeconfigPath(name: string): string {
  return join(work, `${name}.kubeconfig`);
}

/** Runs kubectl with its own empty HOME (no discovery cache), stdin closed. Never blocks the event loop: the server runs in this process. */
function run(args: string[], kubeconfig: string): Promise<Run> {
  const binary = kubectl;
  if (binary === undefined) throw new Error("kubectl missing");
  const home = mkdtempSync(join(work, "home-"));
  return new Promise((resolve) => {
    const child = execFile(
      binary,
      ["--kubeconfig", kubeconfig, ...args],
      { env: { ...process.env, HOME: home, KUBECONFIG: kubeconfig }, timeout: 60_000, encoding: "utf8" },
      (error: ExecFileException | null, stdout: string, stderr: string) => {
        const code = error === null ? 0 : typeof error.code === "number" ? error.code : -1;
        resolve({ stdout, stderr: normalizeKlog(stderr), code });
      },
    );
    child.stdin?.end();
  });
}

/** klog lines carry a timestamp and a pid: "E1129 09:29:32.796714   14696 memcache.go:265] ..." -> "E memcache.go:265] ...". */
function normalizeKlog(text: string): string {
  return text.replace(/^([EWI])\d{4} \d{2}:\d{2}:\d{2}\.\d+\s+\d+ /gm, "$1 ");
}

const discovery401 =
  'E memcache.go:265] "Unhandled Error" err="couldn\'t get current server API group list: the server has asked for the client to provide credentials"\n';
const discovery403 = 'E memcache.go:265] "Unhandled Error" err="couldn\'t get current server API group list: unknown"\n';
const noPodsType = "Warning: the server doesn't have a resource type 'pods'\n\n";

interface Expected {
  getPods: Run;
  whoami: Run | ((run: Run) => void);
  canI: Run;
}

function columns(text: string): string[] {
  return text
    .trim()
    .split("\n")
    .map((line) =>
      line
        .trim()
        .split(/\s{2,}/)
        .join(" | "),
    );
}

function expectedFor(identity: FixtureIdentity): Expected {
  const user = identity.expectedUser;
  if (identity.credential.kind === "none") {
    // No credentials in the kubeconfig: kubectl falls back to its basic-auth prompt (transcripts, addendum).
    const prompt: Run = { stdout: "Please enter Username: ", stderr: "error: EOF\n", code: 1 };
    return { getPods: prompt, whoami: prompt, canI: prompt };
  }
  if (user === undefined) {
    return {
      getPods: {
        stdout: "",
        stderr: `${discovery401.repeat(5)}error: You must be logged in to the server (the server has asked for the client to provide credentials)\n`,
        code: 1,
      },
      whoami: { stdout: "", stderr: "error: You must be logged in to the server (Unauthorized)\n", code: 1 },
      canI: {
        stdout: "",
        stderr: `${discovery401.repeat(2)}${noPodsType}error: You must be logged in to the server (Unauthorized)\n`,
        code: 1,
      },
    };
  }
  if (user.username === "system:anonymous") {
    return {
      getPods: { stdout: "", stderr: `${discovery403.repeat(5)}Error from server (Forbidden): unknown\n`, code: 1 },
      whoami: {
        stdout: "",
        stderr: "error: the selfsubjectreviews API is not enabled in the cluster or you do not have permission to call it\n",
        code: 1,
      },
      canI: {
        stdout: "",
        stderr: `${discovery403.repeat(2)}${noPodsType}Error from server (Forbidden): selfsubjectaccessreviews.authorization.k8s.io is forbidden: User "system:anonymous" cannot create resource "selfsubjectaccessreviews" in API group "authorization.k8s.io" at the cluster scope\n`,
        code: 1,
      },
    };
  }
  const mayListPods = user.username === "jane" || user.groups.includes("system:masters");
  return {
    getPods: mayListPods
      ? {
          stdout:
            "NAME    READY   STATUS    RESTARTS   AGE\nweb-1   1/1     Running   0          10d\nweb-2   1/1     Running   0          120m\n",
          stderr: "",
          code: 0,
        }
      : {
          stdout: "",
          stderr: `Error from server (Forbidden): pods is forbidden: User "${user.username}" cannot list resource "pods" in API group "" in the namespace "default"\n`,
          code: 1,
        },
    whoami: (result: Run) => {
      expect(result.code).toBe(0);
      expect(result.stderr).toBe("");
      const rows = columns(result.stdout);
      expect(rows[0]).toBe("ATTRIBUTE | VALUE");
      expect(rows).toContain(`Username | ${user.username}`);
      expect(rows).toContain(`Groups | [${user.groups.join(" ")}]`);
    },
    canI: mayListPods ? { stdout: "yes\n", stderr: "", code: 0 } : { stdout: "no\n", stderr: "", code: 1 },
  };
}

/** Every command that ran, for the report (printed at the end). */
const outcomes: string[] = [];

describe.skipIf(kubectl === undefined)("real kubectl 1.32", () => {
  beforeAll(async () => {
    fx = await startFixtureServer();
    work = mkdtempSync(join(tmpdir(), "kubeprep-kubectl-"));
    for (const identity of fx.fixture.identities) {
      writeFileSync(
        kubeconfigPath(identity.name),
        buildKubeconfig({ server: fx.url, caCertPem: fx.serving.caCertPem, userName: identity.name, user: identity.credential }),
        { mode: 0o600 },
      );
    }
  });

  afterAll(async () => {
    await fx?.server.close();
    if (process.env.PRACTICE_API_REPORT === "1") console.log(outcomes.join("\n"));
    if (work !== undefined) rmSync(work, { recursive: true, force: true });
  });

  const names = [
    "valid-cert",
    "expired-cert",
    "not-yet-valid-cert",
    "untrusted-cert",
    "wrong-eku-cert",
    "no-cn-cert",
    "sa-token",
    "sa-token-expired",
    "sa-token-wrong-audience",
    "sa-token-deleted-sa",
    "legacy-sa-token",
    "static-token",
    "oidc-email",
    "oidc-sub",
    "oidc-expired",
    "oidc-unverified-email",
    "bad-token",
    "anonymous",
    "admin",
  ];

  it.each(names)("%s: get pods, auth whoami, auth can-i list pods", async (name) => {
    const identity = fx.fixture.identities.find((candidate) => candidate.name === name);
    if (identity === undefined) throw new Error(name);
    const expected = expectedFor(identity);
    const [getPods, whoami, canI] = await Promise.all([
      run(["get", "pods"], kubeconfigPath(name)),
      run(["auth", "whoami"], kubeconfigPath(name)),
      run(["auth", "can-i", "list", "pods"], kubeconfigPath(name)),
    ]);
    outcomes.push(
      `${name}\tget pods rc=${getPods.code} ${JSON.stringify((getPods.stdout + getPods.stderr).trim().split("\n").at(-1))}\twhoami rc=${whoami.code}\tcan-i rc=${canI.code} ${JSON.stringify(canI.stdout.trim())}`,
    );
    expect(getPods).toEqual(expected.getPods);
    if (typeof expected.whoami === "function") expected.whoami(whoami);
    else expect(whoami).toEqual(expected.whoami);
    expect(canI).toEqual(expected.canI);
  });

  it("CSR flow: openssl key + CSR, create, approve, fetch the certificate, whoami as the new user", async () => {
    const dir = join(work, "csr");
    mkdirSync(dir);
    const keyPath = join(dir, "maria.key");
    const csrPath = join(dir, "maria.csr");
    await new Promise<void>((resolve, reject) =>
      execFile(
        "openssl",
        [
          "req",
          "-new",
          "-newkey",
          "ec",
          "-pkeyopt",
          "ec_paramgen_curve:prime256v1",
          "-nodes",
          "-keyout",
          keyPath,
          "-subj",
          "/CN=maria/O=dev-team",
          "-out",
          csrPath,
        ],
        (error) => (error === null ? resolve() : reject(error)),
      ),
    );
    const request = readFileSync(csrPath).toString("base64");
    writeFileSync(
      join(dir, "csr.yaml"),
      `apiVersion: certificates.k8s.io/v1\nkind: CertificateSigningRequest\nmetadata:\n  name: maria\nspec:\n  request: ${request}\n  signerName: kubernetes.io/kube-apiserver-client\n  expirationSeconds: 86400\n  usages:\n  - client auth\n`,
    );
    const admin = kubeconfigPath("admin");
    const created = await run(["create", "-f", join(dir, "csr.yaml")], admin);
    expect(created).toEqual({ stdout: "certificatesigningrequest.certificates.k8s.io/maria created\n", stderr: "", code: 0 });
    const approved = await run(["certificate", "approve", "maria"], admin);
    expect(approved).toEqual({ stdout: "certificatesigningrequest.certificates.k8s.io/maria approved\n", stderr: "", code: 0 });
    const fetched = await run(["get", "csr", "maria", "-o", "jsonpath={.status.certificate}"], admin);
    expect(fetched.code).toBe(0);
    const certPem = Buffer.from(fetched.stdout, "base64").toString("utf8");
    expect(certPem).toMatch(/^-----BEGIN CERTIFICATE-----\n/);
    const maria = join(dir, "maria.kubeconfig");
    writeFileSync(
      maria,
      buildKubeconfig({
        server: fx.url,
        caCertPem: fx.serving.caCertPem,
        userName: "maria",
        user: { kind: "certificate", certPem, keyPem: readFileSync(keyPath, "utf8") },
      }),
    );
    const whoami = await run(["auth", "whoami"], maria);
    expect(whoami.code).toBe(0);
    expect(columns(whoami.stdout)).toContain("Username | maria");
    expect(columns(whoami.stdout)).toContain("Groups | [dev-team system:authenticated]");
    const devPods = await run(["get", "pods", "-n", "dev"], maria);
    expect(devPods.code).toBe(0);
    expect(columns(devPods.stdout)[1]).toMatch(/^api-1 \| 1\/1 \| Running \| 0 \| 3d$/);
    outcomes.push(
      `csr-flow\tcreate rc=${created.code}\tapprove rc=${approved.code}\tget csr rc=${fetched.code}\twhoami maria rc=${whoami.code}\tget pods -n dev rc=${devPods.code}`,
    );
  });

  it("kubectl create -f validates against /openapi/v3 and creates the pod", async () => {
    const manifest = join(work, "pod.yaml");
    writeFileSync(
      manifest,
      "apiVersion: v1\nkind: Pod\nmetadata:\n  name: web-3\n  namespace: default\nspec:\n  containers:\n  - name: nginx\n    image: nginx:1.27\n",
    );
    const created = await run(["create", "-f", manifest], kubeconfigPath("admin"));
    expect(created).toEqual({ stdout: "pod/web-3 created\n", stderr: "", code: 0 });
    outcomes.push(`create-pod\trc=${created.code} ${created.stdout.trim()}`);
  });
});
