import { beforeAll, describe, expect, it } from "vitest";
import { createVfs } from "../shell/vfs";
import { completeKubectl } from "./complete";
import { createHarness, type Harness } from "./test-helpers";

let h: Harness;
beforeAll(async () => {
  h = await createHarness();
});

const context = () => ({
  args: [],
  stdin: "",
  env: h.shell.env,
  cwd: "/root",
  fs: createVfs(h.shell),
  now: new Date(h.state.clock.nowMs),
  network: h.network,
  exchanges: [],
  random: (n: number) => new Uint8Array(n),
});

describe("completeKubectl", () => {
  it("commands, subcommands, flags, types, names and contexts", async () => {
    expect(await completeKubectl(["ge"], context())).toEqual(["get"]);
    expect(await completeKubectl(["auth", ""], context())).toEqual(["can-i", "whoami"]);
    expect(await completeKubectl(["get", "--all-n"], context())).toEqual(["--all-namespaces"]);
    expect(await completeKubectl(["get", "po"], context())).toEqual(["po", "pod", "pods"]);
    expect(await completeKubectl(["get", "pods", ""], context())).toEqual(["web-1"]);
    expect(await completeKubectl(["config", "use-context", "kc-c"], context())).toEqual(["kc-cert"]);
    expect(await completeKubectl(["describe", "sa", ""], context(), { lookup: () => ["default", "sa1"] })).toEqual(["default", "sa1"]);
  });

  it("run, explain, create deployment and deployments", async () => {
    expect(await completeKubectl(["ru"], context())).toEqual(["run"]);
    expect(await completeKubectl(["exp"], context())).toEqual(["explain"]);
    expect(await completeKubectl(["explain", "dep"], context())).toEqual(["deploy", "deployment", "deployments"]);
    expect(await completeKubectl(["create", "dep"], context())).toEqual(["deployment"]);
    expect(await completeKubectl(["run", "x", "--ima"], context())).toEqual(["--image", "--image-pull-policy"]);
    await h.run(["create", "deployment", "web", "--image=nginx"]);
    expect(await completeKubectl(["get", "deploy", ""], context())).toEqual(["web"]);
  });
});
