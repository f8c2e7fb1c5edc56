/** Dispatches a resource request to its handler by resource, subresource and verb. */
import { methodNotAllowedStatus, pathNotFoundStatus, statusResponse } from "./status";
import type { HandlerContext, HandlerResult } from "./handlers/context";
import { create, getOne, list, namespaceMissing, patch, remove, removeCollection, update } from "./handlers/crud";
import { createCsr, csrApproval, csrStatus } from "./handlers/csr";
import { selfSubjectAccessReview, selfSubjectReview, selfSubjectRulesReview } from "./handlers/reviews";
import { podExec } from "./handlers/pod-exec";
import { tokenRequest } from "./handlers/token-request";
import { findResource } from "./resources";

const notFound = (): HandlerResult => ({ response: statusResponse(pathNotFoundStatus()), changed: false });
const notAllowed = (): HandlerResult => ({ response: statusResponse(methodNotAllowedStatus()), changed: false });

export async function routeResource(partial: Omit<HandlerContext, "resource">): Promise<HandlerResult> {
  const { info } = partial;
  const resource = findResource(info.apiGroup, info.apiVersion, info.resource);
  if (resource === undefined) return notFound();
  // A cluster-scoped resource under /namespaces/<ns>/ does not exist (namespaces/<name> is the namespace itself).
  if (!resource.namespaced && info.namespace !== "" && !(resource.name === "namespaces" && info.name === info.namespace)) return notFound();
  // Namespaced resources are only listed across namespaces; writes need the namespaced path.
  if (resource.namespaced && resource.virtual !== true && info.namespace === "" && !["list", "watch"].includes(info.verb))
    return notAllowed();
  if (info.parts.length > 3) return notFound();
  // RequestInfo sets namespace=<name> for /api/v1/namespaces/<name> (RBAC sees it); storage keys
  // cluster-scoped objects without a namespace.
  const context: HandlerContext = { ...partial, resource, info: resource.namespaced ? info : { ...info, namespace: "" } };

  if (resource.virtual === true) {
    if (info.name !== "" || info.subresource !== "") return notFound();
    if (info.verb !== "create") return notAllowed();
    switch (resource.name) {
      case "selfsubjectreviews":
        return selfSubjectReview(context);
      case "selfsubjectaccessreviews":
        return selfSubjectAccessReview(context);
      case "selfsubjectrulesreviews":
        return selfSubjectRulesReview(context);
      default:
        return notAllowed();
    }
  }

  if (info.subresource !== "") {
    if (resource.subresources[info.subresource] === undefined) return notFound();
    if (resource.name === "serviceaccounts" && info.subresource === "token") {
      if (info.verb !== "create") return notAllowed();
      return tokenRequest(context);
    }
    if (resource.name === "pods" && info.subresource === "exec") {
      if (info.verb !== "get" && info.verb !== "create") return notAllowed();
      return podExec(context);
    }
    if (resource.name === "certificatesigningrequests" && info.subresource === "approval") return csrApproval(context);
    if (resource.name === "certificatesigningrequests" && info.subresource === "status") return csrStatus(context);
    if (info.verb === "get") return getOne(context);
    return notAllowed();
  }

  const missingNamespace = info.verb === "create" ? undefined : namespaceMissingForRead(context);
  if (missingNamespace !== undefined) return missingNamespace;
  switch (info.verb) {
    case "get":
      return getOne(context);
    case "list":
    case "watch":
      return list(context);
    case "create":
      if (info.name !== "") return notAllowed();
      return resource.name === "certificatesigningrequests" ? createCsr(context) : create(context);
    case "update":
      return update(context);
    case "patch":
      return patch(context);
    case "delete":
      return remove(context);
    case "deletecollection":
      return removeCollection(context);
    default:
      return notAllowed();
  }
}

/** Reads in a missing namespace are simply empty or NotFound for the object; only writes check the namespace. */
function namespaceMissingForRead(context: HandlerContext): HandlerResult | undefined {
  if (context.info.verb === "update" || context.info.verb === "patch") return namespaceMissing(context);
  return undefined;
}
