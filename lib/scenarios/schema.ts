/**
 * The scenario file format (content/scenarios/<id>.yaml), validated with zod. A scenario declares
 * the initial cluster (in the engine's ClusterSpec form), how the learner's workspace is set up
 * (kubeconfig, files, clock), the steps with hints, server-side checks with weights, a reference
 * solution and known-wrong paths (both executed by the test suite).
 */
import { z } from "zod";
import { clusterSpecSchema } from "../k8s";

const duration = z.string().regex(/^\d+(s|m|h|d)$/, "a duration such as 90m, 24h or 400d");

/** A bound ServiceAccount token, minted when the instance is created (a kubeconfig credential or a file). */
const serviceAccountTokenSource = z.object({
  serviceAccountToken: z.object({
    namespace: z.string(),
    name: z.string(),
    audiences: z.array(z.string()).optional(),
    expirationSeconds: z.number().int().min(600).optional(),
  }),
});

/** An ID token from one of the cluster's identity providers (a kubeconfig credential or a file). */
const idTokenSource = z.object({
  idToken: z.object({
    /** Index into cluster.identityProviders. */
    provider: z.number().int().min(0).default(0),
    claims: z.record(z.string(), z.unknown()),
    expiresIn: duration.default("1h"),
  }),
});

/** Where a kubeconfig user's credential comes from. */
export const credentialSourceSchema = z.union([
  z.object({ clientCertificate: z.string().describe("id of a users[] certificate in the cluster spec") }),
  z.object({ token: z.string() }),
  serviceAccountTokenSource,
  idTokenSource,
  z.object({ none: z.literal(true) }),
]);

export const kubeconfigContextSchema = z.object({
  name: z.string().min(1),
  user: z.string().min(1),
  credential: credentialSourceSchema,
  namespace: z.string().optional(),
  /** "cluster" (default): the cluster's own serving CA; "wrong": a CA that did not sign the server certificate. */
  serverCa: z.enum(["cluster", "wrong"]).default("cluster"),
});

export const fileSourceSchema = z.union([
  z.object({ content: z.string() }),
  z.object({ credentialCertificate: z.string() }),
  z.object({ credentialKey: z.string() }),
  z.object({ clientCa: z.literal(true) }),
  z.object({ clientCaKey: z.literal(true) }),
  z.object({ servingCa: z.literal(true) }),
  z.object({ tokenFile: z.literal(true) }),
  serviceAccountTokenSource,
  idTokenSource,
]);

export const fileSpecSchema = z.object({
  path: z.string().min(1),
  mode: z.number().int().min(0).max(0o777).optional(),
  from: fileSourceSchema,
});

const expectationSchema = z
  .object({
    exitCode: z.number().int().optional(),
    stdoutMatches: z.string().optional(),
    stdoutNotMatches: z.string().optional(),
    stderrMatches: z.string().optional(),
    stderrNotMatches: z.string().optional(),
  })
  .strict();

/** One request's attributes, as `kubectl auth can-i <verb> <resource> -n <namespace>` asks. */
const accessAttributesSchema = z
  .object({
    verb: z.string().min(1),
    resource: z.string().min(1),
    group: z.string().default(""),
    subresource: z.string().optional(),
    name: z.string().optional(),
    namespace: z.string().optional(),
  })
  .strict();

