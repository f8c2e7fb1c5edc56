/**
 * kubectl run and kubectl create deployment: expected texts are real kubectl v1.32.3's output
 * (captured against the practice API server), byte for byte.
 */
import { beforeEach, describe, expect, it } from "vitest";
import { getObject } from "../cluster/store";
import { createHarness, type Harness } from "./test-helpers";

let h: Harness;
beforeEach(async () => {
  h = await createHarness();
});

const DRY = "--dry-run=client";
const stdout = async (args: string[]): Promise<string> => {
  const result = await h.run(args);
  expect(result.stderr).toBe("");
  return result.stdout;
};
const failure = async (args: string[]): Promise<string> => {
  const result = await h.run(args);
  expect(result.exitCode).toBe(1);
  expect(result.stdout).toBe("");
  return result.stderr;
};

const BASIC_POD = `apiVersion: v1
kind: Pod
metadata:
  creationTimestamp: null
  labels:
    run: x
  name: x
spec:
  containers:
  - image: nginx
    name: x
    resources: {}
  dnsPolicy: ClusterFirst
  restartPolicy: Always
status: {}
`;

describe("kubectl run", () => {
  it("--dry-run=client -o yaml: kubectl's generated manifest", async () => {
    expect(await stdout(["run", "x", "--image=nginx", DRY, "-o", "yaml"])).toBe(BASIC_POD);
    // The context's namespace is not written into the manifest; -n is.
    expect(
      await stdout([
        "run",
        "x",
        "--image=nginx",
        DRY,
        "-o",
        "yaml",
        "-n",
        "foo",
        "--restart=Never",
        "--labels=a=b,c=d",
        "--env=A=1",
        "--env=B=2",
        "--port=80",
        "--command",
        "--",
        "sleep",
        "10",
      ]),
    ).toBe(`apiVersion: v1
kind: Pod
metadata:
  creationTimestamp: null
  labels:
    a: b
    c: d
  name: x
  namespace: foo
spec:
  containers:
  - command:
    - sleep
    - "10"
    env:
    - name: A
      value: "1"
    - name: B
      value: "2"
    image: nginx
    name: x
    ports:
    - containerPort: 80
    resources: {}
  dnsPolicy: ClusterFirst
  restartPolicy: Never
status: {}
`);
  });

  it("-o json keeps the Go field order; -o name; the plain dry-run line", async () => {
    expect(await stdout(["run", "x", "--image=nginx", DRY, "-o", "json", "--", "a", "b"])).toBe(`{
    "kind": "Pod",
    "apiVersion": "v1",
    "metadata": {
        "name": "x",
        "creationTimestamp": null,
        "labels": {
            "run": "x"
        }
    },
    "spec": {
        "containers": [
            {
                "name": "x",
                "image": "nginx",
                "args": [
                    "a",
                    "b"
                ],
                "resources": {}
            }
        ],
        "restartPolicy": "Always",
        "dnsPolicy": "ClusterFirst"
    },
    "status": {}
}
`);
    expect(
      await stdout([
        "run",
        "x",
        "--image=nginx",
        DRY,
        "-o",
        "json",
        "--command",
        "--env=X=y",
        "--port=8080",
        "--labels=app=a",
        "--privileged",
        "--image-pull-policy=Never",
        "--",
        "sleep",
        "1",
      ]),
    ).toContain(
      `            {
                "name": "a",
                "image": "nginx",
                "command": [
                    "sleep",
                    "1"
                ],
                "ports": [
                    {
                        "containerPort": 8080
                    }
                ],
                "env": [
                    {
                        "name": "X",
                        "value": "y"
                    }
                ],
                "resources": {},
                "imagePullPolicy": "Never",
                "securityContext": {
                    "privileged": true
                }
            }`.replace('"name": "a"', '"name": "x"'),
    );
    expect(await stdout(["run", "x", "--image=nginx", DRY])).toBe("pod/x created (dry run)\n");
    expect(await stdout(["run", "x", "--image=nginx", DRY, "-o", "name"])).toBe("pod/x\n");
    const bare = await h.run(["run", "a", "--image=nginx", "--dry-run", "-o", "name"]);
    expect(bare.stdout).toBe("pod/a\n");
    expect(bare.stderr).toMatch(
      /^W\d{4} [\d:.]+ +\d+ helpers\.go:702\] --dry-run is deprecated and can be replaced with --dry-run=client\.\n$/,
    );
    expect(await stdout(["run", "a", "--image=x", DRY, "-o", "yaml", "--annotations=a=b=c", "--labels="])).toContain(
      "  annotations:\n    a: b=c\n  creationTimestamp: null\n  labels:\n    run: a\n",
    );
  });

  it("creates the Pod; AlreadyExists and the apiserver's name validation", async () => {
    expect(await h.run(["run", "web", "--image=nginx"])).toEqual({ exitCode: 0, stdout: "pod/web created\n", stderr: "" });
    const pod = getObject(h.state, "pods", "default", "web");
    expect(pod?.metadata).toMatchObject({ labels: { run: "web" }, managedFields: [{ manager: "kubectl-run" }] });
    expect(h.exchanges[h.exchanges.length - 1]?.request.url).toBe("/api/v1/namespaces/default/pods?fieldManager=kubectl-run");
    expect(await failure(["run", "web", "--image=nginx"])).toBe('Error from server (AlreadyExists): pods "web" already exists\n');
    expect(await failure(["run", "a_b", "--image=nginx"])).toBe(
      `The Pod "a_b" is invalid: metadata.name: Invalid value: "a_b": a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character (e.g. 'example.com', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')\n`,
    );
    expect(await failure(["run", "a".repeat(254), "--image=nginx"])).toContain('metadata.name: Invalid value: "aaaa');
    expect(await stdout(["run", "web2", "--image=nginx", "--dry-run=server"])).toBe("pod/web2 created (server dry run)\n");
    expect(getObject(h.state, "pods", "default", "web2")).toBeUndefined();
  });

  it("kubectl's client-side errors, in run.go's order", async () => {
    expect(await failure(["run", "x", DRY])).toBe('error: required flag(s) "image" not set\n');
    expect(await failure(["run", "--image=x"])).toBe("error: NAME is required for run\nSee 'kubectl run -h' for help and examples\n");
    expect(await failure(["run", "--image=x", "--", "a"])).toBe(
      "error: NAME is required for run\nSee 'kubectl run -h' for help and examples\n",
    );
    expect(await failure(["run", "a", "--image="])).toBe("error: --image is required\n");
    expect(await failure(["run", "a", "--image=ngi nx", DRY])).toBe('error: Invalid image name "ngi nx": invalid reference format\n');
    expect(await failure(["run", "a", "--image=nginx", "--dry-run=foo"])).toBe(
      'error: Invalid dry-run value (foo). Must be "none", "server", or "client".\n',
    );
    expect(await failure(["run", "a", "--image=nginx", DRY, "-t"])).toBe(
      "error: -i/--stdin is required for containers with -t/--tty=true\nSee 'kubectl run -h' for help and examples\n",
    );
    expect(await failure(["run", "a", "--image=nginx", DRY, "-i"])).toBe(
      "error: --dry-run=[server|client] can't be used with attached containers options (--attach, --stdin, or --tty)\nSee 'kubectl run -h' for help and examples\n",
    );
    expect(await failure(["run", "a", "--image=nginx", "--rm"])).toBe(
      "error: --rm should only be used for attached containers\nSee 'kubectl run -h' for help and examples\n",
    );
    expect(await failure(["run", "a", "--image=nginx", "--expose"])).toBe(
      "error: --port must be set when exposing a service\nSee 'kubectl run -h' for help and examples\n",
    );
    expect(await failure(["run", "x", "--image=nginx", "--restart=Foo", DRY])).toBe(
      "error: invalid restart policy: Foo\nSee 'kubectl run -h' for help and examples\n",
    );
    expect(await failure(["run", "a", "--image=nginx", DRY, "--image-pull-policy=Sometimes"])).toBe(
      "error: invalid image pull policy: Sometimes\nSee 'kubectl run -h' for help and examples\n",
    );
    expect(await failure(["run", "a", "--image=nginx", DRY, "--env=FOO"])).toBe("error: invalid env: FOO\n");
    expect(await failure(["run", "a", "--image=nginx", DRY, "--env=1A=b"])).toBe("error: invalid env: 1A=b\n");
    expect(await failure(["run", "a", "--image=nginx", DRY, "--labels=foo"])).toBe("error: unexpected label spec: foo\n");
    expect(await failure(["run", "a", "--image=nginx", DRY, "--labels=a=b=c"])).toBe("error: unexpected label spec: a=b=c\n");
    expect(await failure(["run", "a", "--image=nginx", DRY, "--annotations=foo"])).toBe("error: invalid annotations format: foo\n");
    expect(await failure(["run", "a", "--image=nginx", DRY, "--port=abc", "-o", "yaml"])).toBe(
      'error: strconv.Atoi: parsing "abc": invalid syntax\n',
    );
    expect(await failure(["run", "a", "--image=nginx", DRY, "-o", "wide"])).toBe(
      'error: unable to match a printer suitable for the output format "wide", allowed formats are: go-template,go-template-file,json,jsonpath,jsonpath-as-json,jsonpath-file,name,template,templatefile,yaml\n',
    );
  });

  it("attaching is refused plainly and creates nothing", async () => {
    for (const flags of [["-i"], ["-it"], ["-it", "--rm"], ["--attach"]]) {
      const stderr = await failure(["run", "shell", "--image=busybox", "--restart=Never", ...flags, "--", "sh"]);
      expect(stderr).toContain("cannot attach");
    }
    expect(getObject(h.state, "pods", "default", "shell")).toBeUndefined();
    expect(h.exchanges.filter((exchange) => exchange.request.method === "POST")).toEqual([]);
  });

  it("abuse: thousands of --env flags and a huge image name stay bounded", async () => {
    const envs = Array.from({ length: 3000 }, (_, index) => `--env=V${index}=${"x".repeat(100)}`);
    const started = Date.now();
    const yaml = await stdout(["run", "x", "--image=nginx", DRY, "-o", "yaml", ...envs]);
    expect(yaml.split("- name: V").length).toBe(3001);
    const big = await h.run(["run", "x", "--image=nginx", ...envs, ...envs, ...envs, ...envs, ...envs, ...envs, ...envs]);
    expect(big.exitCode).toBe(1);
    expect(big.stderr).toMatch(/Request entity too large|etcdserver|too large/);
    expect(await failure(["run", "x", `--image=${"a".repeat(100_000)}:${"-".repeat(200)}`, DRY])).toContain("invalid reference format");
    expect(Date.now() - started).toBeLessThan(20_000);
  });
});

