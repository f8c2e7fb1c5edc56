import { beforeAll, describe, expect, it } from "vitest";
import type { AuthnContext, AuthnOutcome } from "../../types";
import { createServiceAccountTokenAuthenticator } from "./authenticator";
import { issueBoundServiceAccountToken, issueLegacyServiceAccountToken, signCompactJws } from "./issue";
import { createServiceAccountSigningKey, type ServiceAccountSigningKey } from "./keys";
import { memoryLookup, seededRandom, type MemoryLookup } from "./test-helpers";

const ISSUER = "https://kubernetes.default.svc.cluster.local";
const API_AUDIENCES = [ISSUER];
const T0 = new Date("2025-03-01T12:00:00Z");
const at = (offsetSeconds: number): AuthnContext => ({ now: new Date(T0.getTime() + offsetSeconds * 1000), apiAudiences: API_AUDIENCES });
const SA = { namespace: "default", name: "sa1", uid: "sa-uid-1" };

let rsa: ServiceAccountSigningKey;
let ec: ServiceAccountSigningKey;
let other: ServiceAccountSigningKey;
let lookup: MemoryLookup;

beforeAll(() => {
  rsa = createServiceAccountSigningKey("RS256");
  ec = createServiceAccountSigningKey("ES256");
  other = createServiceAccountSigningKey("ES256");
});

function freshLookup(): MemoryLookup {
  const l = memoryLookup();
  l.serviceAccounts.set("default/sa1", { uid: SA.uid });
  l.pods.set("default/web", { uid: "pod-uid", nodeName: "node-1" });
  l.secrets.set("default/bound-secret", { uid: "secret-uid" });
  l.nodes.set("node-1", { uid: "node-uid" });
  return l;
}

function authenticator(keys = [rsa, ec]) {
  lookup = freshLookup();
  return createServiceAccountTokenAuthenticator({ issuers: [ISSUER], keys, apiAudiences: API_AUDIENCES, lookup });
}

async function issue(overrides: Partial<Parameters<typeof issueBoundServiceAccountToken>[0]> = {}) {
  const { token } = await issueBoundServiceAccountToken({
    key: rsa,
    issuer: ISSUER,
    audiences: API_AUDIENCES,
    expirationSeconds: 3600,
    serviceAccount: SA,
    now: T0,
    random: seededRandom("jti"),
    ...overrides,
  });
  return token;
}

function errorOf(outcome: AuthnOutcome): string {
  return outcome.kind === "error" ? outcome.error : `<${outcome.kind}>`;
}

describe("ServiceAccount authenticator: success and identity (§3.1)", () => {
  it("authenticates a bound pod token with pod, node and credential-id extras", async () => {
    const auth = authenticator();
    const token = await issue({
      boundObject: { kind: "Pod", name: "web", uid: "pod-uid", nodeName: "node-1", nodeUid: "node-uid" },
      jti: "1234",
    });
    const outcome = await auth.authenticateToken(token, at(10));
    expect(outcome).toEqual({
      kind: "user",
      user: {
        name: "system:serviceaccount:default:sa1",
        uid: "sa-uid-1",
        groups: ["system:serviceaccounts", "system:serviceaccounts:default"],
        extra: {
          "authentication.kubernetes.io/pod-name": ["web"],
          "authentication.kubernetes.io/pod-uid": ["pod-uid"],
          "authentication.kubernetes.io/credential-id": ["JTI=1234"],
          "authentication.kubernetes.io/node-name": ["node-1"],
          "authentication.kubernetes.io/node-uid": ["node-uid"],
        },
      },
      audiences: API_AUDIENCES,
      validUntil: new Date(T0.getTime() + 3600_000),
    });
  });

  it("accepts ES256 tokens and several issuers", async () => {
    lookup = freshLookup();
    const auth = createServiceAccountTokenAuthenticator({ issuers: ["https://old", ISSUER], keys: [ec.publicKeyPem], lookup });
    const token = await issue({ key: ec, issuer: "https://old" });
    expect((await auth.authenticateToken(token, at(0))).kind).toBe("user");
  });

  it("tries every key when the token has no kid", async () => {
    const auth = authenticator([other, rsa]);
    const payload = (await issue()).split(".")[1] ?? "";
    const header = Buffer.from(JSON.stringify({ alg: "RS256" })).toString("base64url");
    const { createSign } = await import("node:crypto");
    const signature = createSign("sha256").update(`${header}.${payload}`).sign(rsa.privateKeyPem).toString("base64url");
    expect((await auth.authenticateToken(`${header}.${payload}.${signature}`, at(0))).kind).toBe("user");
    const unsigned = `${header}.${payload}.${Buffer.alloc(256).toString("base64url")}`;
    expect(errorOf(await auth.authenticateToken(unsigned, at(0)))).toBe("square/go-jose: error in cryptographic primitive");
  });
});