export const checkSchema = z
  .object({
    id: z.string().regex(/^[a-z0-9-]+$/),
    description: z.string().min(1),
    weight: z.number().positive().default(1),
    /**
     * Checks that must pass for this one to earn credit: a guard ("nothing too broad was granted")
     * says nothing before the objective it guards was reached.
     */
    requires: z.array(z.string()).default([]),
  })
  .and(
    z.union([
      /** Runs a probe command in a throwaway copy of the instance (as the learner, or as cluster admin). */
      z.object({ run: z.string().min(1), as: z.enum(["learner", "admin"]).default("learner"), expect: expectationSchema }),
      /** Some command the learner ran matches this regular expression. */
      z.object({ history: z.string().min(1) }),
      /**
       * The learner's kubectl (web terminal or their own, through the practice API) received a response
       * with this status, optionally for a URL pattern and an authentication error pattern (the cause of
       * a 401 as the authenticators reported it, e.g. "has expired").
       */
      z.object({ sawStatus: z.number().int(), url: z.string().optional(), reason: z.string().optional() }),
      /**
       * What the API server allows the identity of a client certificate, with all its groups: the
       * certificate issued for a CSR, or a certificate of the cluster spec. Asked as that identity
       * (SelfSubjectAccessReview presented with the certificate), so bindings to its groups count.
       * Fails when the certificate does not exist or does not authenticate.
       */
      z.object({
        access: z
          .object({
            certificate: z.union([z.object({ csr: z.string().min(1) }).strict(), z.object({ credential: z.string().min(1) }).strict()]),
            allowed: z.array(accessAttributesSchema).default([]),
            denied: z.array(accessAttributesSchema).default([]),
          })
          .strict(),
      }),
      /** A file in the learner's home matches (and does not match). */
      z.object({ file: z.string().min(1), matches: z.string().optional(), notMatches: z.string().optional() }),
      /** A file on the cluster's kubeadm node (absolute path) matches (and does not match); fails when there is no such file. */
      z.object({
        nodeFile: z.string().regex(/^\//, "an absolute path"),
        matches: z.string().optional(),
        notMatches: z.string().optional(),
      }),
    ]),
  );

/** A scenario's fields before the cross-field rules; exam tasks (lib/exams/task-schema.ts) share them. */
export const scenarioFieldsSchema = z.object({
  id: z.string().regex(/^[a-z0-9-]+$/),
  title: z.string().min(1),
  order: z.number().int(),
  difficulty: z.enum(["easy", "medium", "hard"]),
  estimatedMinutes: z.number().int().positive(),
  summary: z.string().min(1),
  story: z.string().min(1),
  objectives: z.array(z.string().min(1)).min(1),
  /** Lesson slugs this scenario practises. */
  lessons: z.array(z.string()).default([]),
  cluster: clusterSpecSchema,
  workspace: z.object({
    user: z.string().default("student"),
    hostname: z.string().default("controlplane"),
    kubeconfig: z
      .object({
        clusterName: z.string().default("kubeprep"),
        contexts: z.array(kubeconfigContextSchema).default([]),
        currentContext: z.string().optional(),
      })
      .optional(),
    files: z.array(fileSpecSchema).default([]),
    /**
     * Shell commands run as root on the kubeadm node when the instance is created, before the
     * learner arrives (to break or change the node); needs `cluster.node: kubeadm`.
     */
    nodeSetup: z.array(z.string().min(1).max(2000)).max(20).default([]),
    /** Moves the clock after the credentials are issued (a certificate expires "overnight"). */
    advanceClock: duration.optional(),
  }),
  steps: z.array(z.object({ title: z.string().min(1), text: z.string().min(1), hints: z.array(z.string().min(1)).default([]) })).min(1),
  checks: z.array(checkSchema).min(1),
  solution: z.array(z.string().min(1)).min(1),
  wrongPaths: z.array(z.object({ name: z.string().min(1), commands: z.array(z.string()) })).min(1),
});

/** Unique check ids, `requires` naming other checks, the current context among the contexts. */
export function refineScenario(
  scenario: Pick<z.output<typeof scenarioFieldsSchema>, "checks" | "workspace" | "cluster">,
  ctx: z.RefinementCtx,
): void {
  if (scenario.cluster.node !== "kubeadm") {
    if (scenario.workspace.nodeSetup.length > 0)
      ctx.addIssue({ code: "custom", path: ["workspace", "nodeSetup"], message: "nodeSetup needs cluster.node: kubeadm" });
    scenario.checks.forEach((check, index) => {
      if ("nodeFile" in check)
        ctx.addIssue({ code: "custom", path: ["checks", index], message: "a nodeFile check needs cluster.node: kubeadm" });
    });
  }
  const ids = new Set<string>();
  scenario.checks.forEach((check, index) => {
    if (ids.has(check.id)) ctx.addIssue({ code: "custom", path: ["checks", index, "id"], message: `duplicate check id ${check.id}` });
    ids.add(check.id);
  });
  scenario.checks.forEach((check, index) => {
    for (const required of check.requires) {
      if (!ids.has(required) || required === check.id)
        ctx.addIssue({ code: "custom", path: ["checks", index, "requires"], message: `no other check ${required}` });
    }
  });
  const contexts = scenario.workspace.kubeconfig?.contexts.map((context) => context.name) ?? [];
  const current = scenario.workspace.kubeconfig?.currentContext;
  if (current && !contexts.includes(current)) {
    ctx.addIssue({ code: "custom", path: ["workspace", "kubeconfig", "currentContext"], message: `no context named ${current}` });
  }
}

export const scenarioSchema = scenarioFieldsSchema.superRefine(refineScenario);

export type Scenario = z.output<typeof scenarioSchema>;
export type ScenarioCheck = z.output<typeof checkSchema>;
export type CredentialSource = z.output<typeof credentialSourceSchema>;
