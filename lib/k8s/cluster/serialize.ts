/** JSON round trip of a cluster: exact (restore(serialize(s)) deep-equals s), validated on the way in. */
import { z } from "zod";
import { parseDuration } from "../clock";
import { isJsonObject, type JsonObject } from "../json";
import { oidcFlagsSchema } from "./spec";
import type { ClusterState } from "./state";
import { goTimeQuote } from "../go";

const jsonObject = z.custom<JsonObject>((value) => isJsonObject(value), "expected a JSON object");

const nodeFile = z.union([
  z.object({ type: z.literal("file"), content: z.string(), mode: z.number(), mtimeMs: z.number() }),
  z.object({ type: z.literal("dir"), mode: z.number(), mtimeMs: z.number() }),
]);
const logLine = z.object({
  afterMs: z.number(),
  stream: z.enum(["stdout", "stderr"]),
  klog: z.object({ severity: z.enum(["I", "W", "E"]), source: z.string() }).optional(),
  text: z.string(),
});
const nodeSchema = z.object({
  name: z.string(),
  ip: z.string(),
  files: z.record(z.string(), nodeFile),
  kubelet: z.object({ startedMs: z.number(), pid: z.number() }),
  apiServer: z.object({
    seenManifest: z.string().nullable(),
    changedMs: z.number().optional(),
    runs: z.array(
      z.object({
        uid: z.string(),
        sandboxId: z.string(),
        startedMs: z.number(),
        outcome: z.enum(["running", "crash", "no-container", "rejected"]),
        log: z.array(logLine),
        kubeletLog: z.array(z.string()),
        probeFailure: z.string().optional(),
        authorizationModes: z.array(z.string()).optional(),
        admissionPlugins: z.array(z.string()).optional(),
      }),
    ),
  }),
});

const stateSchema = z.object({
  format: z.literal("kubeprep.cluster/v1"),
  clock: z.object({ nowMs: z.number() }),
  bootstrapMs: z.number(),
  random: z.object({ seed: z.string(), counter: z.number() }),
  lastResourceVersion: z.number(),
  config: z.object({
    serverAddress: z.string(),
    clientCaBundlePem: z.string(),
    clusterSigner: z.object({ certPem: z.string(), keyPem: z.string() }),
    serving: z.object({ caCertPem: z.string(), certPem: z.string(), keyPem: z.string() }).optional(),
    serviceAccount: z.object({
      issuers: z.array(z.string()),
      signingKeyPem: z.string(),
      extraVerificationKeyPems: z.array(z.string()),
      maxTokenExpirationSeconds: z.number().optional(),
      extendTokenExpiration: z.boolean(),
    }),
    apiAudiences: z.array(z.string()),
    anonymousAuth: z.boolean().optional(),
    tokenAuthFileCsv: z.string().optional(),
    oidc: z
      .object({
        flags: oidcFlagsSchema.optional(),
        authenticationConfigYaml: z.string().optional(),
      })
      .optional(),
    identityProviders: z.array(z.object({ issuer: z.string(), alg: z.enum(["RS256", "ES256"]), privateKeyPem: z.string() })),
    clusterSigningDurationSeconds: z.number(),
  }),
  objects: z.record(z.string(), z.record(z.string(), jsonObject)),
  shadowedBootstrap: z.array(z.string()),
  credentials: z.record(z.string(), z.object({ certPem: z.string(), keyPem: z.string() })),
  node: nodeSchema.optional(),
  podTokens: z.record(z.string(), z.object({ token: z.string(), refreshAtMs: z.number() })).optional(),
});

export function serializeCluster(state: ClusterState): string {
  return JSON.stringify(state);
}

export type RestoreResult = { ok: true; state: ClusterState } | { ok: false; error: string };

export function restoreCluster(text: string): RestoreResult {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (error) {
    return { ok: false, error: `cluster state is not JSON: ${error instanceof Error ? error.message : String(error)}` };
  }
  const result = stateSchema.safeParse(parsed);
  if (!result.success)
    return {
      ok: false,
      error: `cluster state is invalid: ${result.error.issues.map((issue) => `${issue.path.join(".")}: ${issue.message}`).join("; ")}`,
    };
  return { ok: true, state: result.data };
}

/** Moves the simulated clock forward (milliseconds or a duration like "2h", "400d"); mutates the state. */
export function advanceClock(state: ClusterState, by: number | string): ClusterState {
  const ms = typeof by === "number" ? by : parseDuration(by);
  if (ms === undefined || !Number.isFinite(ms)) throw new RangeError(`time: invalid duration ${goTimeQuote(String(by))}`);
  state.clock.nowMs += ms;
  return state;
}