describe("ServiceAccount authenticator: §3.4 rejection table", () => {
  it("no opinion: not a JWT, JSON token, other issuer", async () => {
    const auth = authenticator();
    for (const token of ["abc", "a.b", '{"iss":"x"}.a.b', "a.b.c.d"]) {
      expect((await auth.authenticateToken(token, at(0))).kind).toBe("no-opinion");
    }
    const foreign = await issue({ issuer: "https://idp.example" });
    expect((await auth.authenticateToken(foreign, at(0))).kind).toBe("no-opinion");
  });

  it("invalid signature, no keys found", async () => {
    const auth = authenticator([ec]);
    expect(errorOf(await auth.authenticateToken(await issue(), at(0)))).toBe("invalid signature, no keys found");
  });

  it("bad signature fails with go-jose's crypto error", async () => {
    const auth = authenticator();
    const token = await issue();
    const [h, p] = token.split(".");
    const forged = `${h}.${p}.${Buffer.alloc(256, 7).toString("base64url")}`;
    expect(errorOf(await auth.authenticateToken(forged, at(0)))).toBe("square/go-jose: error in cryptographic primitive");
  });

  it("alg none and HS256 with the public key as secret are rejected like bad signatures", async () => {
    const auth = authenticator();
    const [, payload] = (await issue()).split(".");
    const none = `${Buffer.from(JSON.stringify({ alg: "none", kid: rsa.kid })).toString("base64url")}.${payload}.`;
    expect(errorOf(await auth.authenticateToken(none, at(0)))).toBe("square/go-jose: error in cryptographic primitive");
    const { createHmac } = await import("node:crypto");
    const header = Buffer.from(JSON.stringify({ alg: "HS256", kid: rsa.kid })).toString("base64url");
    const mac = createHmac("sha256", rsa.publicKeyPem).update(`${header}.${payload}`).digest("base64url");
    expect(errorOf(await auth.authenticateToken(`${header}.${payload}.${mac}`, at(0)))).toBe(
      "square/go-jose: error in cryptographic primitive",
    );
  });

  it("audiences without overlap", async () => {
    const auth = authenticator();
    const token = await issue({ audiences: ["x"] });
    expect(errorOf(await auth.authenticateToken(token, at(0)))).toBe(
      'token audiences ["x"] is invalid for the target audiences ["https://kubernetes.default.svc.cluster.local"]',
    );
  });

  it("expiry, nbf and iat with one minute of leeway", async () => {
    const auth = authenticator();
    const token = await issue({ expirationSeconds: 600 });
    expect((await auth.authenticateToken(token, at(660))).kind).toBe("user");
    expect(errorOf(await auth.authenticateToken(token, at(661)))).toBe("service account token has expired");
    expect((await auth.authenticateToken(token, at(-60))).kind).toBe("user");
    expect(errorOf(await auth.authenticateToken(token, at(-61)))).toBe("service account token is not valid yet");
    const claims = {
      iss: ISSUER,
      aud: API_AUDIENCES,
      iat: T0.getTime() / 1000 + 120,
      sub: "x",
      "kubernetes.io": { namespace: "default", serviceaccount: { name: "sa1", uid: SA.uid } },
    };
    const future = await signCompactJws(claims, rsa);
    expect(errorOf(await auth.authenticateToken(future, at(0)))).toBe("service account token is issued in the future");
  });

  it("ServiceAccount missing, recreated, or deleted for more than 60 s", async () => {
    const auth = authenticator();
    const token = await issue();
    lookup.serviceAccounts.delete("default/sa1");
    expect(errorOf(await auth.authenticateToken(token, at(0)))).toBe('serviceaccounts "sa1" not found');
    lookup.serviceAccounts.set("default/sa1", { uid: "new-uid" });
    expect(errorOf(await auth.authenticateToken(token, at(0)))).toBe("service account UID (new-uid) does not match claim (sa-uid-1)");
    lookup.serviceAccounts.set("default/sa1", { uid: SA.uid, deletionTimestamp: new Date(T0.getTime() - 30_000) });
    expect((await auth.authenticateToken(token, at(0))).kind).toBe("user");
    lookup.serviceAccounts.set("default/sa1", { uid: SA.uid, deletionTimestamp: "2025-03-01T11:58:59Z" });
    expect(errorOf(await auth.authenticateToken(token, at(0)))).toBe("service account default/sa1 has been deleted");
  });

  it("bound Pod missing, recreated, deleted", async () => {
    const auth = authenticator();
    const token = await issue({ boundObject: { kind: "Pod", name: "web", uid: "pod-uid" } });
    lookup.pods.set("default/web", { uid: "other" });
    expect(errorOf(await auth.authenticateToken(token, at(0)))).toBe(
      "pod UID (other) does not match service account pod ref claim (pod-uid)",
    );
    lookup.pods.set("default/web", { uid: "pod-uid", deletionTimestamp: new Date(T0.getTime() - 61_000) });
    expect(errorOf(await auth.authenticateToken(token, at(0)))).toBe("service account token has been invalidated");
    lookup.pods.delete("default/web");
    expect(errorOf(await auth.authenticateToken(token, at(0)))).toBe("service account token has been invalidated");
  });

  it("bound Secret missing or recreated", async () => {
    const auth = authenticator();
    const token = await issue({ boundObject: { kind: "Secret", name: "bound-secret", uid: "secret-uid" } });
    expect((await auth.authenticateToken(token, at(0))).kind).toBe("user");
    lookup.secrets.set("default/bound-secret", { uid: "s2" });
    expect(errorOf(await auth.authenticateToken(token, at(0)))).toBe(
      "secret UID (s2) does not match service account secret ref claim (secret-uid)",
    );
    lookup.secrets.delete("default/bound-secret");
    expect(errorOf(await auth.authenticateToken(token, at(0)))).toBe("service account token has been invalidated");
  });

  it("node-bound token: node missing or recreated", async () => {
    const auth = authenticator();
    const token = await issue({ boundObject: { kind: "Node", name: "node-1", uid: "node-uid" } });
    const ok = await auth.authenticateToken(token, at(0));
    expect(ok.kind === "user" && ok.user.extra["authentication.kubernetes.io/node-uid"]).toEqual(["node-uid"]);
    lookup.nodes.set("node-1", { uid: "n2" });
    expect(errorOf(await auth.authenticateToken(token, at(0)))).toBe(
      "node UID (n2) does not match service account node ref claim (node-uid)",
    );
    lookup.nodes.delete("node-1");
    expect(errorOf(await auth.authenticateToken(token, at(0)))).toBe("service account token has been invalidated");
  });

  it("a token without aud is treated as carrying the API audiences", async () => {
    const auth = authenticator();
    const claims = {
      iss: ISSUER,
      sub: "system:serviceaccount:default:sa1",
      "kubernetes.io": { namespace: "default", serviceaccount: { name: "sa1", uid: SA.uid } },
    };
    const outcome = await auth.authenticateToken(await signCompactJws(claims, rsa), at(0));
    expect(outcome.kind === "user" && outcome.audiences).toEqual(API_AUDIENCES);
  });

  it("a claim of the wrong type fails after the signature check", async () => {
    const auth = authenticator();
    const claims = { iss: ISSUER, exp: "soon", "kubernetes.io": { namespace: "default" } };
    expect(errorOf(await auth.authenticateToken(await signCompactJws(claims, rsa), at(0)))).toBe(
      "square/go-jose/jwt: expected number value to unmarshal into NumericDate",
    );
  });
});

