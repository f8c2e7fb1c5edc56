import { createHmac } from "node:crypto";
import { beforeAll, describe, expect, it } from "vitest";
import type { AuthnContext, AuthnOutcome } from "../../types";
import { malformedTokens } from "../serviceaccount/test-helpers";
import { createJwtAuthenticator, JwtAuthenticatorConfigError } from "./authenticator";
import type { JwtAuthenticatorConfig } from "./config-types";
import { oidcFlagsToJwtAuthenticator } from "./flags";
import { createIdentityProvider, restoreIdentityProvider, type IdentityProvider } from "./identity-provider";

const ISSUER = "https://idp.example";
const T0 = new Date("2025-03-01T12:00:00Z");
const ctx = (offsetSeconds = 0): AuthnContext => ({
  now: new Date(T0.getTime() + offsetSeconds * 1000),
  apiAudiences: ["https://kubernetes.default.svc"],
});
const errorOf = (o: AuthnOutcome): string => (o.kind === "error" ? o.error : `<${o.kind}>`);

let idp: IdentityProvider;
let ecIdp: IdentityProvider;
beforeAll(() => {
  idp = createIdentityProvider({ issuer: ISSUER, alg: "RS256" });
  ecIdp = createIdentityProvider({ issuer: ISSUER, alg: "ES256" });
});

function fromFlags(flags: Parameters<typeof oidcFlagsToJwtAuthenticator>[0], provider = idp) {
  const result = oidcFlagsToJwtAuthenticator({ issuerUrl: ISSUER, clientId: "kubectl", ...flags });
  if (!result.ok || !result.authenticator) throw new Error(JSON.stringify(result));
  return createJwtAuthenticator(result.authenticator, { jwks: provider.jwks(), signingAlgs: result.signingAlgs });
}

const token = (claims: Record<string, unknown>, provider = idp, expiresInSeconds = 3600) =>
  provider.issueIdToken({ claims: { aud: "kubectl", sub: "alice", ...claims }, now: T0, expiresInSeconds });

describe("--oidc-* flags (§4.1)", () => {
  it("prefixes non-email claims with issuer# by default", async () => {
    const outcome = await fromFlags({}).authenticateToken(await token({}), ctx());
    expect(outcome).toMatchObject({ kind: "user", user: { name: "https://idp.example#alice", uid: "", groups: [], extra: {} } });
  });

  it("'-' disables prefixing; email claim has no default prefix; explicit prefixes apply", async () => {
    expect(await fromFlags({ usernamePrefix: "-" }).authenticateToken(await token({}), ctx())).toMatchObject({ user: { name: "alice" } });
    const email = await token({ email: "alice@example.com" });
    expect(await fromFlags({ usernameClaim: "email" }).authenticateToken(email, ctx())).toMatchObject({
      user: { name: "alice@example.com" },
    });
    const groups = await token({ groups: ["dev", "ops"] });
    expect(
      await fromFlags({ usernamePrefix: "oidc:", groupsClaim: "groups", groupsPrefix: "oidc:" }).authenticateToken(groups, ctx()),
    ).toMatchObject({
      user: { name: "oidc:alice", groups: ["oidc:dev", "oidc:ops"] },
    });
    const single = await token({ role: "admins" });
    expect(await fromFlags({ groupsClaim: "role" }).authenticateToken(single, ctx())).toMatchObject({ user: { groups: ["admins"] } });
  });

  it("validates the flag combination and signing algs", () => {
    expect(oidcFlagsToJwtAuthenticator({ issuerUrl: ISSUER })).toEqual({
      ok: false,
      errors: ["oidc-issuer-url and oidc-client-id should be specified together"],
    });
    expect(oidcFlagsToJwtAuthenticator({ issuerUrl: ISSUER, clientId: "c", signingAlgs: ["HS256"] })).toEqual({
      ok: false,
      errors: ['oidc: unsupported signing alg: "HS256"'],
    });
    expect(oidcFlagsToJwtAuthenticator({ issuerUrl: "http://idp", clientId: "c" })).toEqual({
      ok: false,
      errors: ['issuer.url: Invalid value: "http://idp": URL scheme must be https'],
    });
  });

  it("the email_verified rule", async () => {
    const auth = fromFlags({ usernameClaim: "email" });
    expect(errorOf(await auth.authenticateToken(await token({ email: "a@x", email_verified: false }), ctx()))).toBe(
      "oidc: email not verified",
    );
    expect(errorOf(await auth.authenticateToken(await token({ email: "a@x", email_verified: "true" }), ctx()))).toBe(
      "oidc: parse 'email_verified' claim: json: cannot unmarshal string into Go value of type bool",
    );
    expect((await auth.authenticateToken(await token({ email: "a@x", email_verified: true }), ctx())).kind).toBe("user");
    expect((await auth.authenticateToken(await token({ email: "a@x" }), ctx())).kind).toBe("user");
  });

  it("required claims", async () => {
    const auth = fromFlags({ requiredClaims: { hd: "example.com" } });
    expect(errorOf(await auth.authenticateToken(await token({}), ctx()))).toBe("oidc: required claim hd not present in ID token");
    expect(errorOf(await auth.authenticateToken(await token({ hd: "evil.com" }), ctx()))).toBe(
      "oidc: required claim hd value does not match. Got = evil.com, want = example.com",
    );
    expect((await auth.authenticateToken(await token({ hd: "example.com" }), ctx())).kind).toBe("user");
  });
});

