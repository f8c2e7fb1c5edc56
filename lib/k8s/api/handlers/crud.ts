/**
 * Generic REST storage (k8s.io/apiserver registry/generic/registry.Store) for the stored kinds:
 * get, list (with label selectors and Tables), create, update, patch, delete, deletecollection.
 */
import { nextResourceVersion, nextUid, rfc3339 } from "../../cluster/ids";
import { cloneJson, isJsonObject, objectField, parseJson, stringField, type JsonObject, type JsonValue } from "../../json";
import { deleteObject, getObject, listObjects, metadataOf, putObject } from "../../cluster/store";
import { jsonResponse } from "../discovery";
import { decodeBody, headerValue, MAX_BODY_BYTES } from "../body";
import { requestEntityTooLargeStatus, storageRefusal } from "../storage-limits";
import { apiVersionOf, resourceKey } from "../resources";
import { pruneUnknownFields, strictDecodingMessage } from "../schema";
import {
  alreadyExistsStatus,
  badRequestStatus,
  conflictStatus,
  invalidStatus,
  methodNotAllowedStatus,
  notFoundStatus,
  statusResponse,
  unsupportedMediaTypeStatus,
  type FieldError,
} from "../status";
import { buildTable, wantsTable } from "../tables";
import { handlerStep, type HandlerContext, type HandlerResult } from "./context";
import { afterCreate, prepareNewObject, validateName } from "./kinds";
import { validateLabels } from "./names";
import { matchesLabelSelector, parseLabelSelector } from "./label-selector";
import { applyJsonPatch } from "./json-patch";
import { populateTokenSecret } from "./token-secret";
import { goQuote } from "../../go";

const unchanged = (response: HandlerResult["response"]): HandlerResult => ({ response, changed: false });

/** Output form of a stored object: kind and apiVersion first, as the apiserver encodes it. */
export function withTypeMeta(context: HandlerContext, object: JsonObject): JsonObject {
  const { kind: _kind, apiVersion: _apiVersion, ...rest } = object;
  void _kind;
  void _apiVersion;
  return { kind: context.resource.kind, apiVersion: apiVersionOf(context.resource), ...rest };
}

function objectResponse(context: HandlerContext, status: number, object: JsonObject): HandlerResult["response"] {
  if (wantsTable(headerValue(context.request, "accept"))) {
    const rv = stringField(objectField(object, "metadata"), "resourceVersion") ?? "";
    return jsonResponse(status, buildTable(context.resource.name, [object], rv, context.now.getTime()));
  }
  return jsonResponse(status, withTypeMeta(context, object));
}

export function namespaceMissing(context: HandlerContext): HandlerResult | undefined {
  const namespace = context.info.namespace;
  if (!context.resource.namespaced || namespace === "") return undefined;
  if (getObject(context.state, "namespaces", "", namespace) !== undefined) return undefined;
  context.trace.push(handlerStep(`namespace ${namespace} does not exist`, "error"));
  return unchanged(statusResponse(notFoundStatus("namespaces", "", namespace)));
}

export function getOne(context: HandlerContext): HandlerResult {
  const { resource, info } = context;
  const object = getObject(context.state, resourceKey(resource), info.namespace, info.name);
  if (object === undefined) {
    context.trace.push(handlerStep(`${resource.name} ${info.name} not found`, "error"));
    return unchanged(statusResponse(notFoundStatus(resource.name, resource.group, info.name)));
  }
  context.trace.push(handlerStep(`returned ${resource.kind} ${info.name}`));
  return unchanged(objectResponse(context, 200, object));
}

/** Watches are not simulated: a watch gets 405 MethodNotAllowed instead of a stream. */
export function list(context: HandlerContext): HandlerResult {
  const { resource, info, query } = context;
  if (info.verb === "watch") return unchanged(statusResponse(methodNotAllowedStatus()));
  const selector = parseLabelSelector(query.get("labelSelector") ?? "");
  if (!selector.ok) return unchanged(statusResponse(badRequestStatus(selector.error)));
  const scope = resource.namespaced && info.namespace !== "" ? info.namespace : undefined;
  let items = listObjects(context.state, resourceKey(resource), scope).filter((object) =>
    matchesLabelSelector(selector.requirements, objectField(objectField(object, "metadata"), "labels")),
  );
  if (info.name !== "") items = items.filter((object) => stringField(objectField(object, "metadata"), "name") === info.name);
  const resourceVersion = String(context.state.lastResourceVersion);
  context.trace.push(handlerStep(`listed ${items.length} ${resource.name}${scope === undefined ? "" : ` in namespace ${scope}`}`));
  if (wantsTable(headerValue(context.request, "accept"))) {
    return unchanged(jsonResponse(200, buildTable(resource.name, items, resourceVersion, context.now.getTime())));
  }
  return unchanged(
    jsonResponse(200, {
      kind: resource.listKind,
      apiVersion: apiVersionOf(resource),
      metadata: { resourceVersion },
      items: items.map((item) => withTypeMeta(context, item)),
    }),
  );
}

