/** kubectl auth whoami (SelfSubjectReview) and kubectl auth can-i (SelfSubjectAccessReview / RulesReview). */
import { isJsonObject, type JsonObject, type JsonValue } from "../../json";
import { PROTOBUF_ACCEPT, type RestClient } from "../client";
import { boolFlag, expectJson, makeClient, OUTPUT_FLAG, stringFlag, type CommandSpec, type Invocation } from "../command";
import { discover, findResource, type Discovery } from "../discovery";
import { RenderedError, StatusError, usageError } from "../errors";
import { GET_TABWRITER, goJson, goStringSlice, tabwrite } from "../../go";
import { parseOutputFormat, printJsonPath, printYaml } from "../printers";
import { encodeProtobufObject, PROTOBUF_CONTENT_TYPE } from "../../protobuf";
import { describeRuleRows } from "./rules";

async function postProtobuf(client: RestClient, path: string, object: JsonObject): Promise<JsonObject> {
  const response = await client.request("POST", path, {
    accept: PROTOBUF_ACCEPT,
    contentType: PROTOBUF_CONTENT_TYPE,
    body: encodeProtobufObject(object),
  });
  return expectJson(response);
}

function strings(value: JsonValue | undefined): string[] {
  return Array.isArray(value) ? value.filter((item): item is string => typeof item === "string") : [];
}

/** The typed SelfSubjectReview as kubectl re-encodes it (struct field order, creationTimestamp kept). */
function typedReview(review: JsonObject): JsonObject {
  const metadata = isJsonObject(review.metadata) ? review.metadata : {};
  const status = isJsonObject(review.status) ? review.status : {};
  const userInfo = isJsonObject(status.userInfo) ? status.userInfo : {};
  const typedUser: JsonObject = {};
  for (const key of ["username", "uid", "groups", "extra"]) if (userInfo[key] !== undefined) typedUser[key] = userInfo[key] ?? null;
  return {
    kind: "SelfSubjectReview",
    apiVersion: typeof review.apiVersion === "string" ? review.apiVersion : "authentication.k8s.io/v1",
    metadata: { ...metadata, creationTimestamp: metadata.creationTimestamp ?? null },
    status: { userInfo: typedUser },
  };
}

async function runWhoami(invocation: Invocation): Promise<number> {
  const format = parseOutputFormat(invocation.flags.string("output"));
  const client = makeClient(invocation);
  let review: JsonObject | undefined;
  for (const version of ["v1", "v1beta1", "v1alpha1"]) {
    try {
      review = await postProtobuf(client, `/apis/authentication.k8s.io/${version}/selfsubjectreviews`, {
        apiVersion: `authentication.k8s.io/${version === "v1" ? "v1" : version}`,
        kind: "SelfSubjectReview",
        metadata: {},
        status: { userInfo: {} },
      });
      break;
    } catch (error) {
      if (error instanceof StatusError && error.status.code === 404) continue;
      if (error instanceof StatusError && error.status.code === 403) {
        throw new RenderedError("error: the selfsubjectreviews API is not enabled in the cluster or you do not have permission to call it");
      }
      throw error;
    }
  }
  if (review === undefined) {
    throw new RenderedError(
      "error: the selfsubjectreviews API is not enabled in the cluster\nenable APISelfSubjectReview feature gate and authentication.k8s.io/v1alpha1 or authentication.k8s.io/v1beta1 API",
    );
  }
  const typed = typedReview(review);
  if (format.type === "json") invocation.runtime.stdout(`${goJson(typed, { indent: "    " })}\n`);
  else if (format.type === "yaml") invocation.runtime.stdout(printYaml(typed));
  else if (format.type === "jsonpath") invocation.runtime.stdout(printJsonPath(format.template, typed, format.asJson));
  else {
    const status = isJsonObject(typed.status) ? typed.status : {};
    const user = isJsonObject(status.userInfo) ? status.userInfo : {};
    let text = "ATTRIBUTE\tVALUE\n";
    if (typeof user.username === "string" && user.username !== "") text += `Username\t${user.username}\n`;
    if (typeof user.uid === "string" && user.uid !== "") text += `UID\t${user.uid}\n`;
    const groups = strings(user.groups);
    if (groups.length > 0) text += `Groups\t${goStringSlice(groups)}\n`;
    if (isJsonObject(user.extra)) {
      for (const key of Object.keys(user.extra).sort()) text += `Extra: ${key}\t${goStringSlice(strings(user.extra[key]))}\n`;
    }
    invocation.runtime.stdout(tabwrite(text, GET_TABWRITER));
  }
  return 0;
}

const RESOURCE_VERBS = [
  "get",
  "list",
  "watch",
  "create",
  "update",
  "patch",
  "delete",
  "deletecollection",
  "use",
  "bind",
  "impersonate",
  "*",
  "approve",
  "sign",
  "escalate",
  "attest",
];
const NON_RESOURCE_VERBS = ["get", "put", "post", "head", "options", "delete", "patch", "*"];