describe("rejections (§4.3)", () => {
  it("other issuer or not a JWT: no opinion; no JWKS yet: not initialized", async () => {
    const auth = fromFlags({});
    const other = await createIdentityProvider({ issuer: "https://other", alg: "ES256" }).issueIdToken({ claims: {}, now: T0 });
    expect((await auth.authenticateToken(other, ctx())).kind).toBe("no-opinion");
    expect((await auth.authenticateToken("garbage", ctx())).kind).toBe("no-opinion");
    const result = oidcFlagsToJwtAuthenticator({ issuerUrl: ISSUER, clientId: "kubectl" });
    if (!result.ok || !result.authenticator) throw new Error("flags");
    const uninitialized = createJwtAuthenticator(result.authenticator, {});
    expect(errorOf(await uninitialized.authenticateToken(await token({}), ctx()))).toBe("oidc: authenticator not initialized");
  });

  it("audience, expiry (no leeway), nbf (1 minute leeway)", async () => {
    const auth = fromFlags({});
    expect(errorOf(await auth.authenticateToken(await token({ aud: ["x", "y"] }), ctx()))).toBe(
      'oidc: verify token: oidc: expected audience "kubectl" got ["x" "y"]',
    );
    const short = await token({}, idp, 60);
    expect((await auth.authenticateToken(short, ctx(60))).kind).toBe("user");
    expect(errorOf(await auth.authenticateToken(short, ctx(61)))).toBe(
      "oidc: verify token: oidc: token is expired (Token Expiry: 2025-03-01 12:01:00 +0000 UTC)",
    );
    const noExp = await token({ exp: null });
    expect(errorOf(await auth.authenticateToken(noExp, ctx()))).toBe(
      "oidc: verify token: oidc: token is expired (Token Expiry: 0001-01-01 00:00:00 +0000 UTC)",
    );
    const nbf = await token({ nbf: T0.getTime() / 1000 + 120 });
    expect(errorOf(await auth.authenticateToken(nbf, ctx()))).toBe(
      "oidc: verify token: oidc: current time 2025-03-01 12:00:00 +0000 UTC before the nbf (not before) time: 2025-03-01 12:02:00 +0000 UTC",
    );
    expect((await auth.authenticateToken(nbf, ctx(60))).kind).toBe("user");
  });

  it("unsupported algorithms (alg none, ES256 when only RS256 is allowed) and bad signatures", async () => {
    const auth = fromFlags({});
    const [, payload] = (await token({})).split(".");
    const none = `${Buffer.from('{"alg":"none"}').toString("base64url")}.${payload}.`;
    expect(errorOf(await auth.authenticateToken(none, ctx()))).toBe(
      'oidc: verify token: oidc: id token signed with unsupported algorithm, expected ["RS256"] got "none"',
    );
    expect(errorOf(await auth.authenticateToken(await token({}, ecIdp), ctx()))).toBe(
      'oidc: verify token: oidc: id token signed with unsupported algorithm, expected ["RS256"] got "ES256"',
    );
    const forged = await createIdentityProvider({ issuer: ISSUER, alg: "RS256" }).issueIdToken({
      claims: { aud: "kubectl", sub: "eve" },
      now: T0,
    });
    expect(errorOf(await auth.authenticateToken(forged, ctx()))).toBe(
      "oidc: verify token: failed to verify signature: failed to verify id token signature",
    );
    const hsAuth = fromFlags({ signingAlgs: ["RS256", "ES256"] });
    const header = Buffer.from('{"alg":"RS256"}').toString("base64url");
    const mac = createHmac("sha256", JSON.stringify(idp.jwks())).update(`${header}.${payload}`).digest("base64url");
    expect(errorOf(await hsAuth.authenticateToken(`${header}.${payload}.${mac}`, ctx()))).toBe(
      "oidc: verify token: failed to verify signature: failed to verify id token signature",
    );
  });

  it("username claim missing or not a string", async () => {
    const auth = fromFlags({ usernameClaim: "preferred_username" });
    expect(errorOf(await auth.authenticateToken(await token({}), ctx()))).toBe(
      'oidc: parse username claims "preferred_username": claim not present',
    );
    expect(errorOf(await auth.authenticateToken(await token({ preferred_username: 7 }), ctx()))).toBe(
      'oidc: parse username claims "preferred_username": json: cannot unmarshal number into Go value of type string',
    );
  });
});