type BodyResult = { ok: true; object: JsonObject; warnings: string[] } | { ok: false; result: HandlerResult };

/** Decodes the body, checks kind/apiVersion, applies fieldValidation and prunes unknown fields. */
export function readObjectBody(context: HandlerContext, expectedKind: string): BodyResult {
  const decoded = decodeBody(context.request);
  if (!decoded.ok) {
    const status =
      decoded.status === "unsupported"
        ? unsupportedMediaTypeStatus()
        : decoded.status === "tooLarge"
          ? requestEntityTooLargeStatus()
          : badRequestStatus(decoded.message);
    return { ok: false, result: unchanged(statusResponse(status)) };
  }
  const object = decoded.object;
  const expectedVersion =
    expectedKind === "TokenRequest" || expectedKind.startsWith("SelfSubject") ? undefined : apiVersionOf(context.resource);
  const kind = typeof object.kind === "string" ? object.kind : expectedKind;
  const apiVersion = typeof object.apiVersion === "string" ? object.apiVersion : (expectedVersion ?? "");
  if (kind !== expectedKind || (expectedVersion !== undefined && apiVersion !== expectedVersion)) {
    const message = `the API version in the data (${apiVersion}) does not match the expected API version (${expectedVersion ?? apiVersion})`;
    const text =
      kind !== expectedKind
        ? `${kind} in version "${apiVersion.split("/").pop() ?? ""}" cannot be handled as a ${expectedKind}: no kind "${kind}" is registered for version "${apiVersion}"`
        : message;
    return { ok: false, result: unchanged(statusResponse(badRequestStatus(text))) };
  }
  const unknown = pruneUnknownFields(expectedKind, object);
  const validation = context.query.get("fieldValidation") ?? "Warn";
  const warnings: string[] = [];
  if (unknown.length > 0) {
    if (validation === "Strict") {
      const message = strictDecodingMessage(expectedKind, apiVersion.split("/").pop() ?? "v1", unknown);
      context.trace.push(handlerStep(message, "error"));
      return { ok: false, result: unchanged(statusResponse(badRequestStatus(message))) };
    }
    if (validation !== "Ignore") warnings.push(...unknown.map((field) => `unknown field ${goQuote(field)}`));
  }
  return { ok: true, object, warnings };
}

function warningHeaders(warnings: string[]): Record<string, string> {
  return warnings.length === 0 ? {} : { Warning: warnings.map((warning) => `299 - ${JSON.stringify(warning)}`).join(", ") };
}

export async function create(context: HandlerContext): Promise<HandlerResult> {
  const missing = namespaceMissing(context);
  if (missing !== undefined) return missing;
  const { resource, info, state } = context;
  const body = readObjectBody(context, resource.kind);
  if (!body.ok) return body.result;
  const object = body.object;
  const metadata = metadataOf(object);
  if (resource.namespaced) {
    const bodyNamespace = stringField(metadata, "namespace");
    if (bodyNamespace !== undefined && bodyNamespace !== "" && bodyNamespace !== info.namespace) {
      return unchanged(
        statusResponse(badRequestStatus("the namespace of the provided object does not match the namespace sent on the request")),
      );
    }
    metadata.namespace = info.namespace;
  } else {
    delete metadata.namespace;
  }
  let name = stringField(metadata, "name") ?? "";
  const generateName = stringField(metadata, "generateName") ?? "";
  if (name === "" && generateName !== "") {
    name = `${generateName}${nextUid(state).replace(/-/g, "").slice(0, 5)}`;
    metadata.name = name;
  }
  const errors: FieldError[] = [
    ...(name === ""
      ? [{ type: "Required value" as const, field: "metadata.name", detail: "name or generateName is required" }]
      : validateName(resource.kind, name)),
    ...validateLabels(objectField(metadata, "labels")),
  ];
  if (errors.length > 0) return unchanged(statusResponse(invalidStatus(resource.kind, resource.group, name, errors)));
  if (getObject(state, resourceKey(resource), info.namespace, name) !== undefined) {
    context.trace.push(handlerStep(`${resource.name} ${name} already exists`, "error"));
    return unchanged(statusResponse(alreadyExistsStatus(resource.name, resource.group, name)));
  }
  object.kind = resource.kind;
  object.apiVersion = apiVersionOf(resource);
  const check = prepareNewObject(state, resource.kind, object);
  if (!check.ok) {
    const status = "errors" in check ? invalidStatus(resource.kind, resource.group, name, check.errors) : check.status;
    context.trace.push(handlerStep(status.message ?? "", "error"));
    return unchanged(statusResponse(status));
  }
  // Checked before anything is stamped, so a refused write changes nothing (not even the resourceVersion).
  const refused = storageRefusal(state, resource.kind, name, object);
  if (refused) {
    context.trace.push(handlerStep(refused.message ?? "", "error"));
    return unchanged(statusResponse(refused));
  }
  stampNewMetadata(context, metadata);
  if (context.query.get("dryRun") === "All") {
    // Server-side dry run: every check ran, nothing is stored (no resourceVersion is assigned).
    delete metadata.resourceVersion;
    context.trace.push(handlerStep(`dry run: ${resource.kind} ${name} would be created, nothing stored`));
    return { response: objectResponse(context, 201, object), changed: false };
  }
  const controllerNote = await populateTokenSecret(state, object);
  if (controllerNote !== undefined) context.trace.push({ stage: "controller", outcome: "info", message: controllerNote });
  putObject(state, resourceKey(resource), object);
  afterCreate(state, resource.kind, object);
  context.trace.push(handlerStep(`created ${resource.kind} ${name}${info.namespace === "" ? "" : ` in namespace ${info.namespace}`}`));
  const response = objectResponse(context, 201, object);
  response.headers = { ...response.headers, ...warningHeaders(body.warnings) };
  return { response, changed: true };
}

