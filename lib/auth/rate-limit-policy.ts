import type { IRateLimiterOptions, RateLimiterAbstract } from "rate-limiter-flexible";
import { RateLimiterRes } from "rate-limiter-flexible";

/** How many attempts are allowed in which window. Numbers chosen after OWASP's guidance. */
export const POLICY = {
  /** Wrong passwords for one account before it is paused. Counted per account, success resets it. */
  signInFailuresPerAccount: { points: 5, duration: 15 * 60 },
  /** Sign-in attempts from one address, right or wrong. */
  signInPerIp: { points: 30, duration: 15 * 60 },
  /** New accounts from one address. */
  signUpPerIp: { points: 10, duration: 60 * 60 },
  /** Terminal commands of one learner (all scenarios): generous for typing, stops scripts. */
  terminalPerUser: { points: 40, duration: 10 },
} as const;

export interface Limiters {
  signInAccount: RateLimiterAbstract;
  signInIp: RateLimiterAbstract;
  signUpIp: RateLimiterAbstract;
  terminal: RateLimiterAbstract;
}

export function createLimiters(make: (options: IRateLimiterOptions) => RateLimiterAbstract, terminalPoints: number = POLICY.terminalPerUser.points): Limiters {
  return {
    signInAccount: make({ keyPrefix: "signin_account", ...POLICY.signInFailuresPerAccount, blockDuration: 0 }),
    signInIp: make({ keyPrefix: "signin_ip", ...POLICY.signInPerIp }),
    signUpIp: make({ keyPrefix: "signup_ip", ...POLICY.signUpPerIp }),
    terminal: make({ keyPrefix: "terminal_user", ...POLICY.terminalPerUser, points: terminalPoints }),
  };
}

export class RateLimitedError extends Error {
  override name = "RateLimitedError";
  constructor(readonly retryAfterSeconds: number) {
    super(`Too many attempts, try again in ${retryAfterSeconds} seconds.`);
  }
}

function retryAfter(result: RateLimiterRes): number {
  return Math.max(1, Math.ceil(result.msBeforeNext / 1000));
}

async function consume(limiter: RateLimiterAbstract, key: string): Promise<void> {
  try {
    await limiter.consume(key);
  } catch (rejection) {
    if (rejection instanceof RateLimiterRes) throw new RateLimitedError(retryAfter(rejection));
    throw rejection;
  }
}

/** Before checking a password: the address's budget, and whether the account is paused. */
export async function limitSignIn(limits: Limiters, email: string, ip: string): Promise<void> {
  const account = await limits.signInAccount.get(email);
  if (account && account.consumedPoints >= POLICY.signInFailuresPerAccount.points) {
    throw new RateLimitedError(retryAfter(account));
  }
  await consume(limits.signInIp, ip);
}

export async function recordSignInFailure(limits: Limiters, email: string): Promise<void> {
  await limits.signInAccount.penalty(email, 1);
}

export async function resetSignInFailures(limits: Limiters, email: string): Promise<void> {
  await limits.signInAccount.delete(email);
}

export async function limitSignUp(limits: Limiters, ip: string): Promise<void> {
  await consume(limits.signUpIp, ip);
}

export async function limitTerminalCommand(limits: Limiters, userId: string): Promise<void> {
  await consume(limits.terminal, userId);
}
