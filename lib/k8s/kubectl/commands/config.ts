/** kubectl config: view, get-contexts, current-context, use-context, set, set-*, delete-*, rename-context. No network. */
import type { JsonObject } from "../../json";
import { boolFlag, OUTPUT_FLAG, stringFlag, type CommandSpec, type Invocation } from "../command";
import { loadConfig } from "../client";
import { RenderedError } from "../errors";
import { GET_TABWRITER, goJson, goQuote, tabwrite } from "../../go";
import {
  findEntry,
  kubeconfigDocument,
  kubeconfigPaths,
  loadForWrite,
  resolveConfigPath,
  str,
  writeKubeconfig,
  type FileContent,
  type Kubeconfig,
  type NamedEntry,
} from "../kubeconfig";
import { parseOutputFormat, printJsonPath, printYaml } from "../printers";

const CLUSTER_ORDER = [
  "server",
  "tls-server-name",
  "insecure-skip-tls-verify",
  "certificate-authority",
  "certificate-authority-data",
  "proxy-url",
  "disable-compression",
  "extensions",
];
const USER_ORDER = [
  "client-certificate",
  "client-certificate-data",
  "client-key",
  "client-key-data",
  "token",
  "tokenFile",
  "as",
  "as-uid",
  "as-groups",
  "as-user-extra",
  "username",
  "password",
  "auth-provider",
  "exec",
  "extensions",
];
const CONTEXT_ORDER = ["cluster", "user", "namespace", "extensions"];

function ordered(body: JsonObject, order: string[]): JsonObject {
  const out: JsonObject = {};
  for (const key of order) if (body[key] !== undefined) out[key] = body[key] ?? null;
  for (const key of Object.keys(body)) if (!(key in out)) out[key] = body[key] ?? null;
  return out;
}

/** The typed v1.Config JSON (struct field order), as `config view -o json` prints it. */
function typedConfigJson(document: JsonObject): JsonObject {
  const section = (key: string, field: string, order: string[]): JsonObject[] | null => {
    const list = document[key];
    if (!Array.isArray(list)) return null;
    return list.map((item) => {
      const entry = item as JsonObject;
      return { name: entry.name ?? "", [field]: ordered((entry[field] as JsonObject | undefined) ?? {}, order) };
    });
  };
  return {
    kind: "Config",
    apiVersion: "v1",
    preferences: document.preferences ?? {},
    clusters: section("clusters", "cluster", CLUSTER_ORDER),
    users: section("users", "user", USER_ORDER),
    contexts: section("contexts", "context", CONTEXT_ORDER),
    "current-context": document["current-context"] ?? "",
  };
}

function flatten(runtime: Invocation["runtime"], entries: NamedEntry[], pairs: [string, string][]): NamedEntry[] {
  return entries.map((entry) => {
    const body: JsonObject = { ...entry.body };
    for (const [pathField, dataField] of pairs) {
      const path = str(body, pathField);
      if (path === "") continue;
      const file = runtime.context.fs.readFile(runtime.context.fs.resolve(resolveConfigPath(entry, path)));
      if (!file.ok) throw new RenderedError(`error: open ${resolveConfigPath(entry, path)}: no such file or directory`);
      body[dataField] = Buffer.from(file.content).toString("base64");
      delete body[pathField];
    }
    return { ...entry, body };
  });
}

function runView(invocation: Invocation): number {
  const { flags, runtime } = invocation;
  const config = loadConfig(runtime, flags);
  const format = parseOutputFormat(flags.string("output") === "" ? "yaml" : flags.string("output"));
  let parts: Pick<Kubeconfig, "clusters" | "users" | "contexts" | "currentContext" | "preferences"> = config;
  if (flags.bool("minify")) {
    const contextName = flags.string("context") || config.currentContext;
    if (contextName === "") throw new RenderedError("error: current-context must exist in order to minify");
    const context = findEntry(config.contexts, contextName);
    if (context === undefined) throw new RenderedError(`error: cannot locate context ${contextName}`);
    const cluster = findEntry(config.clusters, str(context.body, "cluster"));
    const user = findEntry(config.users, str(context.body, "user"));
    parts = {
      clusters: cluster === undefined ? [] : [cluster],
      users: user === undefined ? [] : [user],
      contexts: [context],
      currentContext: contextName,
      preferences: config.preferences,
    };
  }
  if (flags.bool("flatten")) {
    parts = {
      ...parts,
      clusters: flatten(runtime, parts.clusters, [["certificate-authority", "certificate-authority-data"]]),
      users: flatten(runtime, parts.users, [
        ["client-certificate", "client-certificate-data"],
        ["client-key", "client-key-data"],
      ]),
    };
  }
  // view.go: --flatten embeds the files and skips ShortenConfig, so it prints real values like --raw.
  const document = kubeconfigDocument(parts, { redact: !flags.bool("raw") && !flags.bool("flatten"), resolvePaths: true });
  if (format.type === "json") runtime.stdout(`${goJson(typedConfigJson(document), { indent: "    " })}\n`);
  else if (format.type === "jsonpath") runtime.stdout(printJsonPath(format.template, typedConfigJson(document), format.asJson));
  else if (format.type === "yaml") runtime.stdout(printYaml(document));
  else
    throw new RenderedError(
      `error: unable to match a printer suitable for the output format "${flags.string("output")}", allowed formats are: json,jsonpath,yaml`,
    );
  return 0;
}

