// Session cookies are Secure (and __Secure- prefixed) exactly when the public URL is https.
import { afterEach, describe, expect, it, vi } from "vitest";

async function optionsWith(env: Record<string, string>) {
  vi.resetModules();
  for (const [name, value] of Object.entries(env)) vi.stubEnv(name, value);
  return import("@/lib/auth/options");
}

afterEach(() => {
  vi.unstubAllEnvs();
});

describe("session cookies", () => {
  it("are Secure when NEXTAUTH_URL is https", async () => {
    const { authOptions, sessionCookie } = await optionsWith({
      NEXTAUTH_URL: "https://kubeprep.example.com",
      NEXTAUTH_SECRET: "s".repeat(40),
    });
    expect(authOptions().useSecureCookies).toBe(true);
    expect(sessionCookie()).toMatchObject({ name: "__Secure-next-auth.session-token", secure: true });
  });

  it("are not Secure on a plain-HTTP public URL (the embedded default)", async () => {
    const { authOptions, sessionCookie } = await optionsWith({ NEXTAUTH_URL: "", PORT: "4100", NEXTAUTH_SECRET: "s".repeat(40) });
    expect(authOptions().useSecureCookies).toBe(false);
    expect(sessionCookie()).toMatchObject({ name: "next-auth.session-token", secure: false });
  });
});
