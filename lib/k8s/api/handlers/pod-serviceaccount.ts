/**
 * What happens to a new Pod's ServiceAccount fields on create, in the apiserver's order:
 * defaulting of projected token sources (SetDefaults_ServiceAccountTokenProjection), the
 * ServiceAccount admission plugin (plugin/pkg/admission/serviceaccount/admission.go: default
 * account, existence, `shouldAutomount`, the `kube-api-access-<5>` projected volume), then the
 * projected-source validation of pkg/apis/core/validation (`validateProjectionSources`).
 */
import { arrayField, isJsonObject, numberField, objectField, stringField, type JsonObject } from "../../json";
import { getObject } from "../../cluster/store";
import type { ClusterState } from "../../cluster/state";
import { nextRandomBytes } from "../../cluster/ids";
import { forbiddenStatusFor, type FieldError, type KubeStatus } from "../status";

export const DEFAULT_API_TOKEN_MOUNT_PATH = "/var/run/secrets/kubernetes.io/serviceaccount";
const SERVICE_ACCOUNT_VOLUME_NAME = "kube-api-access";
/** serviceaccount.WarnOnlyBoundTokenExpirationSeconds: 1 h + 7 s, so the token can be recognised and extended. */
const WARN_ONLY_BOUND_TOKEN_EXPIRATION_SECONDS = 3607;
const DEFAULT_PROJECTED_TOKEN_EXPIRATION_SECONDS = 3600;
/** corev1.ProjectedVolumeSourceDefaultMode (0644). */
const PROJECTED_DEFAULT_MODE = 420;
/** apimachinery's names.SimpleNameGenerator alphabet (utilrand.String: no vowels, no 0, 1, 3). */
const NAME_ALPHABET = "bcdfghjklmnpqrstvwxz2456789";

export type AdmissionResult = { ok: true } | { ok: false; errors: FieldError[] } | { ok: false; status: KubeStatus };

function podContainers(spec: JsonObject): JsonObject[] {
  return [...(arrayField(spec, "initContainers") ?? []), ...(arrayField(spec, "containers") ?? [])].filter(isJsonObject);
}

function generateName(state: ClusterState, base: string): string {
  const bytes = nextRandomBytes(state, 5);
  return base + Array.from(bytes, (byte) => NAME_ALPHABET[byte % NAME_ALPHABET.length]).join("");
}

/** The projected volume the plugin adds (TokenVolumeSource), with defaultMode set explicitly as upstream does. */
function tokenVolumeSource(): JsonObject {
  return {
    defaultMode: PROJECTED_DEFAULT_MODE,
    sources: [
      { serviceAccountToken: { expirationSeconds: WARN_ONLY_BOUND_TOKEN_EXPIRATION_SECONDS, path: "token" } },
      { configMap: { name: "kube-root-ca.crt", items: [{ key: "ca.crt", path: "ca.crt" }] } },
      { downwardAPI: { items: [{ path: "namespace", fieldRef: { apiVersion: "v1", fieldPath: "metadata.namespace" } }] } },
    ],
  };
}

/** The Pod's own setting wins, then the ServiceAccount's; true when neither says. */
function shouldAutomount(serviceAccount: JsonObject, spec: JsonObject): boolean {
  const own = spec.automountServiceAccountToken;
  if (typeof own === "boolean") return own;
  const account = serviceAccount.automountServiceAccountToken;
  if (typeof account === "boolean") return account;
  return true;
}

function mountServiceAccountToken(state: ClusterState, spec: JsonObject): void {
  const volumes = (arrayField(spec, "volumes") ?? []).filter(isJsonObject);
  // A volume already named kube-api-access-* (a Pod re-created from `kubectl get -o yaml`) is reused.
  const existing = volumes.find((volume) => (stringField(volume, "name") ?? "").startsWith(`${SERVICE_ACCOUNT_VOLUME_NAME}-`));
  const volumeName =
    existing === undefined ? generateName(state, `${SERVICE_ACCOUNT_VOLUME_NAME}-`) : (stringField(existing, "name") ?? "");
  let needsVolume = false;
  for (const container of podContainers(spec)) {
    const mounts = (arrayField(container, "volumeMounts") ?? []).filter(isJsonObject);
    // An existing mount at the default path keeps the token out of that container.
    if (mounts.some((mount) => stringField(mount, "mountPath") === DEFAULT_API_TOKEN_MOUNT_PATH)) continue;
    container.volumeMounts = [...mounts, { name: volumeName, readOnly: true, mountPath: DEFAULT_API_TOKEN_MOUNT_PATH }];
    needsVolume = true;
  }
  if (existing === undefined && needsVolume) spec.volumes = [...volumes, { name: volumeName, projected: tokenVolumeSource() }];
}

