/**
 * A bounded LRU cache of successful authentications, in front of an Authenticator (keyed by the
 * presented certificate chain) or a TokenAuthenticator (keyed by the token).
 *
 * Decisions:
 * - Keys are SHA-256 digests, so raw tokens are never kept in memory as map keys.
 * - Only successes are cached. Errors and "no opinion" always go to the inner authenticator,
 *   like kube-apiserver's token cache whose failure TTL defaults to 0 (--authentication-token-
 *   webhook-cache-ttl aside); a learner who fixes a credential sees the effect immediately.
 * - An entry is used only while `generation()` returns the value it was stored under (callers bump
 *   it when the objects that could invalidate a credential change: CA bundle, Secrets, SAs ...),
 *   while context.now <= validUntil (the simulated clock, never the wall clock), not before the
 *   moment it was stored (the scenario clock can be moved backwards), and within `ttlMs` if set.
 */
import { createHash } from "node:crypto";
import type { ApiRequest, AuthnContext, AuthnOutcome, Authenticator, TokenAuthenticator, UserInfo } from "../types";

export interface AuthnCacheOptions {
  /** Default 4096 entries. */
  maxEntries?: number;
  /** Current generation of whatever could invalidate a cached success. */
  generation: () => number | string;
  /** Optional extra bound on entry age in simulated milliseconds (the apiserver's token cache uses 10 s). */
  ttlMs?: number;
}

export interface AuthnCacheStats {
  hits: number;
  misses: number;
  size: number;
}

type UserOutcome = Extract<AuthnOutcome, { kind: "user" }>;

interface Entry {
  outcome: UserOutcome;
  generation: number | string;
  storedAtMs: number;
}

/** The LRU itself, exported for reuse and tests. */
export class SuccessCache {
  private readonly entries = new Map<string, Entry>();
  readonly stats: AuthnCacheStats = { hits: 0, misses: 0, size: 0 };

  constructor(private readonly options: AuthnCacheOptions) {}

  get(key: string, now: Date): UserOutcome | undefined {
    const entry = this.entries.get(key);
    if (!entry || !this.isFresh(entry, now)) {
      if (entry) this.entries.delete(key);
      this.stats.misses++;
      this.stats.size = this.entries.size;
      return undefined;
    }
    // Refresh recency: Map iteration order is insertion order, so re-insert at the end.
    this.entries.delete(key);
    this.entries.set(key, entry);
    this.stats.hits++;
    return copyOutcome(entry.outcome);
  }

  set(key: string, outcome: AuthnOutcome, now: Date): void {
    if (outcome.kind !== "user") return;
    if (outcome.validUntil && now.getTime() > outcome.validUntil.getTime()) return;
    this.entries.delete(key);
    this.entries.set(key, { outcome: copyOutcome(outcome), generation: this.options.generation(), storedAtMs: now.getTime() });
    const max = Math.max(1, this.options.maxEntries ?? 4096);
    while (this.entries.size > max) {
      const oldest = this.entries.keys().next();
      if (oldest.done) break;
      this.entries.delete(oldest.value);
    }
    this.stats.size = this.entries.size;
  }

  clear(): void {
    this.entries.clear();
    this.stats.size = 0;
  }

  private isFresh(entry: Entry, now: Date): boolean {
    const nowMs = now.getTime();
    if (entry.generation !== this.options.generation()) return false;
    if (nowMs < entry.storedAtMs) return false;
    const validUntil = entry.outcome.validUntil;
    if (validUntil && nowMs > validUntil.getTime()) return false;
    if (this.options.ttlMs !== undefined && nowMs - entry.storedAtMs > this.options.ttlMs) return false;
    return true;
  }
}

export interface CachedAuthenticator extends Authenticator {
  readonly cache: SuccessCache;
}

export interface CachedTokenAuthenticator extends TokenAuthenticator {
  readonly cache: SuccessCache;
}

/** Cache in front of a certificate authenticator: the key is the leaf DER plus the intermediates, in order. */
export function withCredentialCache(inner: Authenticator, options: AuthnCacheOptions): CachedAuthenticator {
  const cache = new SuccessCache(options);
  return {
    name: inner.name,
    cache,
    async authenticate(request: ApiRequest, context: AuthnContext): Promise<AuthnOutcome> {
      const peers = request.peerCertificates ?? [];
      if (!request.tls || peers.length === 0) return inner.authenticate(request, context);
      const key = certificateChainKey(peers);
      const hit = cache.get(key, context.now);
      if (hit) return hit;
      const outcome = await inner.authenticate(request, context);
      cache.set(key, outcome, context.now);
      return outcome;
    },
  };
}

/** Cache in front of a bearer-token authenticator (or a whole token union). */
export function withTokenCache(inner: TokenAuthenticator, options: AuthnCacheOptions): CachedTokenAuthenticator {
  const cache = new SuccessCache(options);
  return {
    name: inner.name,
    cache,
    async authenticateToken(token: string, context: AuthnContext): Promise<AuthnOutcome> {
      // The audiences are part of what a token success means (bound SA tokens): key on them too.
      const key = createHash("sha256").update(token).update("\0").update(context.apiAudiences.join("\0")).digest("hex");
      const hit = cache.get(key, context.now);
      if (hit) return hit;
      const outcome = await inner.authenticateToken(token, context);
      cache.set(key, outcome, context.now);
      return outcome;
    },
  };
}

export function certificateChainKey(peers: Uint8Array[]): string {
  const hash = createHash("sha256");
  const length = Buffer.alloc(4);
  for (const der of peers) {
    length.writeUInt32BE(der.length);
    hash.update(length).update(der);
  }
  return hash.digest("hex");
}

function copyUser(user: UserInfo): UserInfo {
  const extra: Record<string, string[]> = {};
  for (const [key, values] of Object.entries(user.extra)) extra[key] = [...values];
  return { name: user.name, uid: user.uid, groups: [...user.groups], extra };
}

function copyOutcome(outcome: UserOutcome): UserOutcome {
  const copy: UserOutcome = { kind: "user", user: copyUser(outcome.user) };
  if (outcome.audiences) copy.audiences = [...outcome.audiences];
  if (outcome.validUntil) copy.validUntil = new Date(outcome.validUntil.getTime());
  return copy;
}
