/**
 * validateJWTAuthenticator from k8s.io/apiserver/pkg/apis/apiserver/validation, compiling the CEL
 * expressions on the way (the compiled programs are what the authenticator runs).
 */
import { duplicate, invalid, required, tooMany, type FieldError } from "../serviceaccount/field-error";
import { compileCel, selectsClaim, type CelVariable, type CompiledExpression } from "./cel";
import type { AuthenticationConfiguration, JwtAuthenticatorConfig, PrefixedClaimOrExpression } from "./config-types";

export interface CompiledRule {
  compiled: CompiledExpression;
  message: string;
}

export interface CompiledJwtAuthenticator {
  config: JwtAuthenticatorConfig;
  username?: CompiledExpression;
  groups?: CompiledExpression;
  uid?: CompiledExpression;
  extra: Array<{ key: string; compiled: CompiledExpression }>;
  claimValidationRules: CompiledRule[];
  userValidationRules: CompiledRule[];
  requiredClaims: Array<[string, string]>;
}

/** Joins a field path the way field.Path.String() does ("jwt[0].issuer.url"). */
const child = (base: string, name: string): string => (base ? `${base}.${name}` : name);

function compile(
  expression: string,
  variable: CelVariable,
  path: string,
  expectBool: boolean,
  errors: FieldError[],
): CompiledExpression | undefined {
  const compiled = compileCel(expression, variable);
  if ("error" in compiled) {
    errors.push(invalid(path, expression, `compilation failed: ${compiled.error}`));
    return undefined;
  }
  // UNVERIFIED in spec: chose to accept `dyn` for bool rules (checked at evaluation time) because
  // claims are map(string, dyn) and cel-js infers dyn for plain claim selections.
  if (expectBool && compiled.type !== "bool" && compiled.type !== "dyn") {
    errors.push(invalid(path, expression, "must evaluate to bool"));
    return undefined;
  }
  return compiled;
}

function validateUrl(url: string, path: string, disallowed: ReadonlySet<string>): FieldError[] {
  const errors: FieldError[] = [];
  if (disallowed.has(url)) {
    errors.push(invalid(path, url, `URL must not overlap with disallowed issuers: [${[...disallowed].sort().join(" ")}]`));
  }
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    if (!/^https:/i.test(url)) errors.push(invalid(path, url, "URL scheme must be https"));
    return errors;
  }
  if (parsed.protocol !== "https:") errors.push(invalid(path, url, "URL scheme must be https"));
  if (parsed.username || parsed.password) errors.push(invalid(path, url, "URL must not contain a username or password"));
  if (parsed.search.length > 1) errors.push(invalid(path, url, "URL must not contain a query"));
  if (parsed.hash.length > 1) errors.push(invalid(path, url, "URL must not contain a fragment"));
  return errors;
}

function validatePrefixed(
  mapping: PrefixedClaimOrExpression | undefined,
  path: string,
  claimOrExpressionRequired: boolean,
  errors: FieldError[],
): CompiledExpression | undefined {
  const claim = mapping?.claim ?? "";
  const expression = mapping?.expression ?? "";
  if (expression && claim) errors.push(invalid(path, "", "claim and expression can't both be set"));
  else if (!expression && !claim && claimOrExpressionRequired) errors.push(required(path, "claim or expression is required"));
  else if (expression) {
    if (mapping?.prefix !== undefined)
      errors.push(invalid(child(path, "prefix"), mapping.prefix, "may not be specified when expression is set"));
    return compile(expression, "claims", child(path, "expression"), false, errors);
  } else if (claim && mapping?.prefix === undefined) {
    errors.push(
      required(child(path, "prefix"), "prefix is required when claim is set. It can be set to an empty string to disable prefixing"),
    );
  }
  return undefined;
}

