/**
 * CertificateSigningRequest create validation (pkg/apis/certificates/validation) and the
 * CertificateSubjectRestriction admission plugin.
 */
import { parseCertificateSigningRequest, type ParsedCsr } from "../../pki/csr";
import { arrayField, numberField, stringField, type JsonObject } from "../../json";
import type { FieldError } from "../status";
import { goQuote } from "../../go";

export const KUBE_APISERVER_CLIENT_SIGNER = "kubernetes.io/kube-apiserver-client";

export const VALID_USAGES = [
  "any",
  "cert sign",
  "client auth",
  "code signing",
  "content commitment",
  "crl sign",
  "data encipherment",
  "decipher only",
  "digital signature",
  "email protection",
  "encipher only",
  "ipsec end system",
  "ipsec tunnel",
  "ipsec user",
  "key agreement",
  "key encipherment",
  "microsoft sgc",
  "netscape sgc",
  "ocsp signing",
  "s/mime",
  "server auth",
  "signing",
  "timestamping",
];

/** Go's %#v of a []byte. */
function goByteSlice(bytes: Uint8Array): string {
  return `[]byte{${Array.from(bytes, (byte) => `0x${byte.toString(16)}`).join(", ")}}`;
}

export function decodeRequestPem(spec: JsonObject | undefined): { pem: string; bytes: Uint8Array } {
  const encoded = stringField(spec, "request") ?? "";
  const bytes = new Uint8Array(Buffer.from(encoded, "base64"));
  return { pem: Buffer.from(bytes).toString("utf8"), bytes };
}

export interface CsrValidation {
  errors: FieldError[];
  parsed?: ParsedCsr;
}

// UNVERIFIED in spec: chose the pkg/apis/certificates/validation texts as remembered ("usages must be provided",
// "may not specify a duration less than 600 seconds (10 minutes)", the []byte %#v rendering of spec.request).
export async function validateCsrSpec(spec: JsonObject | undefined): Promise<CsrValidation> {
  const errors: FieldError[] = [];
  const { pem, bytes } = decodeRequestPem(spec);
  let parsed: ParsedCsr | undefined;
  const result = await parseCertificateSigningRequest(pem);
  if (!result.ok) {
    errors.push({ type: "Invalid value", field: "spec.request", rawValue: goByteSlice(bytes), detail: result.error });
  } else if (!result.csr.signatureValid) {
    const detail = result.csr.keyAlgorithm === "RSA" ? "crypto/rsa: verification error" : "x509: ECDSA verification failure";
    errors.push({ type: "Invalid value", field: "spec.request", rawValue: goByteSlice(bytes), detail });
  } else {
    parsed = result.csr;
  }
  const usages = arrayField(spec, "usages") ?? [];
  if (usages.length === 0) errors.push({ type: "Required value", field: "spec.usages", detail: "usages must be provided" });
  const seen = new Set<string>();
  usages.forEach((usage, index) => {
    const text = typeof usage === "string" ? usage : "";
    if (!VALID_USAGES.includes(text)) {
      errors.push({
        type: "Unsupported value",
        field: `spec.usages[${index}]`,
        badValue: text,
        detail: `supported values: ${VALID_USAGES.map((value) => goQuote(value)).join(", ")}`,
      });
    } else if (seen.has(text)) {
      errors.push({ type: "Duplicate value", field: `spec.usages[${index}]`, badValue: text, detail: "" });
    }
    seen.add(text);
  });
  const signerName = stringField(spec, "signerName") ?? "";
  if (signerName === "") {
    errors.push({ type: "Required value", field: "spec.signerName", detail: "" });
  } else if (!/^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)+\/[-A-Za-z0-9_.]+$/.test(signerName)) {
    errors.push({
      type: "Invalid value",
      field: "spec.signerName",
      badValue: signerName,
      detail: "must be a fully qualified domain and path of the form 'example.com/signer-name'",
    });
  }
  const expiration = numberField(spec, "expirationSeconds");
  if (expiration !== undefined && expiration < 600) {
    errors.push({
      type: "Invalid value",
      field: "spec.expirationSeconds",
      badValue: expiration,
      detail: "may not specify a duration less than 600 seconds (10 minutes)",
    });
  }
  return parsed === undefined ? { errors } : { errors, parsed };
}

/**
 * CertificateSubjectRestriction: kube-apiserver-client CSRs may not ask for system:masters.
 * UNVERIFIED in spec: chose "use of <signer> signer with system:masters group is not allowed"
 * because that is the plugin's message as remembered from plugin/pkg/admission/certificates/subjectrestriction.
 */
export function subjectRestriction(signerName: string, parsed: ParsedCsr | undefined): string | undefined {
  if (signerName !== KUBE_APISERVER_CLIENT_SIGNER || parsed === undefined) return undefined;
  if (!parsed.subject.organizations.includes("system:masters")) return undefined;
  return `use of ${signerName} signer with system:masters group is not allowed`;
}