export function stampNewMetadata(context: HandlerContext, metadata: JsonObject): void {
  const { state } = context;
  metadata.uid = nextUid(state);
  metadata.resourceVersion = nextResourceVersion(state);
  metadata.creationTimestamp = rfc3339(context.now.getTime());
  delete metadata.deletionTimestamp;
  delete metadata.selfLink;
  const fieldManager = context.query.get("fieldManager");
  if (fieldManager !== null && fieldManager !== "") {
    metadata.managedFields = [
      {
        manager: fieldManager,
        operation: "Update",
        apiVersion: apiVersionOf(context.resource),
        time: rfc3339(context.now.getTime()),
        fieldsType: "FieldsV1",
      },
    ];
  }
}

/** Replaces an existing object, keeping what the server owns (uid, creationTimestamp). */
export function replaceObject(context: HandlerContext, existing: JsonObject, incoming: JsonObject, warnings: string[]): HandlerResult {
  const { resource, info, state } = context;
  const incomingMeta = metadataOf(incoming);
  const existingMeta = metadataOf(existing);
  const name = info.name;
  const bodyName = stringField(incomingMeta, "name");
  if (bodyName !== undefined && bodyName !== name) {
    return unchanged(
      statusResponse(badRequestStatus("the name of the object (" + bodyName + ") does not match the name on the URL (" + name + ")")),
    );
  }
  const rv = stringField(incomingMeta, "resourceVersion");
  if (rv !== undefined && rv !== "" && rv !== stringField(existingMeta, "resourceVersion")) {
    context.trace.push(handlerStep(`resourceVersion ${rv} is stale`, "error"));
    return unchanged(
      statusResponse(
        conflictStatus(
          resource.name,
          resource.group,
          name,
          "the object has been modified; please apply your changes to the latest version and try again",
        ),
      ),
    );
  }
  incoming.kind = resource.kind;
  incoming.apiVersion = apiVersionOf(resource);
  incomingMeta.name = name;
  if (resource.namespaced) incomingMeta.namespace = info.namespace;
  for (const owned of ["uid", "creationTimestamp"]) {
    const value = existingMeta[owned];
    if (value !== undefined) incomingMeta[owned] = value;
  }
  const refused = storageRefusal(state, resource.kind, name, incoming, existing);
  if (refused) {
    context.trace.push(handlerStep(refused.message ?? "", "error"));
    return unchanged(statusResponse(refused));
  }
  incomingMeta.resourceVersion = nextResourceVersion(state);
  putObject(state, resourceKey(resource), incoming);
  context.trace.push(handlerStep(`updated ${resource.kind} ${name}`));
  const response = objectResponse(context, 200, incoming);
  response.headers = { ...response.headers, ...warningHeaders(warnings) };
  return { response, changed: true };
}

export function update(context: HandlerContext): HandlerResult {
  const { resource, info } = context;
  const existing = getObject(context.state, resourceKey(resource), info.namespace, info.name);
  if (existing === undefined) return unchanged(statusResponse(notFoundStatus(resource.name, resource.group, info.name)));
  const body = readObjectBody(context, resource.kind);
  if (!body.ok) return body.result;
  return replaceObject(context, existing, body.object, body.warnings);
}

/** RFC 7386 JSON merge patch; strategic merge patch is approximated by it (lists replace). */
function mergePatch(target: JsonValue | undefined, patch: JsonValue): JsonValue {
  if (!isJsonObject(patch)) return patch;
  const result: JsonObject = isJsonObject(target) ? { ...target } : {};
  for (const [key, value] of Object.entries(patch)) {
    if (value === null) delete result[key];
    else result[key] = mergePatch(result[key], value);
  }
  return result;
}

