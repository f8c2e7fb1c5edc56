/** kubectl create -f, the create generators (serviceaccount, namespace, role, ...), and create token. */
import { isJsonObject, type JsonObject } from "../../json";
import { parseDuration } from "../../clock";
import { PROTOBUF_ACCEPT, type RestClient } from "../client";
import {
  arrayFlag,
  boolFlag,
  expectJson,
  intFlag,
  makeClient,
  OUTPUT_FLAG,
  stringFlag,
  type CommandSpec,
  type Invocation,
} from "../command";
import { discover, findResource, kindGroup, resourcePath, type ApiResource } from "../discovery";
import { AggregateError, RenderedError, usageError } from "../errors";
import { goJson, goQuote, goTimeQuote, goPathEscape } from "../../go";
import { addLastApplied, DRY_RUN_FLAG, dryRunStrategy, parseGeneratorOutput, printGenerated } from "../generate";
import { mapObjects, readManifests, validationDirective, withSource } from "../manifests";
import { parseOutputFormat, printObjects } from "../printers";
import { encodeProtobufObject, PROTOBUF_CONTENT_TYPE } from "../../protobuf";

const json = (object: JsonObject): Uint8Array => new TextEncoder().encode(goJson(object, { sortKeys: true }));

async function runCreateFiles(invocation: Invocation): Promise<number> {
  const { flags, runtime } = invocation;
  if (invocation.args.length > 0) throw usageError(invocation.commandPath, `Unexpected args: [${invocation.args.join(" ")}]`);
  const filenames = flags.list("filename");
  if (filenames.length === 0) throw usageError(invocation.commandPath, "must specify one of -f and -k");
  const objects = readManifests(invocation, filenames);
  const client = makeClient(invocation);
  const validation = await validationDirective(invocation, client, objects);
  const mapped = await mapObjects(invocation, client, objects);
  const errors: unknown[] = [];
  const format = parseOutputFormat(flags.string("output"));
  for (const item of mapped) {
    const path = `${resourcePath(item.resource, item.namespace)}?fieldManager=kubectl-create&fieldValidation=${validation}`;
    try {
      const response = await client.request("POST", path, {
        accept: "application/json",
        contentType: "application/json",
        body: json(item.object),
      });
      const created = expectJson(response);
      printCreated(invocation, format, item.resource, created, "created");
    } catch (error) {
      errors.push(withSource("creating", item.source, error));
    }
  }
  if (errors.length > 0) throw new AggregateError(errors);
  void runtime;
  return 0;
}

function nameOf(object: JsonObject): string {
  return isJsonObject(object.metadata) && typeof object.metadata.name === "string" ? object.metadata.name : "";
}

function printCreated(
  invocation: Invocation,
  format: ReturnType<typeof parseOutputFormat>,
  resource: ApiResource,
  object: JsonObject,
  operation: string,
): void {
  if (format.type === "table") invocation.runtime.stdout(`${kindGroup(resource)}/${nameOf(object)} ${operation}\n`);
  else invocation.runtime.stdout(printObjects(format, [object], true, (item) => `${kindGroup(resource)}/${nameOf(item)}`));
}

/** The generators post through typed clients; see the report about their body encoding. */
async function createTyped(
  invocation: Invocation,
  client: RestClient,
  resource: ApiResource,
  object: JsonObject,
  wrap?: string,
): Promise<number> {
  const format = parseOutputFormat(invocation.flags.string("output"));
  const dryRun = dryRunStrategy(invocation);
  if (invocation.flags.bool("save-config")) addLastApplied(object);
  if (dryRun === "client") {
    if (format.type === "table") invocation.runtime.stdout(`${kindGroup(resource)}/${nameOf(object)} created (dry run)\n`);
    else invocation.runtime.stdout(printGenerated(format, object, (item) => `${kindGroup(resource)}/${nameOf(item)}`));
    return 0;
  }
  const namespace = resource.namespaced ? client.settings.namespace : undefined;
  const query = `?fieldManager=kubectl-create&fieldValidation=Strict${dryRun === "server" ? "&dryRun=All" : ""}`;
  try {
    const response = await client.request("POST", `${resourcePath(resource, namespace)}${query}`, {
      accept: PROTOBUF_ACCEPT,
      contentType: "application/json",
      body: json(object),
    });
    const created = expectJson(response);
    printCreated(invocation, format, resource, created, dryRun === "server" ? "created (server dry run)" : "created");
  } catch (error) {
    if (wrap !== undefined) throw new Error(`${wrap}${error instanceof Error ? error.message : String(error)}`);
    throw error;
  }
  return 0;
}

