/** kubectl version, cluster-info and api-resources. */
import { isJsonObject } from "../../json";
import { DEFAULT_ACCEPT } from "../client";
import { boolFlag, makeClient, OUTPUT_FLAG, stringFlag, type CommandSpec, type Invocation } from "../command";
import { discover } from "../discovery";
import { genericServerError, RenderedError } from "../errors";
import { GET_TABWRITER, goJson, tabwrite } from "../../go";
import { printYaml } from "../printers";
import { CLIENT_VERSION, KUSTOMIZE_VERSION } from "../runtime";

const CLIENT_INFO = {
  major: "1",
  minor: "32",
  gitVersion: CLIENT_VERSION,
  gitCommit: "9894294ef13a5b32803e3ca2c0d620a088cc84d1",
  gitTreeState: "clean",
  buildDate: "2025-05-15T09:00:00Z",
  goVersion: "go1.23.8",
  compiler: "gc",
  platform: "linux/amd64",
};

async function runVersion(invocation: Invocation): Promise<number> {
  const { flags, runtime } = invocation;
  const output = flags.string("output");
  if (output !== "" && output !== "json" && output !== "yaml") throw new RenderedError("error: --output must be 'yaml' or 'json'");
  const clientOnly = flags.bool("client");
  let server: Record<string, unknown> | undefined;
  let failure: unknown;
  if (!clientOnly) {
    try {
      const client = makeClient(invocation);
      const response = await client.request("GET", "/version?timeout=32s", { accept: DEFAULT_ACCEPT });
      if (response.status !== 200) throw genericServerError(response.status, response.text, response.contentType);
      const parsed: unknown = JSON.parse(response.text);
      if (isJsonObject(parsed)) server = parsed;
    } catch (error) {
      failure = error;
    }
  }
  if (output === "") {
    runtime.stdout(`Client Version: ${CLIENT_VERSION}\nKustomize Version: ${KUSTOMIZE_VERSION}\n`);
    if (server !== undefined) runtime.stdout(`Server Version: ${typeof server.gitVersion === "string" ? server.gitVersion : ""}\n`);
  } else {
    const document: Record<string, unknown> = { clientVersion: CLIENT_INFO, kustomizeVersion: KUSTOMIZE_VERSION };
    if (server !== undefined) document.serverVersion = server;
    runtime.stdout(output === "json" ? `${goJson(document, { indent: "  " })}\n` : printYaml(JSON.parse(JSON.stringify(document))));
  }
  if (failure !== undefined) throw failure;
  return 0;
}

async function runClusterInfo(invocation: Invocation): Promise<number> {
  const client = makeClient(invocation);
  await discover(client, 5);
  invocation.runtime.stdout(
    `\u001b[0;32mKubernetes control plane\u001b[0m is running at \u001b[0;33m${client.serverUrl}\u001b[0m\n\nTo further debug and diagnose cluster problems, use 'kubectl cluster-info dump'.\n`,
  );
  return 0;
}

async function runApiResources(invocation: Invocation): Promise<number> {
  const { flags } = invocation;
  const client = makeClient(invocation);
  const discovery = await discover(client, 5);
  const namespacedFilter = flags.optional("namespaced");
  const group = flags.optional("api-group");
  const output = flags.string("output");
  const groupOrder = discovery.groupVersions.map((gv) => (gv.includes("/") ? (gv.split("/")[0] ?? "") : ""));
  const resources = discovery.resources
    .filter((resource) => namespacedFilter === undefined || String(resource.namespaced) === namespacedFilter)
    .filter((resource) => group === undefined || resource.group === group)
    .sort((a, b) => groupOrder.indexOf(a.group) - groupOrder.indexOf(b.group) || (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  if (output === "name") {
    invocation.runtime.stdout(
      resources.map((resource) => `${resource.group === "" ? resource.name : `${resource.name}.${resource.group}`}\n`).join(""),
    );
    return 0;
  }
  const wide = output === "wide";
  let text = flags.bool("no-headers") ? "" : `NAME\tSHORTNAMES\tAPIVERSION\tNAMESPACED\tKIND${wide ? "\tVERBS\tCATEGORIES" : ""}\n`;
  for (const resource of resources) {
    const apiVersion = resource.group === "" ? resource.version : `${resource.group}/${resource.version}`;
    text += `${resource.name}\t${resource.shortNames.join(",")}\t${apiVersion}\t${String(resource.namespaced)}\t${resource.kind}`;
    if (wide) text += `\t${resource.verbs.join(",")}\t${resource.categories.join(",")}`;
    text += "\n";
  }
  invocation.runtime.stdout(tabwrite(text, GET_TABWRITER));
  return 0;
}

export const versionCommand: CommandSpec = { name: "version", flags: [OUTPUT_FLAG, boolFlag("client")], run: runVersion };
export const clusterInfoCommand: CommandSpec = { name: "cluster-info", run: runClusterInfo };
export const apiResourcesCommand: CommandSpec = {
  name: "api-resources",
  flags: [
    OUTPUT_FLAG,
    stringFlag("namespaced"),
    stringFlag("api-group"),
    boolFlag("no-headers"),
    stringFlag("verbs"),
    boolFlag("cached"),
    stringFlag("sort-by"),
    stringFlag("categories"),
  ],
  run: runApiResources,
};
