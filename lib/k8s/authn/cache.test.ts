import { describe, expect, it } from "vitest";
import type { ApiRequest, AuthnContext, AuthnOutcome, Authenticator, TokenAuthenticator } from "../types";
import { advanceClock, clockNow, createClock } from "../clock";
import { SuccessCache, withCredentialCache, withTokenCache } from "./cache";

const AUDIENCES = ["https://kubernetes.default.svc.cluster.local"];
const user = { name: "jane", uid: "", groups: ["dev"], extra: {} };

function countingToken(outcome: () => AuthnOutcome): TokenAuthenticator & { calls: number } {
  const counter = {
    name: "counting",
    calls: 0,
    async authenticateToken(): Promise<AuthnOutcome> {
      counter.calls++;
      return outcome();
    },
  };
  return counter;
}

describe("token cache", () => {
  it("serves repeats from the cache until validUntil passes on the simulated clock", async () => {
    let clock = createClock(new Date("2025-06-01T00:00:00Z"));
    const inner = countingToken(() => ({ kind: "user", user, validUntil: new Date("2025-06-01T01:00:00Z") }));
    const cached = withTokenCache(inner, { generation: () => 1 });
    const ctx = (): AuthnContext => ({ now: clockNow(clock), apiAudiences: AUDIENCES });
    await cached.authenticateToken("t", ctx());
    await cached.authenticateToken("t", ctx());
    expect(inner.calls).toBe(1);
    clock = advanceClock(clock, "59m");
    await cached.authenticateToken("t", ctx());
    expect(inner.calls).toBe(1);
    clock = advanceClock(clock, "90s");
    await cached.authenticateToken("t", ctx());
    expect(inner.calls).toBe(2);
  });

  it("a different generation is a miss", async () => {
    let generation = 1;
    const inner = countingToken(() => ({ kind: "user", user }));
    const cached = withTokenCache(inner, { generation: () => generation });
    const ctx = { now: new Date("2025-06-01T00:00:00Z"), apiAudiences: AUDIENCES };
    await cached.authenticateToken("t", ctx);
    generation = 2;
    await cached.authenticateToken("t", ctx);
    await cached.authenticateToken("t", ctx);
    expect(inner.calls).toBe(2);
  });

  it("errors and no-opinion are never cached", async () => {
    const inner = countingToken(() => ({ kind: "error", error: "token has expired" }));
    const cached = withTokenCache(inner, { generation: () => 1 });
    const ctx = { now: new Date("2025-06-01T00:00:00Z"), apiAudiences: AUDIENCES };
    await cached.authenticateToken("t", ctx);
    await cached.authenticateToken("t", ctx);
    expect(inner.calls).toBe(2);
  });

  it("moving the clock backwards before the entry was stored is a miss; ttlMs bounds age", async () => {
    const inner = countingToken(() => ({ kind: "user", user }));
    const cached = withTokenCache(inner, { generation: () => 1, ttlMs: 10_000 });
    await cached.authenticateToken("t", { now: new Date("2025-06-01T00:00:00Z"), apiAudiences: AUDIENCES });
    await cached.authenticateToken("t", { now: new Date("2025-05-01T00:00:00Z"), apiAudiences: AUDIENCES });
    expect(inner.calls).toBe(2);
    await cached.authenticateToken("t", { now: new Date("2025-05-01T00:00:09Z"), apiAudiences: AUDIENCES });
    expect(inner.calls).toBe(2);
    await cached.authenticateToken("t", { now: new Date("2025-05-01T00:00:11Z"), apiAudiences: AUDIENCES });
    expect(inner.calls).toBe(3);
  });

  it("returned users are copies: mutating one does not poison the cache", async () => {
    const cached = withTokenCache(
      countingToken(() => ({ kind: "user", user })),
      { generation: () => 1 },
    );
    const ctx = { now: new Date("2025-06-01T00:00:00Z"), apiAudiences: AUDIENCES };
    const first = await cached.authenticateToken("t", ctx);
    if (first.kind === "user") first.user.groups.push("system:masters");
    const second = await cached.authenticateToken("t", ctx);
    expect(second.kind === "user" && second.user.groups).toEqual(["dev"]);
  });
});

describe("certificate cache", () => {
  it("keys on the presented chain and bypasses requests without certificates", async () => {
    let calls = 0;
    const inner: Authenticator = {
      name: "x509",
      async authenticate(request: ApiRequest): Promise<AuthnOutcome> {
        calls++;
        return request.peerCertificates?.length
          ? { kind: "user", user, validUntil: new Date("2026-01-01T00:00:00Z") }
          : { kind: "no-opinion", reason: "none" };
      },
    };
    const cached = withCredentialCache(inner, { generation: () => 1 });
    const ctx = { now: new Date("2025-06-01T00:00:00Z"), apiAudiences: AUDIENCES };
    const base: ApiRequest = { method: "GET", url: "/", headers: {}, tls: true };
    await cached.authenticate({ ...base, peerCertificates: [new Uint8Array([1, 2, 3])] }, ctx);
    await cached.authenticate({ ...base, peerCertificates: [new Uint8Array([1, 2, 3])] }, ctx);
    expect(calls).toBe(1);
    await cached.authenticate({ ...base, peerCertificates: [new Uint8Array([1, 2, 3]), new Uint8Array([4])] }, ctx);
    expect(calls).toBe(2);
    await cached.authenticate(base, ctx);
    await cached.authenticate(base, ctx);
    expect(calls).toBe(4);
    expect(cached.cache.stats.hits).toBe(1);
  });
});

describe("SuccessCache LRU", () => {
  it("evicts the least recently used entry", () => {
    const cache = new SuccessCache({ generation: () => 1, maxEntries: 2 });
    const now = new Date("2025-06-01T00:00:00Z");
    const outcome: AuthnOutcome = { kind: "user", user };
    cache.set("a", outcome, now);
    cache.set("b", outcome, now);
    expect(cache.get("a", now)).toBeDefined();
    cache.set("c", outcome, now);
    expect(cache.get("b", now)).toBeUndefined();
    expect(cache.get("a", now)).toBeDefined();
    expect(cache.get("c", now)).toBeDefined();
  });
});