const STATIC: Record<string, ApiResource> = {
  serviceaccounts: {
    name: "serviceaccounts",
    singularName: "serviceaccount",
    kind: "ServiceAccount",
    group: "",
    version: "v1",
    namespaced: true,
    verbs: [],
    shortNames: ["sa"],
    categories: [],
  },
  namespaces: {
    name: "namespaces",
    singularName: "namespace",
    kind: "Namespace",
    group: "",
    version: "v1",
    namespaced: false,
    verbs: [],
    shortNames: ["ns"],
    categories: [],
  },
  configmaps: {
    name: "configmaps",
    singularName: "configmap",
    kind: "ConfigMap",
    group: "",
    version: "v1",
    namespaced: true,
    verbs: [],
    shortNames: ["cm"],
    categories: [],
  },
  secrets: {
    name: "secrets",
    singularName: "secret",
    kind: "Secret",
    group: "",
    version: "v1",
    namespaced: true,
    verbs: [],
    shortNames: [],
    categories: [],
  },
  roles: {
    name: "roles",
    singularName: "role",
    kind: "Role",
    group: "rbac.authorization.k8s.io",
    version: "v1",
    namespaced: true,
    verbs: [],
    shortNames: [],
    categories: [],
  },
  clusterroles: {
    name: "clusterroles",
    singularName: "clusterrole",
    kind: "ClusterRole",
    group: "rbac.authorization.k8s.io",
    version: "v1",
    namespaced: false,
    verbs: [],
    shortNames: [],
    categories: [],
  },
  rolebindings: {
    name: "rolebindings",
    singularName: "rolebinding",
    kind: "RoleBinding",
    group: "rbac.authorization.k8s.io",
    version: "v1",
    namespaced: true,
    verbs: [],
    shortNames: [],
    categories: [],
  },
  clusterrolebindings: {
    name: "clusterrolebindings",
    singularName: "clusterrolebinding",
    kind: "ClusterRoleBinding",
    group: "rbac.authorization.k8s.io",
    version: "v1",
    namespaced: false,
    verbs: [],
    shortNames: [],
    categories: [],
  },
};

function requireOneName(invocation: Invocation, what: string): string {
  const name = invocation.args[0];
  if (name === undefined || name === "") throw usageError(invocation.commandPath, `${what} is required`);
  if (invocation.args.length > 1) throw usageError(invocation.commandPath, `exactly one NAME is required, got ${invocation.args.length}`);
  return name;
}

/** The generators write a namespace into the object only when -n/--namespace was given (EnforceNamespace). */
function enforcedNamespace(invocation: Invocation, client: RestClient): string | undefined {
  return invocation.flags.has("namespace") ? client.settings.namespace : undefined;
}

function metadata(name: string, namespace: string | undefined): JsonObject {
  return namespace === undefined ? { name, creationTimestamp: null } : { name, namespace, creationTimestamp: null };
}

async function runCreateServiceAccount(invocation: Invocation): Promise<number> {
  const name = requireOneName(invocation, "NAME");
  const client = makeClient(invocation);
  const resource = STATIC.serviceaccounts as ApiResource;
  return createTyped(
    invocation,
    client,
    resource,
    { kind: "ServiceAccount", apiVersion: "v1", metadata: metadata(name, enforcedNamespace(invocation, client)) },
    "failed to create serviceaccount: ",
  );
}

async function runCreateNamespace(invocation: Invocation): Promise<number> {
  const name = requireOneName(invocation, "NAME");
  const client = makeClient(invocation);
  return createTyped(invocation, client, STATIC.namespaces as ApiResource, {
    kind: "Namespace",
    apiVersion: "v1",
    metadata: metadata(name, undefined),
    spec: {},
    status: {},
  });
}

function parseLiteral(source: string): [string, string] {
  const eq = source.indexOf("=");
  if (eq <= 0) throw new RenderedError(`error: invalid literal source ${source}, expected key=value`);
  return [source.slice(0, eq), source.slice(eq + 1)];
}

