/** The declarative cluster description a scenario file provides (validated with zod at the boundary). */
import { z } from "zod";

const duration = z.string().regex(/^[0-9.]+(ns|us|µs|ms|s|m|h|d)([0-9.]+(ns|us|µs|ms|s|m|h|d))*$/, "a duration such as 90m, 24h or 400d");
const timestamp = z.union([z.string(), z.number()]);

export const userCertificateSpecSchema = z.object({
  /** Key under which the credential is stored in state.credentials; defaults to the name. */
  id: z.string().optional(),
  /** Subject CN ("" for a certificate without CN). */
  name: z.string(),
  /** Subject O values, in order. */
  groups: z.array(z.string()).default([]),
  /** NotBefore; defaults to the clock start minus one hour. */
  notBefore: timestamp.optional(),
  /** Lifetime from notBefore; default 8760h. */
  validFor: duration.default("8760h"),
  extKeyUsage: z.union([z.array(z.enum(["clientAuth", "serverAuth", "any"])), z.literal("omit")]).default(["clientAuth"]),
  /** "cluster": the client CA; "untrusted": a CA the apiserver does not know. */
  signedBy: z.enum(["cluster", "untrusted"]).default("cluster"),
});

export const tokenFileEntrySchema = z.object({
  token: z.string(),
  user: z.string(),
  uid: z.string(),
  groups: z.array(z.string()).default([]),
});

export const oidcFlagsSchema = z.object({
  issuerUrl: z.string().optional(),
  clientId: z.string().optional(),
  usernameClaim: z.string().optional(),
  usernamePrefix: z.string().optional(),
  groupsClaim: z.string().optional(),
  groupsPrefix: z.string().optional(),
  requiredClaims: z.record(z.string(), z.string()).optional(),
  signingAlgs: z.array(z.string()).optional(),
  caFile: z.string().optional(),
});

export const clusterSpecSchema = z.object({
  /** Start of the simulated clock (RFC 3339 or epoch ms). */
  start: timestamp,
  seed: z.string().default("kubeprep"),
  /** When the cluster was installed: creation time of bootstrap objects. Defaults to start. */
  installedAt: timestamp.optional(),
  serverAddress: z.string().default("127.0.0.1:6443"),
  keyAlgorithm: z.enum(["ECDSA", "RSA"]).default("ECDSA"),
  anonymousAuth: z.boolean().optional(),
  apiAudiences: z.array(z.string()).optional(),
  serviceAccountIssuers: z.array(z.string()).min(1).default(["https://kubernetes.default.svc.cluster.local"]),
  serviceAccountMaxTokenExpiration: duration.optional(),
  serviceAccountExtendTokenExpiration: z.boolean().default(true),
  clusterSigningDuration: duration.default("8760h"),
  /** Extra PEM certificates appended to --client-ca-file. */
  extraClientCaPems: z.array(z.string()).default([]),
  users: z.array(userCertificateSpecSchema).default([]),
  /** --token-auth-file: rows, or raw CSV text (to practise its parsing rules). */
  tokenFile: z.union([z.array(tokenFileEntrySchema), z.string()]).optional(),
  oidc: z
    .object({
      flags: oidcFlagsSchema.optional(),
      authenticationConfigYaml: z.string().optional(),
    })
    .optional(),
  identityProviders: z.array(z.object({ issuer: z.string(), algorithm: z.enum(["RS256", "ES256"]).default("RS256") })).default([]),
  namespaces: z.array(z.string()).default([]),
  serviceAccounts: z.array(z.object({ namespace: z.string().default("default"), name: z.string() })).default([]),
  /**
   * "kubeadm": a control-plane node as kubeadm 1.32 sets it up (lib/k8s/node): manifests, PKI and
   * kubeconfig files, a kubelet running the kube-apiserver static Pod; its advertise address is the
   * serverAddress's host.
   */
  node: z.enum(["kubeadm"]).optional(),
  /** Any manifests of served kinds (pods, secrets, configmaps, nodes, RBAC objects). */
  objects: z.array(z.record(z.string(), z.unknown())).default([]),
});

export type ClusterSpec = z.input<typeof clusterSpecSchema>;
export type ParsedClusterSpec = z.output<typeof clusterSpecSchema>;
