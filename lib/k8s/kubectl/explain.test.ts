/**
 * kubectl explain: expected texts are real kubectl v1.32.3's output against the practice API server
 * serving the same schemas (test/practice-api/kubectl-generators.test.ts compares every byte live).
 */
import { describe, expect, it } from "vitest";
import { renderExplain, wordWrap } from "./explain-template";
import { createHarness, type Harness } from "./test-helpers";

let shared: Harness | undefined;
async function harness(): Promise<Harness> {
  shared ??= await createHarness();
  return shared;
}

describe("kubectl explain", () => {
  it.each([
    [
      ["pods.metadata.labels"],
      "KIND:       Pod\nVERSION:    v1\n\nFIELD: labels <map[string]string>\n\n\nDESCRIPTION:\n    Map of string keys and values that can be used to organize and categorize\n    (scope and select) objects. May match selectors of replication controllers\n    and services. More info:\n    https://kubernetes.io/docs/concepts/overview/working-with-objects/labels\n    \n\n",
    ],
    [
      ["configmaps.data"],
      "KIND:       ConfigMap\nVERSION:    v1\n\nFIELD: data <map[string]string>\n\n\nDESCRIPTION:\n    Data contains the configuration data. Each key must consist of alphanumeric\n    characters, '-', '_' or '.'. Values with non-UTF-8 byte sequences must use\n    the BinaryData field. The keys stored in Data must not overlap with the keys\n    in the BinaryData field, this is enforced during validation process.\n    \n\n",
    ],
    [
      ["deployment.spec.strategy"],
      'GROUP:      apps\nKIND:       Deployment\nVERSION:    v1\n\nFIELD: strategy <DeploymentStrategy>\n\n\nDESCRIPTION:\n    The deployment strategy to use to replace existing pods with new ones.\n    DeploymentStrategy describes how to replace existing pods with new ones.\n    \nFIELDS:\n  rollingUpdate\t<RollingUpdateDeployment>\n    Rolling update config params. Present only if DeploymentStrategyType =\n    RollingUpdate.\n\n  type\t<string>\n    Type of deployment. Can be "Recreate" or "RollingUpdate". Default is\n    RollingUpdate.\n\n\n',
    ],
    [
      ["pods.apiVersion"],
      "KIND:       Pod\nVERSION:    v1\n\nFIELD: apiVersion <string>\n\n\nDESCRIPTION:\n    APIVersion defines the versioned schema of this representation of an object.\n    Servers should convert recognized schemas to the latest internal value, and\n    may reject unrecognized values. More info:\n    https://git.k8s.io/community/contributors/devel/sig-architecture/api-conventions.md#resources\n    \n\n",
    ],
    [
      ["roles", "--recursive"],
      "GROUP:      rbac.authorization.k8s.io\nKIND:       Role\nVERSION:    v1\n\nDESCRIPTION:\n    Role is a namespaced, logical grouping of PolicyRules that can be referenced\n    as a unit by a RoleBinding.\n    \nFIELDS:\n  apiVersion\t<string>\n  kind\t<string>\n  metadata\t<ObjectMeta>\n    annotations\t<map[string]string>\n    creationTimestamp\t<string>\n    deletionGracePeriodSeconds\t<integer>\n    deletionTimestamp\t<string>\n    finalizers\t<[]string>\n    generateName\t<string>\n    generation\t<integer>\n    labels\t<map[string]string>\n    managedFields\t<[]ManagedFieldsEntry>\n      apiVersion\t<string>\n      fieldsType\t<string>\n      fieldsV1\t<FieldsV1>\n      manager\t<string>\n      operation\t<string>\n      subresource\t<string>\n      time\t<string>\n    name\t<string>\n    namespace\t<string>\n    ownerReferences\t<[]OwnerReference>\n      apiVersion\t<string> -required-\n      blockOwnerDeletion\t<boolean>\n      controller\t<boolean>\n      kind\t<string> -required-\n      name\t<string> -required-\n      uid\t<string> -required-\n    resourceVersion\t<string>\n    selfLink\t<string>\n    uid\t<string>\n  rules\t<[]PolicyRule>\n    apiGroups\t<[]string>\n    nonResourceURLs\t<[]string>\n    resourceNames\t<[]string>\n    resources\t<[]string>\n    verbs\t<[]string> -required-\n\n",
    ],
    [
      ["tokenreviews"],
      "GROUP:      authentication.k8s.io\nKIND:       TokenReview\nVERSION:    v1\n\nDESCRIPTION:\n    TokenReview attempts to authenticate a token to a known user. Note:\n    TokenReview requests may be cached by the webhook token authenticator plugin\n    in the kube-apiserver.\n    \nFIELDS:\n  apiVersion\t<string>\n    APIVersion defines the versioned schema of this representation of an object.\n    Servers should convert recognized schemas to the latest internal value, and\n    may reject unrecognized values. More info:\n    https://git.k8s.io/community/contributors/devel/sig-architecture/api-conventions.md#resources\n\n  kind\t<string>\n    Kind is a string value representing the REST resource this object\n    represents. Servers may infer this from the endpoint the client submits\n    requests to. Cannot be updated. In CamelCase. More info:\n    https://git.k8s.io/community/contributors/devel/sig-architecture/api-conventions.md#types-kinds\n\n  metadata\t<ObjectMeta>\n    Standard object's metadata. More info:\n    https://git.k8s.io/community/contributors/devel/sig-architecture/api-conventions.md#metadata\n\n  spec\t<TokenReviewSpec> -required-\n    Spec holds information about the request being evaluated\n\n  status\t<TokenReviewStatus>\n    Status is filled in by the server and indicates whether the request can be\n    authenticated.\n\n\n",
    ],
  ])("explain %j", async (args, expected) => {
    expect(await (await harness()).run(["explain", ...args])).toEqual({ exitCode: 0, stdout: expected, stderr: "" });
  });

  it.each([
    [["pods.spec.nope"], "KIND:       Pod\nVERSION:    v1\n\n", 'error: field "nope" does not exist\n'],
    [["foo"], "", 'the server doesn\'t have a resource type "foo"\n'],
    [["deployments", "--api-version=v1"], "", "error: GVR (/v1, Resource=deployments) not found in OpenAPI schema\n"],
    [["pods.spec.containers.name.foo"], "KIND:       Pod\nVERSION:    v1\n\n", 'error: field "foo" does not exist\n'],
  ])("explain %j fails as kubectl does (the header already written stays)", async (args, stdout, stderr) => {
    expect(await (await harness()).run(["explain", ...args])).toEqual({ exitCode: 1, stdout, stderr });
  });

  it("pods: the fields with their types; group resource prefixes and a trailing dot", async () => {
    const h = await harness();
    const pods = await h.run(["explain", "pods"]);
    expect(
      pods.stdout.startsWith(
        "KIND:       Pod\nVERSION:    v1\n\nDESCRIPTION:\n    Pod is a collection of containers that can run on a host. This resource is\n    created by clients and scheduled onto hosts.\n    \nFIELDS:\n  apiVersion\t<string>\n",
      ),
    ).toBe(true);
    expect(pods.stdout).toContain("\n  spec\t<PodSpec>\n");
    expect((await h.run(["explain", "pods."])).stdout).toBe(pods.stdout);
    expect((await h.run(["explain", "po", "--api-version=v1"])).stdout).toBe(pods.stdout);
    expect((await h.run(["explain", "deployments.apps.spec.replicas"])).stdout).toContain("FIELD: replicas <integer>\n");
    expect((await h.run(["explain", "pods..spec"])).stdout).toContain("FIELD: spec <PodSpec>\n");
    expect((await h.run(["explain", "deploy.spec.strategy.rollingUpdate"])).stdout).toContain("  maxSurge\t<IntOrString>\n");
  });

  it("usage errors", async () => {
    const h = await harness();
    expect((await h.run(["explain"])).stderr).toBe(
      'error: You must specify the type of resource to explain. Use "kubectl api-resources" for a complete list of supported resources.\n',
    );
    expect((await h.run(["explain", "pods", "secrets"])).stderr).toBe("error: We accept only this format: explain RESOURCE\n");
    expect((await h.run(["explain", "pods", "--output=foo"])).stderr).toBe("error: unrecognized format: foo\n");
    expect((await h.run(["explain", "deployments", "--api-version=apps/v2"])).stderr).toBe(
      'error: couldn\'t find resource for "apps/v2, Resource=deployments"\n',
    );
    expect((await h.run(["explain", "deployments", "--api-version=bad/x/y"])).stderr).toBe(
      "error: unexpected GroupVersion string: bad/x/y\n",
    );
  });

  it("abuse: deep and huge field paths end quickly", async () => {
    const h = await harness();
    const started = Date.now();
    const deep = await h.run(["explain", `pods${".spec".repeat(20_000)}`]);
    expect(deep.exitCode).toBe(1);
    expect(deep.stderr).toBe('error: field "spec" does not exist\n');
    const huge = await h.run(["explain", `pods.${"x".repeat(1_000_000)}`]);
    expect(huge.stderr).toBe(`error: field "${"x".repeat(1_000_000)}" does not exist\n`);
    const recursive = await h.run(["explain", "pods", "--recursive"]);
    expect(recursive.stdout.length).toBeGreaterThan(40_000);
    expect(Date.now() - started).toBeLessThan(10_000);
  });

  it("a cyclic or hostile document stays bounded", () => {
    const document = {
      paths: {
        "/api/v1/namespaces/{namespace}/loops/{name}": {
          get: { "x-kubernetes-group-version-kind": { group: "", kind: "Loop", version: "v1" } },
        },
      },
      components: {
        schemas: {
          Loop: {
            "x-kubernetes-group-version-kind": [{ group: "", kind: "Loop", version: "v1" }],
            properties: {
              next: { $ref: "#/components/schemas/Loop" },
              self: { items: { $ref: "#/components/schemas/Loop" }, type: "array" },
            },
          },
        },
      },
    };
    const result = renderExplain(document, { group: "", version: "v1", resource: "loops", fieldPath: [], recursive: true });
    expect(result.text).toBe(
      "KIND:       Loop\nVERSION:    v1\n\nDESCRIPTION:\n    <empty>\nFIELDS:\n  next\t<Loop>\n    next\t<Loop>\n    self\t<[]Loop>\n  self\t<[]Loop>\n    next\t<Loop>\n    self\t<[]Loop>\n\n",
    );
  });

  it("wordWrap is go-wordwrap's WrapString", () => {
    expect(wordWrap("aaa bbb ccc", 7)).toBe("aaa bbb\nccc");
    expect(wordWrap("a verylongwordthatdoesnotfit b", 5)).toBe("a\nverylongwordthatdoesnotfit\nb");
    expect(wordWrap("one\n\ntwo", 10)).toBe("one\n\ntwo");
  });
});