function readFromFiles(invocation: Invocation): [string, string][] {
  return invocation.flags.list("from-file").map((spec) => {
    const eq = spec.indexOf("=");
    const path = eq === -1 ? spec : spec.slice(eq + 1);
    const key = eq === -1 ? (path.split("/").pop() ?? path) : spec.slice(0, eq);
    const file = invocation.runtime.context.fs.readFile(invocation.runtime.context.fs.resolve(path));
    if (!file.ok) throw new RenderedError(`error: error reading ${path}: no such file or directory`);
    return [key, file.content];
  });
}

async function runCreateConfigMap(invocation: Invocation): Promise<number> {
  const name = requireOneName(invocation, "NAME");
  const data: JsonObject = {};
  for (const [key, value] of [...invocation.flags.list("from-literal").map(parseLiteral), ...readFromFiles(invocation)]) data[key] = value;
  const client = makeClient(invocation);
  const object: JsonObject = { kind: "ConfigMap", apiVersion: "v1", metadata: metadata(name, enforcedNamespace(invocation, client)) };
  if (Object.keys(data).length > 0) object.data = data;
  return createTyped(invocation, client, STATIC.configmaps as ApiResource, object, "failed to create configmap: ");
}

async function runCreateSecretGeneric(invocation: Invocation): Promise<number> {
  const name = requireOneName(invocation, "NAME");
  const data: JsonObject = {};
  for (const [key, value] of [...invocation.flags.list("from-literal").map(parseLiteral), ...readFromFiles(invocation)])
    data[key] = Buffer.from(value).toString("base64");
  const client = makeClient(invocation);
  const object: JsonObject = { kind: "Secret", apiVersion: "v1", metadata: metadata(name, enforcedNamespace(invocation, client)) };
  if (Object.keys(data).length > 0) object.data = data;
  const type = invocation.flags.string("type");
  if (type !== "") object.type = type;
  return createTyped(invocation, client, STATIC.secrets as ApiResource, object, "failed to create secret ");
}

const VALID_VERBS = [
  "*",
  "get",
  "delete",
  "list",
  "create",
  "update",
  "patch",
  "watch",
  "proxy",
  "deletecollection",
  "use",
  "bind",
  "escalate",
  "impersonate",
  "approve",
  "sign",
];

async function runCreateRole(invocation: Invocation, cluster: boolean): Promise<number> {
  const { flags } = invocation;
  const name = requireOneName(invocation, "NAME");
  const verbs = flags.list("verb", true);
  const resourcesTyped = flags.list("resource", true);
  const resourceNames = flags.list("resource-name", true);
  const nonResourceUrls = flags.list("non-resource-url", true);
  if (verbs.length === 0) throw new RenderedError("error: at least one verb must be specified");
  if (!cluster && resourcesTyped.length === 0) throw new RenderedError("error: at least one resource must be specified");
  if (cluster && resourcesTyped.length === 0 && nonResourceUrls.length === 0)
    throw new RenderedError("error: one of resource or nonResourceURL must be specified");
  for (const verb of verbs) if (!VALID_VERBS.includes(verb)) throw new RenderedError(`error: invalid verb: '${verb}'`);
  const client = makeClient(invocation);
  const discovery = await discover(client, 5);
  const byGroup = new Map<string, string[]>();
  for (const typed of resourcesTyped) {
    const [resourcePart = "", subresource] = typed.split(/\/(.*)/s);
    let resource = resourcePart;
    let group = "";
    if (resourcePart !== "*") {
      const found = findResource(discovery, resourcePart);
      if (found === undefined)
        throw new RenderedError(`error: the server doesn't have a resource type ${goQuote(resourcePart.split(".")[0] ?? resourcePart)}`);
      resource = found.name;
      group = found.group;
    } else if (resourcePart.includes(".")) group = resourcePart.slice(resourcePart.indexOf(".") + 1);
    const full = subresource === undefined || subresource === "" ? resource : `${resource}/${subresource}`;
    byGroup.set(group, [...(byGroup.get(group) ?? []), full]);
  }
  const rules: JsonObject[] = [...byGroup.keys()].sort().map((group) => {
    const rule: JsonObject = { verbs, apiGroups: [group], resources: byGroup.get(group) ?? [] };
    if (resourceNames.length > 0) rule.resourceNames = resourceNames;
    return rule;
  });
  if (nonResourceUrls.length > 0) rules.push({ verbs, nonResourceURLs: nonResourceUrls });
  const resource = (cluster ? STATIC.clusterroles : STATIC.roles) as ApiResource;
  const object: JsonObject = {
    kind: cluster ? "ClusterRole" : "Role",
    apiVersion: "rbac.authorization.k8s.io/v1",
    metadata: metadata(name, cluster ? undefined : enforcedNamespace(invocation, client)),
    rules,
  };
  return createTyped(invocation, client, resource, object);
}