function runGetContexts(invocation: Invocation): number {
  const { flags, runtime } = invocation;
  const config = loadConfig(runtime, flags);
  const output = flags.string("output");
  if (output !== "" && output !== "name") throw new RenderedError(`error: output must be one of '' or 'name': ${output}`);
  const names = invocation.args.length > 0 ? invocation.args : config.contexts.map((context) => context.name).sort();
  const errors: string[] = [];
  let text = output === "name" || flags.bool("no-headers") ? "" : "CURRENT\tNAME\tCLUSTER\tAUTHINFO\tNAMESPACE\n";
  for (const name of names) {
    const entry = findEntry(config.contexts, name);
    if (entry === undefined) {
      errors.push(`context ${name} not found`);
      continue;
    }
    if (output === "name") text += `${name}\n`;
    else
      text += `${name === config.currentContext ? "*" : " "}\t${name}\t${str(entry.body, "cluster")}\t${str(entry.body, "user")}\t${str(entry.body, "namespace")}\n`;
  }
  runtime.stdout(output === "name" ? text : tabwrite(text, GET_TABWRITER));
  if (errors.length > 0) throw new RenderedError(`error: ${errors.join("\n")}`);
  return 0;
}

function runNames(key: "clusters" | "users") {
  return (invocation: Invocation): number => {
    const config = loadConfig(invocation.runtime, invocation.flags);
    const names = config[key].map((entry) => entry.name).sort();
    invocation.runtime.stdout(tabwrite(`NAME\n${names.map((name) => `${name}\n`).join("")}`, GET_TABWRITER));
    return 0;
  };
}

function runCurrentContext(invocation: Invocation): number {
  const config = loadConfig(invocation.runtime, invocation.flags);
  if (config.currentContext === "") throw new RenderedError("error: current-context is not set");
  invocation.runtime.stdout(`${config.currentContext}\n`);
  return 0;
}

/** The file a change goes to: where the entry already lives, else the first kubeconfig file. */
function destination(invocation: Invocation, key?: "clusters" | "users" | "contexts", name?: string): string {
  const { runtime, flags } = invocation;
  const paths = kubeconfigPaths(runtime.context.env, flags.optional("kubeconfig"), runtime.context.fs).paths;
  if (key !== undefined && name !== undefined && paths.length > 1) {
    const config = loadConfig(runtime, flags);
    const existing = findEntry(config[key], name);
    if (existing !== undefined) return existing.origin;
  }
  return paths[0] ?? "";
}

function modify(invocation: Invocation, path: string, change: (content: FileContent) => void): void {
  const fs = invocation.runtime.context.fs;
  const loaded = loadForWrite(fs, path);
  if (!loaded.ok) throw new RenderedError(`error: ${loaded.error}`);
  change(loaded.content);
  const written = writeKubeconfig(fs, path, loaded.content);
  if (!written.ok) throw new RenderedError(`error: open ${path}: ${written.error.toLowerCase()}`);
}

function upsert(entries: NamedEntry[], name: string, origin: string): NamedEntry {
  const existing = findEntry(entries, name);
  if (existing !== undefined) return existing;
  const created: NamedEntry = { name, body: {}, origin };
  entries.push(created);
  return created;
}

function requireName(invocation: Invocation): string {
  if (invocation.args.length !== 1) throw new RenderedError(`error: Unexpected args: [${invocation.args.join(" ")}]`);
  return invocation.args[0] ?? "";
}

