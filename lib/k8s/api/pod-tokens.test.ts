// Pods and their ServiceAccount tokens: the ServiceAccount admission plugin's volume, automount
// precedence, projected token validation, and the simulated kubelet's token read through pods/exec.
import { beforeEach, describe, expect, it } from "vitest";
import type { ClusterState } from "../cluster/state";
import { advanceClock, restoreCluster, serializeCluster } from "../cluster/serialize";
import { handleRequest } from "./handle-request";
import { bodyJson, createTestCluster, request } from "./test-helpers";

let state: ClusterState;
beforeEach(async () => {
  state = await createTestCluster();
});

const admin = { token: "admintoken" };

async function send(method: string, url: string, body?: unknown, token = admin.token) {
  return handleRequest(
    state,
    request(state, method, url, {
      token,
      ...(body === undefined ? {} : { contentType: "application/json", body: JSON.stringify(body) }),
      headers: { "x-kubeprep-exec": "buffered" },
    }),
  );
}

function pod(name: string, spec: Record<string, unknown>) {
  return { apiVersion: "v1", kind: "Pod", metadata: { name }, spec: { containers: [{ name: "app", image: "busybox:1.36" }], ...spec } };
}

async function createPod(name: string, spec: Record<string, unknown> = {}) {
  return send("POST", "/api/v1/namespaces/default/pods", pod(name, spec));
}

async function exec(name: string, ...command: string[]) {
  const query = new URLSearchParams(command.map((part) => ["command", part]));
  const { response } = await send("GET", `/api/v1/namespaces/default/pods/${name}/exec?${query.toString()}`);
  return { status: response.status, body: bodyJson(response) as { stdout: string; stderr: string; exitCode: number; message?: string } };
}

function claims(token: string): Record<string, unknown> {
  return JSON.parse(Buffer.from(token.split(".")[1] ?? "", "base64url").toString("utf8")) as Record<string, unknown>;
}

const TOKEN_DIR = "/var/run/secrets/kubernetes.io/serviceaccount";

describe("ServiceAccount admission", () => {
  it("adds kube-api-access-<5> with a 3607 s token, the root CA and the namespace, mounted read-only", async () => {
    const { response } = await createPod("a");
    expect(response.status).toBe(201);
    const created = bodyJson(response) as {
      spec: { volumes: { name: string; projected: unknown }[]; containers: { volumeMounts: unknown[] }[] };
    };
    const volume = created.spec.volumes[0];
    expect(volume?.name).toMatch(/^kube-api-access-[bcdfghjklmnpqrstvwxz2456789]{5}$/);
    expect(volume?.projected).toEqual({
      defaultMode: 420,
      sources: [
        { serviceAccountToken: { expirationSeconds: 3607, path: "token" } },
        { configMap: { name: "kube-root-ca.crt", items: [{ key: "ca.crt", path: "ca.crt" }] } },
        { downwardAPI: { items: [{ path: "namespace", fieldRef: { apiVersion: "v1", fieldPath: "metadata.namespace" } }] } },
      ],
    });
    expect(created.spec.containers[0]?.volumeMounts).toEqual([{ name: volume?.name, readOnly: true, mountPath: TOKEN_DIR }]);
  });

  it("the Pod's automountServiceAccountToken wins over the ServiceAccount's, both ways", async () => {
    await send("PUT", "/api/v1/namespaces/default/serviceaccounts/sa1", {
      apiVersion: "v1",
      kind: "ServiceAccount",
      metadata: { name: "sa1" },
      automountServiceAccountToken: false,
    });
    const off = bodyJson((await createPod("off", { serviceAccountName: "sa1" })).response) as { spec: Record<string, unknown> };
    expect(off.spec.volumes).toBeUndefined();
    const on = bodyJson((await createPod("on", { serviceAccountName: "sa1", automountServiceAccountToken: true })).response) as {
      spec: { volumes: { name: string }[] };
    };
    expect(on.spec.volumes[0]?.name).toMatch(/^kube-api-access-/);
    const podOff = bodyJson((await createPod("pod-off", { automountServiceAccountToken: false })).response) as {
      spec: Record<string, unknown>;
    };
    expect(podOff.spec.volumes).toBeUndefined();
  });

  it("refuses a Pod whose ServiceAccount does not exist, as the plugin words it", async () => {
    const { response } = await createPod("x", { serviceAccountName: "ghost" });
    expect(response.status).toBe(403);
    expect((bodyJson(response) as { message: string }).message).toBe(
      'pods "x" is forbidden: error looking up service account default/ghost: serviceaccount "ghost" not found',
    );
  });

  it("defaults a projected token to 3600 s and refuses one below ten minutes", async () => {
    const volume = (seconds?: number) => ({
      volumes: [
        {
          name: "t",
          projected: {
            sources: [
              {
                serviceAccountToken: { audience: "vault", path: "token", ...(seconds === undefined ? {} : { expirationSeconds: seconds }) },
              },
            ],
          },
        },
      ],
    });
    const ok = bodyJson((await createPod("ok", volume())).response) as {
      spec: { volumes: { projected: { sources: { serviceAccountToken: { expirationSeconds: number } }[] } }[] };
    };
    expect(ok.spec.volumes[0]?.projected.sources[0]?.serviceAccountToken.expirationSeconds).toBe(3600);
    const { response } = await createPod("short", volume(300));
    expect(response.status).toBe(422);
    expect((bodyJson(response) as { message: string }).message).toBe(
      'Pod "short" is invalid: spec.volumes[0].projected.sources[0].serviceAccountToken.expirationSeconds: Invalid value: 300: may not specify a duration less than 10 minutes',
    );
  });
});

