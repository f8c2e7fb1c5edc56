// The kubeadm node through the scenario service (the web terminal's path: service → learner pool →
// worker → execute) against a real SQLite database: the prompt follows ssh/sudo, vi opens the node's
// manifest in the editor panel and saving writes the node's file (the kubelet acts on it), and the
// database-backed practice store refuses the instance's handshakes while its API server is down.
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { createTestDatabase, type TestDatabase } from "../helpers/database";
import { parseEndpoint } from "@/lib/scenarios/storage";

let database: TestDatabase;
let service: typeof import("@/lib/scenarios/service");
let store: import("@/lib/scenarios/practice-store").DatabaseInstanceStore;
let userId: string;

beforeAll(async () => {
  database = await createTestDatabase("sqlite");
  vi.stubEnv("DATABASE_URL", database.config.url);
  vi.stubEnv("PRACTICE_API_PORT", "0");
  vi.stubEnv("TERMINAL_RATE_LIMIT", "1000");
  service = await import("@/lib/scenarios/service");
  const { DatabaseInstanceStore } = await import("@/lib/scenarios/practice-store");
  store = new DatabaseInstanceStore(database.db);
  userId = (await database.db.user.create({ data: { email: "ops@example.com", name: "Ops" } })).id;
});

afterAll(async () => {
  vi.unstubAllEnvs();
  await database.drop();
});

let counter = 0;
const run = (input: string) => service.runCommand(userId, "recover-apiserver", input, `node-${++counter}-abcdef`);

describe("the kubeadm node in the web terminal", () => {
  it("ssh, sudo -i, vi in the editor panel, the kubelet restarts the API server, the practice store follows", async () => {
    expect((await service.getSession(userId, "recover-apiserver")).prompt).toBe("student@controlplane:~$ ");
    expect((await run("kubectl get ns")).output).toContain("was refused - did you specify the right host or port?");
    const row = await database.db.scenarioInstance.findUniqueOrThrow({
      where: { userId_scenarioId: { userId, scenarioId: "recover-apiserver" } },
    });
    // What the practice listener's handshake reads (this test runs without a listener: no serving key).
    expect(parseEndpoint(row.state).apiServerDown).toBe(true);
    expect(await store.servingIdentity(row.id)).toBeUndefined();

    expect((await run("ssh controlplane")).prompt).toBe("student@controlplane:~$ ");
    expect((await run("sudo -i")).prompt).toBe("root@controlplane:~# ");
    const opened = await run("vi /etc/kubernetes/manifests/kube-apiserver.yaml");
    expect(opened.openEditor?.path).toBe("/etc/kubernetes/manifests/kube-apiserver.yaml");
    expect(opened.openEditor?.keys).toBe("vi");
    const content = opened.openEditor?.content ?? "";
    expect(content).toContain("    - --enable-admission-plugin=NodeRestriction,AlwaysPullImages\n");
    await service.saveFile(
      userId,
      "recover-apiserver",
      "/etc/kubernetes/manifests/kube-apiserver.yaml",
      content.replace("--enable-admission-plugin=", "--enable-admission-plugins="),
    );
    await run("sleep 20");
    expect((await run("crictl ps --name kube-apiserver")).output).toMatch(/Running\s+kube-apiserver\s+0\s/);
    expect((await run("exit")).prompt).toBe("student@controlplane:~$ ");
    expect((await run("exit")).output).toBe("logout\nConnection to controlplane closed.\n");
    expect((await run("kubectl get ns web")).exitCode).toBe(0);
    const saved = await database.db.scenarioInstance.findUniqueOrThrow({ where: { id: row.id } });
    expect(parseEndpoint(saved.state).apiServerDown).toBeUndefined();
    const progress = await service.checkNow(userId, "recover-apiserver");
    expect(progress.checks.find((check) => check.id === "api-serving")?.passed).toBe(true);
    expect(progress.checks.find((check) => check.id === "plugins-kept")?.passed).toBe(true);
  });
});

describe("tab completion on the node", () => {
  it("completes the node's paths and tools once the terminal is there", async () => {
    await run("ssh controlplane");
    expect((await service.complete(userId, "recover-apiserver", "cat /etc/kubernetes/manifests/kube-a", 36)).candidates).toEqual([
      "/etc/kubernetes/manifests/kube-apiserver.yaml",
    ]);
    expect((await service.complete(userId, "recover-apiserver", "cric", 4)).candidates).toEqual(["crictl"]);
    await run("exit");
  });
});
