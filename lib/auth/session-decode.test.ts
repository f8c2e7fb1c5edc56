import { describe, expect, it } from "vitest";
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
});