describe("the kubelet's token files through pods/exec", () => {
  it("mounts a pod-bound token that authenticates as the ServiceAccount with the pod in its extra", async () => {
    await createPod("a");
    expect((await exec("a", "ls", TOKEN_DIR)).body.stdout).toBe("ca.crt\nnamespace\ntoken\n");
    expect((await exec("a", "cat", `${TOKEN_DIR}/namespace`)).body.stdout).toBe("default");
    const token = (await exec("a", "cat", `${TOKEN_DIR}/token`)).body.stdout;
    // The same file until the kubelet refreshes it, also after a save and restore.
    state = (restoreCluster(serializeCluster(state)) as { ok: true; state: ClusterState }).state;
    expect((await exec("a", "cat", `${TOKEN_DIR}/token`)).body.stdout).toBe(token);
    const payload = claims(token);
    expect(payload.aud).toEqual(["https://kubernetes.default.svc.cluster.local"]);
    expect((payload.exp as number) - (payload.iat as number)).toBe(365 * 24 * 3600);
    expect(payload["kubernetes.io"]).toMatchObject({ namespace: "default", pod: { name: "a" }, serviceaccount: { name: "default" } });
    const { response } = await send(
      "POST",
      "/apis/authentication.k8s.io/v1/selfsubjectreviews",
      { apiVersion: "authentication.k8s.io/v1", kind: "SelfSubjectReview" },
      token,
    );
    const user = (bodyJson(response) as { status: { userInfo: { username: string; extra: Record<string, string[]> } } }).status.userInfo;
    expect(user.username).toBe("system:serviceaccount:default:default");
    expect(user.extra["authentication.kubernetes.io/pod-name"]).toEqual(["a"]);
    // Past 80% of the requested 3607 s the kubelet has a new token.
    advanceClock(state, "49m");
    expect((await exec("a", "cat", `${TOKEN_DIR}/token`)).body.stdout).not.toBe(token);
    // Deleting the Pod ends its tokens.
    await send("DELETE", "/api/v1/namespaces/default/pods/a");
    const after = await send("GET", "/api/v1/namespaces/default/pods", undefined, token);
    expect(after.response.status).toBe(401);
  });

  it("a projected token for audience vault lives expirationSeconds and the API server refuses it", async () => {
    await createPod("r", {
      automountServiceAccountToken: false,
      containers: [{ name: "app", image: "busybox:1.36", volumeMounts: [{ name: "v", mountPath: "/var/run/secrets/vault" }] }],
      volumes: [
        { name: "v", projected: { sources: [{ serviceAccountToken: { audience: "vault", expirationSeconds: 7200, path: "token" } }] } },
      ],
    });
    const missing = await exec("r", "ls", TOKEN_DIR);
    expect(missing.body).toEqual({ stdout: "", stderr: `ls: cannot access '${TOKEN_DIR}': No such file or directory\n`, exitCode: 2 });
    const token = (await exec("r", "cat", "/var/run/secrets/vault/token")).body.stdout;
    const payload = claims(token);
    expect(payload.aud).toEqual(["vault"]);
    expect((payload.exp as number) - (payload.iat as number)).toBe(7200);
    const { response } = await send("GET", "/api/v1/namespaces/default/pods", undefined, token);
    expect(response.status).toBe(401);
  });

  it("answers a client that does not use the buffered mode as a non-upgraded exec request", async () => {
    await createPod("a");
    const { response } = await handleRequest(state, request(state, "GET", "/api/v1/namespaces/default/pods/a/exec?command=ls", admin));
    expect(response.status).toBe(400);
    expect((await exec("a", "sh")).body.exitCode).toBe(126);
    const wrong = await send("GET", "/api/v1/namespaces/default/pods/a/exec?command=ls&container=nope");
    expect((bodyJson(wrong.response) as { message: string }).message).toBe('container not found ("nope")');
  });
});
