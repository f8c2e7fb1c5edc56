/**
 * CertificateSigningRequests (spec §8): create (requester identity, validation, admission), the
 * /approval and /status subresources, and the csrsigning controller run synchronously after approval.
 */
import { X509Certificate } from "node:crypto";
import { createApiserverAuthorizer, resourceAttributes } from "../../authz";
import { positiveSerialHex } from "../../clock";
import { rbacSourceOf } from "../../cluster/rbac-source";
import { nextRandomBytes, nextResourceVersion, rfc3339 } from "../../cluster/ids";
import {
  arrayField,
  cloneJson,
  isJsonObject,
  numberField,
  objectField,
  stringArrayField,
  stringField,
  type JsonObject,
  type JsonValue,
} from "../../json";
import { getObject, metadataOf, putObject } from "../../cluster/store";
import type { CsrUsage } from "../../pki/csr";
import { signCertificateSigningRequest } from "../../pki/csr";
import { jsonResponse } from "../discovery";
import { resourceKey } from "../resources";
import {
  alreadyExistsStatus,
  conflictStatus,
  forbiddenStatusFor,
  invalidStatus,
  notFoundStatus,
  statusResponse,
  type FieldError,
  type KubeStatus,
} from "../status";
import { handlerStep, type HandlerContext, type HandlerResult } from "./context";
import { getOne, readObjectBody, stampNewMetadata, withTypeMeta } from "./crud";
import { decodeRequestPem, KUBE_APISERVER_CLIENT_SIGNER, subjectRestriction, validateCsrSpec, VALID_USAGES } from "./csr-validation";
import { validateName } from "./kinds";
import { goQuote } from "../../go";

const GROUP = "certificates.k8s.io";
const RESOURCE = "certificatesigningrequests";
const KIND = "CertificateSigningRequest";
const failed = (status: KubeStatus): HandlerResult => ({ response: statusResponse(status), changed: false });

export async function createCsr(context: HandlerContext): Promise<HandlerResult> {
  const { state, user } = context;
  const body = readObjectBody(context, KIND);
  if (!body.ok) return body.result;
  const csr = body.object;
  const metadata = metadataOf(csr);
  const name = stringField(metadata, "name") ?? "";
  const spec = objectField(csr, "spec") ?? {};
  csr.spec = spec;
  // The apiserver owns the requester fields: whatever the client sent is replaced.
  spec.username = user.name;
  if (user.uid !== "") spec.uid = user.uid;
  else delete spec.uid;
  spec.groups = [...user.groups];
  const extra: JsonObject = {};
  for (const [key, values] of Object.entries(user.extra)) extra[key] = [...values];
  if (Object.keys(extra).length > 0) spec.extra = extra;
  else delete spec.extra;
  csr.status = {};

  const nameErrors: FieldError[] =
    name === ""
      ? [{ type: "Required value", field: "metadata.name", detail: "name or generateName is required" }]
      : validateName(KIND, name);
  const validation = await validateCsrSpec(spec);
  const errors = [...nameErrors, ...validation.errors];
  if (errors.length > 0) {
    const status = invalidStatus(KIND, GROUP, name, errors);
    context.trace.push(handlerStep(status.message ?? "", "error"));
    return failed(status);
  }
  const restriction = subjectRestriction(stringField(spec, "signerName") ?? "", validation.parsed);
  if (restriction !== undefined) {
    context.trace.push({ stage: "admission", outcome: "deny", message: `CertificateSubjectRestriction: ${restriction}` });
    return failed(forbiddenStatusFor(RESOURCE, GROUP, name, restriction));
  }
  if (getObject(state, resourceKey(context.resource), "", name) !== undefined) return failed(alreadyExistsStatus(RESOURCE, GROUP, name));
  csr.kind = KIND;
  csr.apiVersion = `${GROUP}/v1`;
  stampNewMetadata(context, metadata);
  putObject(state, resourceKey(context.resource), csr);
  context.trace.push(handlerStep(`created CertificateSigningRequest ${name} for requester ${user.name}; it stays Pending until approved`));
  return { response: jsonResponse(201, withTypeMeta(context, csr)), changed: true };
}

