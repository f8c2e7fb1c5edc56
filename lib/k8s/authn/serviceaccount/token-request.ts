/**
 * TokenRequest semantics (spec §3.3): defaulting, ValidateTokenRequest, the bound-object kind check,
 * --service-account-max-token-expiration and the 3607-second extension. Pure: store lookups
 * (ServiceAccount / Pod / Secret / Node existence, UID conflicts) are the caller's job.
 */
import { EXPIRATION_EXTENSION_SECONDS, WARN_ONLY_BOUND_TOKEN_EXPIRATION_SECONDS } from "./claims";
import { formatFieldErrors, invalid, type FieldError } from "./field-error";

export interface TokenRequestSpec {
  audiences?: string[] | null;
  expirationSeconds?: number | null;
  boundObjectRef?: { kind?: string; apiVersion?: string; name?: string; uid?: string } | null;
}

export interface TokenRequestOptions {
  /** --api-audiences (default: the issuers). */
  apiAudiences: string[];
  /** --service-account-max-token-expiration in seconds; 0 or undefined means no maximum. */
  maxExpirationSeconds?: number;
  /** --service-account-extend-token-expiration, default true. */
  extendExpiration?: boolean;
  /** Lifetime of extended tokens, default one year. */
  maxExtendedExpirationSeconds?: number;
}

export interface NormalizedTokenRequest {
  audiences: string[];
  /** spec.expirationSeconds after defaulting and shortening: what status.expirationTimestamp reports. */
  expirationSeconds: number;
  /** What the token's `exp` really is (differs from expirationSeconds only for extended tokens). */
  tokenExpirationSeconds: number;
  /** Set for extended tokens: iat + this becomes `kubernetes.io.warnafter`. */
  warnAfterSeconds?: number;
  boundObjectKind?: "Pod" | "Secret" | "Node";
  /** HTTP warnings (the "shortened" warning; UNVERIFIED whether 1.32 sends it). */
  warnings: string[];
}

export type TokenRequestValidation =
  | { ok: true; spec: NormalizedTokenRequest }
  | { ok: false; code: 422; reason: "Invalid"; errors: FieldError[]; message: string }
  | { ok: false; code: 400; reason: "BadRequest"; errors: []; message: string };

export const DEFAULT_TOKEN_EXPIRATION_SECONDS = 3600;
const MIN_EXPIRATION_SECONDS = 10 * 60;
const MAX_EXPIRATION_SECONDS = 2 ** 32;

/** pkg/apis/authentication/validation ValidateTokenRequest. */
function validateExpiration(expirationSeconds: number): FieldError[] {
  const errors: FieldError[] = [];
  if (expirationSeconds < MIN_EXPIRATION_SECONDS) {
    errors.push(invalid("spec.expirationSeconds", expirationSeconds, "may not specify a duration less than 10 minutes"));
  }
  if (expirationSeconds > MAX_EXPIRATION_SECONDS) {
    errors.push(invalid("spec.expirationSeconds", expirationSeconds, "may not specify a duration larger than 2^32 seconds"));
  }
  return errors;
}

/** schema.FromAPIVersionAndKind(...).String(): "group/version, Kind=kind". */
function gvkString(apiVersion: string, kind: string): string {
  const slash = apiVersion.indexOf("/");
  const group = slash >= 0 ? apiVersion.slice(0, slash) : "";
  const version = slash >= 0 ? apiVersion.slice(slash + 1) : apiVersion;
  return `${group}/${version}, Kind=${kind}`;
}

function boundKind(ref: NonNullable<TokenRequestSpec["boundObjectRef"]>): "Pod" | "Secret" | "Node" | { error: string } {
  const apiVersion = ref.apiVersion ?? "";
  const kind = ref.kind ?? "";
  const group = apiVersion.includes("/") ? apiVersion.slice(0, apiVersion.indexOf("/")) : "";
  if (group === "" && (kind === "Pod" || kind === "Secret" || kind === "Node")) return kind;
  return { error: `cannot bind token to object of type ${gvkString(apiVersion, kind)}` };
}

export function validateTokenRequest(spec: TokenRequestSpec, options: TokenRequestOptions): TokenRequestValidation {
  // SetDefaults_TokenRequestSpec, then the REST handler's audience default.
  const requested = spec.expirationSeconds ?? DEFAULT_TOKEN_EXPIRATION_SECONDS;
  const audiences = spec.audiences && spec.audiences.length > 0 ? [...spec.audiences] : [...options.apiAudiences];

  const errors = validateExpiration(requested);
  if (errors.length > 0) {
    return {
      ok: false,
      code: 422,
      reason: "Invalid",
      errors,
      message: `TokenRequest.authentication.k8s.io "" is invalid: ${formatFieldErrors(errors)}`,
    };
  }

  let boundObjectKind: NormalizedTokenRequest["boundObjectKind"];
  if (spec.boundObjectRef) {
    const kind = boundKind(spec.boundObjectRef);
    if (typeof kind !== "string") return { ok: false, code: 400, reason: "BadRequest", errors: [], message: kind.error };
    boundObjectKind = kind;
  }

  const warnings: string[] = [];
  let expirationSeconds = requested;
  const max = options.maxExpirationSeconds ?? 0;
  if (max > 0 && expirationSeconds > max) {
    warnings.push(`requested expiration of ${expirationSeconds} seconds shortened to ${max} seconds`);
    expirationSeconds = max;
  }

  const apiAudiences = new Set(options.apiAudiences);
  const extend =
    (options.extendExpiration ?? true) &&
    boundObjectKind === "Pod" &&
    expirationSeconds === WARN_ONLY_BOUND_TOKEN_EXPIRATION_SECONDS &&
    audiences.every((audience) => apiAudiences.has(audience));

  return {
    ok: true,
    spec: {
      audiences,
      expirationSeconds,
      tokenExpirationSeconds: extend ? (options.maxExtendedExpirationSeconds ?? EXPIRATION_EXTENSION_SECONDS) : expirationSeconds,
      ...(extend ? { warnAfterSeconds: expirationSeconds } : {}),
      ...(boundObjectKind ? { boundObjectKind } : {}),
      warnings,
    },
  };
}
