/**
 * The resources this simulated apiserver serves, with the metadata discovery, RBAC, printers and
 * Status messages need.
 */
export interface ResourceDefinition {
  /** Plural, lower-case: the URL segment and RBAC resource. */
  name: string;
  singularName: string;
  kind: string;
  listKind: string;
  group: string;
  version: string;
  namespaced: boolean;
  verbs: string[];
  shortNames?: string[];
  categories?: string[];
  /** Subresources served, with their verbs (discovery lists them as `pods/status`). */
  subresources: Record<string, { kind: string; verbs: string[] }>;
  /** Create-only virtual resources (reviews): never stored, no list. */
  virtual?: boolean;
}

const CRUD_VERBS = ["create", "delete", "deletecollection", "get", "list", "patch", "update", "watch"];
const STATUS_VERBS = ["get", "patch", "update"];

export const RESOURCES: ResourceDefinition[] = [
  {
    name: "namespaces",
    singularName: "namespace",
    kind: "Namespace",
    listKind: "NamespaceList",
    group: "",
    version: "v1",
    namespaced: false,
    verbs: ["create", "delete", "get", "list", "patch", "update", "watch"],
    shortNames: ["ns"],
    subresources: { status: { kind: "Namespace", verbs: STATUS_VERBS }, finalize: { kind: "Namespace", verbs: ["update"] } },
  },
  {
    name: "nodes",
    singularName: "node",
    kind: "Node",
    listKind: "NodeList",
    group: "",
    version: "v1",
    namespaced: false,
    verbs: CRUD_VERBS,
    shortNames: ["no"],
    subresources: { status: { kind: "Node", verbs: STATUS_VERBS } },
  },
  {
    name: "pods",
    singularName: "pod",
    kind: "Pod",
    listKind: "PodList",
    group: "",
    version: "v1",
    namespaced: true,
    verbs: CRUD_VERBS,
    shortNames: ["po"],
    categories: ["all"],
    subresources: { exec: { kind: "PodExecOptions", verbs: ["create", "get"] }, status: { kind: "Pod", verbs: STATUS_VERBS } },
  },
  {
    name: "serviceaccounts",
    singularName: "serviceaccount",
    kind: "ServiceAccount",
    listKind: "ServiceAccountList",
    group: "",
    version: "v1",
    namespaced: true,
    verbs: CRUD_VERBS,
    shortNames: ["sa"],
    subresources: { token: { kind: "TokenRequest", verbs: ["create"] } },
  },
  {
    name: "secrets",
    singularName: "secret",
    kind: "Secret",
    listKind: "SecretList",
    group: "",
    version: "v1",
    namespaced: true,
    verbs: CRUD_VERBS,
    subresources: {},
  },
  {
    name: "configmaps",
    singularName: "configmap",
    kind: "ConfigMap",
    listKind: "ConfigMapList",
    group: "",
    version: "v1",
    namespaced: true,
    verbs: CRUD_VERBS,
    shortNames: ["cm"],
    subresources: {},
  },
  {
    name: "deployments",
    singularName: "deployment",
    kind: "Deployment",
    listKind: "DeploymentList",
    group: "apps",
    version: "v1",
    namespaced: true,
    verbs: CRUD_VERBS,
    shortNames: ["deploy"],
    categories: ["all"],
    subresources: { status: { kind: "Deployment", verbs: STATUS_VERBS } },
  },
  {
    name: "clusterrolebindings",
    singularName: "clusterrolebinding",
    kind: "ClusterRoleBinding",
    listKind: "ClusterRoleBindingList",
    group: "rbac.authorization.k8s.io",
    version: "v1",
    namespaced: false,
    verbs: CRUD_VERBS,
    subresources: {},
  },
  {
    name: "clusterroles",
    singularName: "clusterrole",
    kind: "ClusterRole",
    listKind: "ClusterRoleList",
    group: "rbac.authorization.k8s.io",
    version: "v1",
    namespaced: false,
    verbs: CRUD_VERBS,
    subresources: {},
  },
  {
    name: "rolebindings",
    singularName: "rolebinding",
    kind: "RoleBinding",
    listKind: "RoleBindingList",
    group: "rbac.authorization.k8s.io",
    version: "v1",
    namespaced: true,
    verbs: CRUD_VERBS,
    subresources: {},
  },
  {
    name: "roles",
    singularName: "role",
    kind: "Role",
    listKind: "RoleList",
    group: "rbac.authorization.k8s.io",
    version: "v1",
    namespaced: true,
    verbs: CRUD_VERBS,
    subresources: {},
  },
  {
    name: "certificatesigningrequests",
    singularName: "certificatesigningrequest",
    kind: "CertificateSigningRequest",
    listKind: "CertificateSigningRequestList",
    group: "certificates.k8s.io",
    version: "v1",
    namespaced: false,
    verbs: CRUD_VERBS,
    shortNames: ["csr"],
    subresources: {
      approval: { kind: "CertificateSigningRequest", verbs: STATUS_VERBS },
      status: { kind: "CertificateSigningRequest", verbs: STATUS_VERBS },
    },
  },
  {
    name: "selfsubjectreviews",
    singularName: "selfsubjectreview",
    kind: "SelfSubjectReview",
    listKind: "",
    group: "authentication.k8s.io",
    version: "v1",
    namespaced: false,
    verbs: ["create"],
    subresources: {},
    virtual: true,
  },
  {
    name: "tokenreviews",
    singularName: "tokenreview",
    kind: "TokenReview",
    listKind: "",
    group: "authentication.k8s.io",
    version: "v1",
    namespaced: false,
    verbs: ["create"],
    subresources: {},
    virtual: true,
  },
  {
    name: "localsubjectaccessreviews",
    singularName: "localsubjectaccessreview",
    kind: "LocalSubjectAccessReview",
    listKind: "",
    group: "authorization.k8s.io",
    version: "v1",
    namespaced: true,
    verbs: ["create"],
    subresources: {},
    virtual: true,
  },
  {
    name: "selfsubjectaccessreviews",
    singularName: "selfsubjectaccessreview",
    kind: "SelfSubjectAccessReview",
    listKind: "",
    group: "authorization.k8s.io",
    version: "v1",
    namespaced: false,
    verbs: ["create"],
    subresources: {},
    virtual: true,
  },
  {
    name: "selfsubjectrulesreviews",
    singularName: "selfsubjectrulesreview",
    kind: "SelfSubjectRulesReview",
    listKind: "",
    group: "authorization.k8s.io",
    version: "v1",
    namespaced: false,
    verbs: ["create"],
    subresources: {},
    virtual: true,
  },
  {
    name: "subjectaccessreviews",
    singularName: "subjectaccessreview",
    kind: "SubjectAccessReview",
    listKind: "",
    group: "authorization.k8s.io",
    version: "v1",
    namespaced: false,
    verbs: ["create"],
    subresources: {},
    virtual: true,
  },
];

/** Group versions in the order /apis lists them (core v1 is served under /api). */
export const API_GROUPS = ["apps", "authentication.k8s.io", "authorization.k8s.io", "certificates.k8s.io", "rbac.authorization.k8s.io"];

export function findResource(group: string, version: string, name: string): ResourceDefinition | undefined {
  return RESOURCES.find((resource) => resource.group === group && resource.version === version && resource.name === name);
}

export function resourcesOfGroup(group: string): ResourceDefinition[] {
  return RESOURCES.filter((resource) => resource.group === group);
}

export function apiVersionOf(resource: ResourceDefinition): string {
  return resource.group === "" ? resource.version : `${resource.group}/${resource.version}`;
}

/** Stored resources (everything but the virtual review resources). */
export function resourceKey(resource: ResourceDefinition): string {
  return resource.group === "" ? resource.name : `${resource.name}.${resource.group}`;
}
