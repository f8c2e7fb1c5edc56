import { beforeEach, describe, expect, it } from "vitest";
import { createVfs } from "../shell/vfs";
import { createHarness, type Harness } from "./test-helpers";

let h: Harness;
beforeEach(async () => {
  h = await createHarness();
});

const write = (path: string, text: string): void => {
  createVfs(h.shell).writeFile(path, text);
};
const read = (path: string): string => {
  const file = createVfs(h.shell).readFile(path);
  return file.ok ? file.content : "";
};

describe("kubectl config", () => {
  it("config view: the transcript's kubeconfig, byte for byte, and no network", async () => {
    write(
      "/root/kc",
      `apiVersion: v1
kind: Config
clusters:
- name: c
  cluster: {server: "https://127.0.0.1:6443", certificate-authority-data: ${Buffer.from("x").toString("base64")}}
users:
- name: u
  user: {token: secret}
contexts:
- name: ctx
  context: {cluster: c, user: u, namespace: default}
current-context: ctx
`,
    );
    const result = await h.run(["config", "view", "--kubeconfig", "/root/kc"]);
    expect(result).toEqual({
      exitCode: 0,
      stderr: "",
      stdout: `apiVersion: v1
clusters:
- cluster:
    certificate-authority-data: DATA+OMITTED
    server: https://127.0.0.1:6443
  name: c
contexts:
- context:
    cluster: c
    namespace: default
    user: u
  name: ctx
current-context: ctx
kind: Config
preferences: {}
users:
- name: u
  user:
    token: REDACTED
`,
    });
    expect(h.exchanges).toHaveLength(0);
    const raw = await h.run(["config", "view", "--kubeconfig", "/root/kc", "--raw", "-o", "jsonpath={.users[0].user.token}"]);
    expect(raw.stdout).toBe("secret");
  });

  it("an empty config views with null lists", async () => {
    const result = await h.run(["config", "view", "--kubeconfig", "/tmp/none"]);
    expect(result.stderr).toBe("error: stat /tmp/none: no such file or directory\n");
    const empty = await h.run(["config", "view"], { env: { KUBECONFIG: "/tmp/none" } });
    expect(empty.stdout).toBe(
      'apiVersion: v1\nclusters: null\ncontexts: null\ncurrent-context: ""\nkind: Config\npreferences: {}\nusers: null\n',
    );
  });

  it("get-contexts, current-context, use-context", async () => {
    const contexts = await h.run(["config", "get-contexts"]);
    expect(contexts.stdout.split("\n").slice(0, 3).join("\n")).toBe(
      "CURRENT   NAME          CLUSTER   AUTHINFO   NAMESPACE\n*         kc-admin      c         admin      default\n          kc-badtoken   c         badtoken   ",
    );
    expect((await h.run(["config", "current-context"])).stdout).toBe("kc-admin\n");
    expect(await h.run(["config", "use-context", "kc-cert"])).toEqual({
      exitCode: 0,
      stderr: "",
      stdout: 'Switched to context "kc-cert".\n',
    });
    expect((await h.run(["config", "current-context"])).stdout).toBe("kc-cert\n");
    expect((await h.run(["config", "use-context", "nope"])).stderr).toBe('error: no context exists with the name: "nope"\n');
  });

  it("set-credentials with files, --embed-certs, set-context and then a request as that user", async () => {
    const credential = h.state.credentials.jane;
    write("/root/jane.crt", credential?.certPem ?? "");
    write("/root/jane.key", credential?.keyPem ?? "");
    expect((await h.run(["config", "set-credentials", "jane2", "--client-certificate=jane.crt", "--client-key=jane.key"])).stdout).toBe(
      'User "jane2" set.\n',
    );
    expect(read("/root/.kube/config")).toContain(
      "- name: jane2\n  user:\n    client-certificate: /root/jane.crt\n    client-key: /root/jane.key\n",
    );
    expect(
      (await h.run(["config", "set-credentials", "jane3", "--client-certificate=jane.crt", "--client-key=jane.key", "--embed-certs"]))
        .exitCode,
    ).toBe(0);
    expect(read("/root/.kube/config")).toContain(`client-certificate-data: ${Buffer.from(credential?.certPem ?? "").toString("base64")}`);
    expect((await h.run(["config", "set-context", "jane", "--cluster=c", "--user=jane2"])).stdout).toBe('Context "jane" created.\n');
    expect((await h.run(["config", "set-context", "jane", "--namespace=dev"])).stdout).toBe('Context "jane" modified.\n');
    const whoami = await h.run(["auth", "whoami", "--context", "jane"]);
    expect(whoami.stdout).toContain("Username");
    expect(whoami.stdout).toContain("jane");
    const missing = await h.run(["config", "set-credentials", "x", "--client-certificate=nope.crt", "--embed-certs"]);
    expect(missing.stderr).toBe("error: could not stat client-certificate file nope.crt: stat nope.crt: no such file or directory\n");
  });

  it("a key that does not match the certificate", async () => {
    write("/root/jane.crt", h.state.credentials.jane?.certPem ?? "");
    write("/root/admin.key", h.state.credentials.admin?.keyPem ?? "");
    await h.run(["config", "set-credentials", "mix", "--client-certificate=jane.crt", "--client-key=admin.key"]);
    await h.run(["config", "set-context", "mix", "--cluster=c", "--user=mix"]);
    const result = await h.run(["get", "pods", "--context", "mix"]);
    expect(result).toEqual({ exitCode: 1, stdout: "", stderr: "error: tls: private key does not match public key\n" });
    expect(h.exchanges).toHaveLength(0);
  });

  it("a missing certificate file is a configuration error", async () => {
    await h.run(["config", "set-credentials", "gone", "--client-certificate=/root/gone.crt", "--client-key=/root/gone.key"]);
    await h.run(["config", "set-context", "gone", "--cluster=c", "--user=gone"]);
    const result = await h.run(["get", "pods", "--context", "gone"]);
    expect(result.stderr).toBe(
      "Error in configuration: \n* unable to read client-cert /root/gone.crt for gone due to open /root/gone.crt: no such file or directory\n* unable to read client-key /root/gone.key for gone due to open /root/gone.key: no such file or directory\n",
    );
  });

  it("a user without credentials gets the basic-auth prompt", async () => {
    await h.run(["config", "set-credentials", "nobody"]);
    await h.run(["config", "set-context", "nobody", "--cluster=c", "--user=nobody"]);
    expect(await h.run(["get", "pods", "--context", "nobody"])).toEqual({
      exitCode: 1,
      stdout: "Please enter Username: ",
      stderr: "error: EOF\n",
    });
  });

  it("no kubeconfig at all: localhost:8080 refused", async () => {
    const result = await h.run(["get", "pods"], { env: { KUBECONFIG: "/tmp/none" } });
    expect(result.stderr.split("\n").slice(-2).join("\n")).toBe(
      "The connection to the server localhost:8080 was refused - did you specify the right host or port?\n",
    );
  });

  it("delete-context and set-cluster", async () => {
    expect((await h.run(["config", "set-cluster", "other", "--server=https://10.0.0.1:6443", "--insecure-skip-tls-verify"])).stdout).toBe(
      'Cluster "other" set.\n',
    );
    expect(read("/root/.kube/config")).toContain(
      "- cluster:\n    insecure-skip-tls-verify: true\n    server: https://10.0.0.1:6443\n  name: other\n",
    );
    expect((await h.run(["config", "delete-context", "kc-rogue"])).stdout).toBe("deleted context kc-rogue from /root/.kube/config\n");
    expect((await h.run(["config", "delete-context", "kc-rogue"])).stderr).toBe(
      "error: cannot delete context kc-rogue, not in /root/.kube/config\n",
    );
  });
  it("config set: current-context without checking the context (as kubectl 1.32), named fields, base64 fields", async () => {
    expect(await h.run(["config", "set", "current-context", "kc-cert"])).toEqual({
      exitCode: 0,
      stderr: "",
      stdout: 'Property "current-context" set.\n',
    });
    expect((await h.run(["config", "current-context"])).stdout).toBe("kc-cert\n");
    expect((await h.run(["config", "set", "current-context", "nope"])).exitCode).toBe(0);
    expect((await h.run(["config", "set", "contexts.kc-admin.namespace", "dev"])).stdout).toBe(
      'Property "contexts.kc-admin.namespace" set.\n',
    );
    expect(read("/root/.kube/config")).toContain("namespace: dev");
    expect((await h.run(["config", "set", "clusters.c.certificate-authority-data", "notbase64"])).stderr).toBe(
      "error: error decoding input value: illegal base64 data at input byte 9\n",
    );
    expect((await h.run(["config", "set", "users.u9.client-key-data", "KEY", "--set-raw-bytes"])).exitCode).toBe(0);
    expect(read("/root/.kube/config")).toContain(`client-key-data: ${Buffer.from("KEY").toString("base64")}`);
    expect((await h.run(["config", "set", "foo", "bar"])).stderr).toBe("error: unable to parse foo after [] at api.Config\n");
    expect((await h.run(["config", "set", "current-context"])).stderr).toBe("error: Unexpected args: [current-context]\n");
  });

  it("config view --minify --flatten prints real values, as --raw does (view.go skips ShortenConfig)", async () => {
    write("/root/ca.crt", "CADATA\n");
    write(
      "/root/kc",
      'apiVersion: v1\nkind: Config\nclusters:\n- name: c\n  cluster: {server: "https://127.0.0.1:6443", certificate-authority: ca.crt}\nusers:\n- name: u\n  user: {token: secret, client-key-data: S0VZ}\ncontexts:\n- name: ctx\n  context: {cluster: c, user: u}\ncurrent-context: ctx\n',
    );
    const flattened = await h.run(["config", "view", "--kubeconfig", "/root/kc", "--minify", "--flatten"]);
    expect(flattened.stdout).toContain(`certificate-authority-data: ${Buffer.from("CADATA\n").toString("base64")}`);
    expect(flattened.stdout).toContain("client-key-data: S0VZ\n");
    expect(flattened.stdout).toContain("token: secret\n");
    const plain = await h.run(["config", "view", "--kubeconfig", "/root/kc", "--minify"]);
    expect(plain.stdout).toContain("token: REDACTED\n");
  });
});
