/**
 * What one practice API process takes on at once, as kube-apiserver bounds itself:
 *
 * - requests in flight, read-only (GET, HEAD, OPTIONS) and mutating apart, like `--max-requests-inflight`
 *   (400) and `--max-mutating-requests-inflight` (200);
 * - request body bytes held in memory by all requests together (the apiserver has only the per-request
 *   `--max-request-body-bytes`; one process serving many clusters needs the sum bounded too);
 * - requests per second for one instance (the apiserver's API Priority and Fairness gives each flow its
 *   share; here each instance is a flow with a token bucket).
 *
 * Every refusal is the apiserver's own 429: `http.Error(w, "Too many requests, please try again later.",
 * 429)` with `Retry-After` (staging/src/k8s.io/apiserver/pkg/server/filters/maxinflight.go, and the same
 * body from the APF filter) — plain text, not a Status object. client-go retries it after Retry-After.
 */
import type { ApiResponse } from "../k8s";

export interface PracticeApiLimits {
  /** Read-only requests (GET, HEAD, OPTIONS) being served at once. Default 400. */
  maxRequestsInflight: number;
  /** Other requests being served at once. Default 200. */
  maxMutatingRequestsInflight: number;
  /** Request body bytes buffered by all requests together. Default 64 MiB. */
  maxBufferedBodyBytes: number;
  /** Sustained requests per second for one instance. Default 50. */
  instanceRequestsPerSecond: number;
  /** Requests one instance may send at once after a quiet spell (kubectl's cold discovery is ~40). Default 200. */
  instanceBurst: number;
}

export const DEFAULT_LIMITS: PracticeApiLimits = {
  maxRequestsInflight: 400,
  maxMutatingRequestsInflight: 200,
  maxBufferedBodyBytes: 64 * 1024 * 1024,
  instanceRequestsPerSecond: 50,
  instanceBurst: 200,
};

/** kube-apiserver's 429 (filters/maxinflight.go tooManyRequests), as Go's http.Error writes it. */
export function tooManyRequests(retryAfterSeconds = 1): ApiResponse {
  return {
    status: 429,
    headers: { "Content-Type": "text/plain; charset=utf-8", "X-Content-Type-Options": "nosniff", "Retry-After": String(retryAfterSeconds) },
    body: "Too many requests, please try again later.\n",
  };
}

const READ_ONLY_METHODS = new Set(["GET", "HEAD", "OPTIONS"]);

/** A token bucket per key; idle buckets that have refilled are forgotten, so memory follows activity. */
class TokenBuckets {
  private readonly buckets = new Map<string, { tokens: number; at: number }>();
  private lastSweep = 0;

  constructor(
    private readonly perSecond: number,
    private readonly burst: number,
  ) {}

  /** 0 when a token was taken; otherwise the seconds until one will be there. */
  take(key: string, now = performance.now()): number {
    this.sweep(now);
    const bucket = this.buckets.get(key) ?? { tokens: this.burst, at: now };
    bucket.tokens = Math.min(this.burst, bucket.tokens + ((now - bucket.at) / 1000) * this.perSecond);
    bucket.at = now;
    this.buckets.set(key, bucket);
    if (bucket.tokens >= 1) {
      bucket.tokens -= 1;
      return 0;
    }
    return Math.max(1, Math.ceil((1 - bucket.tokens) / this.perSecond));
  }

  private sweep(now: number): void {
    if (now - this.lastSweep < 10_000) return;
    this.lastSweep = now;
    const full = (this.burst / this.perSecond) * 1000;
    for (const [key, bucket] of this.buckets) if (now - bucket.at > full) this.buckets.delete(key);
  }
}

/** The process-wide counters. Every `enter` that returned a ticket is paired with `ticket.leave()`. */
export class RequestLimiter {
  private readonly limits: PracticeApiLimits;
  private readOnly = 0;
  private mutating = 0;
  private buffered = 0;
  private readonly rates: TokenBuckets;

  constructor(limits: Partial<PracticeApiLimits> = {}) {
    this.limits = { ...DEFAULT_LIMITS, ...limits };
    this.rates = new TokenBuckets(this.limits.instanceRequestsPerSecond, this.limits.instanceBurst);
  }

  /** A slot for one request, or undefined when its kind is at its in-flight limit. */
  enter(method: string): RequestTicket | undefined {
    const readOnly = READ_ONLY_METHODS.has(method);
    if (readOnly ? this.readOnly >= this.limits.maxRequestsInflight : this.mutating >= this.limits.maxMutatingRequestsInflight)
      return undefined;
    if (readOnly) this.readOnly += 1;
    else this.mutating += 1;
    let held = 0;
    let left = false;
    return {
      hold: (bytes: number): boolean => {
        if (this.buffered + bytes > this.limits.maxBufferedBodyBytes) return false;
        this.buffered += bytes;
        held += bytes;
        return true;
      },
      leave: (): void => {
        if (left) return;
        left = true;
        this.buffered -= held;
        if (readOnly) this.readOnly -= 1;
        else this.mutating -= 1;
      },
    };
  }

  /** 0 when the instance may send one more request now; otherwise the seconds to wait. */
  instanceRate(instanceId: string): number {
    return this.rates.take(instanceId);
  }

  /** For tests and logs. */
  usage(): { readOnly: number; mutating: number; bufferedBytes: number } {
    return { readOnly: this.readOnly, mutating: this.mutating, bufferedBytes: this.buffered };
  }
}

export interface RequestTicket {
  /** Accounts `bytes` more of buffered body; false (nothing held) when the process budget is spent. */
  hold(bytes: number): boolean;
  /** Gives the slot and the held bytes back (idempotent). */
  leave(): void;
}
