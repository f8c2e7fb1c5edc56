/**
 * kubectl exec (v1.32, cmd/exec/exec.go) as far as reading a Pod's mounted files goes: the pod is
 * read first (GET, as kubectl does), the container defaulted, then pods/exec is asked through the
 * simulated apiserver with the web terminal's buffered mode (api/handlers/pod-exec.ts). Only `cat`
 * and `ls` run in the simulated containers; a failing command ends as kubectl ends it
 * ("command terminated with exit code N").
 */
import { arrayField, isJsonObject, objectField, stringField } from "../../json";
import { DEFAULT_ACCEPT } from "../client";
import { boolFlag, expectJson, makeClient, stringFlag, type CommandSpec, type Invocation } from "../command";
import { POD_RESOURCE, resourcePath } from "../discovery";
import { decodedServerError, RenderedError, usageError } from "../errors";

interface ExecBody {
  stdout: string;
  stderr: string;
  exitCode: number;
}

function execBody(text: string): ExecBody {
  const parsed: unknown = JSON.parse(text);
  if (!isJsonObject(parsed)) throw new RenderedError("error: the server returned a response that is not a JSON object");
  return {
    stdout: typeof parsed.stdout === "string" ? parsed.stdout : "",
    stderr: typeof parsed.stderr === "string" ? parsed.stderr : "",
    exitCode: typeof parsed.exitCode === "number" ? parsed.exitCode : 1,
  };
}

async function runExec(invocation: Invocation): Promise<number> {
  const { flags, args, commandPath, runtime } = invocation;
  const dash = flags.argsLenAtDash;
  if (args.length === 0 || dash === 0) throw usageError(commandPath, "pod, type/name or --filename must be specified");
  if (dash === -1 && args.length > 1)
    throw usageError(commandPath, "exec [POD] [COMMAND] is not supported anymore. Use exec [POD] -- [COMMAND] instead");
  const command = dash === -1 ? [] : args.slice(dash);
  if (command.length === 0) throw usageError(commandPath, "you must specify at least one command for the container");
  const target = args[0] ?? "";
  const podName = target.startsWith("pod/") ? target.slice(4) : target.startsWith("pods/") ? target.slice(5) : target;
  if (podName.includes("/"))
    throw new RenderedError("error: kubeprep's simulated kubectl exec takes a Pod name (POD or pod/POD), not another resource type.");
  if (flags.bool("tty") || flags.bool("stdin"))
    runtime.stderr(
      "kubeprep: the web terminal has no interactive containers; -i/-t are ignored and the command runs once (only cat and ls exist).\n",
    );
  const client = makeClient(invocation);
  const namespace = client.settings.namespace;
  const pod = expectJson(await client.request("GET", resourcePath(POD_RESOURCE, namespace, podName), { accept: DEFAULT_ACCEPT }));
  const phase = stringField(objectField(pod, "status"), "phase") ?? "";
  if (phase === "Succeeded" || phase === "Failed")
    throw new RenderedError(`error: cannot exec into a container in a completed pod; current phase is ${phase}`);
  const containers = (arrayField(objectField(pod, "spec"), "containers") ?? [])
    .filter(isJsonObject)
    .map((container) => stringField(container, "name") ?? "");
  let container = flags.string("container");
  if (container === "") {
    container = containers[0] ?? "";
    if (containers.length > 1 && !flags.bool("quiet"))
      runtime.stderr(`Defaulted container ${JSON.stringify(container)} out of: ${containers.join(", ")}\n`);
  }
  const query = new URLSearchParams();
  for (const part of command) query.append("command", part);
  query.set("container", container);
  query.set("stderr", "true");
  query.set("stdout", "true");
  const response = await client.request("GET", `${resourcePath(POD_RESOURCE, namespace, podName)}/exec?${query.toString()}`, {
    accept: DEFAULT_ACCEPT,
    headers: { "x-kubeprep-exec": "buffered" },
  });
  if (response.status === 400) {
    const status = decodedServerError(response.status, response.text, response.contentType);
    throw new RenderedError(`error: unable to upgrade connection: ${status.message}`);
  }
  if (response.status !== 200) throw decodedServerError(response.status, response.text, response.contentType);
  const result = execBody(response.text);
  runtime.stdout(result.stdout);
  runtime.stderr(result.stderr);
  if (result.exitCode !== 0) throw new RenderedError(`command terminated with exit code ${result.exitCode}`, result.exitCode);
  return 0;
}

export const execCommand: CommandSpec = {
  name: "exec",
  flags: [
    stringFlag("container", "c"),
    boolFlag("stdin", "i"),
    boolFlag("tty", "t"),
    boolFlag("quiet", "q"),
    stringFlag("filename", "f"),
    stringFlag("pod-running-timeout"),
  ],
  run: runExec,
};