describe("kubectl create deployment", () => {
  it("--dry-run=client -o yaml and -o json: the generated Deployment", async () => {
    expect(await stdout(["create", "deployment", "d", "--image=nginx", DRY, "-o", "yaml"])).toBe(`apiVersion: apps/v1
kind: Deployment
metadata:
  creationTimestamp: null
  labels:
    app: d
  name: d
spec:
  replicas: 1
  selector:
    matchLabels:
      app: d
  strategy: {}
  template:
    metadata:
      creationTimestamp: null
      labels:
        app: d
    spec:
      containers:
      - image: nginx
        name: nginx
        resources: {}
status: {}
`);
    expect(
      await stdout([
        "create",
        "deployment",
        "d",
        "--image=nginx",
        "--image=busybox",
        "--replicas=3",
        "--port=80",
        "-n",
        "foo",
        DRY,
        "-o",
        "json",
      ]),
    ).toBe(`{
    "kind": "Deployment",
    "apiVersion": "apps/v1",
    "metadata": {
        "name": "d",
        "namespace": "foo",
        "creationTimestamp": null,
        "labels": {
            "app": "d"
        }
    },
    "spec": {
        "replicas": 3,
        "selector": {
            "matchLabels": {
                "app": "d"
            }
        },
        "template": {
            "metadata": {
                "creationTimestamp": null,
                "labels": {
                    "app": "d"
                }
            },
            "spec": {
                "containers": [
                    {
                        "name": "nginx",
                        "image": "nginx",
                        "ports": [
                            {
                                "containerPort": 80
                            }
                        ],
                        "resources": {}
                    },
                    {
                        "name": "busybox",
                        "image": "busybox",
                        "resources": {}
                    }
                ]
            }
        },
        "strategy": {}
    },
    "status": {}
}
`);
    expect(await stdout(["create", "deployment", "d", "--image=nginx", "--save-config", DRY, "-o", "yaml"])).toContain(`metadata:
  annotations:
    kubectl.kubernetes.io/last-applied-configuration: |
      {"kind":"Deployment","apiVersion":"apps/v1","metadata":{"name":"d","creationTimestamp":null,"labels":{"app":"d"}},"spec":{"replicas":1,"selector":{"matchLabels":{"app":"d"}},"template":{"metadata":{"creationTimestamp":null,"labels":{"app":"d"}},"spec":{"containers":[{"name":"nginx","image":"nginx","resources":{}}]}},"strategy":{}},"status":{}}
  creationTimestamp: null
`);
    expect(await stdout(["run", "p", "--image=nginx", "--save-config", DRY, "-o", "yaml"])).not.toContain("last-applied");
    expect(await stdout(["create", "deployment", "d", "--image=nginx", DRY, "-o", "yaml", "--", "sleep", "10"])).toContain(
      '      - command:\n        - sleep\n        - "10"\n        image: nginx\n        name: nginx\n',
    );
    expect(
      await stdout([
        "create",
        "deployment",
        "d",
        "--image=registry.k8s.io/pause:3.10",
        DRY,
        "-o",
        "jsonpath={.spec.template.spec.containers[0].name}",
      ]),
    ).toBe("pause");
    expect(
      await stdout(["create", "deployment", "d", "--image=my_app.v2", DRY, "-o", "jsonpath={.spec.template.spec.containers[0].name}"]),
    ).toMatch(/^my-app-v2-[bcdfghjklmnpqrstvwxz2456789]{5}$/);
  });

  it("creates it; get deployments shows what no controller changed: 0/N ready", async () => {
    expect(await h.run(["create", "deployment", "d", "--image=nginx", "--replicas=3"])).toEqual({
      exitCode: 0,
      stdout: "deployment.apps/d created\n",
      stderr: "",
    });
    expect(await stdout(["get", "deploy"])).toBe(
      "NAME   READY   UP-TO-DATE   AVAILABLE   AGE\nd      0/3     0            0           0s\n",
    );
    expect(await stdout(["get", "deployments.apps", "-o", "wide"])).toBe(
      "NAME   READY   UP-TO-DATE   AVAILABLE   AGE   CONTAINERS   IMAGES   SELECTOR\nd      0/3     0            0           0s    nginx        nginx    app=d\n",
    );
    const stored = getObject(h.state, "deployments.apps", "default", "d");
    expect(stored?.spec).toMatchObject({
      replicas: 3,
      revisionHistoryLimit: 10,
      progressDeadlineSeconds: 600,
      strategy: { type: "RollingUpdate", rollingUpdate: { maxSurge: "25%", maxUnavailable: "25%" } },
    });
    expect(await failure(["create", "deployment", "d", "--image=nginx"])).toBe(
      'error: failed to create deployment: deployments.apps "d" already exists\n',
    );
    expect(await stdout(["delete", "deployment", "d"])).toBe('deployment.apps "d" deleted\n');
  });

  it("errors: image, NAME, multiple images with a command, the apiserver's validation", async () => {
    expect(await failure(["create", "deployment", "d", DRY])).toBe('error: required flag(s) "image" not set\n');
    expect(await failure(["create", "deployment", "--image=x"])).toBe(
      "error: exactly one NAME is required, got 0\nSee 'kubectl create deployment -h' for help and examples\n",
    );
    expect(await failure(["create", "deployment", "a", "b", "--image=x"])).toBe(
      "error: exactly one NAME is required, got 2\nSee 'kubectl create deployment -h' for help and examples\n",
    );
    expect(await failure(["create", "deployment", "d", "--image=a", "--image=b", "--", "sleep"])).toBe(
      "error: cannot specify multiple --image options and command\n",
    );
    expect(await stdout(["create", "deployment", "d", "--image=x", "--replicas=-1", DRY, "-o", "name"])).toBe("deployment.apps/d\n");
    expect(await failure(["create", "deployment", "d", "--image=x", "--replicas=-1"])).toBe(
      'error: failed to create deployment: Deployment.apps "d" is invalid: spec.replicas: Invalid value: -1: must be greater than or equal to 0\n',
    );
    expect(await failure(["create", "deployment", "d", "--replicas=3000000000"])).toBe(
      `error: invalid argument "3000000000" for "-r, --replicas" flag: strconv.ParseInt: parsing "3000000000": value out of range\nSee 'kubectl create deployment --help' for usage.\n`,
    );
    expect(await failure(["create", "deployment", "d", "--image=x", "-r", "x"])).toBe(
      `error: invalid argument "x" for "-r, --replicas" flag: strconv.ParseInt: parsing "x": invalid syntax\nSee 'kubectl create deployment --help' for usage.\n`,
    );
    expect(await failure(["create", "deployment", "Dd", "--image=x"])).toContain(
      'error: failed to create deployment: Deployment.apps "Dd" is invalid: metadata.name: Invalid value: "Dd"',
    );
  });

  it("RBAC applies: a user without rights on deployments.apps is refused", async () => {
    const result = await h.run(["create", "deployment", "d", "--image=nginx", "--context", "kc-cert"]);
    expect(result.exitCode).toBe(1);
    expect(result.stderr).toContain(
      'deployments.apps is forbidden: User "jane" cannot create resource "deployments" in API group "apps" in the namespace "default"',
    );
  });
});

describe("label validation on create (ValidateObjectMeta)", () => {
  it("a Pod name over 63 characters is a valid name but not a valid run= label value", async () => {
    const name = "a".repeat(70);
    expect(await stdout(["run", name, "--image=nginx", DRY, "-o", "name"])).toBe(`pod/${name}\n`);
    expect(await failure(["run", name, "--image=nginx"])).toBe(
      `The Pod "${name}" is invalid: metadata.labels: Invalid value: "${name}": must be no more than 63 characters\n`,
    );
    expect(await failure(["run", "x", "--image=nginx", "--labels=-bad=ok"])).toBe(
      `The Pod "x" is invalid: metadata.labels: Invalid value: "-bad": name part must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyName',  or 'my.name',  or '123-abc', regex used for validation is '([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]')\n`,
    );
    expect(await failure(["run", "x", "--image=nginx", "--labels=app=bad value"])).toContain(
      `metadata.labels: Invalid value: "bad value": a valid label must be an empty string`,
    );
    expect(await stdout(["run", "x", "--image=nginx", "--labels=example.com/app=web,empty="])).toBe("pod/x created\n");
  });
});