async function runCanI(invocation: Invocation): Promise<number> {
  const { flags, runtime } = invocation;
  const quiet = flags.bool("quiet");
  const client = makeClient(invocation);
  const allNamespaces = flags.bool("all-namespaces");
  const namespace = allNamespaces ? "" : client.settings.namespace;
  const warn = (text: string): void => runtime.stderr(`Warning: ${text}\n\n`);
  if (flags.bool("list")) return runCanIList(invocation, client, namespace);
  const args = invocation.args;
  if (args.length !== 2 && args.length !== 3) {
    throw usageError(invocation.commandPath, "you must specify two arguments: verb resource or verb resource/resourceName.");
  }
  const verb = args[0] ?? "";
  const target = args[1] ?? "";
  const subresource = flags.string("subresource");
  let spec: JsonObject;
  if (target.startsWith("/")) {
    if (args.length === 3) throw new RenderedError("error: NonResourceURL and ResourceName can not specified together");
    if (subresource !== "") throw new RenderedError("error: --subresource can not be used with NonResourceURL");
    if (!NON_RESOURCE_VERBS.includes(verb)) warn(`verb '${verb}' is not a known verb`);
    spec = { nonResourceAttributes: { path: target, verb } };
  } else {
    const [typed = "", nameFromSlash = ""] = target.split(/\/(.*)/s);
    const resourceName = args.length === 3 ? (args[2] ?? "") : nameFromSlash;
    let discovery: Discovery | undefined;
    try {
      discovery = await discover(client, 2);
    } catch {
      discovery = undefined;
    }
    let group = "";
    let resourceName2 = typed;
    const found = typed === "*" || discovery === undefined ? undefined : findResource(discovery, typed);
    if (typed !== "*") {
      if (found === undefined) {
        const dot = typed.indexOf(".");
        if (dot === -1) warn(`the server doesn't have a resource type '${typed.toLowerCase()}'`);
        else
          warn(
            `the server doesn't have a resource type '${typed.slice(0, dot).toLowerCase()}' in group '${typed.slice(dot + 1).toLowerCase()}'`,
          );
      } else {
        group = found.group;
        resourceName2 = found.name;
        if (!allNamespaces) {
          // isNamespaced: an uncached ServerResourcesForGroupVersion call.
          const path = found.group === "" ? `/api/${found.version}` : `/apis/${found.group}/${found.version}`;
          const response = await client.request("GET", path, { accept: "application/json, */*" });
          if (response.status === 200 && !found.namespaced) {
            warn(
              group === ""
                ? `resource '${found.name}' is not namespace scoped`
                : `resource '${found.name}' is not namespace scoped in group '${group}'`,
            );
          }
        }
        if (!RESOURCE_VERBS.includes(verb)) warn(`verb '${verb}' is not a known verb`);
      }
    }
    spec = { resourceAttributes: { namespace, verb, group, version: "", resource: resourceName2, subresource, name: resourceName } };
  }
  const review = await postProtobuf(client, "/apis/authorization.k8s.io/v1/selfsubjectaccessreviews", {
    apiVersion: "authorization.k8s.io/v1",
    kind: "SelfSubjectAccessReview",
    metadata: {},
    spec,
    status: {},
  });
  const status = isJsonObject(review.status) ? review.status : {};
  const allowed = status.allowed === true;
  if (!quiet) {
    if (allowed) runtime.stdout("yes\n");
    else {
      let line = "no";
      if (typeof status.reason === "string" && status.reason !== "") line += ` - ${status.reason}`;
      if (typeof status.evaluationError === "string" && status.evaluationError !== "") line += ` - ${status.evaluationError}`;
      runtime.stdout(`${line}\n`);
    }
  }
  return allowed ? 0 : 1;
}

async function runCanIList(invocation: Invocation, client: RestClient, namespace: string): Promise<number> {
  const review = await postProtobuf(client, "/apis/authorization.k8s.io/v1/selfsubjectrulesreviews", {
    apiVersion: "authorization.k8s.io/v1",
    kind: "SelfSubjectRulesReview",
    metadata: {},
    spec: { namespace },
    status: {},
  });
  const status = isJsonObject(review.status) ? review.status : {};
  if (status.incomplete === true)
    invocation.runtime.stderr(
      `warning: the list may be incomplete: ${typeof status.evaluationError === "string" ? status.evaluationError : ""}\n`,
    );
  const rules: JsonObject[] = [];
  for (const rule of Array.isArray(status.resourceRules) ? status.resourceRules : []) if (isJsonObject(rule)) rules.push(rule);
  for (const rule of Array.isArray(status.nonResourceRules) ? status.nonResourceRules : []) if (isJsonObject(rule)) rules.push(rule);
  const rows = describeRuleRows(rules);
  let text = invocation.flags.bool("no-headers") ? "" : "Resources\tNon-Resource URLs\tResource Names\tVerbs\n";
  for (const row of rows) text += `${row.join("\t")}\n`;
  invocation.runtime.stdout(tabwrite(text, GET_TABWRITER));
  return 0;
}

export const authCommand: CommandSpec = {
  name: "auth",
  subcommands: [
    { name: "whoami", flags: [OUTPUT_FLAG], run: runWhoami },
    {
      name: "can-i",
      flags: [boolFlag("all-namespaces", "A"), boolFlag("list"), boolFlag("quiet", "q"), boolFlag("no-headers"), stringFlag("subresource")],
      run: runCanI,
    },
  ],
};
