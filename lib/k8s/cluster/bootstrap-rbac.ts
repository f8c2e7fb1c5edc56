/** The bootstrap RBAC policy of lib/k8s/authz as stored-object JSON (cluster-scoped roles and bindings). */
import { bootstrapRbacObjects } from "../authz";
import { isJsonObject, parseJson, type JsonObject } from "../json";

export interface BootstrapEntry {
  resourceKey: string;
  object: JsonObject;
}

function toJsonObject(value: unknown): JsonObject | undefined {
  const parsed = parseJson(JSON.stringify(value));
  return isJsonObject(parsed) ? parsed : undefined;
}

export function bootstrapRbacJson(): BootstrapEntry[] {
  const policy = bootstrapRbacObjects();
  const entries: BootstrapEntry[] = [];
  for (const role of policy.clusterRoles) {
    const object = toJsonObject(role);
    if (object !== undefined) entries.push({ resourceKey: "clusterroles.rbac.authorization.k8s.io", object });
  }
  for (const binding of policy.clusterRoleBindings) {
    const object = toJsonObject(binding);
    if (object !== undefined) entries.push({ resourceKey: "clusterrolebindings.rbac.authorization.k8s.io", object });
  }
  return entries;
}
