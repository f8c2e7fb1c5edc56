import { describe, expect, it } from "vitest";
import { openLinkIntent, sealLinkIntent, SSO_LINK_TTL_SECONDS } from "@/lib/auth/sso-link";

describe("SSO link request cookie", () => {
  const secret = "s".repeat(32);
  it("names the user who asked, until it expires", () => {
    const now = 1_800_000_000_000;
    const sealed = sealLinkIntent(secret, "user-1", now);
    expect(openLinkIntent(secret, sealed, now + 1000)).toBe("user-1");
    expect(openLinkIntent(secret, sealed, now + SSO_LINK_TTL_SECONDS * 1000 + 1)).toBeUndefined();
  });
  it("rejects a forged, altered or foreign value", () => {
    const now = Date.now();
    const sealed = sealLinkIntent(secret, "user-1", now);
    const [, expires, tag] = sealed.split(".");
    expect(openLinkIntent(secret, `user-2.${expires}.${tag}`, now)).toBeUndefined();
    expect(openLinkIntent("t".repeat(32), sealed, now)).toBeUndefined();
    for (const junk of [undefined, "", "user-1", "user-1.1.", "a.b.c", "x".repeat(500)])
      expect(openLinkIntent(secret, junk, now)).toBeUndefined();
  });
});
