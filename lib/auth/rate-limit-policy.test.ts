import { createRequire } from "node:module";
import { afterEach, describe, expect, it, vi } from "vitest";
import { RateLimiterMemory, RateLimiterRes } from "rate-limiter-flexible";
import {
  addressKey,
  chargeSignIn,
  createLimiters,
  limitAnswer,
  limiterRejection,
  limitSignUp,
  limitTerminalCommand,
  POLICY,
  RateLimitedError,
} from "./rate-limit-policy";

const memory = () => createLimiters((options) => new RateLimiterMemory(options));

/** A second copy of the library, as a production bundle can hold next to the one we import. */
function secondCopy(): typeof import("rate-limiter-flexible") {
  const require = createRequire(import.meta.url);
  for (const key of Object.keys(require.cache)) if (key.includes(`${"/"}rate-limiter-flexible${"/"}`)) delete require.cache[key];
  return require("rate-limiter-flexible") as typeof import("rate-limiter-flexible");
}

afterEach(() => {
  vi.useRealTimers();
});

describe("rate-limit rejections", () => {
  it("are recognised by shape, also from another copy of the library's class", async () => {
    const copy = secondCopy();
    expect(copy.RateLimiterRes).not.toBe(RateLimiterRes);
    const limits = createLimiters((options) => new copy.RateLimiterMemory(options), { terminal: 2 });
    await limitTerminalCommand(limits, "u1");
    await limitTerminalCommand(limits, "u1");
    const rejected = limitTerminalCommand(limits, "u1");
    await expect(rejected).rejects.toBeInstanceOf(RateLimitedError);
    await expect(rejected).rejects.toMatchObject({ retryAfterSeconds: 10 });
  });

  it("does not take a store failure for a rejection", () => {
    expect(limiterRejection(new Error("connection refused"))).toBeUndefined();
    expect(limiterRejection(Object.assign(new Error("x"), { msBeforeNext: 5 }))).toBeUndefined();
    expect(limiterRejection({ msBeforeNext: "5" })).toBeUndefined();
    expect(limiterRejection(null)).toBeUndefined();
    expect(limiterRejection({ remainingPoints: 0, msBeforeNext: 1500 })).toEqual({ msBeforeNext: 1500 });
  });
});

describe("sign-in per account", () => {
  it("charges before the password check: parallel guesses cannot pass the free failures", async () => {
    const limits = memory();
    const outcomes = await Promise.allSettled(
      Array.from({ length: 50 }, () => chargeSignIn(limits, "victim@example.com", `10.0.0.${Math.floor(Math.random() * 250)}`)),
    );
    const admitted = outcomes.filter((outcome) => outcome.status === "fulfilled").length;
    // The free failures, then one attempt for the first back-off window.
    expect(admitted).toBe(POLICY.signInFailuresPerAccount.free + 1);
    expect(outcomes.filter((outcome) => outcome.status === "rejected").every((outcome) => outcome.reason instanceof RateLimitedError)).toBe(
      true,
    );
  });

  it("backs off exponentially instead of locking the owner out, and forgives on success", async () => {
    vi.useFakeTimers();
    const limits = memory();
    const email = "owner@example.com";
    const { free, maxDelay } = POLICY.signInFailuresPerAccount;
    for (let n = 0; n < free; n++) await chargeSignIn(limits, email, `10.0.${n}.1`);
    const waits: number[] = [];
    for (let n = 0; n < 12; n++) {
      await chargeSignIn(limits, email, `10.1.${n}.1`); // admitted: a wrong password
      const early = await chargeSignIn(limits, email, `10.2.${n}.1`).then(
        () => 0,
        (error: RateLimitedError) => error.retryAfterSeconds,
      );
      waits.push(early);
      vi.advanceTimersByTime(early * 1000);
    }
    expect(waits).toEqual([1, 2, 4, 8, 16, 32, 64, 128, 256, maxDelay, maxDelay, maxDelay]);
    // The owner is never told to wait longer than maxDelay, and the right password clears it.
    const charge = await chargeSignIn(limits, email, "10.3.0.1");
    await charge.succeeded();
    for (let n = 0; n < free; n++) await chargeSignIn(limits, email, `10.4.${n}.1`);
  });
});

describe("addresses", () => {
  it("keys IPv6 by /64 and IPv4 as is", () => {
    expect(addressKey("2001:db8:1:2:aaaa::1")).toBe("2001:db8:1:2::/64");
    expect(addressKey("2001:0db8:0001:0002:ffff:1:2:3")).toBe("2001:db8:1:2::/64");
    expect(addressKey("2001:db8::1")).toBe("2001:db8:0:0::/64");
    expect(addressKey("::1")).toBe("0:0:0:0::/64");
    expect(addressKey("fe80::1%eth0")).toBe("fe80:0:0:0::/64");
    expect(addressKey("::ffff:203.0.113.9")).toBe("203.0.113.9");
    expect(addressKey("203.0.113.9")).toBe("203.0.113.9");
    expect(addressKey("unknown")).toBe("unknown");
    expect(addressKey("2001:db8:1:3::1")).not.toBe(addressKey("2001:db8:1:2::1"));
  });

  it("one /64 shares one sign-up budget", async () => {
    const limits = memory();
    for (let n = 0; n < POLICY.signUpPerIp.points; n++) await limitSignUp(limits, `2001:db8:5:6::${(n + 1).toString(16)}`);
    await expect(limitSignUp(limits, "2001:db8:5:6:ffff:ffff:ffff:ffff")).rejects.toBeInstanceOf(RateLimitedError);
    await expect(limitSignUp(limits, "2001:db8:5:7::1")).resolves.toBeUndefined();
  });
});

describe("answers", () => {
  it("count per learner, and per address (IPv6: per /64) for visitors; one does not use up another's", async () => {
    const limits = createLimiters((options) => new RateLimiterMemory(options), { answers: 2 });
    await limitAnswer(limits, { userId: "u1" });
    await limitAnswer(limits, { userId: "u1" });
    await expect(limitAnswer(limits, { userId: "u1" })).rejects.toBeInstanceOf(RateLimitedError);
    await limitAnswer(limits, { userId: "u2" });
    await limitAnswer(limits, { ip: "2001:db8:1:2::1" });
    await limitAnswer(limits, { ip: "2001:db8:1:2::ffff" });
    await expect(limitAnswer(limits, { ip: "2001:db8:1:2::abcd" })).rejects.toBeInstanceOf(RateLimitedError);
    await limitAnswer(limits, { ip: "2001:db8:1:3::1" });
    // A user id that looks like an address does not share a visitor's count.
    await limitAnswer(limits, { userId: "2001:db8:1:2::1" });
  });
});