function runUseContext(invocation: Invocation): number {
  const name = requireName(invocation);
  const config = loadConfig(invocation.runtime, invocation.flags);
  if (findEntry(config.contexts, name) === undefined) throw new RenderedError(`error: no context exists with the name: ${goQuote(name)}`);
  modify(invocation, destination(invocation), (content) => {
    content.currentContext = name;
  });
  invocation.runtime.stdout(`Switched to context ${goQuote(name)}.\n`);
  return 0;
}

/** Leaf fields `config set` writes inside a named cluster, user or context, with how the value is parsed. */
const SETTABLE_FIELDS: Record<"clusters" | "users" | "contexts", Record<string, "string" | "bool" | "bytes">> = {
  clusters: {
    server: "string",
    "tls-server-name": "string",
    "insecure-skip-tls-verify": "bool",
    "certificate-authority": "string",
    "certificate-authority-data": "bytes",
    "proxy-url": "string",
    "disable-compression": "bool",
  },
  users: {
    "client-certificate": "string",
    "client-certificate-data": "bytes",
    "client-key": "string",
    "client-key-data": "bytes",
    token: "string",
    tokenFile: "string",
    as: "string",
    "as-uid": "string",
    username: "string",
    password: "string",
  },
  contexts: { cluster: "string", user: "string", namespace: "string" },
};

function isSection(name: string): name is keyof typeof SETTABLE_FIELDS {
  return name === "clusters" || name === "users" || name === "contexts";
}

/** The base64 value a []byte field stores: checked like Go's base64.StdEncoding, or the raw bytes encoded. */
function bytesValue(value: string, raw: boolean): string {
  if (raw) return Buffer.from(value).toString("base64");
  const bad = value.search(/[^A-Za-z0-9+/=]/);
  // UNVERIFIED: for misplaced padding Go reports the offset of the first byte of the broken quantum; we report the string length.
  const padding = value.indexOf("=");
  const malformed = bad !== -1 || value.length % 4 !== 0 || (padding !== -1 && !/^=?=$/.test(value.slice(padding)));
  if (malformed)
    throw new RenderedError(`error: error decoding input value: illegal base64 data at input byte ${bad !== -1 ? bad : value.length}`);
  return Buffer.from(value, "base64").toString("base64");
}

/**
 * `kubectl config set PROPERTY_NAME PROPERTY_VALUE` for the properties people set by hand:
 * current-context and the leaf fields of a named cluster, user or context (created when missing,
 * and, unlike use-context, without checking that a context exists). Other paths get kubectl's
 * parse error; UNVERIFIED: kubectl's message for a deeper unknown path names the Go type it got stuck at.
 */
function runSet(invocation: Invocation): number {
  if (invocation.args.length !== 2) throw new RenderedError(`error: Unexpected args: [${invocation.args.join(" ")}]`);
  const [property = "", value = ""] = invocation.args;
  const parts = property.split(".");
  const [section = "", name = "", field = ""] = parts;
  let apply: (content: FileContent, path: string) => void;
  let path: string;
  if (property === "current-context") {
    path = destination(invocation);
    apply = (content) => {
      content.currentContext = value;
    };
  } else if (parts.length === 3 && isSection(section) && name !== "" && SETTABLE_FIELDS[section][field] !== undefined) {
    const kind = SETTABLE_FIELDS[section][field];
    let stored: string | boolean = value;
    if (kind === "bool") {
      if (["1", "t", "T", "TRUE", "true", "True"].includes(value)) stored = true;
      else if (["0", "f", "F", "FALSE", "false", "False"].includes(value)) stored = false;
      else throw new RenderedError(`error: strconv.ParseBool: parsing ${goQuote(value)}: invalid syntax`);
    } else if (kind === "bytes") stored = bytesValue(value, invocation.flags.bool("set-raw-bytes"));
    path = destination(invocation, section, name);
    apply = (content, origin) => {
      upsert(content[section], name, origin).body[field] = stored;
    };
  } else throw new RenderedError(`error: unable to parse ${property} after [] at api.Config`);
  modify(invocation, path, (content) => apply(content, path));
  invocation.runtime.stdout(`Property ${goQuote(property)} set.\n`);
  return 0;
}

function readForEmbed(invocation: Invocation, flag: string, path: string): string {
  const file = invocation.runtime.context.fs.readFile(invocation.runtime.context.fs.resolve(path));
  if (!file.ok) throw new RenderedError(`error: could not stat ${flag} file ${path}: stat ${path}: no such file or directory`);
  return Buffer.from(file.content).toString("base64");
}

