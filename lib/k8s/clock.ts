/**
 * Simulated time and deterministic randomness for the engine.
 *
 * The scenario clock is plain data (`{ nowMs }`) so it can be stored with a cluster and moved
 * forward by lessons ("wait 2h", "advance 400d") without anyone reading the wall clock.
 */
import { createHash } from "node:crypto";

export interface SimClock {
  nowMs: number;
}

export function createClock(start: Date | number): SimClock {
  return { nowMs: typeof start === "number" ? start : start.getTime() };
}

export function clockNow(clock: SimClock): Date {
  return new Date(clock.nowMs);
}

const UNIT_MS: Record<string, number> = {
  ns: 1e-6,
  us: 1e-3,
  µs: 1e-3,
  ms: 1,
  s: 1000,
  m: 60_000,
  h: 3_600_000,
  // Go's time.ParseDuration has no day unit; lessons and kubeadm-style strings ("400d") do.
  d: 86_400_000,
};

/**
 * Parses a Go-style duration ("90m", "1h30m", "-2h", "400d", "1.5h") into milliseconds.
 * Returns undefined for anything that is not one, so callers decide how to report it.
 */
export function parseDuration(text: string): number | undefined {
  const trimmed = text.trim();
  if (trimmed === "0") return 0;
  const match = /^([+-]?)((?:\d+(?:\.\d*)?|\.\d+)(?:ns|us|µs|ms|s|m|h|d))+$/.exec(trimmed);
  if (!match) return undefined;
  const sign = match[1] === "-" ? -1 : 1;
  let total = 0;
  for (const part of trimmed.slice(match[1]?.length ?? 0).matchAll(/(\d+(?:\.\d*)?|\.\d+)(ns|us|µs|ms|s|m|h|d)/g)) {
    const value = Number(part[1]);
    const unit = UNIT_MS[part[2] ?? ""];
    if (unit === undefined || !Number.isFinite(value)) return undefined;
    total += value * unit;
  }
  return sign * total;
}

/** Returns a new clock moved by `by` (milliseconds or a duration string); the input is not mutated. */
export function advanceClock(clock: SimClock, by: number | string): SimClock {
  const ms = typeof by === "number" ? by : parseDuration(by);
  if (ms === undefined) throw new RangeError(`time: invalid duration "${String(by)}"`);
  return { nowMs: clock.nowMs + ms };
}

/** A seeded PRNG (mulberry32). Same seed, same sequence: tests and saved scenarios replay exactly. */
export interface SeededRandom {
  /** Uniform float in [0, 1). */
  next(): number;
  /** Uniform integer in [0, maxExclusive). */
  int(maxExclusive: number): number;
  bytes(length: number): Uint8Array;
  hex(byteLength: number): string;
  /** RFC 4122 version-4 shaped uid, like the ones the apiserver puts in metadata.uid. */
  uuid(): string;
  /**
   * A positive X.509 serial number (hex, at most 20 bytes, high bit clear, never zero),
   * in the range Go's and openssl's generators produce.
   */
  serialHex(byteLength?: number): string;
}

export function createSeededRandom(seed: number | string): SeededRandom {
  let state = typeof seed === "number" ? seed >>> 0 : hashSeed(seed);
  const nextUint32 = (): number => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return (t ^ (t >>> 14)) >>> 0;
  };
  const bytes = (length: number): Uint8Array => {
    const out = new Uint8Array(length);
    for (let i = 0; i < length; i++) out[i] = nextUint32() & 0xff;
    return out;
  };
  const toHex = (data: Uint8Array): string => Buffer.from(data).toString("hex");
  return {
    next: () => nextUint32() / 4_294_967_296,
    int: (maxExclusive) => Math.floor((nextUint32() / 4_294_967_296) * maxExclusive),
    bytes,
    hex: (byteLength) => toHex(bytes(byteLength)),
    uuid: () => formatUuid(bytes(16)),
    serialHex: (byteLength = 16) => positiveSerialHex(bytes(Math.min(Math.max(byteLength, 1), 20))),
  };
}

function hashSeed(seed: string): number {
  return createHash("sha256").update(seed).digest().readUInt32BE(0);
}

export function formatUuid(random: Uint8Array): string {
  const b = Uint8Array.from(random.subarray(0, 16));
  b[6] = ((b[6] ?? 0) & 0x0f) | 0x40;
  b[8] = ((b[8] ?? 0) & 0x3f) | 0x80;
  const hex = Buffer.from(b).toString("hex");
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

/** Clears the sign bit and avoids zero so DER encodes a positive INTEGER. */
export function positiveSerialHex(random: Uint8Array): string {
  const b = Uint8Array.from(random);
  if (b.length === 0) return "01";
  b[0] = (b[0] ?? 0) & 0x7f;
  if (b[0] === 0) b[0] = 0x01;
  return Buffer.from(b).toString("hex");
}
