/**
 * kubectl run (v1.32, cmd/run/run.go and the run-pod/v1 generator): one Pod from flags, created or
 * printed. Checks and messages follow run.go's order. What needs a running container (attach,
 * stdin, tty, --rm) or objects the simulator does not serve (--expose creates a Service) is refused
 * with a plain statement instead of a pretended success.
 */
import { objectField, stringField, type JsonObject } from "../../json";
import { goJson } from "../../go";
import { PROTOBUF_ACCEPT } from "../client";
import { arrayFlag, boolFlag, expectJson, makeClient, OUTPUT_FLAG, stringFlag, type CommandSpec, type Invocation } from "../command";
import { discover, kindGroup, POD_RESOURCE, resourcePath } from "../discovery";
import { RenderedError, usageError } from "../errors";
import {
  addLastApplied,
  atoiInt32,
  checkImage,
  DRY_RUN_FLAG,
  dryRunStrategy,
  parseGeneratorOutput,
  printGenerated,
  sortedMap,
} from "../generate";
import { printObjects } from "../printers";

const RESTART_POLICIES = ["Always", "OnFailure", "Never"];
const PULL_POLICIES = ["Always", "IfNotPresent", "Never", ""];
const ENV_NAME = /^[-._a-zA-Z][-._a-zA-Z0-9]*$/;

export const NO_ATTACH_MESSAGE =
  "error: kubeprep's simulated cluster starts no containers, so kubectl run cannot attach to one (-i/--stdin, -t/--tty, --attach, --rm).\n" +
  "Run it without these flags to create the Pod; the command goes into the Pod spec (kubectl run NAME --image=IMAGE --restart=Never -- COMMAND).";

/** generate.ParseLabels. */
function parseLabels(text: string): [string, string][] {
  return text.split(",").map((spec) => {
    const parts = spec.split("=");
    if (parts.length !== 2) throw new RenderedError(`error: unexpected label spec: ${spec}`);
    if (parts[0] === "") throw new RenderedError("error: unexpected empty label key");
    return [parts[0] ?? "", parts[1] ?? ""];
  });
}

function parseAnnotations(values: string[]): [string, string][] {
  return values.map((spec) => {
    const eq = spec.indexOf("=");
    if (eq === -1) throw new RenderedError(`error: invalid annotations format: ${spec}`);
    return [spec.slice(0, eq), spec.slice(eq + 1)];
  });
}

/** parseEnvs: NAME=VALUE with a valid environment variable name. */
function parseEnvs(values: string[]): JsonObject[] {
  return values.map((spec) => {
    const eq = spec.indexOf("=");
    const name = eq === -1 ? "" : spec.slice(0, eq);
    if (name === "" || !ENV_NAME.test(name)) throw new RenderedError(`error: invalid env: ${spec}`);
    return { name, value: spec.slice(eq + 1) };
  });
}

/** The run-pod/v1 generator's Pod, fields in the Go structs' order (what -o json shows). */
function buildPod(invocation: Invocation, name: string, restartPolicy: string, enforcedNamespace: string | undefined): JsonObject {
  const { flags } = invocation;
  const extra = invocation.args.slice(1);
  const envs = parseEnvs(flags.list("env"));
  const annotations = parseAnnotations(flags.list("annotations"));
  const labelText = flags.string("labels");
  const labels = labelText === "" ? [["run", name] as [string, string]] : parseLabels(labelText);
  const container: JsonObject = { name, image: flags.string("image") };
  if (extra.length > 0) container[flags.bool("command") ? "command" : "args"] = extra;
  const port = flags.string("port");
  if (port !== "") container.ports = [{ containerPort: atoiInt32(port) }];
  if (envs.length > 0) container.env = envs;
  container.resources = {};
  const pullPolicy = flags.string("image-pull-policy");
  if (pullPolicy !== "") container.imagePullPolicy = pullPolicy;
  if (flags.bool("privileged")) container.securityContext = { privileged: true };
  const stdin = flags.bool("stdin");
  if (stdin) {
    container.stdin = true;
    if (!flags.bool("leave-stdin-open")) container.stdinOnce = true;
  }
  if (flags.bool("tty")) container.tty = true;
  const metadata: JsonObject = { name };
  if (enforcedNamespace !== undefined) metadata.namespace = enforcedNamespace;
  metadata.creationTimestamp = null;
  metadata.labels = sortedMap(labels);
  if (annotations.length > 0) metadata.annotations = sortedMap(annotations);
  return {
    kind: "Pod",
    apiVersion: "v1",
    metadata,
    spec: { containers: [container], restartPolicy, dnsPolicy: "ClusterFirst" },
    status: {},
  };
}