function runSetCredentials(invocation: Invocation): number {
  const { flags } = invocation;
  const name = requireName(invocation);
  const embed = flags.bool("embed-certs");
  const cert = flags.optional("client-certificate");
  const key = flags.optional("client-key");
  if (embed && (cert ?? "") === "" && (key ?? "") === "")
    throw new RenderedError("error: you must specify a --client-certificate or --client-key to embed");
  const certData = embed && cert !== undefined && cert !== "" ? readForEmbed(invocation, "client-certificate", cert) : undefined;
  const keyData = embed && key !== undefined && key !== "" ? readForEmbed(invocation, "client-key", key) : undefined;
  const path = destination(invocation, "users", name);
  modify(invocation, path, (content) => {
    const body = upsert(content.users, name, path).body;
    if (cert !== undefined) {
      if (certData !== undefined) {
        body["client-certificate-data"] = certData;
        delete body["client-certificate"];
      } else {
        body["client-certificate"] = invocation.runtime.context.fs.resolve(cert);
        delete body["client-certificate-data"];
      }
    }
    if (key !== undefined) {
      if (keyData !== undefined) {
        body["client-key-data"] = keyData;
        delete body["client-key"];
      } else {
        body["client-key"] = invocation.runtime.context.fs.resolve(key);
        delete body["client-key-data"];
      }
    }
    const token = flags.optional("token");
    const username = flags.optional("username");
    const password = flags.optional("password");
    if (token !== undefined) body.token = token;
    if (username !== undefined) body.username = username;
    if (password !== undefined) body.password = password;
    const setToken = token !== undefined && token !== "";
    const setBasic = (username ?? "") !== "" || (password ?? "") !== "";
    if (setToken || setBasic) {
      if (!setToken) delete body.token;
      if (!setBasic) {
        delete body.username;
        delete body.password;
      }
    }
    for (const field of Object.keys(body)) if (body[field] === "") delete body[field];
  });
  invocation.runtime.stdout(`User ${goQuote(name)} set.\n`);
  return 0;
}

function runSetCluster(invocation: Invocation): number {
  const { flags } = invocation;
  const name = requireName(invocation);
  const embed = flags.bool("embed-certs");
  const ca = flags.optional("certificate-authority");
  if (embed && (ca ?? "") === "") throw new RenderedError("error: you must specify a --certificate-authority to embed");
  const caData = embed && ca !== undefined ? readForEmbed(invocation, "certificate-authority", ca) : undefined;
  const path = destination(invocation, "clusters", name);
  modify(invocation, path, (content) => {
    const body = upsert(content.clusters, name, path).body;
    const server = flags.optional("server");
    if (server !== undefined) body.server = server;
    const serverName = flags.optional("tls-server-name");
    if (serverName !== undefined) body["tls-server-name"] = serverName;
    if (flags.has("insecure-skip-tls-verify")) {
      const insecure = flags.bool("insecure-skip-tls-verify");
      if (insecure) {
        body["insecure-skip-tls-verify"] = true;
        delete body["certificate-authority"];
        delete body["certificate-authority-data"];
      } else delete body["insecure-skip-tls-verify"];
    }
    if (ca !== undefined) {
      if (caData !== undefined) {
        body["certificate-authority-data"] = caData;
        delete body["certificate-authority"];
        delete body["insecure-skip-tls-verify"];
      } else if (ca !== "") {
        body["certificate-authority"] = invocation.runtime.context.fs.resolve(ca);
        delete body["certificate-authority-data"];
        delete body["insecure-skip-tls-verify"];
      }
    }
  });
  invocation.runtime.stdout(`Cluster ${goQuote(name)} set.\n`);
  return 0;
}

function runSetContext(invocation: Invocation): number {
  const { flags } = invocation;
  let name: string;
  if (flags.bool("current")) {
    if (invocation.args.length > 0) throw new RenderedError("error: you cannot specify both a context name and --current");
    name = loadConfig(invocation.runtime, flags).currentContext;
    if (name === "") throw new RenderedError("error: no current context is set");
  } else name = requireName(invocation);
  const path = destination(invocation, "contexts", name);
  let existed = false;
  modify(invocation, path, (content) => {
    existed = findEntry(content.contexts, name) !== undefined;
    const body = upsert(content.contexts, name, path).body;
    for (const [flag, field] of [
      ["cluster", "cluster"],
      ["user", "user"],
      ["namespace", "namespace"],
    ] as const) {
      const value = flags.optional(flag);
      if (value !== undefined) {
        if (value === "") delete body[field];
        else body[field] = value;
      }
    }
  });
  invocation.runtime.stdout(`Context ${goQuote(name)} ${existed ? "modified" : "created"}.\n`);
  return 0;
}