export function patch(context: HandlerContext): HandlerResult {
  const { resource, info } = context;
  const existing = getObject(context.state, resourceKey(resource), info.namespace, info.name);
  if (existing === undefined) return unchanged(statusResponse(notFoundStatus(resource.name, resource.group, info.name)));
  const contentType = (headerValue(context.request, "content-type").split(";")[0] ?? "").trim();
  const supported = ["application/merge-patch+json", "application/strategic-merge-patch+json", "application/json-patch+json"];
  if (!supported.includes(contentType)) return unchanged(statusResponse(unsupportedMediaTypeStatus()));
  if ((context.request.body?.length ?? 0) > MAX_BODY_BYTES) return unchanged(statusResponse(requestEntityTooLargeStatus()));
  const patchDocument = parseJson(Buffer.from(context.request.body ?? new Uint8Array()).toString("utf8"));
  if (patchDocument === undefined) return unchanged(statusResponse(badRequestStatus("error decoding patch: invalid JSON")));
  let merged: JsonValue;
  if (contentType === "application/json-patch+json") {
    const applied = applyJsonPatch(existing, patchDocument);
    // UNVERIFIED in spec: chose a 400 BadRequest carrying the patch library's error for a failed JSON patch.
    if (!applied.ok) return unchanged(statusResponse(badRequestStatus(applied.error)));
    merged = applied.value;
  } else {
    // Strategic merge patch is approximated by a JSON merge patch (lists are replaced, not merged by key).
    merged = mergePatch(cloneJson(existing), patchDocument);
  }
  if (!isJsonObject(merged)) return unchanged(statusResponse(badRequestStatus("invalid patch")));
  const unknown = pruneUnknownFields(resource.kind, merged);
  if (unknown.length > 0 && context.query.get("fieldValidation") === "Strict") {
    return unchanged(statusResponse(badRequestStatus(strictDecodingMessage(resource.kind, resource.version, unknown))));
  }
  metadataOf(merged).resourceVersion = stringField(metadataOf(existing), "resourceVersion") ?? "";
  return replaceObject(context, existing, merged, []);
}

export function remove(context: HandlerContext): HandlerResult {
  const { resource, info, state } = context;
  const existing = getObject(state, resourceKey(resource), info.namespace, info.name);
  if (existing === undefined) return unchanged(statusResponse(notFoundStatus(resource.name, resource.group, info.name)));
  const deleted = cloneJson(existing);
  deleteObject(state, resourceKey(resource), info.namespace, info.name);
  nextResourceVersion(state);
  if (resource.name === "namespaces") deleteNamespaceContents(context, info.name);
  context.trace.push(handlerStep(`deleted ${resource.kind} ${info.name}`));
  return { response: jsonResponse(200, withTypeMeta(context, deleted)), changed: true };
}

/** The namespace controller: everything inside a deleted namespace goes too. */
function deleteNamespaceContents(context: HandlerContext, namespace: string): void {
  for (const key of Object.keys(context.state.objects)) {
    for (const object of listObjects(context.state, key, namespace)) {
      deleteObject(context.state, key, namespace, stringField(objectField(object, "metadata"), "name") ?? "");
    }
  }
  for (const object of listObjects(context.state, "serviceaccounts", namespace)) {
    deleteObject(context.state, "serviceaccounts", namespace, stringField(objectField(object, "metadata"), "name") ?? "");
  }
}

export function removeCollection(context: HandlerContext): HandlerResult {
  const { resource, info, state } = context;
  const selector = parseLabelSelector(context.query.get("labelSelector") ?? "");
  if (!selector.ok) return unchanged(statusResponse(badRequestStatus(selector.error)));
  const scope = resource.namespaced && info.namespace !== "" ? info.namespace : undefined;
  const victims = listObjects(state, resourceKey(resource), scope).filter((object) =>
    matchesLabelSelector(selector.requirements, objectField(objectField(object, "metadata"), "labels")),
  );
  const deleted = victims.map((object) => cloneJson(object));
  for (const object of victims) {
    const metadata = objectField(object, "metadata");
    deleteObject(state, resourceKey(resource), stringField(metadata, "namespace") ?? "", stringField(metadata, "name") ?? "");
  }
  if (deleted.length > 0) nextResourceVersion(state);
  context.trace.push(handlerStep(`deleted ${deleted.length} ${resource.name}`));
  return {
    response: jsonResponse(200, {
      kind: resource.listKind,
      apiVersion: apiVersionOf(resource),
      metadata: { resourceVersion: String(state.lastResourceVersion) },
      items: deleted.map((item) => withTypeMeta(context, item)),
    }),
    changed: deleted.length > 0,
  };
}
