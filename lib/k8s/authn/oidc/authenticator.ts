/**
 * The JWT / OIDC token authenticator (k8s.io/apiserver plugin/pkg/authenticator/token/oidc +
 * coreos/go-oidc v2.2.1 verify.go), in the spec §4.3 order with the apiserver's log texts.
 * Never throws from authenticateToken.
 */
import type { JsonWebKey } from "node:crypto";
import type { AuthnContext, AuthnOutcome, TokenAuthenticator, UserInfo } from "../../types";
import { formatFieldErrors } from "../serviceaccount/field-error";
import { GO_ZERO_TIME, goJsonTypeName, goQuote, goQuoteSlice, goTime, goUnixTime } from "../../go";
import {
  decodeUntrustedPayload,
  describeKey,
  importPublicKeyFromJwk,
  parseCompactJws,
  untrustedIssuerOf,
  verifyJwsSignature,
  type VerificationKey,
} from "../serviceaccount/jws";
import { evaluateCel, toCelValue, type CompiledExpression } from "./cel";
import { ALL_VALID_SIGNING_ALGS, type JwtAuthenticatorConfig } from "./config-types";
import { validateJwtAuthenticator, type CompiledJwtAuthenticator, type CompiledRule } from "./validation";

export interface Jwks {
  keys: JsonWebKey[];
}

export interface JwtAuthenticatorOptions {
  /** The issuer's JWKS; undefined models "discovery not fetched yet" (authenticator not initialized). */
  jwks?: Jwks;
  /** Accepted algs: structured config accepts all; --oidc-signing-algs defaults to RS256. */
  signingAlgs?: string[];
  /** --service-account-issuer values, which a JWT issuer must not reuse. */
  disallowedIssuers?: string[];
}

export class JwtAuthenticatorConfigError extends Error {}

const GOOGLE_ISSUER = "https://accounts.google.com";
const NBF_LEEWAY_MS = 60_000;

type Step<T> = { ok: true; value: T } | { ok: false; error: string };
const failed = (error: string): { ok: false; error: string } => ({ ok: false, error });

function loadJwks(jwks: Jwks): VerificationKey[] {
  const keys: VerificationKey[] = [];
  for (const jwk of jwks.keys) {
    const key = importPublicKeyFromJwk(jwk);
    const described = key ? describeKey(typeof jwk.kid === "string" ? jwk.kid : "", key) : undefined;
    if (described) keys.push(described);
  }
  return keys;
}

/** go-oidc's jsonTime: a number, or a string holding a valid number (encoding/json allows that for json.Number). */
function jsonTime(value: unknown, claim: string): Step<number | undefined> {
  if (value === undefined || value === null) return { ok: true, value: undefined };
  if (typeof value === "number") return { ok: true, value: Math.trunc(value) };
  if (typeof value === "string" && /^-?(0|[1-9]\d*)(\.\d+)?([eE][+-]?\d+)?$/.test(value))
    return { ok: true, value: Math.trunc(Number(value)) };
  // UNVERIFIED in spec: chose encoding/json's wording for a non-number time claim.
  if (typeof value === "string")
    return failed(`json: invalid number literal, trying to unmarshal ${goQuote(JSON.stringify(value))} into Number`);
  return failed(`json: cannot unmarshal ${goJsonTypeName(value)} into Go struct field idToken.${claim} of type json.Number`);
}

function audienceOf(value: unknown): Step<string[]> {
  if (value === undefined || value === null) return { ok: true, value: [] };
  if (typeof value === "string") return { ok: true, value: [value] };
  if (Array.isArray(value) && value.every((v): v is string => typeof v === "string")) return { ok: true, value };
  return failed(`json: cannot unmarshal ${goJsonTypeName(value)} into Go value of type string`);
}

/** json.Unmarshal of one claim into a Go string ("claim not present" when absent). */
function claimString(claims: Record<string, unknown>, name: string): Step<string> {
  if (!Object.prototype.hasOwnProperty.call(claims, name)) return failed("claim not present");
  const value = claims[name];
  if (value === null) return { ok: true, value: "" };
  if (typeof value !== "string") return failed(`json: cannot unmarshal ${goJsonTypeName(value)} into Go value of type string`);
  return { ok: true, value };
}

