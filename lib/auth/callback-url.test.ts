import { describe, expect, it } from "vitest";
import { safeCallbackUrl } from "./callback-url";

describe("safeCallbackUrl", () => {
  it.each([
    ["/dashboard", "/dashboard"],
    ["/learn/identity/x509?tab=1#top", "/learn/identity/x509?tab=1#top"],
    ["/scenarios/a%2Fb", "/scenarios/a%2Fb"],
  ])("keeps the same-site path %s", (value, expected) => {
    expect(safeCallbackUrl(value)).toBe(expected);
  });

  it.each([
    "//evil.example",
    "/\\evil.example",
    "/\t/evil.example",
    "/\n/evil.example",
    "/\r/evil.example",
    "/\r\n/evil.example",
    "\t//evil.example",
    "/\\\t\\evil.example",
    "https://evil.example/",
    "javascript:alert(1)",
    "evil.example",
    "/signin?callbackUrl=/x",
    "/signup",
    "/api/auth/signout",
    "",
  ])("falls back for %j", (value) => {
    expect(safeCallbackUrl(value)).toBe("/dashboard");
    // What the browser would do with what we return stays on our origin.
    expect(new URL(safeCallbackUrl(value), "https://kubeprep.test").origin).toBe("https://kubeprep.test");
  });

  it("falls back for overlong values and non-strings", () => {
    expect(safeCallbackUrl(`/${"a".repeat(3000)}`)).toBe("/dashboard");
    expect(safeCallbackUrl(undefined)).toBe("/dashboard");
    expect(safeCallbackUrl(["/a"])).toBe("/dashboard");
  });
});