function runDelete(key: "clusters" | "users" | "contexts", noun: string) {
  return (invocation: Invocation): number => {
    const name = requireName(invocation);
    const path = destination(invocation, key, name);
    const loaded = loadForWrite(invocation.runtime.context.fs, path);
    if (!loaded.ok) throw new RenderedError(`error: ${loaded.error}`);
    if (findEntry(loaded.content[key], name) === undefined) throw new RenderedError(`error: cannot delete ${noun} ${name}, not in ${path}`);
    modify(invocation, path, (content) => {
      content[key] = content[key].filter((entry) => entry.name !== name);
      if (key === "contexts" && content.currentContext === name) {
        invocation.runtime.stderr(
          'warning: this removed your active context, use "kubectl config use-context" to select a different one\n',
        );
      }
    });
    invocation.runtime.stdout(`deleted ${noun} ${name} from ${path}\n`);
    return 0;
  };
}

function runRenameContext(invocation: Invocation): number {
  if (invocation.args.length !== 2) throw new RenderedError(`error: Unexpected args: [${invocation.args.join(" ")}]`);
  const [from = "", to = ""] = invocation.args;
  const path = destination(invocation, "contexts", from);
  const loaded = loadForWrite(invocation.runtime.context.fs, path);
  if (!loaded.ok) throw new RenderedError(`error: ${loaded.error}`);
  if (findEntry(loaded.content.contexts, from) === undefined)
    throw new RenderedError(`error: cannot rename the context ${goQuote(from)}, it's not in ${path}`);
  if (findEntry(loaded.content.contexts, to) !== undefined) {
    throw new RenderedError(`error: cannot rename the context ${goQuote(from)}, the context ${goQuote(to)} already exists in ${path}`);
  }
  modify(invocation, path, (content) => {
    const entry = findEntry(content.contexts, from);
    if (entry !== undefined) entry.name = to;
    if (content.currentContext === from) content.currentContext = to;
  });
  invocation.runtime.stdout(`Context ${goQuote(from)} renamed to ${goQuote(to)}.\n`);
  return 0;
}

const sync =
  (run: (invocation: Invocation) => number) =>
  async (invocation: Invocation): Promise<number> =>
    run(invocation);

export const configCommand: CommandSpec = {
  name: "config",
  subcommands: [
    { name: "view", flags: [OUTPUT_FLAG, boolFlag("raw"), boolFlag("minify"), boolFlag("flatten"), boolFlag("merge")], run: sync(runView) },
    { name: "get-contexts", flags: [OUTPUT_FLAG, boolFlag("no-headers")], run: sync(runGetContexts) },
    { name: "get-clusters", run: sync(runNames("clusters")) },
    { name: "get-users", run: sync(runNames("users")) },
    { name: "current-context", run: sync(runCurrentContext) },
    { name: "use-context", aliases: ["use"], run: sync(runUseContext) },
    { name: "set", flags: [boolFlag("set-raw-bytes")], run: sync(runSet) },
    {
      name: "set-credentials",
      flags: [
        stringFlag("client-certificate"),
        stringFlag("client-key"),
        stringFlag("token"),
        stringFlag("username"),
        stringFlag("password"),
        boolFlag("embed-certs"),
      ],
      run: sync(runSetCredentials),
    },
    {
      name: "set-cluster",
      flags: [
        stringFlag("server"),
        stringFlag("certificate-authority"),
        boolFlag("embed-certs"),
        boolFlag("insecure-skip-tls-verify"),
        stringFlag("tls-server-name"),
      ],
      run: sync(runSetCluster),
    },
    {
      name: "set-context",
      flags: [stringFlag("cluster"), stringFlag("user"), stringFlag("namespace"), boolFlag("current")],
      run: sync(runSetContext),
    },
    { name: "delete-context", run: sync(runDelete("contexts", "context")) },
    { name: "delete-cluster", run: sync(runDelete("clusters", "cluster")) },
    { name: "delete-user", run: sync(runDelete("users", "user")) },
    { name: "rename-context", run: sync(runRenameContext) },
  ],
};