const DOMAIN_PREFIXED_PATH = /^([a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*)\/[A-Za-z0-9/\-._~%!$&'()*+,;=:]+$/i;

function isKubernetesReserved(key: string): boolean {
  const domain = key.includes("/") ? (key.split("/")[0] ?? "") : "";
  return ["kubernetes.io", "k8s.io"].some((reserved) => domain === reserved || domain.endsWith(`.${reserved}`));
}

export function validateJwtAuthenticator(
  config: JwtAuthenticatorConfig,
  path: string,
  disallowedIssuers: readonly string[] = [],
): { errors: FieldError[]; compiled: CompiledJwtAuthenticator } {
  const errors: FieldError[] = [];
  const issuerPath = child(path, "issuer");
  const { issuer } = config;
  if (!issuer.url) errors.push(required(child(issuerPath, "url")));
  else errors.push(...validateUrl(issuer.url, child(issuerPath, "url"), new Set(disallowedIssuers)));
  if (issuer.discoveryURL) {
    if (issuer.url && issuer.url.replace(/\/+$/, "") === issuer.discoveryURL.replace(/\/+$/, "")) {
      errors.push(invalid(child(issuerPath, "discoveryURL"), issuer.discoveryURL, "discoveryURL must be different from URL"));
    }
    errors.push(...validateUrl(issuer.discoveryURL, child(issuerPath, "discoveryURL"), new Set()));
  }
  const audiencesPath = child(issuerPath, "audiences");
  const policy = issuer.audienceMatchPolicy ?? "";
  if (issuer.audiences.length === 0) errors.push(required(audiencesPath, `at least one ${audiencesPath} is required`));
  else {
    const seen = new Set<string>();
    issuer.audiences.forEach((audience, i) => {
      if (!audience) errors.push(required(`${audiencesPath}[${i}]`));
      if (seen.has(audience)) errors.push(duplicate(`${audiencesPath}[${i}]`, audience));
      seen.add(audience);
    });
    const policyPath = child(issuerPath, "audienceMatchPolicy");
    if (issuer.audiences.length > 1 && policy !== "MatchAny") {
      errors.push(invalid(policyPath, policy, "audienceMatchPolicy must be MatchAny for multiple audiences"));
    }
    if (issuer.audiences.length === 1 && policy && policy !== "MatchAny") {
      errors.push(invalid(policyPath, policy, "audienceMatchPolicy must be empty or MatchAny for single audience"));
    }
  }

  const compiled: CompiledJwtAuthenticator = {
    config,
    extra: [],
    claimValidationRules: [],
    userValidationRules: [],
    requiredClaims: [],
  };

  // claimValidationRules
  const seenClaims = new Set<string>();
  const seenExpressions = new Set<string>();
  (config.claimValidationRules ?? []).forEach((rule, i) => {
    const rulePath = `${child(path, "claimValidationRules")}[${i}]`;
    const claim = rule.claim ?? "";
    const expression = rule.expression ?? "";
    if (claim && expression) errors.push(invalid(rulePath, claim, "claim and expression can't both be set"));
    else if (!claim && !expression) errors.push(required(rulePath, "claim or expression is required"));
    else if (claim) {
      if (rule.message) errors.push(invalid(child(rulePath, "message"), rule.message, "may not be specified when claim is set"));
      if (seenClaims.has(claim)) errors.push(duplicate(child(rulePath, "claim"), claim));
      seenClaims.add(claim);
      compiled.requiredClaims.push([claim, rule.requiredValue ?? ""]);
    } else {
      if (rule.requiredValue) {
        errors.push(invalid(child(rulePath, "requiredValue"), rule.requiredValue, "may not be specified when expression is set"));
      }
      if (seenExpressions.has(expression)) {
        errors.push(duplicate(child(rulePath, "expression"), expression));
        return;
      }
      seenExpressions.add(expression);
      const program = compile(expression, "claims", child(rulePath, "expression"), true, errors);
      if (program) compiled.claimValidationRules.push({ compiled: program, message: rule.message ?? "" });
    }
  });

  // claimMappings
  const mappingsPath = child(path, "claimMappings");
  const mappings = config.claimMappings;
  compiled.username = validatePrefixed(mappings.username, child(mappingsPath, "username"), true, errors);
  compiled.groups = validatePrefixed(mappings.groups, child(mappingsPath, "groups"), false, errors);
  const uidClaim = mappings.uid?.claim ?? "";
  const uidExpression = mappings.uid?.expression ?? "";
  if (uidClaim && uidExpression) errors.push(invalid(child(mappingsPath, "uid"), "", "claim and expression can't both be set"));
  else if (uidExpression) compiled.uid = compile(uidExpression, "claims", child(child(mappingsPath, "uid"), "expression"), false, errors);

  const seenKeys = new Set<string>();
  (mappings.extra ?? []).forEach((mapping, i) => {
    const extraPath = `${child(mappingsPath, "extra")}[${i}]`;
    const keyPath = child(extraPath, "key");
    if (!mapping.key) errors.push(required(keyPath));
    else if (!DOMAIN_PREFIXED_PATH.test(mapping.key))
      errors.push(invalid(keyPath, mapping.key, 'must be a domain-prefixed path (such as "acme.io/foo")'));
    if (mapping.key !== mapping.key.toLowerCase()) errors.push(invalid(keyPath, mapping.key, "must be lowercase"));
    if (isKubernetesReserved(mapping.key)) {
      errors.push(invalid(keyPath, mapping.key, "k8s.io, kubernetes.io and their subdomains are reserved for Kubernetes use"));
    }
    if (seenKeys.has(mapping.key)) {
      errors.push(duplicate(keyPath, mapping.key));
      return;
    }
    seenKeys.add(mapping.key);
    if (!mapping.valueExpression) {
      errors.push(required(child(extraPath, "valueExpression")));
      return;
    }
    const program = compile(mapping.valueExpression, "claims", child(extraPath, "valueExpression"), false, errors);
    if (program) compiled.extra.push({ key: mapping.key, compiled: program });
  });

  const usesEmail = compiled.username ? selectsClaim(compiled.username.ast, "email") : false;
  const usesEmailVerified = [
    compiled.username,
    ...compiled.extra.map((e) => e.compiled),
    ...compiled.claimValidationRules.map((r) => r.compiled),
  ].some((program) => program !== undefined && selectsClaim(program.ast, "email_verified"));
  if (usesEmail && !usesEmailVerified) {
    errors.push(
      invalid(
        child(child(mappingsPath, "username"), "expression"),
        mappings.username.expression ?? "",
        "claims.email_verified must be used in claimMappings.username.expression or claimMappings.extra[*].valueExpression or claimValidationRules[*].expression when claims.email is used in claimMappings.username.expression",
      ),
    );
  }

  // userValidationRules
  const seenUserExpressions = new Set<string>();
  (config.userValidationRules ?? []).forEach((rule, i) => {
    const rulePath = `${child(path, "userValidationRules")}[${i}]`;
    if (!rule.expression) {
      errors.push(required(child(rulePath, "expression")));
      return;
    }
    if (seenUserExpressions.has(rule.expression)) {
      errors.push(duplicate(child(rulePath, "expression"), rule.expression));
      return;
    }
    seenUserExpressions.add(rule.expression);
    const program = compile(rule.expression, "user", child(rulePath, "expression"), true, errors);
    if (program) compiled.userValidationRules.push({ compiled: program, message: rule.message ?? "" });
  });

  return { errors, compiled };
}

/** ValidateAuthenticationConfiguration: at most 64 authenticators, unique issuer and discovery URLs. */
export function validateAuthenticationConfiguration(
  config: AuthenticationConfiguration,
  disallowedIssuers: readonly string[] = [],
): FieldError[] {
  if (config.jwt.length > 64) return [tooMany("jwt", config.jwt.length, 64)];
  const errors: FieldError[] = [];
  const seenIssuers = new Set<string>();
  const seenDiscovery = new Set<string>();
  config.jwt.forEach((authenticator, i) => {
    const path = `jwt[${i}]`;
    errors.push(...validateJwtAuthenticator(authenticator, path, disallowedIssuers).errors);
    if (seenIssuers.has(authenticator.issuer.url)) errors.push(duplicate(`${path}.issuer.url`, authenticator.issuer.url));
    seenIssuers.add(authenticator.issuer.url);
    const discovery = authenticator.issuer.discoveryURL;
    if (discovery) {
      if (seenDiscovery.has(discovery)) errors.push(duplicate(`${path}.issuer.discoveryURL`, discovery));
      seenDiscovery.add(discovery);
    }
  });
  return errors;
}
