import { beforeEach, describe, expect, it } from "vitest";
import { createHarness, normalizeKlog, type Harness } from "./test-helpers";

let h: Harness;
beforeEach(async () => {
  h = await createHarness();
});

const E = (message: string): string =>
  `E0000 00:00:00.000000   00000 memcache.go:265] "Unhandled Error" err="couldn't get current server API group list: ${message}"\n`;
const CREDS = "the server has asked for the client to provide credentials";

describe("transcript: MODE=unauth (byte for byte)", () => {
  it("kubectl get pods with a bad token: 5 E-lines then the generic 401 message", async () => {
    const result = await h.run(["get", "pods", "--context", "kc-badtoken"]);
    expect(result.exitCode).toBe(1);
    expect(result.stdout).toBe("");
    expect(normalizeKlog(result.stderr)).toBe(`${E(CREDS).repeat(5)}error: You must be logged in to the server (${CREDS})\n`);
    expect(h.exchanges.map((exchange) => `${exchange.request.method} ${exchange.request.url}`)).toEqual(
      Array(5).fill("GET /api?timeout=32s"),
    );
  });

  it("E-lines carry the simulated clock and one pid", async () => {
    const result = await h.run(["get", "pods", "--context", "kc-badtoken"]);
    const lines = result.stderr.split("\n").filter((line) => line.startsWith("E"));
    expect(lines[0]).toMatch(/^E0101 00:00:00\.\d{6} +\d+ memcache\.go:265\] /);
    expect(new Set(lines.map((line) => line.split(/ +/)[2])).size).toBe(1);
  });

  it("kubectl auth whoami with a bad token", async () => {
    const result = await h.run(["auth", "whoami", "--context", "kc-badtoken"]);
    expect(result).toMatchObject({ exitCode: 1, stdout: "", stderr: "error: You must be logged in to the server (Unauthorized)\n" });
    expect(h.exchanges).toHaveLength(1);
    const body = h.exchanges[0]?.request;
    expect(body?.headers["content-type"]).toBe("application/vnd.kubernetes.protobuf");
  });

  it("kubectl auth can-i list pods with a bad token", async () => {
    const result = await h.run(["auth", "can-i", "list", "pods", "--context", "kc-badtoken"]);
    expect(result.exitCode).toBe(1);
    expect(normalizeKlog(result.stderr)).toBe(
      `${E(CREDS).repeat(2)}Warning: the server doesn't have a resource type 'pods'\n\nerror: You must be logged in to the server (Unauthorized)\n`,
    );
  });

  it("kubectl version with a bad token", async () => {
    const result = await h.run(["version", "--context", "kc-badtoken"]);
    expect(result).toEqual({
      exitCode: 1,
      stdout: "Client Version: v1.32.5\nKustomize Version: v5.5.0\n",
      stderr: `error: You must be logged in to the server (${CREDS})\n`,
    });
  });

  it("an untrusted client certificate looks exactly like a bad token", async () => {
    const result = await h.run(["get", "pods", "--context", "kc-rogue"]);
    expect(normalizeKlog(result.stderr)).toBe(`${E(CREDS).repeat(5)}error: You must be logged in to the server (${CREDS})\n`);
  });
});

