/**
 * The default ClusterRoles and ClusterRoleBindings that matter for identity, as kube-apiserver
 * 1.32 creates them (plugin/pkg/auth/authorizer/rbac/bootstrappolicy/policy.go and its golden
 * testdata/cluster-roles.yaml). admin/edit/view keep their aggregationRule and get their rules
 * from the system:aggregate-to-* roles, computed like the clusterrole-aggregation controller.
 */
import type { ClusterRole, ClusterRoleBinding, PolicyRule, Subject } from "./types";
import { RBAC_API_VERSION, RBAC_GROUP } from "./types";
import { aggregateClusterRoles } from "./aggregation";

const BOOTSTRAP_LABELS = { "kubernetes.io/bootstrapping": "rbac-defaults" };
const AUTOUPDATE = { "rbac.authorization.kubernetes.io/autoupdate": "true" };

const READ = ["get", "list", "watch"];
const WRITE = ["create", "delete", "deletecollection", "patch", "update"];
const READ_WRITE = ["create", "delete", "deletecollection", "get", "list", "patch", "update", "watch"];

function resourceRule(verbs: string[], apiGroups: string[], resources: string[], resourceNames?: string[]): PolicyRule {
  return resourceNames === undefined ? { apiGroups, resources, verbs } : { apiGroups, resourceNames, resources, verbs };
}

function urlRule(verbs: string[], nonResourceURLs: string[]): PolicyRule {
  return { nonResourceURLs, verbs };
}

function clusterRole(
  name: string,
  rules: PolicyRule[] | null,
  extra: { labels?: Record<string, string>; aggregateFrom?: string } = {},
): ClusterRole {
  const role: ClusterRole = {
    apiVersion: RBAC_API_VERSION,
    kind: "ClusterRole",
    metadata: { name, labels: { ...BOOTSTRAP_LABELS, ...extra.labels }, annotations: { ...AUTOUPDATE } },
    rules,
  };
  if (extra.aggregateFrom !== undefined) {
    role.aggregationRule = { clusterRoleSelectors: [{ matchLabels: { [extra.aggregateFrom]: "true" } }] };
  }
  return role;
}

function group(name: string): Subject {
  return { apiGroup: RBAC_GROUP, kind: "Group", name };
}

function clusterRoleBinding(name: string, subjects: Subject[], roleName = name): ClusterRoleBinding {
  return {
    apiVersion: RBAC_API_VERSION,
    kind: "ClusterRoleBinding",
    metadata: { name, labels: { ...BOOTSTRAP_LABELS }, annotations: { ...AUTOUPDATE } },
    roleRef: { apiGroup: RBAC_GROUP, kind: "ClusterRole", name: roleName },
    subjects,
  };
}

const AGGREGATE_TO_ADMIN = "rbac.authorization.k8s.io/aggregate-to-admin";
const AGGREGATE_TO_EDIT = "rbac.authorization.k8s.io/aggregate-to-edit";
const AGGREGATE_TO_VIEW = "rbac.authorization.k8s.io/aggregate-to-view";

// Rule lists copied from bootstrappolicy testdata/cluster-roles.yaml (index snapshot of the 1.3x
// era), not trimmed to the resources this engine serves, so `can-i --list` looks like a real cluster.
function aggregateToAdminRules(): PolicyRule[] {
  return [
    resourceRule(["create"], ["authorization.k8s.io"], ["localsubjectaccessreviews"]),
    resourceRule(READ_WRITE, [RBAC_GROUP], ["rolebindings", "roles"]),
  ];
}

function aggregateToEditRules(): PolicyRule[] {
  return [
    resourceRule(READ, [""], ["pods/attach", "pods/exec", "pods/portforward", "pods/proxy", "secrets", "services/proxy"]),
    resourceRule(["impersonate"], [""], ["serviceaccounts"]),
    resourceRule(WRITE, [""], ["pods", "pods/attach", "pods/exec", "pods/portforward", "pods/proxy"]),
    resourceRule(["create"], [""], ["pods/eviction"]),
    resourceRule(
      WRITE,
      [""],
      [
        "configmaps",
        "events",
        "persistentvolumeclaims",
        "replicationcontrollers",
        "replicationcontrollers/scale",
        "secrets",
        "serviceaccounts",
        "services",
        "services/proxy",
      ],
    ),
    resourceRule(["create"], [""], ["serviceaccounts/token"]),
    resourceRule(
      WRITE,
      ["apps"],
      [
        "daemonsets",
        "deployments",
        "deployments/rollback",
        "deployments/scale",
        "replicasets",
        "replicasets/scale",
        "statefulsets",
        "statefulsets/scale",
      ],
    ),
    resourceRule(WRITE, ["autoscaling"], ["horizontalpodautoscalers"]),
    resourceRule(WRITE, ["batch"], ["cronjobs", "jobs"]),
    resourceRule(
      WRITE,
      ["extensions"],
      [
        "daemonsets",
        "deployments",
        "deployments/rollback",
        "deployments/scale",
        "ingresses",
        "networkpolicies",
        "replicasets",
        "replicasets/scale",
        "replicationcontrollers/scale",
      ],
    ),
    resourceRule(WRITE, ["policy"], ["poddisruptionbudgets"]),
    resourceRule(WRITE, ["networking.k8s.io"], ["ingresses", "networkpolicies"]),
    resourceRule(READ_WRITE, ["coordination.k8s.io"], ["leases"]),
  ];
}

