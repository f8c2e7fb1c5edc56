import { createHash, createPublicKey } from "node:crypto";
import { describe, expect, it } from "vitest";
import { issueBoundServiceAccountToken } from "./issue";
import { createServiceAccountSigningKey, keyIdFromPublicKey } from "./keys";
import { seededRandom } from "./test-helpers";

const T0 = new Date("2025-03-01T12:00:00.900Z");
const NOW = Math.floor(T0.getTime() / 1000);
const SA = { namespace: "team-a", name: "builder", uid: "sa-uid" };
const decode = (segment: string | undefined): unknown => JSON.parse(Buffer.from(segment ?? "", "base64url").toString());

describe("signing keys", () => {
  it("derives kid as base64url(SHA-256(PKIX DER)) like keyIDFromPublicKey", () => {
    for (const alg of ["RS256", "ES256"] as const) {
      const key = createServiceAccountSigningKey(alg);
      const der = createPublicKey(key.publicKeyPem).export({ type: "spki", format: "der" });
      expect(key.kid).toBe(createHash("sha256").update(der).digest("base64url"));
      expect(key.kid).toMatch(/^[A-Za-z0-9_-]{43}$/);
      expect(keyIdFromPublicKey(createPublicKey(key.privateKeyPem))).toBe(key.kid);
      expect(JSON.parse(JSON.stringify(key))).toEqual(key);
      expect(key.publicJwk.kid).toBe(key.kid);
    }
  });
});

describe("issueBoundServiceAccountToken (§3.2)", () => {
  const key = createServiceAccountSigningKey("ES256");

  it("produces the 1.32 claim set, keys sorted as go-jose marshals them", async () => {
    const { token, claims } = await issueBoundServiceAccountToken({
      key,
      issuer: "https://kubernetes.default.svc.cluster.local",
      audiences: ["https://kubernetes.default.svc.cluster.local"],
      expirationSeconds: 3600,
      serviceAccount: SA,
      boundObject: { kind: "Pod", name: "web-0", uid: "pod-uid", nodeName: "node-1", nodeUid: "node-uid" },
      now: T0,
      jti: "6e0b1c9a-0000-4000-8000-000000000000",
    });
    const [header, payload] = token.split(".");
    expect(decode(header)).toEqual({ alg: "ES256", kid: key.kid });
    expect(Buffer.from(payload ?? "", "base64url").toString()).toBe(
      JSON.stringify({
        aud: ["https://kubernetes.default.svc.cluster.local"],
        exp: NOW + 3600,
        iat: NOW,
        iss: "https://kubernetes.default.svc.cluster.local",
        jti: "6e0b1c9a-0000-4000-8000-000000000000",
        "kubernetes.io": {
          namespace: "team-a",
          node: { name: "node-1", uid: "node-uid" },
          pod: { name: "web-0", uid: "pod-uid" },
          serviceaccount: { name: "builder", uid: "sa-uid" },
        },
        nbf: NOW,
        sub: "system:serviceaccount:team-a:builder",
      }),
    );
    expect(claims.exp).toBe(NOW + 3600);
  });

  it("binds to a Secret or a Node, adds warnafter for extended tokens, keeps a node name without uid", async () => {
    const base = { key, issuer: "i", audiences: ["a"], expirationSeconds: 600, serviceAccount: SA, now: T0 };
    const secret = await issueBoundServiceAccountToken({ ...base, boundObject: { kind: "Secret", name: "s", uid: "u" } });
    expect(secret.claims["kubernetes.io"]).toEqual({
      namespace: "team-a",
      secret: { name: "s", uid: "u" },
      serviceaccount: { name: "builder", uid: "sa-uid" },
    });
    const node = await issueBoundServiceAccountToken({ ...base, boundObject: { kind: "Node", name: "n", uid: "nu" } });
    expect(node.claims["kubernetes.io"].node).toEqual({ name: "n", uid: "nu" });
    const extended = await issueBoundServiceAccountToken({
      ...base,
      expirationSeconds: 31536000,
      warnAfterSeconds: 3607,
      boundObject: { kind: "Pod", name: "p", uid: "pu", nodeName: "gone" },
    });
    expect(extended.claims["kubernetes.io"].warnafter).toBe(NOW + 3607);
    expect(extended.claims["kubernetes.io"].node).toEqual({ name: "gone" });
    expect(extended.claims.exp).toBe(NOW + 31536000);
  });

  it("draws a v4 UUID jti from the random source (deterministic when seeded)", async () => {
    const base = { key, issuer: "i", audiences: ["a"], expirationSeconds: 600, serviceAccount: SA, now: T0 };
    const a = await issueBoundServiceAccountToken({ ...base, random: seededRandom("x") });
    const b = await issueBoundServiceAccountToken({ ...base, random: seededRandom("x") });
    expect(a.claims.jti).toBe(b.claims.jti);
    expect(a.claims.jti).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
  });
});
