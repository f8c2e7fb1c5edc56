import net from "node:net";
import { DomainError } from "../http/errors";
import type { IRateLimiterOptions, RateLimiterAbstract } from "rate-limiter-flexible";

/** How many attempts are allowed in which window. Numbers chosen after OWASP's guidance. */
export const POLICY = {
  /**
   * Wrong passwords for one account: the first `free` cost nothing; after that each further
   * attempt must wait twice as long as the one before (1 s, 2 s, 4 s, … up to `maxDelay`), so
   * guessing slows to a crawl while the real owner is only slowed, never locked out. The count
   * covers `duration` seconds from the first failure; a successful sign-in clears it.
   */
  signInFailuresPerAccount: { free: 5, maxDelay: 5 * 60, duration: 24 * 60 * 60 },
  /** Sign-in attempts from one address (IPv6: one /64), right or wrong. */
  signInPerIp: { points: 30, duration: 15 * 60 },
  /** New accounts from one address (IPv6: one /64). */
  signUpPerIp: { points: 10, duration: 60 * 60 },
  /** Terminal commands of one learner (all scenarios): generous for typing, stops scripts. */
  terminalPerUser: { points: 40, duration: 10 },
  /**
   * Answer submissions and model-answer reveals of one learner (a visitor: one address, IPv6 one
   * /64). A person answers a question every few seconds at most; each stored answer recomputes the
   * learner's report summaries, so a script must not be able to hammer the database with them.
   */
  answersPerUser: { points: 30, duration: 10 },
} as const;

export interface Limiters {
  /** Failed sign-ins per account (a counter: never rejects by itself). */
  signInAccount: RateLimiterAbstract;
  /** One attempt per back-off window once an account is past its free failures. */
  signInAccountGate: RateLimiterAbstract;
  signInIp: RateLimiterAbstract;
  signUpIp: RateLimiterAbstract;
  terminal: RateLimiterAbstract;
  answers: RateLimiterAbstract;
}

/** Settings that raise the per-learner limits (benchmarks and tests drive one learner hard). */
export interface LimitOverrides {
  terminal?: number;
  answers?: number;
}

export function createLimiters(make: (options: IRateLimiterOptions) => RateLimiterAbstract, overrides: LimitOverrides = {}): Limiters {
  const failures = POLICY.signInFailuresPerAccount;
  return {
    signInAccount: make({ keyPrefix: "signin_account", points: Number.MAX_SAFE_INTEGER, duration: failures.duration }),
    signInAccountGate: make({ keyPrefix: "signin_account_gate", points: 1, duration: failures.maxDelay }),
    signInIp: make({ keyPrefix: "signin_ip", ...POLICY.signInPerIp }),
    signUpIp: make({ keyPrefix: "signup_ip", ...POLICY.signUpPerIp }),
    terminal: make({ keyPrefix: "terminal_user", ...POLICY.terminalPerUser, points: overrides.terminal ?? POLICY.terminalPerUser.points }),
    answers: make({ keyPrefix: "answers", ...POLICY.answersPerUser, points: overrides.answers ?? POLICY.answersPerUser.points }),
  };
}

/** A 429 with `Retry-After` wherever it reaches `jsonError` (lib/http/errors.ts). */
export class RateLimitedError extends DomainError {
  override name = "RateLimitedError";
  constructor(readonly retryAfterSeconds: number) {
    super(429, `Too many attempts, try again in ${retryAfterSeconds} seconds.`, undefined, { "Retry-After": String(retryAfterSeconds) });
  }
}

/**
 * A limiter's rejection: rate-limiter-flexible rejects with a `RateLimiterRes` (plain data, not
 * an Error) and with an Error when its store fails. Recognised by shape, not by class: the
 * production bundle can hold a second copy of the class, and `instanceof` then says no.
 */
export function limiterRejection(value: unknown): { msBeforeNext: number } | undefined {
  if (typeof value !== "object" || value === null || value instanceof Error) return undefined;
  const msBeforeNext: unknown = (value as { msBeforeNext?: unknown }).msBeforeNext;
  return typeof msBeforeNext === "number" && Number.isFinite(msBeforeNext) ? { msBeforeNext } : undefined;
}

function retryAfter(msBeforeNext: number): number {
  return Math.max(1, Math.ceil(msBeforeNext / 1000));
}

async function consume(limiter: RateLimiterAbstract, key: string, options?: { customDuration: number }): Promise<void> {
  try {
    await limiter.consume(key, 1, options);
  } catch (error) {
    const rejection = limiterRejection(error);
    if (rejection) throw new RateLimitedError(retryAfter(rejection.msBeforeNext));
    throw error;
  }
}

/**
 * The key for an address: IPv4 as is, IPv6 by its /64 (one subscriber usually holds a whole
 * /64, so keying by /128 would hand out 2^64 budgets). Anything else (e.g. "unknown") as is.
 */
export function addressKey(ip: string): string {
  const address = ip.startsWith("::ffff:") && net.isIPv4(ip.slice(7)) ? ip.slice(7) : ip;
  if (!net.isIPv6(address)) return address;
  const [head = "", tail = ""] = address.split("%")[0]?.split("::") ?? [];
  const left = head ? head.split(":") : [];
  const right = tail ? tail.split(":") : [];
  if (right.length && right[right.length - 1]?.includes(".")) right.splice(-1, 1, "0", "0");
  const groups = address.includes("::") ? [...left, ...Array<string>(8 - left.length - right.length).fill("0"), ...right] : left;
  return `${groups
    .slice(0, 4)
    .map((group) => Number.parseInt(group || "0", 16).toString(16))
    .join(":")}::/64`;
}

/** A password check's budget, charged before the check (parallel guesses all pay). */
export interface SignInCharge {
  /** The password was right: the account's failures are forgiven. */
  succeeded(): Promise<void>;
}

/**
 * Before checking a password: charges the address and the account. Past the free failures the
 * account admits one attempt per back-off window, so parallel guesses cannot slip through
 * between reading and writing the counter. Throws RateLimitedError when either says no.
 */
export async function chargeSignIn(limits: Limiters, email: string, ip: string): Promise<SignInCharge> {
  await consume(limits.signInIp, addressKey(ip));
  const { free, maxDelay } = POLICY.signInFailuresPerAccount;
  const failures = (await limits.signInAccount.penalty(email, 1)).consumedPoints;
  if (failures > free) {
    const delay = Math.min(2 ** (failures - free - 1), maxDelay);
    try {
      await consume(limits.signInAccountGate, email, { customDuration: delay });
    } catch (error) {
      // Not admitted, so not a guess: it must not lengthen the owner's wait.
      await limits.signInAccount.reward(email, 1);
      throw error;
    }
  }
  return {
    succeeded: async () => {
      await Promise.all([limits.signInAccount.delete(email), limits.signInAccountGate.delete(email)]);
    },
  };
}

export async function limitSignUp(limits: Limiters, ip: string): Promise<void> {
  await consume(limits.signUpIp, addressKey(ip));
}

export async function limitTerminalCommand(limits: Limiters, userId: string): Promise<void> {
  await consume(limits.terminal, userId);
}

/** One answer or reveal: a signed-in learner by account, a visitor by address. */
export async function limitAnswer(limits: Limiters, who: { userId: string } | { ip: string }): Promise<void> {
  await consume(limits.answers, "userId" in who ? `user:${who.userId}` : `ip:${addressKey(who.ip)}`);
}