/** SetDefaults_ProjectedVolumeSource and SetDefaults_ServiceAccountTokenProjection. */
function defaultProjectedVolumes(spec: JsonObject): void {
  for (const volume of (arrayField(spec, "volumes") ?? []).filter(isJsonObject)) {
    const projected = objectField(volume, "projected");
    if (projected === undefined) continue;
    projected.defaultMode ??= PROJECTED_DEFAULT_MODE;
    for (const source of (arrayField(projected, "sources") ?? []).filter(isJsonObject)) {
      const token = objectField(source, "serviceAccountToken");
      if (token !== undefined) token.expirationSeconds ??= DEFAULT_PROJECTED_TOKEN_EXPIRATION_SECONDS;
    }
  }
}

/** validateProjectionSources, the serviceAccountToken part (field paths as upstream builds them). */
function validateProjectedTokens(spec: JsonObject): FieldError[] {
  const errors: FieldError[] = [];
  (arrayField(spec, "volumes") ?? []).forEach((volume, volumeIndex) => {
    const projected = isJsonObject(volume) ? objectField(volume, "projected") : undefined;
    if (projected === undefined) return;
    const volumePath = `spec.volumes[${volumeIndex}].projected`;
    (arrayField(projected, "sources") ?? []).forEach((source, sourceIndex) => {
      const token = isJsonObject(source) ? objectField(source, "serviceAccountToken") : undefined;
      if (token === undefined) return;
      const field = `${volumePath}.sources[${sourceIndex}].serviceAccountToken.expirationSeconds`;
      const seconds = numberField(token, "expirationSeconds") ?? DEFAULT_PROJECTED_TOKEN_EXPIRATION_SECONDS;
      if (seconds < 10 * 60)
        errors.push({ type: "Invalid value", field, badValue: seconds, detail: "may not specify a duration less than 10 minutes" });
      if (seconds > 2 ** 32)
        errors.push({ type: "Invalid value", field, badValue: seconds, detail: "may not specify a duration larger than 2^32 seconds" });
      // Upstream names the projected volume's path here, not the source's (fldPath.Child("path")).
      if ((stringField(token, "path") ?? "") === "") errors.push({ type: "Required value", field: `${volumePath}.path`, detail: "" });
    });
  });
  return errors;
}

/** Admission and validation of a new Pod's ServiceAccount and token volumes; mutates the Pod. */
export function admitPodServiceAccount(state: ClusterState, pod: JsonObject, spec: JsonObject): AdmissionResult {
  defaultProjectedVolumes(spec);
  const metadata = objectField(pod, "metadata") ?? {};
  const namespace = stringField(metadata, "namespace") ?? "";
  const name = stringField(metadata, "name") ?? "";
  const accountName = stringField(spec, "serviceAccountName") || stringField(spec, "serviceAccount") || "default";
  const serviceAccount = getObject(state, "serviceaccounts", namespace, accountName);
  if (serviceAccount === undefined) {
    // admission.NewForbidden(a, fmt.Errorf("error looking up service account %s/%s: %w", ...)) around
    // errors.NewNotFound(api.Resource("serviceaccount"), name).
    return {
      ok: false,
      status: forbiddenStatusFor(
        "pods",
        "",
        name,
        `error looking up service account ${namespace}/${accountName}: serviceaccount "${accountName}" not found`,
      ),
    };
  }
  spec.serviceAccountName = accountName;
  spec.serviceAccount = accountName;
  if (shouldAutomount(serviceAccount, spec)) mountServiceAccountToken(state, spec);
  const errors = validateProjectedTokens(spec);
  return errors.length > 0 ? { ok: false, errors } : { ok: true };
}