describe("legacy Secret-based tokens (§3.5)", () => {
  async function setup(lookupEnabled = true) {
    lookup = freshLookup();
    const { token, claims } = await issueLegacyServiceAccountToken({ key: rsa, serviceAccount: SA, secretName: "sa1-token" });
    lookup.secrets.set("default/sa1-token", {
      uid: "s",
      type: "kubernetes.io/service-account-token",
      data: { token: Buffer.from(token).toString("base64") },
    });
    const auth = createServiceAccountTokenAuthenticator({ keys: [rsa], lookup, legacy: true, serviceAccountLookup: lookupEnabled });
    return { token, claims, auth };
  }

  it("has the flat legacy claim layout", async () => {
    const { claims, token } = await setup();
    expect(claims).toEqual({
      iss: "kubernetes/serviceaccount",
      "kubernetes.io/serviceaccount/namespace": "default",
      "kubernetes.io/serviceaccount/secret.name": "sa1-token",
      "kubernetes.io/serviceaccount/service-account.name": "sa1",
      "kubernetes.io/serviceaccount/service-account.uid": "sa-uid-1",
      sub: "system:serviceaccount:default:sa1",
    });
    expect(Buffer.from(token.split(".")[1] ?? "", "base64url").toString()).toBe(JSON.stringify(claims));
  });

  it("authenticates without credential-id and never expires", async () => {
    const { token, auth } = await setup();
    const outcome = await auth.authenticateToken(token, at(10 * 365 * 86400));
    expect(outcome).toMatchObject({ kind: "user", user: { name: "system:serviceaccount:default:sa1", uid: "sa-uid-1", extra: {} } });
  });

  it("rejects deleted, changed and invalidated secrets and a recreated ServiceAccount", async () => {
    const { token, auth } = await setup();
    const secret = lookup.secrets.get("default/sa1-token");
    lookup.secrets.set("default/sa1-token", { uid: "s", data: { token: "b3RoZXI=" } });
    expect(errorOf(await auth.authenticateToken(token, at(0)))).toBe("Token does not match server's copy");
    lookup.secrets.set("default/sa1-token", { uid: "s", deletionTimestamp: T0 });
    expect(errorOf(await auth.authenticateToken(token, at(0)))).toBe("Token has been invalidated");
    lookup.secrets.delete("default/sa1-token");
    expect(errorOf(await auth.authenticateToken(token, at(0)))).toBe("Token has been invalidated");
    if (secret) lookup.secrets.set("default/sa1-token", secret);
    lookup.serviceAccounts.set("default/sa1", { uid: "x" });
    expect(errorOf(await auth.authenticateToken(token, at(0)))).toBe("ServiceAccount UID (x) does not match claim (sa-uid-1)");
    lookup.serviceAccounts.set("default/sa1", { uid: SA.uid });
    if (secret)
      lookup.secrets.set("default/sa1-token", { ...secret, labels: { "kubernetes.io/legacy-token-invalid-since": "2024-01-01" } });
    expect(errorOf(await auth.authenticateToken(token, at(0)))).toMatch(
      /^the token in secret default\/sa1-token for service account default\/sa1 has been marked invalid\. Use tokens from the TokenRequest API/,
    );
  });

  it("skips the lookups with --service-account-lookup=false", async () => {
    const { token, auth } = await setup(false);
    lookup.secrets.clear();
    expect((await auth.authenticateToken(token, at(0))).kind).toBe("user");
  });

  it("the bound authenticator has no opinion on legacy tokens and vice versa", async () => {
    const { token } = await setup();
    expect((await authenticator().authenticateToken(token, at(0))).kind).toBe("no-opinion");
    const legacyAuth = createServiceAccountTokenAuthenticator({ keys: [rsa], lookup, legacy: true });
    expect((await legacyAuth.authenticateToken(await issue(), at(0))).kind).toBe("no-opinion");
  });
});
