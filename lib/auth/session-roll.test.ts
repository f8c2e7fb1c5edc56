import { describe, expect, it } from "vitest";
import { decode, encode } from "next-auth/jwt";
import { rolledSessionToken, SESSION_MAX_AGE, SESSION_ROLL_AFTER } from "./session-roll";

const secret = "a-test-secret-of-enough-length-0123456789";

describe("rolling session cookies", () => {
  it("reissues a cookie older than a day with the same claims and a fresh expiry, and leaves a newer one alone", async () => {
    const now = Math.floor(Date.now() / 1000);
    const claims = { sub: "user-1", sv: 3, name: "Maria", email: "maria@example.com" };
    const fresh = await decode({ token: await encode({ token: claims, secret, maxAge: SESSION_MAX_AGE }), secret });
    if (!fresh) throw new Error("no token");
    expect(await rolledSessionToken(fresh, secret, now)).toBeUndefined();
    expect(await rolledSessionToken({ ...fresh, iat: now - SESSION_ROLL_AFTER + 60 }, secret, now)).toBeUndefined();
    expect(await rolledSessionToken({ ...claims }, secret, now)).toBeUndefined();

    const old = { ...fresh, iat: now - SESSION_ROLL_AFTER - 1, exp: now + 60 };
    const rolled = await rolledSessionToken(old, secret, now);
    if (rolled === undefined) throw new Error("not rolled");
    const reissued = await decode({ token: rolled, secret });
    expect(reissued).toMatchObject(claims);
    expect(Number(reissued?.exp)).toBeGreaterThanOrEqual(now + SESSION_MAX_AGE - 5);
    expect(Number(reissued?.iat)).toBeGreaterThanOrEqual(now - 5);
  });
});
