/**
 * POST /api/v1/namespaces/<ns>/serviceaccounts/<name>/token (pkg/registry/core/serviceaccount/storage/token.go):
 * defaulting and validation by lib/k8s/authn/serviceaccount, bound-object checks, then a signed token.
 */
import { issueBoundServiceAccountToken, validateTokenRequest, type BoundObject, type TokenRequestSpec } from "../../authn/serviceaccount";
import { nextRandomBytes, rfc3339 } from "../../cluster/ids";
import { arrayField, numberField, objectField, stringField, type JsonObject } from "../../json";
import { serviceAccountSigningKey } from "../../cluster/signing-keys";
import { getObject } from "../../cluster/store";
import { jsonResponse } from "../discovery";
import {
  badRequestStatus,
  conflictStatus,
  invalidStatus,
  notFoundStatus,
  statusResponse,
  type FieldError,
  type KubeStatus,
} from "../status";
import { handlerStep, type HandlerContext, type HandlerResult } from "./context";
import { readObjectBody } from "./crud";
import { goQuote } from "../../go";

const failed = (status: KubeStatus): HandlerResult => ({ response: statusResponse(status), changed: false });

function specFromJson(spec: JsonObject | undefined): TokenRequestSpec {
  const result: TokenRequestSpec = {};
  const audiences = arrayField(spec, "audiences");
  if (audiences !== undefined) result.audiences = audiences.filter((item): item is string => typeof item === "string");
  const expiration = numberField(spec, "expirationSeconds");
  if (expiration !== undefined) result.expirationSeconds = expiration;
  const ref = objectField(spec, "boundObjectRef");
  if (ref !== undefined) {
    result.boundObjectRef = {};
    for (const key of ["kind", "apiVersion", "name", "uid"] as const) {
      const value = stringField(ref, key);
      if (value !== undefined) result.boundObjectRef[key] = value;
    }
  }
  return result;
}

export async function tokenRequest(context: HandlerContext): Promise<HandlerResult> {
  const { state, info } = context;
  const body = readObjectBody(context, "TokenRequest");
  if (!body.ok) return body.result;
  const serviceAccount = getObject(state, "serviceaccounts", info.namespace, info.name);
  if (serviceAccount === undefined) {
    context.trace.push(handlerStep(`ServiceAccount ${info.namespace}/${info.name} does not exist`, "error"));
    return failed(notFoundStatus("serviceaccounts", "", info.name));
  }
  const bodyName = stringField(objectField(body.object, "metadata"), "name");
  if (bodyName !== undefined && bodyName !== info.name) {
    return failed(badRequestStatus(`TokenRequest name ${goQuote(bodyName)} does not match the name in the URL ${goQuote(info.name)}`));
  }
  const spec = specFromJson(objectField(body.object, "spec"));
  const config = state.config.serviceAccount;
  const validation = validateTokenRequest(spec, {
    apiAudiences: state.config.apiAudiences,
    ...(config.maxTokenExpirationSeconds === undefined ? {} : { maxExpirationSeconds: config.maxTokenExpirationSeconds }),
    extendExpiration: config.extendTokenExpiration,
  });
  if (!validation.ok) {
    context.trace.push(handlerStep(validation.message, "error"));
    if (validation.code === 400) return failed(badRequestStatus(validation.message));
    const errors: FieldError[] = validation.errors.map((error) => ({
      type:
        error.type === "Not supported"
          ? "Unsupported value"
          : error.type === "Too many" || error.type === "Internal error"
            ? "Invalid value"
            : error.type,
      field: error.field,
      ...(error.value === undefined ? {} : { badValue: error.value }),
      detail: error.detail,
    }));
    return failed(invalidStatus("TokenRequest", "authentication.k8s.io", "", errors));
  }
  const normalized = validation.spec;
  const bound = boundObjectFor(context, spec);
  if ("status" in bound) return failed(bound.status);

  const now = context.now;
  const serviceAccountMeta = objectField(serviceAccount, "metadata");
  const issued = await issueBoundServiceAccountToken({
    key: serviceAccountSigningKey(config.signingKeyPem),
    issuer: config.issuers[0] ?? "",
    audiences: normalized.audiences,
    expirationSeconds: normalized.tokenExpirationSeconds,
    ...(normalized.warnAfterSeconds === undefined ? {} : { warnAfterSeconds: normalized.warnAfterSeconds }),
    serviceAccount: { namespace: info.namespace, name: info.name, uid: stringField(serviceAccountMeta, "uid") ?? "" },
    ...(bound.object === undefined ? {} : { boundObject: bound.object }),
    now,
    random: (size) => nextRandomBytes(state, size),
  });
  context.trace.push(
    handlerStep(
      `issued a token for system:serviceaccount:${info.namespace}:${info.name} (audiences ${JSON.stringify(normalized.audiences)}, ${normalized.expirationSeconds}s)`,
    ),
  );
  const responseSpec: JsonObject = {
    audiences: normalized.audiences,
    expirationSeconds: normalized.expirationSeconds,
    boundObjectRef: null,
  };
  const ref = spec.boundObjectRef;
  if (ref !== undefined && ref !== null) responseSpec.boundObjectRef = { ...ref };
  const headers: Record<string, string> =
    normalized.warnings.length === 0 ? {} : { Warning: normalized.warnings.map((w) => `299 - ${JSON.stringify(w)}`).join(", ") };
  return {
    response: jsonResponse(
      201,
      {
        kind: "TokenRequest",
        apiVersion: "authentication.k8s.io/v1",
        metadata: { name: info.name, namespace: info.namespace, creationTimestamp: null },
        spec: responseSpec,
        status: { token: issued.token, expirationTimestamp: rfc3339(now.getTime() + normalized.expirationSeconds * 1000) },
      },
      headers,
    ),
    // Issuing consumes randomness (the jti), so the seeded counter moved.
    changed: true,
  };
}

function boundObjectFor(context: HandlerContext, spec: TokenRequestSpec): { object?: BoundObject } | { status: KubeStatus } {
  const ref = spec.boundObjectRef;
  if (ref === undefined || ref === null) return {};
  const kind = ref.kind;
  const name = ref.name ?? "";
  if (kind !== "Pod" && kind !== "Secret" && kind !== "Node") return {};
  const resource = kind === "Pod" ? "pods" : kind === "Secret" ? "secrets" : "nodes";
  const object = getObject(context.state, resource, kind === "Node" ? "" : context.info.namespace, name);
  if (object === undefined) return { status: notFoundStatus(resource, "", name) };
  const uid = stringField(objectField(object, "metadata"), "uid") ?? "";
  if (ref.uid !== undefined && ref.uid !== "" && ref.uid !== uid) {
    return {
      status: conflictStatus(
        kind,
        "",
        name,
        `the UID in the bound object reference (${ref.uid}) does not match the UID in record. The object might have been deleted and then recreated`,
      ),
    };
  }
  if (kind !== "Pod") return { object: { kind, name, uid } };
  const nodeName = stringField(objectField(object, "spec"), "nodeName");
  if (nodeName === undefined) return { object: { kind, name, uid } };
  const node = getObject(context.state, "nodes", "", nodeName);
  const nodeUid = stringField(objectField(node, "metadata"), "uid");
  return { object: { kind, name, uid, nodeName, ...(nodeUid === undefined ? {} : { nodeUid }) } };
}
