import { beforeAll, describe, expect, it } from "vitest";
import type { ApiRequest, AuthnOutcome, TokenAuthenticator } from "../types";
import { createCertificateAuthority, issueCertificate, type CertificateAndKey } from "../pki/issue";
import { pemToDer } from "../pki/pem";
import { createAuthenticationChain } from "./chain";
import { createTokenFileAuthenticator } from "./token-file";
import { createX509Authenticator } from "./x509";

const NOW = new Date("2025-06-01T12:00:00Z");
const AUDIENCES = ["https://kubernetes.default.svc.cluster.local"];
const context = { now: NOW, apiAudiences: AUDIENCES };

const tokenFile = createTokenFileAuthenticator([{ token: "good-token", user: { name: "alice", uid: "1", groups: ["dev"], extra: {} } }]);

function fixed(name: string, outcome: AuthnOutcome): TokenAuthenticator {
  return { name, authenticateToken: async () => outcome };
}

function request(options: { certs?: string[]; authorization?: string; url?: string }): ApiRequest {
  return {
    method: "GET",
    url: options.url ?? "/api/v1/namespaces/default/pods",
    headers: options.authorization === undefined ? {} : { authorization: options.authorization },
    tls: true,
    peerCertificates: (options.certs ?? []).map((pem) => pemToDer(pem, "CERTIFICATE") ?? new Uint8Array()),
  };
}

let ca: CertificateAndKey;
let valid: string;
let expired: string;
let noCn: string;
let rogue: string;
let wrongEku: string;

beforeAll(async () => {
  const year = { notBefore: new Date("2025-01-01T00:00:00Z"), notAfter: new Date("2026-01-01T00:00:00Z") };
  ca = await createCertificateAuthority({
    commonName: "kubernetes",
    keyAlgorithm: "ECDSA",
    notBefore: new Date("2024-01-01T00:00:00Z"),
    notAfter: new Date("2034-01-01T00:00:00Z"),
  });
  const other = await createCertificateAuthority({ commonName: "other", keyAlgorithm: "ECDSA", ...year });
  valid = (await issueCertificate({ issuer: ca, subject: { commonName: "jane", organizations: ["dev-team", "ops"] }, ...year })).certPem;
  expired = (
    await issueCertificate({
      issuer: ca,
      subject: { commonName: "jane" },
      notBefore: new Date("2024-01-01T00:00:00Z"),
      notAfter: new Date("2025-01-01T00:00:00Z"),
    })
  ).certPem;
  noCn = (await issueCertificate({ issuer: ca, subject: { organizations: ["dev"] }, ...year })).certPem;
  rogue = (await issueCertificate({ issuer: other, subject: { commonName: "mallory" }, ...year })).certPem;
  wrongEku = (await issueCertificate({ issuer: ca, subject: { commonName: "srv" }, extKeyUsage: ["serverAuth"], ...year })).certPem;
});

function chain(anonymous = true, tokenAuthenticators: TokenAuthenticator[] = [tokenFile]) {
  return createAuthenticationChain({
    x509: createX509Authenticator({ clientCaBundlePem: ca.certPem }),
    tokenAuthenticators,
    anonymous: { enabled: anonymous },
    apiAudiences: AUDIENCES,
  });
}

describe("chain: §1.4 outcome table through the whole chain", () => {
  it("valid cert: CN, O..., then system:authenticated last", async () => {
    const decision = await chain().authenticate(request({ certs: [valid] }), context);
    expect(decision.user?.name).toBe("jane");
    expect(decision.user?.groups).toEqual(["dev-team", "ops", "system:authenticated"]);
  });

  it.each([
    ["expired", () => expired],
    ["unknown CA", () => rogue],
    ["wrong EKU", () => wrongEku],
  ])("%s: 401 even with anonymous on, and the log line carries the x509 error", async (_label, cert) => {
    for (const anonymous of [true, false]) {
      const decision = await chain(anonymous).authenticate(request({ certs: [cert()] }), context);
      expect(decision.user).toBeUndefined();
      const last = decision.trace[decision.trace.length - 1];
      expect(last?.outcome).toBe("deny");
      expect(last?.message).toMatch(
        /^"Unable to authenticate the request" err="verifying certificate SN=\d+, SKID=.*, AKID=.* failed: x509: /,
      );
      expect(decision.trace.some((step) => step.stage === "anonymous")).toBe(false);
    }
  });

  it("empty CN: anonymous when on (no system:authenticated), 401 when off", async () => {
    const on = await chain(true).authenticate(request({ certs: [noCn] }), context);
    expect(on.user).toEqual({ name: "system:anonymous", uid: "", groups: ["system:unauthenticated"], extra: {} });
    const off = await chain(false).authenticate(request({ certs: [noCn] }), context);
    expect(off.user).toBeUndefined();
  });

  it("bad cert plus a valid bearer token: the token user (the union keeps going after an error)", async () => {
    const decision = await chain(true).authenticate(request({ certs: [expired], authorization: "Bearer good-token" }), context);
    expect(decision.user).toEqual({ name: "alice", uid: "1", groups: ["dev", "system:authenticated"], extra: {} });
    expect(decision.audiences).toEqual(AUDIENCES);
    expect(decision.trace.find((step) => step.stage === "x509")?.outcome).toBe("error");
  });
});