async function runCreateBinding(invocation: Invocation, cluster: boolean): Promise<number> {
  const { flags } = invocation;
  const name = requireOneName(invocation, "NAME");
  const role = cluster ? "" : flags.string("role");
  const clusterRole = flags.string("clusterrole");
  if (cluster && clusterRole === "") throw new RenderedError('error: required flag(s) "clusterrole" not set');
  if (!cluster && (role === "") === (clusterRole === ""))
    throw new RenderedError("error: exactly one of clusterrole or role must be specified");
  const subjects: JsonObject[] = [];
  for (const user of flags.list("user")) subjects.push({ kind: "User", apiGroup: "rbac.authorization.k8s.io", name: user });
  for (const group of flags.list("group")) subjects.push({ kind: "Group", apiGroup: "rbac.authorization.k8s.io", name: group });
  for (const account of flags.list("serviceaccount")) {
    const parts = account.split(":");
    if (parts.length !== 2 || parts[0] === "" || parts[1] === "")
      throw new RenderedError("error: serviceaccount must be <namespace>:<name>");
    subjects.push({ kind: "ServiceAccount", namespace: parts[0] ?? "", name: parts[1] ?? "" });
  }
  const client = makeClient(invocation);
  const object: JsonObject = {
    kind: cluster ? "ClusterRoleBinding" : "RoleBinding",
    apiVersion: "rbac.authorization.k8s.io/v1",
    metadata: metadata(name, cluster ? undefined : enforcedNamespace(invocation, client)),
    roleRef: { apiGroup: "rbac.authorization.k8s.io", kind: role !== "" ? "Role" : "ClusterRole", name: role !== "" ? role : clusterRole },
  };
  if (subjects.length > 0) object.subjects = subjects;
  return createTyped(invocation, client, (cluster ? STATIC.clusterrolebindings : STATIC.rolebindings) as ApiResource, object);
}

const RANDOM_ALPHANUMS = "bcdfghjklmnpqrstvwxz2456789";

/** create deployment's container name: the image's last path segment without tag or digest; "_" and "." become "-" plus a random suffix. */
function containerName(invocation: Invocation, image: string): string {
  let name = image.split("/").pop() ?? image;
  name = name.split(":")[0] ?? name;
  name = name.split("@")[0] ?? name;
  if (!/[_.]/.test(name)) return name;
  const bytes = invocation.runtime.context.random(5);
  const suffix = [...bytes].map((byte) => RANDOM_ALPHANUMS[byte % RANDOM_ALPHANUMS.length] ?? "b").join("");
  return `${name.replace(/[_.]/g, "-")}-${suffix}`;
}