describe("transcript: MODE=normal", () => {
  it("kubectl get pods as admin", async () => {
    const result = await h.run(["get", "pods"]);
    expect(result).toEqual({
      exitCode: 0,
      stderr: "",
      stdout: "NAME    READY   STATUS    RESTARTS   AGE\nweb-1   1/1     Running   0          100d\n",
    });
    const urls = h.exchanges.map((exchange) => exchange.request.url);
    expect(urls.slice(0, 2)).toEqual(["/api?timeout=32s", "/apis?timeout=32s"]);
    expect(urls[urls.length - 1]).toBe("/api/v1/namespaces/default/pods?limit=500");
    expect(h.exchanges[0]?.request.headers["user-agent"]).toBe("kubectl/v1.32.5 (linux/amd64) kubernetes/9894294");
  });

  it("kubectl get pods as jane: 403", async () => {
    const result = await h.run(["get", "pods", "--context", "kc-cert"]);
    expect(result).toEqual({
      exitCode: 1,
      stdout: "",
      stderr:
        'Error from server (Forbidden): pods is forbidden: User "jane" cannot list resource "pods" in API group "" in the namespace "default"\n',
    });
  });

  it("kubectl auth whoami as jane", async () => {
    const result = await h.run(["auth", "whoami", "--context", "kc-cert"]);
    expect(result.exitCode).toBe(0);
    // The transcript's fake server sent no extra; a 1.32 server adds the credential-id, which widens column 1.
    const pad = (text: string): string => text.padEnd("Extra: authentication.kubernetes.io/credential-id".length + 3, " ");
    expect(result.stdout).toMatch(
      new RegExp(
        `^${pad("ATTRIBUTE")}VALUE\\n${pad("Username")}jane\\n${pad("Groups")}\\[dev qa system:authenticated\\]\\nExtra: authentication.kubernetes.io/credential-id   \\[X509SHA256=[0-9a-f]{64}\\]\\n$`,
      ),
    );
  });

  it("kubectl auth whoami -o json as admin (token)", async () => {
    const result = await h.run(["auth", "whoami", "-o", "json"]);
    expect(result.stdout).toBe(`{
    "kind": "SelfSubjectReview",
    "apiVersion": "authentication.k8s.io/v1",
    "metadata": {
        "creationTimestamp": "2025-01-01T00:00:00Z"
    },
    "status": {
        "userInfo": {
            "username": "admin",
            "uid": "1",
            "groups": [
                "system:masters",
                "system:authenticated"
            ]
        }
    }
}
`);
  });

  it("kubectl auth whoami --as=jane --as-group=dev --as-uid=123 sends the impersonation headers", async () => {
    const result = await h.run(["auth", "whoami", "--as=jane", "--as-group=dev", "--as-uid=123"]);
    expect(result.exitCode).toBe(0);
    expect(result.stdout).toBe("ATTRIBUTE   VALUE\nUsername    jane\nUID         123\nGroups      [dev system:authenticated]\n");
    expect(h.exchanges[0]?.request.headers).toMatchObject({
      "impersonate-user": "jane",
      "impersonate-group": ["dev"],
      "impersonate-uid": "123",
    });
  });

  it("impersonation details without --as are refused by kubectl itself, as client-go does (spec §11)", async () => {
    const before = h.exchanges.length;
    for (const args of [["--as-group=dev"], ["--as-uid=123"], ["--as-group=a", "--as-group=b"]]) {
      const result = await h.run(["get", "pods", ...args]);
      expect(result.exitCode).toBe(1);
      expect(result.stdout).toBe("");
      expect(result.stderr).toMatch(/^error: requesting uid, groups or user-extra for \S+ without impersonating a user\n$/);
    }
    expect(h.exchanges.length).toBe(before);
  });

  it("kubectl auth can-i list pods: yes as admin, no as jane", async () => {
    expect(await h.run(["auth", "can-i", "list", "pods"])).toEqual({ exitCode: 0, stdout: "yes\n", stderr: "" });
    const urls = h.exchanges.map((exchange) => exchange.request.url);
    expect(urls.slice(-2)).toEqual(["/api/v1", "/apis/authorization.k8s.io/v1/selfsubjectaccessreviews"]);
    expect(await h.run(["auth", "can-i", "list", "pods", "--context", "kc-cert"])).toEqual({ exitCode: 1, stdout: "no\n", stderr: "" });
  });

  it("untrusted server CA: 5 E-lines and Unable to connect; whoami prints only the last line", async () => {
    const get = await h.run(["get", "pods", "--context", "kc-wrongca"]);
    const tls =
      'Get \\"https://127.0.0.1:6443/api?timeout=32s\\": tls: failed to verify certificate: x509: certificate signed by unknown authority';
    expect(normalizeKlog(get.stderr)).toBe(
      `${E(tls).repeat(5)}Unable to connect to the server: tls: failed to verify certificate: x509: certificate signed by unknown authority\n`,
    );
    const whoami = await h.run(["auth", "whoami", "--context", "kc-wrongca"]);
    expect(whoami.stderr).toBe(
      "Unable to connect to the server: tls: failed to verify certificate: x509: certificate signed by unknown authority\n",
    );
  });

  it("connection refused", async () => {
    const get = await h.run(["get", "pods", "--context", "kc-refused"]);
    const refused = 'Get \\"https://127.0.0.1:6999/api?timeout=32s\\": dial tcp 127.0.0.1:6999: connect: connection refused';
    expect(normalizeKlog(get.stderr)).toBe(
      `${E(refused).repeat(5)}The connection to the server 127.0.0.1:6999 was refused - did you specify the right host or port?\n`,
    );
  });

  it("kubectl version as admin", async () => {
    expect(await h.run(["version"])).toEqual({
      exitCode: 0,
      stderr: "",
      stdout: "Client Version: v1.32.5\nKustomize Version: v5.5.0\nServer Version: v1.32.5\n",
    });
  });
});

describe("command line errors", () => {
  it("kubectl create user jane", async () => {
    expect(await h.run(["create", "user", "jane"])).toEqual({
      exitCode: 1,
      stdout: "",
      stderr: "error: Unexpected args: [user jane]\nSee 'kubectl create -h' for help and examples\n",
    });
    expect(await h.run(["create", "user"])).toEqual({
      exitCode: 1,
      stdout: "",
      stderr: "error: Unexpected args: [user]\nSee 'kubectl create -h' for help and examples\n",
    });
    expect(h.exchanges).toHaveLength(0);
  });

  it("unknown command and unknown flag", async () => {
    expect((await h.run(["foo"])).stderr).toBe('error: unknown command "foo" for "kubectl"\nRun \'kubectl --help\' for usage.\n');
    expect((await h.run(["get", "pods", "--bogus"])).stderr).toBe("error: unknown flag: --bogus\nSee 'kubectl get --help' for usage.\n");
  });

  it("unknown resource type", async () => {
    const result = await h.run(["get", "foo"]);
    expect(result).toEqual({ exitCode: 1, stdout: "", stderr: 'error: the server doesn\'t have a resource type "foo"\n' });
  });
});