async function runRun(invocation: Invocation): Promise<number> {
  const { flags, runtime, commandPath } = invocation;
  // cobra: the required flag is checked before anything runs.
  if (!flags.has("image")) throw new RenderedError('error: required flag(s) "image" not set');
  // Complete: the printer and the dry-run strategy; -i implies --attach unless --attach was given.
  const format = parseGeneratorOutput(flags.string("output"));
  const dryRun = dryRunStrategy(invocation);
  const interactive = flags.bool("stdin");
  const attach = flags.has("attach") ? flags.bool("attach") : interactive;
  // Run.
  if (invocation.args.length === 0 || flags.argsLenAtDash === 0) throw usageError(commandPath, "NAME is required for run");
  const image = flags.string("image");
  if (image === "") throw new RenderedError("error: --image is required");
  checkImage(image);
  if (flags.bool("tty") && !interactive) throw usageError(commandPath, "-i/--stdin is required for containers with -t/--tty=true");
  if (flags.bool("expose") && flags.string("port") === "") throw usageError(commandPath, "--port must be set when exposing a service");
  const restartText = flags.string("restart", "Always");
  const restartPolicy = restartText === "" ? (interactive ? "OnFailure" : "Always") : restartText;
  if (!RESTART_POLICIES.includes(restartPolicy)) throw usageError(commandPath, `invalid restart policy: ${restartText}`);
  if (!attach && flags.bool("rm")) throw usageError(commandPath, "--rm should only be used for attached containers");
  if (attach && dryRun !== "none")
    throw usageError(commandPath, "--dry-run=[server|client] can't be used with attached containers options (--attach, --stdin, or --tty)");
  const pullPolicy = flags.string("image-pull-policy");
  if (!PULL_POLICIES.includes(pullPolicy)) throw usageError(commandPath, `invalid image pull policy: ${pullPolicy}`);
  // What this simulator cannot do, said before anything is created.
  if (attach) throw new RenderedError(NO_ATTACH_MESSAGE);
  if (flags.bool("expose"))
    throw new RenderedError(
      "error: --expose creates a Service, and kubeprep's simulated cluster serves no Services; run the Pod without --expose.",
    );
  for (const unsupported of ["overrides", "filename", "kustomize"]) {
    if (flags.has(unsupported)) throw new RenderedError(`error: --${unsupported} is not simulated by kubeprep's kubectl run.`);
  }

  const name = invocation.args[0] ?? "";
  const client = makeClient(invocation);
  await discover(client, 5);
  const enforced = flags.has("namespace") ? client.settings.namespace : undefined;
  const pod = buildPod(invocation, name, restartPolicy, enforced);
  const nameOf = (object: JsonObject): string => `${kindGroup(POD_RESOURCE)}/${stringField(objectField(object, "metadata"), "name") ?? ""}`;
  if (dryRun === "client") {
    runtime.stdout(format.type === "table" ? `pod/${name} created (dry run)\n` : printGenerated(format, pod, nameOf));
    return 0;
  }
  if (flags.bool("save-config")) addLastApplied(pod);
  const query = `?fieldManager=${encodeURIComponent(flags.string("field-manager", "kubectl-run"))}${dryRun === "server" ? "&dryRun=All" : ""}`;
  const body = new TextEncoder().encode(goJson(pod));
  const response = await client.request("POST", `${resourcePath(POD_RESOURCE, client.settings.namespace)}${query}`, {
    accept: PROTOBUF_ACCEPT,
    contentType: "application/json",
    body,
  });
  const created = expectJson(response);
  if (format.type === "table") runtime.stdout(`pod/${name} created${dryRun === "server" ? " (server dry run)" : ""}\n`);
  else runtime.stdout(printObjects(format, [created], true, nameOf));
  return 0;
}

export const runCommand: CommandSpec = {
  name: "run",
  flags: [
    OUTPUT_FLAG,
    DRY_RUN_FLAG,
    stringFlag("image"),
    stringFlag("image-pull-policy"),
    arrayFlag("env"),
    arrayFlag("annotations"),
    stringFlag("labels", "l"),
    stringFlag("port"),
    stringFlag("restart"),
    boolFlag("command"),
    boolFlag("privileged"),
    boolFlag("stdin", "i"),
    boolFlag("tty", "t"),
    boolFlag("attach"),
    boolFlag("rm"),
    boolFlag("leave-stdin-open"),
    boolFlag("quiet", "q"),
    boolFlag("expose"),
    stringFlag("overrides"),
    stringFlag("override-type"),
    arrayFlag("filename", "f"),
    stringFlag("kustomize", "k"),
    stringFlag("field-manager"),
    boolFlag("save-config"),
    stringFlag("pod-running-timeout"),
    boolFlag("show-managed-fields"),
    boolFlag("allow-missing-template-keys"),
    stringFlag("template"),
  ],
  run: runRun,
};
