/**
 * Scenario instances as a learner meets them in the default install: served by the practice API
 * listener (TLS server name routing, a serving certificate signed by the instance's cluster CA),
 * reachable from the web terminal and from the upstream kubectl 1.32 binary with the kubeconfig the
 * page hands out. Steps that use kubectl run the real binary in a real shell (files of the web
 * terminal's home copied out before and back after, as a learner downloads and uploads them); every
 * other step runs in the web terminal's shell.
 */
import { execFile, type ExecFileException } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { createServingIdentity, startPracticeApiServer, type InstanceStore, type PracticeApiServer } from "@/lib/practice-api";
import { KeyedQueue } from "@/lib/util/keyed-queue";
import type { InstanceServing, PracticeRequestRecord } from "@/lib/practice-api/instance-store";
import { createInstanceServing, instanceServerName } from "@/lib/practice-api/serving";
import type { ClusterState } from "@/lib/k8s";
import { apiServerServing } from "@/lib/k8s/node";
import { createInstance, recordRequests, type InstanceState } from "@/lib/scenarios/instance";
import type { Scenario } from "@/lib/scenarios/schema";

/** Learners' instances held in memory, with the same history recording as the database store. */
export class ScenarioInstanceStore implements InstanceStore {
  readonly instances = new Map<string, InstanceState>();
  private readonly queue = new KeyedQueue();

  async exists(id: string): Promise<boolean> {
    return this.instances.has(id);
  }

  async load(id: string): Promise<ClusterState | undefined> {
    return this.instances.get(id)?.cluster;
  }

  async save(id: string, state: ClusterState): Promise<void> {
    const instance = this.instances.get(id);
    if (instance !== undefined) instance.cluster = state;
  }

  withLock<T>(id: string, fn: () => Promise<T>): Promise<T> {
    return this.queue.run(id, fn);
  }

  async servingIdentity(id: string): Promise<InstanceServing | undefined> {
    const instance = this.instances.get(id);
    const endpoint = instance?.endpoint;
    if (instance === undefined || endpoint?.servingKeyPem === undefined) return undefined;
    return {
      certPem: endpoint.servingCertPem,
      keyPem: endpoint.servingKeyPem,
      ...(apiServerServing(instance.cluster) ? {} : { refused: true }),
    };
  }

  async record(id: string, request: PracticeRequestRecord): Promise<void> {
    const instance = this.instances.get(id);
    if (instance !== undefined) {
      recordRequests(instance, [
        {
          method: request.method,
          url: request.url,
          status: request.status,
          via: "practice-api",
          ...(request.authError === undefined ? {} : { authError: request.authError }),
        },
      ]);
    }
  }
}

export interface PracticeListener {
  server: PracticeApiServer;
  store: ScenarioInstanceStore;
}

export async function startPracticeListener(): Promise<PracticeListener> {
  const store = new ScenarioInstanceStore();
  const server = await startPracticeApiServer({ store, serving: await createServingIdentity(), onError: (error) => console.error(error) });
  return { server, store };
}

let counter = 0;

/** A fresh instance on the listener, set up as lib/scenarios/service.ts does in the default install. */
export async function createPracticeInstance(
  scenario: Scenario,
  listener: PracticeListener,
): Promise<{ id: string; instance: InstanceState }> {
  counter += 1;
  const id = `${counter.toString(16).padStart(4, "0")}${Math.random().toString(16).slice(2, 14)}`;
  const serverName = instanceServerName(id);
  if (serverName === undefined) throw new Error(`instance id ${id} is no DNS label`);
  const instance = await createInstance(scenario, async (cluster) => {
    const serving = await createInstanceServing({ ca: cluster.config.clusterSigner, hosts: [listener.server.host] });
    return {
      serverUrl: listener.server.origin,
      tlsServerName: serverName,
      caCertPem: cluster.config.clusterSigner.certPem,
      servingCertPem: serving.certPem,
      servingKeyPem: serving.keyPem,
    };
  });
  listener.store.instances.set(id, instance);
  return { id, instance };
}