function conditionsOf(object: JsonObject): JsonObject[] {
  return (arrayField(objectField(object, "status"), "conditions") ?? []).filter(isJsonObject);
}

/** ValidateCertificateSigningRequestApprovalUpdate / StatusUpdate condition rules. */
function validateConditions(existing: JsonObject[], incoming: JsonObject[]): FieldError[] {
  const errors: FieldError[] = [];
  const seen = new Map<string, number>();
  let approved = false;
  let denied = false;
  incoming.forEach((condition, index) => {
    const type = stringField(condition, "type") ?? "";
    const status = stringField(condition, "status") ?? "";
    if (type === "") errors.push({ type: "Required value", field: `status.conditions[${index}].type`, detail: "" });
    if (["Approved", "Denied", "Failed"].includes(type) && status !== "True") {
      errors.push({
        type: "Unsupported value",
        field: `status.conditions[${index}].status`,
        badValue: status,
        detail: 'supported values: "True"',
      });
    }
    if (seen.has(type) && ["Approved", "Denied", "Failed"].includes(type)) {
      errors.push({ type: "Duplicate value", field: `status.conditions[${index}].type`, badValue: type, detail: "" });
    }
    seen.set(type, index);
    if (type === "Approved") {
      approved = true;
      if (denied)
        errors.push({
          type: "Invalid value",
          field: `status.conditions[${index}].type`,
          badValue: type,
          detail: "Approved and Denied conditions are mutually exclusive",
        });
    }
    if (type === "Denied") {
      denied = true;
      if (approved)
        errors.push({
          type: "Invalid value",
          field: `status.conditions[${index}].type`,
          badValue: type,
          detail: "Approved and Denied conditions are mutually exclusive",
        });
    }
  });
  for (const type of ["Approved", "Denied", "Failed"]) {
    const had = existing.some((condition) => condition.type === type);
    if (had && !seen.has(type))
      errors.push({ type: "Forbidden", field: "status.conditions", detail: `updates may not remove a condition of type ${goQuote(type)}` });
  }
  return errors;
}

async function updateConditions(context: HandlerContext, subresource: "approval" | "status"): Promise<HandlerResult> {
  const { state, info } = context;
  if (info.verb === "get") return getOne(context);
  if (info.verb !== "update")
    return failed({
      kind: "Status",
      apiVersion: "v1",
      metadata: {},
      status: "Failure",
      message: "the server does not allow this method on the requested resource",
      reason: "MethodNotAllowed",
      details: {},
      code: 405,
    });
  const existing = getObject(state, resourceKey(context.resource), "", info.name);
  if (existing === undefined) return failed(notFoundStatus(RESOURCE, GROUP, info.name));
  const body = readObjectBody(context, KIND);
  if (!body.ok) return body.result;
  const denied = signerAdmission(context, subresource, stringField(objectField(existing, "spec"), "signerName") ?? "");
  if (denied !== undefined) return failed(denied);
  const incomingMeta = objectField(body.object, "metadata");
  const rv = stringField(incomingMeta, "resourceVersion");
  if (rv !== undefined && rv !== "" && rv !== stringField(objectField(existing, "metadata"), "resourceVersion")) {
    return failed(
      conflictStatus(
        RESOURCE,
        GROUP,
        info.name,
        "the object has been modified; please apply your changes to the latest version and try again",
      ),
    );
  }
  const nowText = rfc3339(context.now.getTime());
  const previous = conditionsOf(existing);
  const incoming = conditionsOf(body.object).map((condition) => {
    const copy = cloneJson(condition);
    const before = previous.find((old) => old.type === copy.type && old.status === copy.status);
    copy.lastTransitionTime ??= stringField(before, "lastTransitionTime") ?? nowText;
    return copy;
  });
  const errors = validateConditions(previous, incoming);
  if (errors.length > 0) {
    const status = invalidStatus(KIND, GROUP, info.name, errors);
    context.trace.push(handlerStep(status.message ?? "", "error"));
    return failed(status);
  }
  const updated = cloneJson(existing);
  const status = objectField(updated, "status") ?? {};
  status.conditions = orderConditions(incoming);
  if (subresource === "status") {
    const certificate = stringField(objectField(body.object, "status"), "certificate");
    if (certificate !== undefined && stringField(status, "certificate") === undefined) status.certificate = certificate;
  }
  updated.status = status;
  metadataOf(updated).resourceVersion = nextResourceVersion(state);
  putObject(state, resourceKey(context.resource), updated);
  const added = incoming.filter((condition) => !previous.some((old) => old.type === condition.type)).map((condition) => condition.type);
  context.trace.push(
    handlerStep(
      `${info.name}: conditions now ${JSON.stringify(incoming.map((c) => c.type))}${added.length > 0 ? ` (added ${JSON.stringify(added)})` : ""}`,
    ),
  );
  if (subresource === "approval") await runSigner(context, updated);
  return { response: jsonResponse(200, withTypeMeta(context, updated)), changed: true };
}