/** kubectl create deployment (create_deployment.go): labels app=NAME, one container per --image. */
async function runCreateDeployment(invocation: Invocation): Promise<number> {
  const { flags, commandPath } = invocation;
  // pflag parses int32 flags before anything runs.
  const replicas = Number(flags.string("replicas", "1"));
  const port = Number(flags.string("port", "-1"));
  for (const [flag, value] of [
    ["replicas", replicas],
    ["port", port],
  ] as const) {
    if (value > 2147483647 || value < -2147483648) {
      const text = flags.string(flag);
      const flagText = flag === "replicas" ? "-r, --replicas" : "--port";
      throw new RenderedError(
        `error: invalid argument "${text}" for "${flagText}" flag: strconv.ParseInt: parsing ${goQuote(text)}: value out of range\nSee '${commandPath} --help' for usage.`,
      );
    }
  }
  if (!flags.has("image")) throw new RenderedError('error: required flag(s) "image" not set');
  const dash = flags.argsLenAtDash;
  const nameCount = dash === -1 ? invocation.args.length : dash;
  if (nameCount !== 1) throw usageError(commandPath, `exactly one NAME is required, got ${nameCount}`);
  const name = invocation.args[0] ?? "";
  const command = invocation.args.slice(1);
  const images = flags.list("image");
  parseGeneratorOutput(flags.string("output"));
  dryRunStrategy(invocation);
  if (images.length > 1 && command.length > 0) throw new RenderedError("error: cannot specify multiple --image options and command");
  const containers: JsonObject[] = images.map((image) => {
    const container: JsonObject = { name: containerName(invocation, image), image };
    return container;
  });
  const first = containers[0];
  if (first !== undefined) {
    if (command.length > 0) first.command = command;
    if (port >= 0) first.ports = [{ containerPort: port }];
  }
  for (const container of containers) container.resources = {};
  const client = makeClient(invocation);
  const labels = { app: name };
  const namespace = enforcedNamespace(invocation, client);
  const metadata: JsonObject = namespace === undefined ? { name } : { name, namespace };
  metadata.creationTimestamp = null;
  metadata.labels = labels;
  const object: JsonObject = {
    kind: "Deployment",
    apiVersion: "apps/v1",
    metadata,
    spec: {
      replicas,
      selector: { matchLabels: { ...labels } },
      template: { metadata: { creationTimestamp: null, labels: { ...labels } }, spec: { containers } },
      strategy: {},
    },
    status: {},
  };
  const deployments: ApiResource = {
    name: "deployments",
    singularName: "deployment",
    kind: "Deployment",
    group: "apps",
    version: "v1",
    namespaced: true,
    verbs: [],
    shortNames: ["deploy"],
    categories: ["all"],
  };
  return createTyped(invocation, client, deployments, object, "failed to create deployment: ");
}

const BOUND_KINDS: Record<string, string> = { Node: "v1", Pod: "v1", Secret: "v1" };

async function runCreateToken(invocation: Invocation): Promise<number> {
  const { flags, runtime } = invocation;
  if (invocation.args.length !== 1) throw usageError(invocation.commandPath, "SERVICE_ACCOUNT_NAME is required");
  const name = invocation.args[0] ?? "";
  const durationText = flags.string("duration", "0s");
  const durationMs = durationText === "0" ? 0 : parseDuration(durationText);
  if (durationMs === undefined)
    throw new RenderedError(
      `error: invalid argument "${durationText}" for "--duration" flag: time: invalid duration ${goTimeQuote(durationText)}`,
    );
  if (durationMs < 0) throw new RenderedError("error: --duration must be greater than or equal to 0");
  if (durationMs % 1000 !== 0) throw new RenderedError("error: --duration cannot be expressed in units less than seconds");
  const audiences = flags.list("audience");
  if (audiences.some((audience) => audience === "")) throw new RenderedError("error: --audience must not be an empty string");
  const boundKind = flags.string("bound-object-kind");
  const boundName = flags.string("bound-object-name");
  const boundUid = flags.string("bound-object-uid");
  if (boundKind === "") {
    if (boundName !== "") throw new RenderedError("error: --bound-object-name can only be set if --bound-object-kind is provided");
    if (boundUid !== "") throw new RenderedError("error: --bound-object-uid can only be set if --bound-object-kind is provided");
  } else {
    if (BOUND_KINDS[boundKind] === undefined)
      throw new RenderedError(`error: supported --bound-object-kind values are ${Object.keys(BOUND_KINDS).sort().join(", ")}`);
    if (boundName === "") throw new RenderedError("error: --bound-object-name is required if --bound-object-kind is provided");
  }
  const spec: JsonObject = { audiences };
  if (boundKind !== "")
    spec.boundObjectRef = { kind: boundKind, apiVersion: BOUND_KINDS[boundKind] ?? "v1", name: boundName, uid: boundUid };
  if (durationMs > 0) spec.expirationSeconds = durationMs / 1000;
  const format = parseOutputFormat(flags.string("output"));
  const client = makeClient(invocation);
  const request = { apiVersion: "authentication.k8s.io/v1", kind: "TokenRequest", metadata: {}, spec, status: {} };
  let result: JsonObject;
  try {
    const response = await client.request(
      "POST",
      `/api/v1/namespaces/${client.settings.namespace}/serviceaccounts/${goPathEscape(name)}/token`,
      {
        accept: PROTOBUF_ACCEPT,
        contentType: PROTOBUF_CONTENT_TYPE,
        body: encodeProtobufObject(request),
      },
    );
    result = expectJson(response);
  } catch (error) {
    throw new RenderedError(`error: failed to create token: ${error instanceof Error ? error.message : String(error)}`);
  }
  const status = isJsonObject(result.status) ? result.status : {};
  const token = typeof status.token === "string" ? status.token : "";
  if (token === "") throw new RenderedError("error: failed to create token: no token in server response");
  if (format.type !== "table") {
    runtime.stdout(printObjects(format, [result], true, () => `tokenrequest.authentication.k8s.io/${name}`));
    return 0;
  }
  runtime.stdout(runtime.context.stdoutIsTerminal === false ? token : `${token}\n`);
  return 0;
}

