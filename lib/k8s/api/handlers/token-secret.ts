/**
 * The token controller for legacy ServiceAccount token Secrets (spec §3.5): a Secret of type
 * kubernetes.io/service-account-token annotated with kubernetes.io/service-account.name gets the
 * account's uid annotation and data {ca.crt, namespace, token} with a long-lived legacy token.
 */
import { issueLegacyServiceAccountToken } from "../../authn/serviceaccount";
import { objectField, stringField, type JsonObject } from "../../json";
import { serviceAccountSigningKey } from "../../cluster/signing-keys";
import type { ClusterState } from "../../cluster/state";
import { getObject } from "../../cluster/store";

export const SERVICE_ACCOUNT_TOKEN_TYPE = "kubernetes.io/service-account-token";
const NAME_ANNOTATION = "kubernetes.io/service-account.name";
const UID_ANNOTATION = "kubernetes.io/service-account.uid";

/** Fills the Secret in place; returns a trace message describing what happened. */
export async function populateTokenSecret(state: ClusterState, secret: JsonObject): Promise<string | undefined> {
  if (stringField(secret, "type") !== SERVICE_ACCOUNT_TOKEN_TYPE) return undefined;
  const metadata = objectField(secret, "metadata") ?? {};
  const annotations = objectField(metadata, "annotations") ?? {};
  const accountName = stringField(annotations, NAME_ANNOTATION) ?? "";
  const namespace = stringField(metadata, "namespace") ?? "";
  const secretName = stringField(metadata, "name") ?? "";
  const account = getObject(state, "serviceaccounts", namespace, accountName);
  if (account === undefined) {
    return `token controller: ServiceAccount ${namespace}/${accountName} does not exist, so ${secretName} gets no token`;
  }
  const uid = stringField(objectField(account, "metadata"), "uid") ?? "";
  annotations[UID_ANNOTATION] = uid;
  metadata.annotations = annotations;
  const issued = await issueLegacyServiceAccountToken({
    key: serviceAccountSigningKey(state.config.serviceAccount.signingKeyPem),
    serviceAccount: { namespace, name: accountName, uid },
    secretName,
  });
  const data = objectField(secret, "data") ?? {};
  data["ca.crt"] = Buffer.from(state.config.serving?.caCertPem ?? state.config.clientCaBundlePem, "utf8").toString("base64");
  data.namespace = Buffer.from(namespace, "utf8").toString("base64");
  data.token = Buffer.from(issued.token, "utf8").toString("base64");
  secret.data = data;
  return `token controller: wrote a legacy token for system:serviceaccount:${namespace}:${accountName} into ${secretName}`;
}
