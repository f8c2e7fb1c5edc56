/** The shape of a kubectl (sub)command and the helpers every command uses to reach the API server. */
import { isJsonObject, parseJson, type JsonObject } from "../json";
import { Flags, type FlagSpec } from "./args";
import { needsPrompt, resolveSettings, RestClient, type HttpResponse } from "./client";
import { decodedServerError, RenderedError } from "./errors";
import type { Runtime } from "./runtime";

export interface Invocation {
  runtime: Runtime;
  flags: Flags;
  /** The persistent (global) flags only: what the kubeconfig loader sees. */
  globalFlags: Flags;
  /** Positional arguments after the command path. */
  args: string[];
  /** "kubectl get", "kubectl create token". */
  commandPath: string;
}

export interface CommandSpec {
  name: string;
  aliases?: string[];
  flags?: FlagSpec[];
  subcommands?: CommandSpec[];
  /** Absent on pure command groups (kubectl config, kubectl auth). */
  run?: (invocation: Invocation) => Promise<number | void>;
}

/** Builds the REST client for this invocation (kubeconfig + flags), including kubectl's basic-auth prompt. */
export function makeClient(invocation: Invocation): RestClient {
  const settings = resolveSettings(invocation.runtime, invocation.globalFlags);
  if (needsPrompt(settings)) {
    const lines = invocation.runtime.context.stdin.split("\n");
    invocation.runtime.stdout("Please enter Username: ");
    const username = lines[0];
    if (username === undefined || (username === "" && lines.length < 2)) throw new RenderedError("error: EOF");
    invocation.runtime.stdout("Please enter Password: ");
    const password = lines[1];
    if (password === undefined) throw new RenderedError("error: EOF");
    settings.basic = { username, password };
  }
  return new RestClient(invocation.runtime, settings, invocation.commandPath);
}

/** Sends a request and decodes a JSON object body; non-2xx answers throw the decoded Status error. */
export function expectJson(response: HttpResponse): JsonObject {
  if (response.status < 200 || response.status > 299) throw decodedServerError(response.status, response.text, response.contentType);
  const parsed = parseJson(response.text);
  if (!isJsonObject(parsed)) throw new RenderedError("error: the server returned a response that is not a JSON object");
  return parsed;
}

export function stringFlag(spec: string, short?: string): FlagSpec {
  return short === undefined ? { name: spec, kind: "string" } : { name: spec, short, kind: "string" };
}

export function boolFlag(spec: string, short?: string): FlagSpec {
  return short === undefined ? { name: spec, kind: "bool" } : { name: spec, short, kind: "bool" };
}

export function arrayFlag(spec: string, short?: string): FlagSpec {
  return short === undefined ? { name: spec, kind: "stringArray" } : { name: spec, short, kind: "stringArray" };
}

export function intFlag(spec: string, short?: string): FlagSpec {
  return short === undefined ? { name: spec, kind: "int" } : { name: spec, short, kind: "int" };
}

export const OUTPUT_FLAG = stringFlag("output", "o");