/** view deliberately has no secrets (and no pods/exec etc.). */
function aggregateToViewRules(): PolicyRule[] {
  return [
    resourceRule(
      READ,
      [""],
      [
        "configmaps",
        "endpoints",
        "persistentvolumeclaims",
        "persistentvolumeclaims/status",
        "pods",
        "replicationcontrollers",
        "replicationcontrollers/scale",
        "serviceaccounts",
        "services",
        "services/status",
      ],
    ),
    resourceRule(
      READ,
      [""],
      [
        "bindings",
        "events",
        "limitranges",
        "namespaces/status",
        "pods/log",
        "pods/status",
        "replicationcontrollers/status",
        "resourcequotas",
        "resourcequotas/status",
      ],
    ),
    resourceRule(READ, [""], ["namespaces"]),
    resourceRule(READ, ["discovery.k8s.io"], ["endpointslices"]),
    resourceRule(
      READ,
      ["apps"],
      [
        "controllerrevisions",
        "daemonsets",
        "daemonsets/status",
        "deployments",
        "deployments/scale",
        "deployments/status",
        "replicasets",
        "replicasets/scale",
        "replicasets/status",
        "statefulsets",
        "statefulsets/scale",
        "statefulsets/status",
      ],
    ),
    resourceRule(READ, ["autoscaling"], ["horizontalpodautoscalers", "horizontalpodautoscalers/status"]),
    resourceRule(READ, ["batch"], ["cronjobs", "cronjobs/status", "jobs", "jobs/status"]),
    resourceRule(
      READ,
      ["extensions"],
      [
        "daemonsets",
        "daemonsets/status",
        "deployments",
        "deployments/scale",
        "deployments/status",
        "ingresses",
        "ingresses/status",
        "networkpolicies",
        "replicasets",
        "replicasets/scale",
        "replicasets/status",
        "replicationcontrollers/scale",
      ],
    ),
    resourceRule(READ, ["policy"], ["poddisruptionbudgets", "poddisruptionbudgets/status"]),
    resourceRule(READ, ["networking.k8s.io"], ["ingresses", "ingresses/status", "networkpolicies"]),
  ];
}

function bootstrapClusterRoles(): ClusterRole[] {
  return [
    clusterRole("admin", null, { aggregateFrom: AGGREGATE_TO_ADMIN }),
    clusterRole("cluster-admin", [resourceRule(["*"], ["*"], ["*"]), urlRule(["*"], ["*"])]),
    clusterRole("edit", null, { aggregateFrom: AGGREGATE_TO_EDIT, labels: { [AGGREGATE_TO_ADMIN]: "true" } }),
    clusterRole("system:aggregate-to-admin", aggregateToAdminRules(), { labels: { [AGGREGATE_TO_ADMIN]: "true" } }),
    clusterRole("system:aggregate-to-edit", aggregateToEditRules(), { labels: { [AGGREGATE_TO_EDIT]: "true" } }),
    clusterRole("system:aggregate-to-view", aggregateToViewRules(), { labels: { [AGGREGATE_TO_VIEW]: "true" } }),
    clusterRole("system:basic-user", [
      resourceRule(["create"], ["authorization.k8s.io"], ["selfsubjectaccessreviews", "selfsubjectrulesreviews"]),
      resourceRule(["create"], ["authentication.k8s.io"], ["selfsubjectreviews"]),
    ]),
    clusterRole("system:certificates.k8s.io:kube-apiserver-client-approver", [
      resourceRule(["approve"], ["certificates.k8s.io"], ["signers"], ["kubernetes.io/kube-apiserver-client"]),
    ]),
    clusterRole("system:discovery", [
      urlRule(
        ["get"],
        ["/api", "/api/*", "/apis", "/apis/*", "/healthz", "/livez", "/openapi", "/openapi/*", "/readyz", "/version", "/version/"],
      ),
    ]),
    clusterRole("system:monitoring", [
      urlRule(["get"], ["/healthz", "/healthz/*", "/livez", "/livez/*", "/metrics", "/metrics/slis", "/readyz", "/readyz/*"]),
    ]),
    clusterRole("system:public-info-viewer", [urlRule(["get"], ["/healthz", "/livez", "/readyz", "/version", "/version/"])]),
    clusterRole("system:service-account-issuer-discovery", [urlRule(["get"], ["/.well-known/openid-configuration", "/openid/v1/jwks"])]),
    clusterRole("view", null, { aggregateFrom: AGGREGATE_TO_VIEW, labels: { [AGGREGATE_TO_EDIT]: "true" } }),
  ];
}

// UNVERIFIED in spec (open item 4): chose the post-1.14 bindings (basic-user and discovery bound to
// system:authenticated only, public-info-viewer to both) because the golden file in the index is the
// pre-1.14 one and §6 describes the modern split; subjects carry apiGroup as the real objects do.
function bootstrapClusterRoleBindings(): ClusterRoleBinding[] {
  return [
    clusterRoleBinding("cluster-admin", [group("system:masters")]),
    clusterRoleBinding("system:basic-user", [group("system:authenticated")]),
    clusterRoleBinding("system:discovery", [group("system:authenticated")]),
    clusterRoleBinding("system:monitoring", [group("system:monitoring")]),
    clusterRoleBinding("system:public-info-viewer", [group("system:authenticated"), group("system:unauthenticated")]),
    clusterRoleBinding("system:service-account-issuer-discovery", [group("system:serviceaccounts")]),
  ];
}

export interface BootstrapRbacObjects {
  clusterRoles: ClusterRole[];
  clusterRoleBindings: ClusterRoleBinding[];
}

/** Fresh copies each call, so callers may mutate their cluster state freely. */
export function bootstrapRbacObjects(): BootstrapRbacObjects {
  return { clusterRoles: aggregateClusterRoles(bootstrapClusterRoles()), clusterRoleBindings: bootstrapClusterRoleBindings() };
}
