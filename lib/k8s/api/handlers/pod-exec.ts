/**
 * pods/exec for the web terminal's kubectl. A real apiserver upgrades the connection (WebSocket or
 * SPDY) and proxies it to the kubelet; nothing runs in kubeprep's cluster, so the simulated kubectl
 * marks its request with `X-Kubeprep-Exec: buffered` and gets the command's result as one JSON
 * body. The container can run only `cat` and `ls` over the files its volumes hold (pod-files.ts),
 * with GNU coreutils' messages. Any other client (real kubectl through the practice API) gets the
 * apiserver's answer to an exec request that is not an upgrade.
 */
import { getObject } from "../../cluster/store";
import { arrayField, isJsonObject, objectField, stringField } from "../../json";
import { jsonResponse } from "../discovery";
import { headerValue } from "../body";
import { badRequestStatus, notFoundStatus, statusResponse } from "../status";
import { handlerStep, type HandlerContext, type HandlerResult } from "./context";
import { containerFiles, type ContainerFiles } from "./pod-files";

const EXEC_MODE_HEADER = "x-kubeprep-exec";

interface ExecResult {
  stdout: string;
  stderr: string;
  exitCode: number;
}

function cat(view: ContainerFiles, args: string[]): ExecResult {
  let stdout = "";
  let stderr = "";
  let exitCode = 0;
  for (const path of args.filter((arg) => arg !== "--")) {
    const content = view.files.get(path.replace(/\/+/g, "/"));
    if (content !== undefined) stdout += content;
    else {
      stderr += view.dirs.has(path.replace(/\/+$/, "") || "/")
        ? `cat: ${path}: Is a directory\n`
        : `cat: ${path}: No such file or directory\n`;
      exitCode = 1;
    }
  }
  return { stdout, stderr, exitCode };
}

function ls(view: ContainerFiles, args: string[]): ExecResult {
  const paths = args.filter((arg) => !arg.startsWith("-"));
  let stdout = "";
  let stderr = "";
  let exitCode = 0;
  const targets = paths.length === 0 ? ["/"] : paths;
  for (const path of targets) {
    const normalized = path.replace(/\/+/g, "/").replace(/(.)\/$/, "$1");
    if (view.files.has(normalized)) {
      stdout += `${path}\n`;
      continue;
    }
    if (!view.dirs.has(normalized)) {
      stderr += `ls: cannot access '${path}': No such file or directory\n`;
      exitCode = 2;
      continue;
    }
    const prefix = normalized === "/" ? "/" : `${normalized}/`;
    const names = new Set<string>();
    for (const candidate of [...view.files.keys(), ...view.dirs]) {
      if (candidate.startsWith(prefix) && candidate !== normalized) names.add(candidate.slice(prefix.length).split("/")[0] ?? "");
    }
    if (targets.length > 1) stdout += `${path}:\n`;
    stdout += [...names]
      .filter(Boolean)
      .sort()
      .map((name) => `${name}\n`)
      .join("");
  }
  return { stdout, stderr, exitCode };
}

export async function podExec(context: HandlerContext): Promise<HandlerResult> {
  const { state, info, query } = context;
  const unchanged = (response: HandlerResult["response"]): HandlerResult => ({ response, changed: false });
  const pod = getObject(state, "pods", info.namespace, info.name);
  if (pod === undefined) return unchanged(statusResponse(notFoundStatus("pods", "", info.name)));
  // UNVERIFIED wording: what the apiserver answers a pods/exec request without a connection upgrade.
  if (headerValue(context.request, EXEC_MODE_HEADER) !== "buffered")
    return unchanged(statusResponse(badRequestStatus("Upgrade request required")));
  const containers = (arrayField(objectField(pod, "spec"), "containers") ?? []).filter(isJsonObject);
  const containerName = query.get("container") ?? stringField(containers[0], "name") ?? "";
  const countBefore = state.random.counter;
  const view = await containerFiles(state, pod, containerName);
  if (view === undefined) return unchanged(statusResponse(badRequestStatus(`container not found ("${containerName}")`)));
  const [program = "", ...args] = query.getAll("command");
  const base = program.split("/").pop() ?? "";
  let result: ExecResult;
  if (base === "cat") result = cat(view, args);
  else if (base === "ls") result = ls(view, args);
  else
    result = {
      stdout: "",
      stderr: `kubeprep's simulated containers run no programs: kubectl exec can only read the files the Pod's volumes put into the container, with cat FILE or ls DIR (not ${JSON.stringify(program)}).\n`,
      exitCode: 126,
    };
  context.trace.push(
    handlerStep(`exec in pod ${info.name}, container ${containerName}: ${[program, ...args].join(" ")} (exit ${result.exitCode})`),
  );
  // Minting a kubelet token moves the seeded counter and fills the token cache: the state changed.
  return { response: jsonResponse(200, { ...result }), changed: state.random.counter !== countBefore };
}
