import { describe, expect, it } from "vitest";
import { parseAuthenticationConfiguration } from "./config";

const valid = `
apiVersion: apiserver.config.k8s.io/v1beta1
kind: AuthenticationConfiguration
jwt:
- issuer:
    url: https://idp.example
    audiences: [kubectl]
  claimValidationRules:
  - claim: hd
    requiredValue: example.com
  claimMappings:
    username:
      claim: sub
      prefix: "oidc:"
    groups:
      claim: groups
      prefix: ""
`;

describe("parseAuthenticationConfiguration (§4.2)", () => {
  it("accepts v1beta1", () => {
    const result = parseAuthenticationConfiguration(valid);
    expect(result.ok && result.config.jwt[0]?.claimMappings.username).toEqual({ claim: "sub", prefix: "oidc:" });
  });

  it("rejects apiserver.config.k8s.io/v1, which 1.32 does not have", () => {
    const result = parseAuthenticationConfiguration(valid.replace("v1beta1", "v1"));
    expect(!result.ok && result.errors[0]).toMatch(
      /^no kind "AuthenticationConfiguration" is registered for version "apiserver.config.k8s.io\/v1"/,
    );
  });

  it("reports the apiserver's validation messages", () => {
    const bad = `
apiVersion: apiserver.config.k8s.io/v1beta1
kind: AuthenticationConfiguration
jwt:
- issuer:
    url: http://idp.example?x=1
    audiences: [a, b]
  claimValidationRules:
  - claim: hd
    expression: "true"
  claimMappings:
    username:
      claim: sub
    extra:
    - key: kubernetes.io/foo
      valueExpression: claims.x
- issuer:
    url: https://idp2.example
    audiences: [a]
  claimMappings:
    username:
      expression: claims.email
`;
    const result = parseAuthenticationConfiguration(bad);
    expect(!result.ok && result.errors).toEqual([
      'jwt[0].issuer.url: Invalid value: "http://idp.example?x=1": URL scheme must be https',
      'jwt[0].issuer.url: Invalid value: "http://idp.example?x=1": URL must not contain a query',
      'jwt[0].issuer.audienceMatchPolicy: Invalid value: "": audienceMatchPolicy must be MatchAny for multiple audiences',
      'jwt[0].claimValidationRules[0]: Invalid value: "hd": claim and expression can\'t both be set',
      "jwt[0].claimMappings.username.prefix: Required value: prefix is required when claim is set. It can be set to an empty string to disable prefixing",
      'jwt[0].claimMappings.extra[0].key: Invalid value: "kubernetes.io/foo": k8s.io, kubernetes.io and their subdomains are reserved for Kubernetes use',
      'jwt[1].claimMappings.username.expression: Invalid value: "claims.email": claims.email_verified must be used in claimMappings.username.expression or claimMappings.extra[*].valueExpression or claimValidationRules[*].expression when claims.email is used in claimMappings.username.expression',
    ]);
  });

  it("accepts claims.email when email_verified is checked, and rejects unknown fields and bad CEL", () => {
    const ok = valid.replace(
      /username:\n\s+claim: sub\n\s+prefix: "oidc:"/,
      "username:\n        expression: \"claims.email_verified ? claims.email : ''\"",
    );
    expect(parseAuthenticationConfiguration(ok).ok).toBe(true);
    const unknown = parseAuthenticationConfiguration(valid.replace("audiences: [kubectl]", "audiences: [kubectl]\n    bogus: 1"));
    expect(!unknown.ok && unknown.errors).toEqual(['strict decoding error: unknown field "jwt[0].issuer.bogus"']);
    const badCel = parseAuthenticationConfiguration(
      valid.replace("- claim: hd\n    requiredValue: example.com", "- expression: 'claims.'"),
    );
    expect(!badCel.ok && badCel.errors[0]).toMatch(
      /^jwt\[0\]\.claimValidationRules\[0\]\.expression: Invalid value: "claims\.": compilation failed: /,
    );
  });

  it("refuses more than 64 authenticators and issuers that overlap the ServiceAccount issuer", () => {
    const many = `apiVersion: apiserver.config.k8s.io/v1beta1\nkind: AuthenticationConfiguration\njwt:\n${Array.from({ length: 65 }, (_, i) => `- issuer: {url: "https://i${i}", audiences: [a]}\n  claimMappings: {username: {claim: sub, prefix: ""}}`).join("\n")}`;
    expect(parseAuthenticationConfiguration(many)).toEqual({ ok: false, errors: ["jwt: Too many: 65: must have at most 64 items"] });
    const overlap = parseAuthenticationConfiguration(valid, ["https://idp.example"]);
    expect(!overlap.ok && overlap.errors[0]).toBe(
      'jwt[0].issuer.url: Invalid value: "https://idp.example": URL must not overlap with disallowed issuers: [https://idp.example]',
    );
  });
});