/**
 * The CertificateApproval / CertificateSigning admission plugins: approving needs verb "approve" (and
 * writing status verb "sign") on certificates.k8s.io "signers" named after the signer or its
 * "<domain>/*" wildcard, on top of RBAC's check of the subresource itself.
 */
function signerAdmission(context: HandlerContext, subresource: "approval" | "status", signerName: string): KubeStatus | undefined {
  const verb = subresource === "approval" ? "approve" : "sign";
  const authorizer = createApiserverAuthorizer(rbacSourceOf(context.state));
  const slash = signerName.indexOf("/");
  const names = slash > 0 ? [signerName, `${signerName.slice(0, slash)}/*`] : [signerName];
  for (const name of names) {
    const attributes = resourceAttributes(context.user, { verb, apiGroup: GROUP, apiVersion: "*", resource: "signers", name });
    if (authorizer.authorize(attributes).decision === "allow") {
      context.trace.push({ stage: "admission", outcome: "allow", message: `${verb} on signers ${goQuote(name)} is allowed` });
      return undefined;
    }
  }
  // UNVERIFIED in spec: chose the plugin's message as remembered (plugin/pkg/admission/certificates/approval and signing).
  const reason = `user not permitted to ${verb} requests with signerName ${goQuote(signerName)}`;
  context.trace.push({
    stage: "admission",
    outcome: "deny",
    message: `${reason} (needs verb ${goQuote(verb)} on resource "signers" in API group ${goQuote(GROUP)})`,
  });
  return forbiddenStatusFor(RESOURCE, GROUP, context.info.name, reason);
}

/** JSON output order of a condition: type, status, reason, message, lastUpdateTime, lastTransitionTime. */
function orderConditions(conditions: JsonObject[]): JsonValue[] {
  return conditions.map((condition) => {
    const ordered: JsonObject = {};
    for (const key of ["type", "status", "reason", "message", "lastUpdateTime", "lastTransitionTime"]) {
      const value = condition[key];
      if (value !== undefined) ordered[key] = value;
    }
    return ordered;
  });
}

export function csrApproval(context: HandlerContext): Promise<HandlerResult> {
  return updateConditions(context, "approval");
}

export function csrStatus(context: HandlerContext): Promise<HandlerResult> {
  return updateConditions(context, "status");
}

/** pkg/controller/certificates/signer: validAPIServerClientUsages. */
function clientUsageError(usages: string[]): string | undefined {
  let hasClientAuth = false;
  for (const usage of usages) {
    if (usage === "digital signature" || usage === "key encipherment") continue;
    if (usage === "client auth") {
      hasClientAuth = true;
      continue;
    }
    return `invalid usage for client certificate: ${usage}`;
  }
  return hasClientAuth ? undefined : "missing required usage for client certificate: client auth";
}

/** signer.duration: the requested expiration, capped at --cluster-signing-duration, floored at 10 minutes. */
export function signingDurationSeconds(expirationSeconds: number | undefined, maximumSeconds: number): number {
  if (expirationSeconds === undefined) return maximumSeconds;
  if (expirationSeconds > maximumSeconds) return maximumSeconds;
  return Math.max(expirationSeconds, 600);
}

