import { beforeAll, describe, expect, it } from "vitest";
import { createHarness, type Harness } from "./test-helpers";

let h: Harness;
beforeAll(async () => {
  h = await createHarness();
  await h.run(["create", "role", "pod-reader", "--verb=get,watch,list", "--resource=pods"]);
  await h.run(["create", "rolebinding", "read-pods", "--role=pod-reader", "--user=jane"]);
});

describe("kubectl describe", () => {
  it("a role, in the layout of the Kubernetes docs", async () => {
    const result = await h.run(["describe", "role", "pod-reader"]);
    expect(result.stdout).toBe(`Name:         pod-reader
Labels:       <none>
Annotations:  <none>
PolicyRule:
  Resources  Non-Resource URLs  Resource Names  Verbs
  ---------  -----------------  --------------  -----
  pods       []                 []              [get watch list]
`);
  });

  it("a rolebinding", async () => {
    const result = await h.run(["describe", "rolebinding", "read-pods"]);
    expect(result.stdout).toBe(`Name:         read-pods
Labels:       <none>
Annotations:  <none>
Role:
  Kind:  Role
  Name:  pod-reader
Subjects:
  Kind  Name  Namespace
  ----  ----  ---------
  User  jane  
`);
  });

  it("a service account and a pod", async () => {
    const sa = await h.run(["describe", "sa", "sa1"]);
    expect(sa.stdout).toBe(`Name:                sa1
Namespace:           default
Labels:              <none>
Annotations:         <none>
Image pull secrets:  <none>
Mountable secrets:   <none>
Tokens:              <none>
Events:              <none>
`);
    const pod = await h.run(["describe", "pod", "web-1"]);
    expect(pod.exitCode).toBe(0);
    expect(pod.stdout).toContain("Containers:\n  nginx:\n");
    expect(pod.stdout).toMatch(/^Name: +web-1\nNamespace: +default\n/);
    const missing = await h.run(["describe", "pod", "nope"]);
    expect(missing.stderr).toBe('Error from server (NotFound): pods "nope" not found\n');
  });
});
