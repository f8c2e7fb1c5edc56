/**
 * kubectl explain (v1.32, OpenAPI v3 plaintext): the resource from discovery, the group version's
 * /openapi/v3 document from the server, and the plaintext template (explain-template.ts). The
 * simulated apiserver serves the schemas of the kinds it knows, so other kinds are unknown types.
 */
import { goQuote } from "../../go";
import { isJsonObject, parseJson } from "../../json";
import { DEFAULT_ACCEPT } from "../client";
import { boolFlag, expectJson, makeClient, OUTPUT_FLAG, stringFlag, type CommandSpec, type Invocation } from "../command";
import { discover, findResource } from "../discovery";
import { genericServerError, RenderedError } from "../errors";
import { renderExplain } from "../explain-template";

/** schema.ParseGroupVersion. */
function parseGroupVersion(text: string): { group: string; version: string } {
  if (text === "" || text === "/") return { group: "", version: "" };
  const parts = text.split("/");
  if (parts.length === 1) return { group: "", version: text };
  if (parts.length === 2) return { group: parts[0] ?? "", version: parts[1] ?? "" };
  throw new RenderedError(`error: unexpected GroupVersion string: ${text}`);
}

async function runExplain(invocation: Invocation): Promise<number> {
  const { flags, runtime } = invocation;
  if (invocation.args.length === 0) {
    throw new RenderedError(
      'error: You must specify the type of resource to explain. Use "kubectl api-resources" for a complete list of supported resources.',
    );
  }
  if (invocation.args.length > 1) throw new RenderedError("error: We accept only this format: explain RESOURCE");
  const output = flags.string("output", "plaintext");
  if (output === "plaintext-openapiv2") {
    throw new RenderedError(
      "error: --output=plaintext-openapiv2 reads the OpenAPI v2 schemas, which kubeprep's simulated apiserver does not serve; the default --output=plaintext works.",
    );
  }
  if (output !== "plaintext") throw new RenderedError(`error: unrecognized format: ${output}`);
  const client = makeClient(invocation);
  const discovery = await discover(client, 5);

  // explain.SplitAndParseResourceRequestWithMatchingPrefix.
  const input = (invocation.args[0] ?? "").replace(/\.$/, "");
  const parts = input.split(".");
  const resource = findResource(discovery, parts[0] ?? "");
  if (resource === undefined) throw new RenderedError(`the server doesn't have a resource type ${goQuote((parts[0] ?? "").toLowerCase())}`);
  const groupResource = resource.group === "" ? [resource.name] : [resource.name, ...resource.group.split(".")];
  const prefixed = groupResource.every((part, index) => parts[index] === part);
  const fieldPath = parts.slice(prefixed ? groupResource.length : 1).filter((part) => part !== "");

  let { group, version } = resource;
  const apiVersion = flags.string("api-version");
  if (apiVersion !== "") ({ group, version } = parseGroupVersion(apiVersion));

  const index = expectJson(await client.request("GET", "/openapi/v3?timeout=32s", { accept: DEFAULT_ACCEPT }));
  const key = group === "" ? `api/${version}` : `apis/${group}/${version}`;
  const entry = isJsonObject(index.paths) ? index.paths[key] : undefined;
  const url = isJsonObject(entry) && typeof entry.serverRelativeURL === "string" ? entry.serverRelativeURL : undefined;
  if (url === undefined) throw new RenderedError(`error: couldn't find resource for "${group}/${version}, Resource=${resource.name}"`);
  const response = await client.request("GET", `${url}${url.includes("?") ? "&" : "?"}timeout=32s`, { accept: "application/json" });
  if (response.status !== 200) throw genericServerError(response.status, response.text, response.contentType);
  const document = parseJson(response.text);
  if (!isJsonObject(document)) throw new RenderedError("error: the server returned an OpenAPI document that is not a JSON object");
  const result = renderExplain(document, { group, version, resource: resource.name, fieldPath, recursive: flags.bool("recursive") });
  runtime.stdout(result.text);
  if (result.error !== undefined) throw new RenderedError(result.error);
  return 0;
}

export const explainCommand: CommandSpec = {
  name: "explain",
  flags: [OUTPUT_FLAG, boolFlag("recursive"), stringFlag("api-version")],
  run: runExplain,
};