function isUsage(value: string): value is CsrUsage {
  return VALID_USAGES.includes(value);
}

/** The csrsigning controller, run right after approval as kube-controller-manager would. */
async function runSigner(context: HandlerContext, csr: JsonObject): Promise<void> {
  const { state } = context;
  const conditions = conditionsOf(csr);
  const spec = objectField(csr, "spec");
  const status = objectField(csr, "status") ?? {};
  const name = stringField(objectField(csr, "metadata"), "name") ?? "";
  if (!conditions.some((c) => c.type === "Approved") || conditions.some((c) => c.type === "Failed" || c.type === "Denied")) return;
  if (stringField(status, "certificate") !== undefined) return;
  if (stringField(spec, "signerName") !== KUBE_APISERVER_CLIENT_SIGNER) {
    context.trace.push({
      stage: "csrsigning",
      outcome: "info",
      message: `no signer in this cluster handles ${stringField(spec, "signerName") ?? ""}; ${name} stays Approved without a certificate`,
    });
    return;
  }
  const usages = stringArrayField(spec, "usages");
  const usageError = clientUsageError(usages);
  const nowMs = context.now.getTime();
  if (usageError !== undefined) {
    const nowText = rfc3339(nowMs);
    status.conditions = [
      ...(arrayField(status, "conditions") ?? []),
      {
        type: "Failed",
        status: "True",
        reason: "SignerValidationFailure",
        message: usageError,
        lastUpdateTime: nowText,
        lastTransitionTime: nowText,
      },
    ];
    csr.status = status;
    metadataOf(csr).resourceVersion = nextResourceVersion(state);
    putObject(state, "certificatesigningrequests.certificates.k8s.io", csr);
    context.trace.push({ stage: "csrsigning", outcome: "error", message: `${name}: ${usageError}` });
    return;
  }
  const ttlSeconds = signingDurationSeconds(numberField(spec, "expirationSeconds"), state.config.clusterSigningDurationSeconds);
  const backdateMs = 5 * 60 * 1000;
  const notBefore = nowMs - backdateMs;
  // UNVERIFIED in spec: chose PermissiveSigningPolicy's Short (8h) rule as remembered: short-lived
  // certificates end at now+ttl, longer ones at notBefore+ttl; never after the signing CA.
  let notAfter = ttlSeconds < 8 * 3600 ? nowMs + ttlSeconds * 1000 : notBefore + ttlSeconds * 1000;
  const caNotAfter = signerNotAfter(state.config.clusterSigner.certPem);
  if (caNotAfter !== undefined && notAfter > caNotAfter) notAfter = caNotAfter;
  const { pem } = decodeRequestPem(spec);
  const signed = await signCertificateSigningRequest({
    issuer: state.config.clusterSigner,
    csrPem: pem,
    notBefore: new Date(notBefore),
    notAfter: new Date(notAfter),
    usages: usages.filter(isUsage),
    serialNumber: positiveSerialHex(nextRandomBytes(state, 16)),
  });
  if (!signed.ok) {
    context.trace.push({ stage: "csrsigning", outcome: "error", message: `error auto signing csr: ${signed.error}` });
    return;
  }
  status.certificate = Buffer.from(signed.certPem, "utf8").toString("base64");
  csr.status = status;
  metadataOf(csr).resourceVersion = nextResourceVersion(state);
  putObject(state, "certificatesigningrequests.certificates.k8s.io", csr);
  context.trace.push({
    stage: "csrsigning",
    outcome: "info",
    message: `signed ${name}: valid ${rfc3339(notBefore)} to ${rfc3339(notAfter)} (${ttlSeconds}s requested lifetime, backdated 5m)`,
  });
}

const caNotAfterMemo = new Map<string, number | undefined>();
function signerNotAfter(certPem: string): number | undefined {
  if (caNotAfterMemo.has(certPem)) return caNotAfterMemo.get(certPem);
  let value: number | undefined;
  try {
    value = Date.parse(new X509Certificate(certPem).validTo);
  } catch {
    value = undefined;
  }
  caNotAfterMemo.set(certPem, value);
  return value;
}
