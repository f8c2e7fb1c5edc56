import { describe, expect, it } from "vitest";
import type { ApiRequest } from "../types";
import { createAnonymousAuthenticator, resolveAnonymousConfig } from "./anonymous";

const context = { now: new Date("2025-06-01T00:00:00Z"), apiAudiences: ["https://kubernetes.default.svc.cluster.local"] };
const request = (url: string): ApiRequest => ({ method: "GET", url, headers: {}, tls: true });

describe("anonymous authenticator (§6)", () => {
  it("enabled: system:anonymous in system:unauthenticated, with the API audiences", async () => {
    const outcome = await createAnonymousAuthenticator({ enabled: true }).authenticate(request("/api"), context);
    expect(outcome).toEqual({
      kind: "user",
      user: { name: "system:anonymous", uid: "", groups: ["system:unauthenticated"], extra: {} },
      audiences: ["https://kubernetes.default.svc.cluster.local"],
    });
  });

  it("--anonymous-auth=false: no opinion", async () => {
    expect((await createAnonymousAuthenticator({ enabled: false }).authenticate(request("/healthz"), context)).kind).toBe("no-opinion");
  });

  it("conditions allow only the exact paths (query ignored, no prefix match)", async () => {
    const authenticator = createAnonymousAuthenticator({
      enabled: true,
      conditions: [{ path: "/livez" }, { path: "/readyz" }, { path: "/healthz" }],
    });
    expect((await authenticator.authenticate(request("/livez"), context)).kind).toBe("user");
    expect((await authenticator.authenticate(request("/readyz?verbose"), context)).kind).toBe("user");
    expect((await authenticator.authenticate(request("/livez/ping"), context)).kind).toBe("no-opinion");
    expect((await authenticator.authenticate(request("/version"), context)).kind).toBe("no-opinion");
    expect((await authenticator.authenticate(request("/api"), context)).kind).toBe("no-opinion");
  });
});

describe("resolveAnonymousConfig", () => {
  it("defaults to enabled, follows the flag", () => {
    expect(resolveAnonymousConfig({})).toEqual({ ok: true, config: { enabled: true } });
    expect(resolveAnonymousConfig({ flag: false })).toEqual({ ok: true, config: { enabled: false } });
  });

  it("the flag and the file together are a startup error (upstream typo included)", () => {
    expect(resolveAnonymousConfig({ flag: true, fileConfig: { enabled: true } })).toEqual({
      ok: false,
      error: "--anonynous-auth flag cannot be set when anonymous field is configured in authentication configuration file",
    });
  });

  it("conditions require enabled: true", () => {
    const result = resolveAnonymousConfig({ fileConfig: { enabled: false, conditions: [{ path: "/livez" }] } });
    expect(result.ok).toBe(false);
    expect(!result.ok && result.error.endsWith("enabled should be set to true when conditions are defined")).toBe(true);
    expect(resolveAnonymousConfig({ fileConfig: { enabled: true, conditions: [{ path: "/livez" }] } })).toEqual({
      ok: true,
      config: { enabled: true, conditions: [{ path: "/livez" }] },
    });
  });
});