describe("structured JWT authenticator with CEL", () => {
  const config = (overrides: Partial<JwtAuthenticatorConfig> = {}): JwtAuthenticatorConfig => ({
    issuer: { url: ISSUER, audiences: ["kubectl", "other"], audienceMatchPolicy: "MatchAny" },
    claimMappings: {
      username: { expression: '"oidc:" + claims.sub' },
      groups: { expression: 'has(claims.groups) ? claims.groups.map(g, "oidc:" + g) : []' },
      uid: { claim: "sub" },
      extra: [{ key: "example.com/tenant", valueExpression: "has(claims.tenant) ? claims.tenant : ''" }],
    },
    claimValidationRules: [{ expression: "claims.hd == 'example.com'", message: "hosted domain must be example.com" }],
    userValidationRules: [
      { expression: "!user.username.startsWith('oidc:system:')", message: "username cannot use reserved system: prefix" },
    ],
    ...overrides,
  });

  it("maps username, groups, uid and extra through CEL and accepts any of several audiences", async () => {
    const auth = createJwtAuthenticator(config(), { jwks: ecIdp.jwks() });
    const outcome = await auth.authenticateToken(
      await token({ aud: ["other"], hd: "example.com", groups: ["dev"], tenant: "t1" }, ecIdp),
      ctx(),
    );
    expect(outcome).toMatchObject({
      kind: "user",
      user: { name: "oidc:alice", uid: "alice", groups: ["oidc:dev"], extra: { "example.com/tenant": ["t1"] } },
    });
    expect(errorOf(await auth.authenticateToken(await token({ aud: ["z"], hd: "example.com" }, ecIdp), ctx()))).toBe(
      'oidc: verify token: oidc: expected audience in ["kubectl" "other"] got ["z"]',
    );
  });

  it("reports failed claim and user validation rules with their messages", async () => {
    const auth = createJwtAuthenticator(config(), { jwks: ecIdp.jwks() });
    expect(errorOf(await auth.authenticateToken(await token({ hd: "evil.com" }, ecIdp), ctx()))).toBe(
      "oidc: error evaluating claim validation expression: validation expression 'claims.hd == 'example.com'' failed: hosted domain must be example.com",
    );
    expect(errorOf(await auth.authenticateToken(await token({ hd: "example.com", sub: "system:admin" }, ecIdp), ctx()))).toBe(
      "oidc: error evaluating user info validation rule: validation expression '!user.username.startsWith('oidc:system:')' failed: username cannot use reserved system: prefix",
    );
    expect(errorOf(await auth.authenticateToken(await token({}, ecIdp), ctx()))).toBe(
      "oidc: error evaluating claim validation expression: expression 'claims.hd == 'example.com'' resulted in error: no such key: hd",
    );
  });

  it("refuses an empty CEL username and a non-string one", async () => {
    const empty = createJwtAuthenticator(config({ claimValidationRules: [], claimMappings: { username: { expression: "claims.sub" } } }), {
      jwks: ecIdp.jwks(),
    });
    expect(errorOf(await empty.authenticateToken(await token({ sub: "" }, ecIdp), ctx()))).toBe(
      "oidc: empty username via CEL expression is not allowed",
    );
    expect(errorOf(await empty.authenticateToken(await token({ sub: 5 }, ecIdp), ctx()))).toBe(
      "oidc: error evaluating username claim expression: username claim expression must return a string",
    );
  });

  it("rejects invalid configs at construction", () => {
    expect(() => createJwtAuthenticator(config({ claimMappings: { username: { claim: "sub" } } }), { jwks: ecIdp.jwks() })).toThrow(
      new JwtAuthenticatorConfigError(
        "claimMappings.username.prefix: Required value: prefix is required when claim is set. It can be set to an empty string to disable prefixing",
      ),
    );
  });
});

describe("identity provider", () => {
  it("is serializable and restorable", async () => {
    const restored = restoreIdentityProvider(JSON.parse(JSON.stringify(idp.state)));
    expect(restored.jwks()).toEqual(idp.jwks());
    const auth = fromFlags({}, restored);
    expect((await auth.authenticateToken(await token({}, restored), ctx())).kind).toBe("user");
    const [header] = (await token({})).split(".");
    expect(JSON.parse(Buffer.from(header ?? "", "base64url").toString())).toEqual({ alg: "RS256", kid: idp.state.kid, typ: "JWT" });
  });
});

describe("OIDC fuzz: malformed tokens never throw", () => {
  it("answers no-opinion or error", async () => {
    const auth = createJwtAuthenticator(
      { issuer: { url: ISSUER, audiences: ["kubectl"] }, claimMappings: { username: { expression: "claims.sub" } } },
      { jwks: ecIdp.jwks() },
    );
    const valid = await token({}, ecIdp);
    expect((await auth.authenticateToken(valid, ctx())).kind).toBe("user");
    let users = 0;
    for (const malformed of malformedTokens(valid, ISSUER, 3000, "oidc-fuzz")) {
      const outcome = await auth.authenticateToken(malformed, ctx());
      expect(["no-opinion", "error", "user"]).toContain(outcome.kind);
      if (outcome.kind === "user") users++;
    }
    expect(users).toBeLessThan(30);
  });
});
