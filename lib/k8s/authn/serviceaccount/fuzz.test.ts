import { describe, expect, it } from "vitest";
import type { AuthnContext } from "../../types";
import { createServiceAccountTokenAuthenticator } from "./authenticator";
import { issueBoundServiceAccountToken } from "./issue";
import { createServiceAccountSigningKey } from "./keys";
import { malformedTokens, memoryLookup, seededRandom } from "./test-helpers";

const ISSUER = "https://kubernetes.default.svc.cluster.local";
const context: AuthnContext = { now: new Date("2025-03-01T12:00:00Z"), apiAudiences: [ISSUER] };

describe("ServiceAccount authenticator fuzz: malformed tokens never throw", () => {
  it("answers no-opinion or error for thousands of malformed tokens", async () => {
    const key = createServiceAccountSigningKey("ES256");
    const lookup = memoryLookup();
    lookup.serviceAccounts.set("default/sa", { uid: "u" });
    const auth = createServiceAccountTokenAuthenticator({ issuers: [ISSUER], keys: [key], lookup });
    const { token } = await issueBoundServiceAccountToken({
      key,
      issuer: ISSUER,
      audiences: [ISSUER],
      expirationSeconds: 3600,
      serviceAccount: { namespace: "default", name: "sa", uid: "u" },
      now: context.now,
      random: seededRandom("j"),
    });
    expect((await auth.authenticateToken(token, context)).kind).toBe("user");
    let userCount = 0;
    for (const malformed of malformedTokens(token, ISSUER, 3000, "sa-fuzz")) {
      const outcome = await auth.authenticateToken(malformed, context);
      expect(["no-opinion", "error", "user"]).toContain(outcome.kind);
      if (outcome.kind === "user") userCount++;
    }
    // Only the truncation that keeps the whole token (or base64 tail-bit flips) may still verify.
    expect(userCount).toBeLessThan(30);
  });
});
