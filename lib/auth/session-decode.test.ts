import { afterEach, describe, expect, it, vi } from "vitest";
import { decode, encode } from "next-auth/jwt";
import { decodeSession } from "./session-decode";

describe("decodeSession", () => {
  const secret = "a-secret-of-some-length-for-the-test";

  it("reads what next-auth's encode wrote, as next-auth's decode does", async () => {
    const token = await encode({ token: { sub: "user-1", sv: 3, name: "Ana" }, secret, maxAge: 600 });
    const ours = await decodeSession({ token, secret });
    expect(ours).toEqual(await decode({ token, secret }));
    expect(ours).toMatchObject({ sub: "user-1", sv: 3, name: "Ana" });
    // Again, with the derived key kept.
    expect(await decodeSession({ token, secret })).toEqual(ours);
  });

  it("refuses another secret's token, an expired token and garbage; no token is null", async () => {
    const token = await encode({ token: { sub: "user-1" }, secret: "another-secret-entirely-different", maxAge: 600 });
    await expect(decodeSession({ token, secret })).rejects.toThrow();
    const expired = await encode({ token: { sub: "user-1" }, secret, maxAge: -60 });
    await expect(decodeSession({ token: expired, secret })).rejects.toThrow();
    await expect(decode({ token: expired, secret })).rejects.toThrow();
    await expect(decodeSession({ token: "not.a.jwe.at.all", secret })).rejects.toThrow();
    expect(await decodeSession({ token: undefined, secret })).toBeNull();
  });

  afterEach(() => {
    vi.useRealTimers();
  });

  it("answers a token decoded before from memory only while it is valid, and only under its own secret", async () => {
    vi.useFakeTimers({ toFake: ["Date"] });
    const token = await encode({ token: { sub: "user-2", sv: 1 }, secret, maxAge: 60 });
    const first = await decodeSession({ token, secret });
    expect(first).toMatchObject({ sub: "user-2", sv: 1 });
    // A caller that changes the claims it got changes nobody else's.
    if (first) first.sub = "someone-else";
    expect(await decodeSession({ token, secret })).toMatchObject({ sub: "user-2" });
    await expect(decodeSession({ token, secret: "another-secret-entirely-different" })).rejects.toThrow();
    // Within the 15 s of clock tolerance after its expiry, still valid; past it, refused as next-auth refuses it.
    vi.setSystemTime(Date.now() + 70_000);
    expect(await decodeSession({ token, secret })).toMatchObject({ sub: "user-2" });
    vi.setSystemTime(Date.now() + 10_000);
    await expect(decodeSession({ token, secret })).rejects.toThrow();
    await expect(decode({ token, secret })).rejects.toThrow();
  });
});