/** convertCELValueToStringList: string or list of strings; "", [] and null mean none. */
function celStringList(value: unknown): Step<string[]> {
  if (value === null) return { ok: true, value: [] };
  if (typeof value === "string") return { ok: true, value: value ? [value] : [] };
  if (Array.isArray(value)) {
    if (!value.every((v): v is string => typeof v === "string")) return failed("expression must return a string or a list of strings");
    return { ok: true, value: value.filter((v) => v.length > 0) };
  }
  return failed("expression must return a string or a list of strings");
}

export function compileJwtAuthenticator(config: JwtAuthenticatorConfig, disallowedIssuers: string[] = []): CompiledJwtAuthenticator {
  const { errors, compiled } = validateJwtAuthenticator(config, "", disallowedIssuers);
  if (errors.length > 0) throw new JwtAuthenticatorConfigError(formatFieldErrors(errors));
  return compiled;
}

/**
 * Builds the authenticator. Throws JwtAuthenticatorConfigError for an invalid config (like
 * oidc.New returning an error at apiserver startup); authenticateToken itself never throws.
 */
export function createJwtAuthenticator(config: JwtAuthenticatorConfig, options: JwtAuthenticatorOptions = {}): TokenAuthenticator {
  const signingAlgs = options.signingAlgs && options.signingAlgs.length > 0 ? options.signingAlgs : ALL_VALID_SIGNING_ALGS;
  for (const alg of signingAlgs) {
    if (!ALL_VALID_SIGNING_ALGS.includes(alg)) throw new JwtAuthenticatorConfigError(`oidc: unsupported signing alg: ${goQuote(alg)}`);
  }
  const compiled = compileJwtAuthenticator(config, options.disallowedIssuers);
  const keys = options.jwks ? loadJwks(options.jwks) : undefined;
  const issuerUrl = config.issuer.url;
  const audiences = config.issuer.audiences;
  const sortedAudiences = [...new Set(audiences)].sort();

  function verify(token: string, untrusted: Record<string, unknown> | null, now: Date): Step<Record<string, unknown>> {
    const jws = parseCompactJws(token, untrusted);
    if ("malformed" in jws) return failed(`oidc: malformed jwt: ${jws.malformed}`);
    const payload = jws.payload;
    const iss = typeof payload.iss === "string" ? payload.iss : "";
    const aud = audienceOf(payload.aud);
    const exp = jsonTime(payload.exp, "exp");
    const nbf = jsonTime(payload.nbf, "nbf");
    const iat = jsonTime(payload.iat, "iat");
    for (const step of [aud, exp, nbf, iat]) if (!step.ok) return failed(`oidc: failed to unmarshal claims: ${step.error}`);
    if (!aud.ok || !exp.ok || !nbf.ok) return failed("oidc: failed to unmarshal claims");
    if (iss !== issuerUrl && !(issuerUrl === GOOGLE_ISSUER && iss === "accounts.google.com")) {
      return failed(`oidc: id token issued by a different provider, expected ${goQuote(issuerUrl)} got ${goQuote(iss)}`);
    }
    if (audiences.length === 1 && !aud.value.includes(audiences[0] ?? "")) {
      return failed(`oidc: expected audience ${goQuote(audiences[0] ?? "")} got ${goQuoteSlice(aud.value)}`);
    }
    // go-oidc has no leeway on exp; a missing exp is Go's zero time, hence always expired.
    if (exp.value === undefined || exp.value * 1000 < now.getTime()) {
      return failed(`oidc: token is expired (Token Expiry: ${exp.value === undefined ? GO_ZERO_TIME : goUnixTime(exp.value)})`);
    }
    if (nbf.value !== undefined && now.getTime() + NBF_LEEWAY_MS < nbf.value * 1000) {
      return failed(`oidc: current time ${goTime(now)} before the nbf (not before) time: ${goUnixTime(nbf.value)}`);
    }
    const alg = typeof jws.header.alg === "string" ? jws.header.alg : "";
    if (!signingAlgs.includes(alg)) {
      return failed(`oidc: id token signed with unsupported algorithm, expected ${goQuoteSlice(signingAlgs)} got ${goQuote(alg)}`);
    }
    const kid = typeof jws.header.kid === "string" ? jws.header.kid : "";
    const verified = (keys ?? []).some(
      (key) => (kid === "" || key.kid === kid) && verifyJwsSignature(alg, key, jws.signingInput, jws.signature),
    );
    // UNVERIFIED in spec: chose go-oidc v2 RemoteKeySet's final error, as no key (after a refetch) verifies.
    if (!verified) return failed("failed to verify signature: failed to verify id token signature");
    if (audiences.length > 1 && !aud.value.some((a) => sortedAudiences.includes(a))) {
      return failed(`oidc: expected audience in ${goQuoteSlice(sortedAudiences)} got ${goQuoteSlice(aud.value)}`);
    }
    return { ok: true, value: payload };
  }

  function evalMapping(program: CompiledExpression, celClaims: Record<string, unknown>): Step<unknown> {
    const result = evaluateCel(program, { claims: celClaims });
    return result.ok ? { ok: true, value: result.value } : failed(result.error);
  }

  function username(claims: Record<string, unknown>, celClaims: Record<string, unknown>): Step<string> {
    if (compiled.username) {
      const result = evalMapping(compiled.username, celClaims);
      if (!result.ok) return failed(`oidc: error evaluating username claim expression: ${result.error}`);
      if (typeof result.value !== "string") {
        return failed("oidc: error evaluating username claim expression: username claim expression must return a string");
      }
      if (result.value === "") return failed("oidc: empty username via CEL expression is not allowed");
      return { ok: true, value: result.value };
    }
    const claim = config.claimMappings.username.claim ?? "";
    const value = claimString(claims, claim);
    if (!value.ok) return failed(`oidc: parse username claims ${goQuote(claim)}: ${value.error}`);
    if (claim === "email" && Object.prototype.hasOwnProperty.call(claims, "email_verified")) {
      const verifiedClaim = claims.email_verified;
      if (verifiedClaim !== null && typeof verifiedClaim !== "boolean") {
        return failed(
          `oidc: parse 'email_verified' claim: json: cannot unmarshal ${goJsonTypeName(verifiedClaim)} into Go value of type bool`,
        );
      }
      if (verifiedClaim !== true) return failed("oidc: email not verified");
    }
    const prefix = config.claimMappings.username.prefix ?? "";
    return { ok: true, value: prefix + value.value };
  }

  function groups(claims: Record<string, unknown>, celClaims: Record<string, unknown>): Step<string[]> {
    const claim = config.claimMappings.groups?.claim ?? "";
    if (claim && Object.prototype.hasOwnProperty.call(claims, claim)) {
      const value = claims[claim];
      let list: string[];
      if (value === null) list = [];
      else if (typeof value === "string") list = [value];
      else if (Array.isArray(value) && value.every((v): v is string => typeof v === "string")) list = [...value];
      else
        return failed(
          `oidc: parse groups claim ${goQuote(claim)}: json: cannot unmarshal ${goJsonTypeName(value)} into Go value of type string`,
        );
      const prefix = config.claimMappings.groups?.prefix ?? "";
      return { ok: true, value: list.map((group) => prefix + group) };
    }
    if (!compiled.groups) return { ok: true, value: [] };
    const result = evalMapping(compiled.groups, celClaims);
    const list = result.ok ? celStringList(result.value) : result;
    return list.ok ? list : failed(`oidc: error evaluating group claim expression: ${list.error}`);
  }

  function uid(claims: Record<string, unknown>, celClaims: Record<string, unknown>): Step<string> {
    const claim = config.claimMappings.uid?.claim ?? "";
    if (claim) {
      const value = claimString(claims, claim);
      return value.ok ? value : failed(`oidc: parse uid claim ${goQuote(claim)}: ${value.error}`);
    }
    if (!compiled.uid) return { ok: true, value: "" };
    const result = evalMapping(compiled.uid, celClaims);
    if (!result.ok) return failed(`oidc: error evaluating uid claim expression: ${result.error}`);
    if (typeof result.value !== "string")
      return failed("oidc: error evaluating uid claim expression: uid claim expression must return a string");
    return { ok: true, value: result.value };
  }

  function extra(celClaims: Record<string, unknown>): Step<Record<string, string[]>> {
    const evaluated: Array<{ key: string; expression: string; value: unknown }> = [];
    for (const mapping of compiled.extra) {
      const result = evalMapping(mapping.compiled, celClaims);
      if (!result.ok) return result; // the mapper's error is returned unwrapped
      evaluated.push({ key: mapping.key, expression: mapping.compiled.expression, value: result.value });
    }
    const out: Record<string, string[]> = {};
    for (const entry of evaluated) {
      const list = celStringList(entry.value);
      if (!list.ok) return failed(`oidc: error evaluating extra claim expression: ${entry.expression}: ${list.error}`);
      if (list.value.length > 0) out[entry.key] = list.value;
    }
    return { ok: true, value: out };
  }

  function checkRules(rules: CompiledRule[], input: Record<string, unknown>, prefix: string): string | undefined {
    const results: Array<{ rule: CompiledRule; value: unknown }> = [];
    for (const rule of rules) {
      const result = evaluateCel(rule.compiled, input);
      if (!result.ok) return `${prefix}: ${result.error}`;
      results.push({ rule, value: result.value });
    }
    for (const { rule, value } of results) {
      if (typeof value !== "boolean") return `${prefix}: validation expression must return a boolean`;
      if (!value) return `${prefix}: validation expression '${rule.compiled.expression}' failed: ${rule.message}`;
    }
    return undefined;
  }

  function authenticate(token: string, context: AuthnContext): AuthnOutcome {
    const untrusted = decodeUntrustedPayload(token);
    const untrustedIss = untrusted === undefined ? undefined : untrustedIssuerOf(untrusted);
    const coalesced = untrustedIss === "accounts.google.com" ? GOOGLE_ISSUER : untrustedIss;
    if (coalesced === undefined) return { kind: "no-opinion", reason: "token is not a compact JWT with a JSON payload" };
    if (coalesced !== issuerUrl) return { kind: "no-opinion", reason: `token issuer ${goQuote(coalesced)} is not ${goQuote(issuerUrl)}` };
    if (!keys) return { kind: "error", error: "oidc: authenticator not initialized" };

    const verified = verify(token, untrusted ?? null, context.now);
    if (!verified.ok) return { kind: "error", error: `oidc: verify token: ${verified.error}` };
    const claims = verified.value;
    const needsCel = Boolean(
      compiled.username || compiled.groups || compiled.uid || compiled.extra.length || compiled.claimValidationRules.length,
    );
    const celClaims = needsCel ? (toCelValue(claims) as Record<string, unknown>) : {};

    const name = username(claims, celClaims);
    if (!name.ok) return { kind: "error", error: name.error };
    const groupList = groups(claims, celClaims);
    if (!groupList.ok) return { kind: "error", error: groupList.error };
    const userUid = uid(claims, celClaims);
    if (!userUid.ok) return { kind: "error", error: userUid.error };
    const extras = extra(celClaims);
    if (!extras.ok) return { kind: "error", error: extras.error };

    for (const [claim, want] of compiled.requiredClaims) {
      if (!Object.prototype.hasOwnProperty.call(claims, claim)) {
        return { kind: "error", error: `oidc: required claim ${claim} not present in ID token` };
      }
      const got = claimString(claims, claim);
      if (!got.ok) return { kind: "error", error: `oidc: parse claim ${claim}: ${got.error}` };
      if (got.value !== want) {
        return { kind: "error", error: `oidc: required claim ${claim} value does not match. Got = ${got.value}, want = ${want}` };
      }
    }
    const claimRuleError = checkRules(
      compiled.claimValidationRules,
      { claims: celClaims },
      "oidc: error evaluating claim validation expression",
    );
    if (claimRuleError) return { kind: "error", error: claimRuleError };

    const user: UserInfo = { name: name.value, uid: userUid.value, groups: groupList.value, extra: extras.value };
    const userInput = { user: { username: user.name, uid: user.uid, groups: user.groups, extra: user.extra } };
    const userRuleError = checkRules(compiled.userValidationRules, userInput, "oidc: error evaluating user info validation rule");
    if (userRuleError) return { kind: "error", error: userRuleError };

    const exp = typeof claims.exp === "number" ? claims.exp : Number(claims.exp);
    return { kind: "user", user, ...(Number.isFinite(exp) ? { validUntil: new Date(Math.trunc(exp) * 1000) } : {}) };
  }

  return {
    name: `oidc:${issuerUrl}`,
    async authenticateToken(token: string, context: AuthnContext): Promise<AuthnOutcome> {
      try {
        return authenticate(token, context);
      } catch (error) {
        return { kind: "error", error: `oidc: ${error instanceof Error ? error.message : String(error)}` };
      }
    },
  };
}
