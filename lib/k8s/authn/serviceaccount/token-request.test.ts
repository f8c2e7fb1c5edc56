import { describe, expect, it } from "vitest";
import { validateTokenRequest } from "./token-request";

const API = ["https://kubernetes.default.svc.cluster.local"];

describe("validateTokenRequest (§3.3)", () => {
  it("defaults expiration to 3600 and audiences to the API audiences", () => {
    expect(validateTokenRequest({}, { apiAudiences: API })).toEqual({
      ok: true,
      spec: { audiences: API, expirationSeconds: 3600, tokenExpirationSeconds: 3600, warnings: [] },
    });
  });

  it("rejects less than 10 minutes with the apiserver's 422 text", () => {
    const result = validateTokenRequest({ expirationSeconds: 60 }, { apiAudiences: API });
    expect(result.ok).toBe(false);
    expect(!result.ok && result.message).toBe(
      'TokenRequest.authentication.k8s.io "" is invalid: spec.expirationSeconds: Invalid value: 60: may not specify a duration less than 10 minutes',
    );
    expect(validateTokenRequest({ expirationSeconds: 600 }, { apiAudiences: API }).ok).toBe(true);
  });

  it("rejects more than 2^32 seconds", () => {
    const result = validateTokenRequest({ expirationSeconds: 2 ** 32 + 1 }, { apiAudiences: API });
    expect(!result.ok && result.message).toBe(
      'TokenRequest.authentication.k8s.io "" is invalid: spec.expirationSeconds: Invalid value: 4294967297: may not specify a duration larger than 2^32 seconds',
    );
  });

  it("shortens to --service-account-max-token-expiration with a warning", () => {
    const result = validateTokenRequest({ expirationSeconds: 86400 }, { apiAudiences: API, maxExpirationSeconds: 7200 });
    expect(result.ok && result.spec).toMatchObject({
      expirationSeconds: 7200,
      tokenExpirationSeconds: 7200,
      warnings: ["requested expiration of 86400 seconds shortened to 7200 seconds"],
    });
  });

  it("extends pod-bound 3607 s tokens with API audiences to one year", () => {
    const pod = { kind: "Pod", apiVersion: "v1", name: "p" };
    const extended = validateTokenRequest({ expirationSeconds: 3607, boundObjectRef: pod }, { apiAudiences: API });
    expect(extended.ok && extended.spec).toMatchObject({
      expirationSeconds: 3607,
      tokenExpirationSeconds: 31536000,
      warnAfterSeconds: 3607,
    });
    const otherAudience = validateTokenRequest(
      { expirationSeconds: 3607, audiences: ["vault"], boundObjectRef: pod },
      { apiAudiences: API },
    );
    expect(otherAudience.ok && otherAudience.spec.tokenExpirationSeconds).toBe(3607);
    const disabled = validateTokenRequest({ expirationSeconds: 3607, boundObjectRef: pod }, { apiAudiences: API, extendExpiration: false });
    expect(disabled.ok && disabled.spec.tokenExpirationSeconds).toBe(3607);
    const notPod = validateTokenRequest({ expirationSeconds: 3607 }, { apiAudiences: API });
    expect(notPod.ok && notPod.spec.warnAfterSeconds).toBeUndefined();
  });

  it("refuses to bind to other kinds with a 400", () => {
    const result = validateTokenRequest({ boundObjectRef: { kind: "ConfigMap", apiVersion: "v1", name: "c" } }, { apiAudiences: API });
    expect(result).toMatchObject({ ok: false, code: 400, message: "cannot bind token to object of type /v1, Kind=ConfigMap" });
    const apps = validateTokenRequest({ boundObjectRef: { kind: "Pod", apiVersion: "apps/v1", name: "c" } }, { apiAudiences: API });
    expect(!apps.ok && apps.message).toBe("cannot bind token to object of type apps/v1, Kind=Pod");
  });
});
