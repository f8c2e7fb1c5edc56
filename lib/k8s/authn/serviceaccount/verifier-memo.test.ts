/** The verifier's memo keeps only what depends on the token and the keys: lookups and the clock stay live. */
import { describe, expect, it } from "vitest";
import type { AuthnContext } from "../../types";
import { createServiceAccountTokenVerifier } from "./authenticator";
import { issueBoundServiceAccountToken } from "./issue";
import { createServiceAccountSigningKey } from "./keys";
import { memoryLookup } from "./test-helpers";

const ISSUER = "https://kubernetes.default.svc.cluster.local";
const T0 = new Date("2025-03-01T12:00:00Z");
const at = (offsetSeconds: number): AuthnContext => ({ now: new Date(T0.getTime() + offsetSeconds * 1000), apiAudiences: [ISSUER] });
const SA = { namespace: "default", name: "sa1", uid: "sa-uid-1" };

describe("ServiceAccount verifier memo", () => {
  it("a remembered token still sees a deleted ServiceAccount, a new clock and a new generation", async () => {
    const key = createServiceAccountSigningKey("ES256");
    let generation = 1;
    const verifier = createServiceAccountTokenVerifier({
      issuers: [ISSUER],
      keys: [key],
      apiAudiences: [ISSUER],
      verifiedTokenMemo: 2,
      memoGeneration: () => generation,
    });
    const { token } = await issueBoundServiceAccountToken({
      key,
      issuer: ISSUER,
      audiences: [ISSUER],
      expirationSeconds: 600,
      serviceAccount: SA,
      now: T0,
    });
    const lookup = memoryLookup();
    lookup.serviceAccounts.set("default/sa1", { uid: SA.uid });

    expect((await verifier.authenticateToken(token, at(1), lookup)).kind).toBe("user");
    expect((await verifier.authenticateToken(token, at(2), lookup)).kind).toBe("user");
    lookup.serviceAccounts.delete("default/sa1");
    expect(await verifier.authenticateToken(token, at(3), lookup)).toEqual({ kind: "error", error: 'serviceaccounts "sa1" not found' });
    lookup.serviceAccounts.set("default/sa1", { uid: SA.uid });
    expect(await verifier.authenticateToken(token, at(3600), lookup)).toEqual({
      kind: "error",
      error: "service account token has expired",
    });
    generation = 2;
    expect((await verifier.authenticateToken(token, at(4), lookup)).kind).toBe("user");
  });

  it("remembers 'not my issuer' with the same reason, and stays bounded", async () => {
    const key = createServiceAccountSigningKey("ES256");
    const verifier = createServiceAccountTokenVerifier({ keys: [key], legacy: true, verifiedTokenMemo: 1 });
    const lookup = memoryLookup();
    const tokens = await Promise.all(
      ["a", "b"].map(
        async (name) =>
          (
            await issueBoundServiceAccountToken({
              key,
              issuer: ISSUER,
              audiences: [ISSUER],
              expirationSeconds: 600,
              serviceAccount: { ...SA, name },
              now: T0,
            })
          ).token,
      ),
    );
    for (const token of [...tokens, ...tokens]) {
      expect(await verifier.authenticateToken(token, at(1), lookup)).toEqual({
        kind: "no-opinion",
        reason: `token issuer "${ISSUER}" is not one of this authenticator's issuers`,
      });
    }
  });
});