/** Steps that use kubectl go to the real binary; the rest stay in the web terminal. */
export function usesKubectl(command: string): boolean {
  return /(^|[\s;|&($`])kubectl\s/.test(command);
}

const SKIP_ENV = new Set(["HOME", "PATH", "PWD", "OLDPWD", "SHLVL", "_", "USER", "LOGNAME", "SHELL", "HOSTNAME", "TERM"]);

function rewrite(text: string, from: string, to: string): string {
  return text.split(from).join(to);
}

/**
 * Runs one command line with real bash and the real kubectl. The web terminal's files are copied to
 * `root` first (its home becomes a real folder, paths inside files follow it), and every file under
 * the home is copied back afterwards; variables the line sets are kept in the web terminal's shell.
 */
export function runReal(
  instance: InstanceState,
  command: string,
  kubectl: string,
  root: string,
): Promise<{ output: string; exitCode: number }> {
  const home = instance.shell.env.HOME ?? "/root";
  const realHome = path.join(root, home);
  fs.rmSync(root, { recursive: true, force: true });
  for (const [file, node] of Object.entries(instance.shell.files)) {
    const target = path.join(root, file);
    if (node.type === "dir") fs.mkdirSync(target, { recursive: true });
  }
  for (const [file, node] of Object.entries(instance.shell.files)) {
    if (node.type !== "file") continue;
    const target = path.join(root, file);
    fs.mkdirSync(path.dirname(target), { recursive: true });
    fs.writeFileSync(target, rewrite(node.content, home, realHome), { mode: node.mode & 0o777 });
  }
  const bin = path.join(root, ".bin");
  fs.mkdirSync(bin, { recursive: true });
  fs.symlinkSync(kubectl, path.join(bin, "kubectl"));
  const envFile = path.join(root, ".env-after");
  const script = `set -a\n${rewrite(command, home, realHome)}\n__rc=$?\nenv -0 > ${JSON.stringify(envFile)}\nexit $__rc\n`;
  const variables: Record<string, string> = {};
  for (const [name, value] of Object.entries(instance.shell.env)) if (!SKIP_ENV.has(name)) variables[name] = rewrite(value, home, realHome);
  const cwd = path.join(root, instance.shell.cwd);
  return new Promise((resolve) => {
    execFile(
      "bash",
      ["-c", script],
      {
        cwd,
        env: { ...variables, NODE_ENV: process.env.NODE_ENV, HOME: realHome, PATH: `${bin}:/usr/bin:/bin`, LANG: "C.UTF-8" },
        timeout: 60_000,
        encoding: "utf8",
      },
      (error: ExecFileException | null, stdout: string, stderr: string) => {
        const exitCode = error === null ? 0 : typeof error.code === "number" ? error.code : 1;
        const now = instance.cluster.clock.nowMs;
        const walk = (dir: string): void => {
          for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
            const full = path.join(dir, entry.name);
            const virtual = path.join(home, path.relative(realHome, full));
            if (entry.isDirectory()) {
              if (entry.name === ".cache" || (path.basename(dir) === ".kube" && (entry.name === "cache" || entry.name === "http-cache")))
                continue;
              instance.shell.files[virtual] ??= { type: "dir", mode: 0o755, mtimeMs: now };
              walk(full);
            } else if (entry.isFile()) {
              const content = rewrite(fs.readFileSync(full, "utf8"), realHome, home);
              const known = instance.shell.files[virtual];
              if (known?.type !== "file" || known.content !== content) {
                instance.shell.files[virtual] = { type: "file", content, mode: fs.statSync(full).mode & 0o777, mtimeMs: now };
              }
            }
          }
        };
        walk(realHome);
        if (fs.existsSync(envFile)) {
          for (const pair of fs.readFileSync(envFile, "utf8").split("\0")) {
            const eq = pair.indexOf("=");
            if (eq <= 0) continue;
            const name = pair.slice(0, eq);
            if (SKIP_ENV.has(name) || name === "LANG" || name.startsWith("BASH") || name === "__rc") continue;
            instance.shell.env[name] = rewrite(pair.slice(eq + 1), realHome, home);
          }
        }
        resolve({ output: `${stdout}${stderr}`, exitCode });
      },
    );
  });
}