describe("chain: bearer tokens (§9)", () => {
  it("scheme is case-insensitive", async () => {
    expect((await chain().authenticate(request({ authorization: "bEaReR good-token" }), context)).user?.name).toBe("alice");
  });

  it("an unrecognised token is 'invalid bearer token' and never falls through to anonymous", async () => {
    const decision = await chain(true).authenticate(request({ authorization: "Bearer nope" }), context);
    expect(decision.user).toBeUndefined();
    expect(decision.trace[decision.trace.length - 1]?.message).toBe('"Unable to authenticate the request" err="invalid bearer token"');
  });

  it("no header, other schemes and empty tokens: no opinion, so anonymous", async () => {
    for (const authorization of [undefined, "Basic YWxpY2U6cHc=", "Bearer", "Bearer ", "   "]) {
      const decision = await chain(true).authenticate(request({ authorization }), context);
      expect(decision.user?.name).toBe("system:anonymous");
    }
  });

  it("'Bearer  tok' (two spaces) warns and is ignored", async () => {
    const decision = await chain(true).authenticate(request({ authorization: "Bearer  good-token" }), context);
    expect(decision.user?.name).toBe("system:anonymous");
    expect(decision.warnings).toEqual(["the provided Authorization header contains extra space before the bearer token, and is ignored"]);
  });

  it("first success wins, errors before it are collected but do not matter", async () => {
    const c = chain(true, [
      fixed("a", { kind: "error", error: "a failed" }),
      fixed("b", { kind: "user", user: { name: "bee", uid: "", groups: [], extra: {} } }),
      fixed("c", { kind: "user", user: { name: "sea", uid: "", groups: [], extra: {} } }),
    ]);
    const decision = await c.authenticate(request({ authorization: "Bearer x" }), context);
    expect(decision.user?.name).toBe("bee");
    expect(decision.trace.some((step) => step.stage === "c")).toBe(false);
  });

  it("errors are aggregated like NewAggregate: flattened, de-duplicated, bracketed", async () => {
    const c = chain(true, [
      fixed("a", { kind: "error", error: "token has expired" }),
      fixed("b", { kind: "no-opinion", reason: "not mine" }),
      fixed("c", { kind: "error", error: "oidc: bad signature" }),
    ]);
    const decision = await c.authenticate(request({ certs: [expired], authorization: "Bearer x" }), context);
    const last = decision.trace[decision.trace.length - 1]?.message ?? "";
    expect(last).toMatch(
      /^"Unable to authenticate the request" err="\[verifying certificate .* failed: x509: certificate has expired or is not yet valid: current time 2025-06-01T12:00:00Z is after 2025-01-01T00:00:00Z, token has expired, oidc: bad signature\]"$/,
    );
  });

  it("a single token error is printed bare", async () => {
    const decision = await chain(true, [fixed("a", { kind: "error", error: "token has expired" })]).authenticate(
      request({ authorization: "Bearer x" }),
      context,
    );
    expect(decision.trace[decision.trace.length - 1]?.message).toBe('"Unable to authenticate the request" err="token has expired"');
  });

  it("system:authenticated is not duplicated and not added next to system:unauthenticated", async () => {
    const c = chain(true, [fixed("a", { kind: "user", user: { name: "x", uid: "", groups: ["system:authenticated", "z"], extra: {} } })]);
    expect((await c.authenticate(request({ authorization: "Bearer x" }), context)).user?.groups).toEqual(["system:authenticated", "z"]);
    const d = chain(true, [fixed("a", { kind: "user", user: { name: "x", uid: "", groups: ["system:unauthenticated"], extra: {} } })]);
    expect((await d.authenticate(request({ authorization: "Bearer x" }), context)).user?.groups).toEqual(["system:unauthenticated"]);
  });

  it("audiences that do not overlap the API audiences are rejected", async () => {
    const c = chain(true, [fixed("sa", { kind: "user", user: { name: "x", uid: "", groups: [], extra: {} }, audiences: ["vault"] })]);
    const decision = await c.authenticate(request({ authorization: "Bearer x" }), context);
    expect(decision.user).toBeUndefined();
    expect(decision.trace[decision.trace.length - 1]?.message).toBe(
      "unable to match the audience: [vault] , accepted: [https://kubernetes.default.svc.cluster.local]",
    );
  });

  it("a throwing authenticator is contained as an error", async () => {
    const c = chain(true, [
      {
        name: "boom",
        authenticateToken: async () => {
          throw new Error("kaput");
        },
      },
    ]);
    const decision = await c.authenticate(request({ authorization: "Bearer x" }), context);
    expect(decision.user).toBeUndefined();
    expect(decision.trace[decision.trace.length - 1]?.message).toBe('"Unable to authenticate the request" err="kaput"');
  });
});
