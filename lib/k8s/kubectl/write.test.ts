import { beforeEach, describe, expect, it } from "vitest";
import { createCertificateSigningRequest, generateKeyPair } from "../pki";
import { createVfs } from "../shell/vfs";
import { createHarness, type Harness } from "./test-helpers";

let h: Harness;
beforeEach(async () => {
  h = await createHarness();
});

const write = (path: string, text: string): void => {
  createVfs(h.shell).writeFile(path, text);
};
const POD = "apiVersion: v1\nkind: Pod\nmetadata:\n  name: web-2\nspec:\n  containers:\n  - name: nginx\n    image: nginx:1.27\n";

describe("create -f / apply -f / delete", () => {
  it("create -f pod.yaml: openapi, discovery, then the POST exactly as kubectl sent it", async () => {
    write("/root/pod.yaml", POD);
    expect(await h.run(["create", "-f", "pod.yaml"])).toEqual({ exitCode: 0, stdout: "pod/web-2 created\n", stderr: "" });
    const requests = h.exchanges.map(
      (exchange) => `${exchange.request.method} ${exchange.request.url.replace(/hash=[0-9A-F]+/, "hash=H")}`,
    );
    expect(requests.slice(0, 4)).toEqual([
      "GET /openapi/v3?timeout=32s",
      "GET /openapi/v3/api/v1?hash=H&timeout=32s",
      "GET /api?timeout=32s",
      "GET /apis?timeout=32s",
    ]);
    expect(requests[requests.length - 1]).toBe("POST /api/v1/namespaces/default/pods?fieldManager=kubectl-create&fieldValidation=Strict");
    const again = await h.run(["create", "-f", "pod.yaml"]);
    expect(again).toEqual({
      exitCode: 1,
      stdout: "",
      stderr: 'Error from server (AlreadyExists): error when creating "pod.yaml": pods "web-2" already exists\n',
    });
  });

  it("create --validate=false sends fieldValidation=Ignore without openapi; a missing file", async () => {
    write("/root/pod.yaml", POD);
    await h.run(["create", "-f", "pod.yaml", "--validate=false"]);
    expect(h.exchanges[0]?.request.url).toBe("/api?timeout=32s");
    expect(h.exchanges[h.exchanges.length - 1]?.request.url).toContain("fieldValidation=Ignore");
    expect((await h.run(["create", "-f", "nope.yaml"])).stderr).toBe('error: the path "nope.yaml" does not exist\n');
  });

  it("apply: created, unchanged, configured; get -o yaml shows the annotation", async () => {
    write("/root/cm.yaml", 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: settings\ndata:\n  a: "1"\n');
    expect((await h.run(["apply", "-f", "cm.yaml"])).stdout).toBe("configmap/settings created\n");
    expect((await h.run(["apply", "-f", "cm.yaml"])).stdout).toBe("configmap/settings unchanged\n");
    write("/root/cm.yaml", 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: settings\ndata:\n  b: "2"\n');
    expect((await h.run(["apply", "-f", "cm.yaml"])).stdout).toBe("configmap/settings configured\n");
    const data = await h.run(["get", "cm", "settings", "-o", "jsonpath={.data}"]);
    expect(data.stdout).toBe('{"b":"2"}');
  });

  it("delete by name and -f", async () => {
    expect(await h.run(["delete", "pod", "web-1"])).toEqual({ exitCode: 0, stdout: 'pod "web-1" deleted\n', stderr: "" });
    expect(await h.run(["delete", "pod", "web-1"])).toEqual({
      exitCode: 1,
      stdout: "",
      stderr: 'Error from server (NotFound): pods "web-1" not found\n',
    });
    const empty = await h.run(["get", "pods"]);
    expect(empty).toEqual({ exitCode: 0, stdout: "", stderr: "No resources found in default namespace.\n" });
  });

  it("names with a colon travel as client-go sends them and come back unescaped (system:… RBAC names)", async () => {
    expect((await h.run(["create", "clusterrole", "system:demo-reader", "--verb=get", "--resource=pods"])).stdout).toBe(
      "clusterrole.rbac.authorization.k8s.io/system:demo-reader created\n",
    );
    expect((await h.run(["get", "clusterrole", "system:demo-reader", "-o", "name"])).stdout).toBe(
      "clusterrole.rbac.authorization.k8s.io/system:demo-reader\n",
    );
    expect(h.exchanges.at(-1)?.request.url).toMatch(/\/clusterroles\/system:demo-reader$/);
    expect(await h.run(["delete", "clusterrole", "system:demo-reader"])).toEqual({
      exitCode: 0,
      stdout: 'clusterrole.rbac.authorization.k8s.io "system:demo-reader" deleted\n',
      stderr: "",
    });
    expect((await h.run(["delete", "clusterrolebinding", "system:nope"])).stderr).toBe(
      'Error from server (NotFound): clusterrolebindings.rbac.authorization.k8s.io "system:nope" not found\n',
    );
  });
});

describe("create generators and create token", () => {
  it("serviceaccount, role, rolebinding, then can-i as the service account", async () => {
    expect((await h.run(["create", "serviceaccount", "build", "-n", "default"])).stdout).toBe("serviceaccount/build created\n");
    expect((await h.run(["create", "sa", "build"])).stderr).toBe(
      'error: failed to create serviceaccount: serviceaccounts "build" already exists\n',
    );
    expect((await h.run(["create", "role", "pod-reader", "--verb=get,list", "--resource=pods"])).stdout).toBe(
      "role.rbac.authorization.k8s.io/pod-reader created\n",
    );
    expect(
      (await h.run(["create", "rolebinding", "rb", "--role=pod-reader", "--serviceaccount=default:build", "--user=jane"])).stdout,
    ).toBe("rolebinding.rbac.authorization.k8s.io/rb created\n");
    expect(await h.run(["auth", "can-i", "list", "pods", "--as=system:serviceaccount:default:build"])).toMatchObject({
      stdout: "yes\n",
      exitCode: 0,
    });
    expect(await h.run(["auth", "can-i", "list", "pods", "--context", "kc-cert"])).toMatchObject({ stdout: "yes\n", exitCode: 0 });
    expect(await h.run(["auth", "can-i", "delete", "pods", "--context", "kc-cert"])).toMatchObject({ stdout: "no\n", exitCode: 1 });
    const roles = await h.run(["get", "roles"]);
    expect(roles.stdout).toBe("NAME         CREATED AT\npod-reader   2025-01-01T00:00:00Z\n");
    expect((await h.run(["create", "role", "x", "--verb=get", "--resource=foo"])).stderr).toBe(
      'error: the server doesn\'t have a resource type "foo"\n',
    );
    expect((await h.run(["create", "rolebinding", "y", "--user=jane"])).stderr).toBe(
      "error: exactly one of clusterrole or role must be specified\n",
    );
  });

  it("create token prints a JWT; --duration below 10m is the server's 422", async () => {
    const token = await h.run(["create", "token", "sa1", "--duration=10m"]);
    expect(token.exitCode).toBe(0);
    expect(token.stdout).toMatch(/^eyJ[\w-]+\.[\w-]+\.[\w-]+\n$/);
    const body = h.exchanges[0];
    expect(body?.request.url).toBe("/api/v1/namespaces/default/serviceaccounts/sa1/token");
    const short = await h.run(["create", "token", "sa1", "--duration=1m"]);
    expect(short.stderr).toMatch(/^error: failed to create token: .*may not specify a duration less than 10 minutes\n$/);
    const whoami = await h.run(["auth", "whoami", "--token", token.stdout.trim()]);
    expect(whoami.stdout).toContain("system:serviceaccount:default:sa1");
    expect((await h.run(["create", "token", "nope"])).stderr).toBe('error: failed to create token: serviceaccounts "nope" not found\n');
  });

  it("namespace, configmap and secret generic", async () => {
    expect((await h.run(["create", "namespace", "dev"])).stdout).toBe("namespace/dev created\n");
    expect((await h.run(["create", "configmap", "c1", "--from-literal=a=1", "-n", "dev"])).stdout).toBe("configmap/c1 created\n");
    expect((await h.run(["create", "secret", "generic", "s1", "--from-literal=password=x"])).stdout).toBe("secret/s1 created\n");
    const secret = await h.run(["get", "secret", "s1", "-o", "jsonpath={.data.password}"]);
    expect(secret.stdout).toBe("eA==");
  });
});

describe("the CSR flow (spec §8)", () => {
  it("create the CSR, approve it, read the certificate with jsonpath", async () => {
    const key = generateKeyPair("ECDSA");
    const csrPem = await createCertificateSigningRequest({
      privateKeyPem: key.privateKeyPem,
      subject: { commonName: "bob", organizations: ["dev"] },
    });
    write(
      "/root/csr.yaml",
      `apiVersion: certificates.k8s.io/v1\nkind: CertificateSigningRequest\nmetadata:\n  name: bob\nspec:\n  request: ${Buffer.from(csrPem).toString("base64")}\n  signerName: kubernetes.io/kube-apiserver-client\n  expirationSeconds: 86400\n  usages:\n  - client auth\n`,
    );
    expect((await h.run(["create", "-f", "csr.yaml"])).stdout).toBe("certificatesigningrequest.certificates.k8s.io/bob created\n");
    const pending = await h.run(["get", "csr"]);
    expect(pending.stdout).toBe(
      "NAME   AGE   SIGNERNAME                            REQUESTOR   REQUESTEDDURATION   CONDITION\nbob    0s    kubernetes.io/kube-apiserver-client   admin       24h                 Pending\n",
    );
    h.exchanges.length = 0;
    expect(await h.run(["certificate", "approve", "bob"])).toEqual({
      exitCode: 0,
      stdout: "certificatesigningrequest.certificates.k8s.io/bob approved\n",
      stderr: "",
    });
    const tail = h.exchanges
      .slice(-3)
      .map((exchange) => `${exchange.request.method} ${exchange.request.url} ${String(exchange.request.headers.accept)}`);
    expect(tail).toEqual([
      "GET /apis/certificates.k8s.io/v1/certificatesigningrequests/bob application/json",
      "GET /apis/certificates.k8s.io/v1/certificatesigningrequests/bob application/vnd.kubernetes.protobuf,application/json",
      "PUT /apis/certificates.k8s.io/v1/certificatesigningrequests/bob/approval application/vnd.kubernetes.protobuf,application/json",
    ]);
    const cert = await h.run(["get", "csr", "bob", "-o", "jsonpath={.status.certificate}"]);
    expect(Buffer.from(cert.stdout, "base64").toString()).toContain("-----BEGIN CERTIFICATE-----");
    expect((await h.run(["certificate", "deny", "bob"])).stderr).toBe('error: certificate signing request "bob" is already Approved\n');
  });
});