const GENERATOR_FLAGS = [OUTPUT_FLAG, stringFlag("dry-run"), stringFlag("field-manager"), boolFlag("save-config"), stringFlag("validate")];

export const createCommand: CommandSpec = {
  name: "create",
  flags: [
    arrayFlag("filename", "f"),
    OUTPUT_FLAG,
    stringFlag("validate"),
    boolFlag("save-config"),
    stringFlag("dry-run"),
    boolFlag("edit"),
    boolFlag("recursive", "R"),
  ],
  run: runCreateFiles,
  subcommands: [
    { name: "serviceaccount", aliases: ["sa"], flags: GENERATOR_FLAGS, run: runCreateServiceAccount },
    { name: "namespace", aliases: ["ns"], flags: GENERATOR_FLAGS, run: runCreateNamespace },
    {
      name: "deployment",
      aliases: ["deploy"],
      flags: [
        OUTPUT_FLAG,
        DRY_RUN_FLAG,
        stringFlag("field-manager"),
        boolFlag("save-config"),
        stringFlag("validate"),
        arrayFlag("image"),
        intFlag("replicas", "r"),
        intFlag("port"),
      ],
      run: runCreateDeployment,
    },
    {
      name: "configmap",
      aliases: ["cm"],
      flags: [...GENERATOR_FLAGS, arrayFlag("from-literal"), arrayFlag("from-file"), boolFlag("append-hash")],
      run: runCreateConfigMap,
    },
    {
      name: "secret",
      subcommands: [
        {
          name: "generic",
          flags: [...GENERATOR_FLAGS, arrayFlag("from-literal"), arrayFlag("from-file"), stringFlag("type"), boolFlag("append-hash")],
          run: runCreateSecretGeneric,
        },
      ],
    },
    {
      name: "role",
      flags: [...GENERATOR_FLAGS, arrayFlag("verb"), arrayFlag("resource"), arrayFlag("resource-name")],
      run: (invocation) => runCreateRole(invocation, false),
    },
    {
      name: "clusterrole",
      flags: [
        ...GENERATOR_FLAGS,
        arrayFlag("verb"),
        arrayFlag("resource"),
        arrayFlag("resource-name"),
        arrayFlag("non-resource-url"),
        stringFlag("aggregation-rule"),
      ],
      run: (invocation) => runCreateRole(invocation, true),
    },
    {
      name: "rolebinding",
      flags: [
        ...GENERATOR_FLAGS,
        stringFlag("role"),
        stringFlag("clusterrole"),
        arrayFlag("user"),
        arrayFlag("group"),
        arrayFlag("serviceaccount"),
      ],
      run: (invocation) => runCreateBinding(invocation, false),
    },
    {
      name: "clusterrolebinding",
      flags: [...GENERATOR_FLAGS, stringFlag("clusterrole"), arrayFlag("user"), arrayFlag("group"), arrayFlag("serviceaccount")],
      run: (invocation) => runCreateBinding(invocation, true),
    },
    {
      name: "token",
      flags: [
        OUTPUT_FLAG,
        stringFlag("duration"),
        arrayFlag("audience"),
        stringFlag("bound-object-kind"),
        stringFlag("bound-object-name"),
        stringFlag("bound-object-uid"),
      ],
      run: runCreateToken,
    },
  ],
};
