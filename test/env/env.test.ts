import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { EnvError, parseEnv, resolveAuthSecret } from "@/lib/env";

const tmp = () => fs.mkdtempSync(path.join(os.tmpdir(), "kubeprep-env-"));

describe("environment", () => {
  it("defaults to an embedded SQLite database under data/ and an in-memory rate-limit store", () => {
    const env = parseEnv({}, "/srv/app");
    expect(env.database).toEqual({ provider: "sqlite", url: "file:/srv/app/data/kubeprep.db", file: "/srv/app/data/kubeprep.db" });
    expect(env.rateLimitStore).toEqual({ kind: "memory" });
    expect(env.oidc).toBeUndefined();
    expect(env.initialAdmin).toBeUndefined();
  });

  it("switches to PostgreSQL, and shares rate limits through it, when DATABASE_URL says so", () => {
    const env = parseEnv({ DATABASE_URL: "postgresql://u@db/kp", NEXTAUTH_SECRET: "x".repeat(32) });
    expect(env.database.provider).toBe("postgres");
    expect(env.rateLimitStore).toEqual({ kind: "postgres", url: "postgresql://u@db/kp" });
  });

  it("prefers Redis for rate limits when REDIS_URL is set", () => {
    expect(parseEnv({ REDIS_URL: "redis://127.0.0.1:6379" }).rateLimitStore).toEqual({ kind: "redis", url: "redis://127.0.0.1:6379" });
    expect(parseEnv({ REDIS_URL: "redis://127.0.0.1:6379", RATE_LIMIT_STORE: "memory" }).rateLimitStore).toEqual({ kind: "memory" });
  });

  it("refuses production on PostgreSQL without NEXTAUTH_SECRET, naming the variable", () => {
    expect(() => parseEnv({ NODE_ENV: "production", DATABASE_URL: "postgres://u@db/kp" })).toThrowError(
      /NEXTAUTH_SECRET: is required in production/,
    );
  });

  it("rejects half-configured single sign-on, a short secret, and unknown database URLs", () => {
    expect(() => parseEnv({ OIDC_ISSUER: "https://idp.example.com" })).toThrowError(
      /OIDC_ISSUER, OIDC_CLIENT_ID and OIDC_CLIENT_SECRET together/,
    );
    expect(() => parseEnv({ NEXTAUTH_SECRET: "short" })).toThrowError(EnvError);
    expect(() => parseEnv({ DATABASE_URL: "mysql://x" })).toThrowError(/DATABASE_URL/);
    expect(() => parseEnv({ ADMIN_EMAIL: "a@example.com" })).toThrowError(/ADMIN_EMAIL and ADMIN_PASSWORD together/);
  });

  it("enables single sign-on only when all three variables are set", () => {
    const env = parseEnv({ OIDC_ISSUER: "https://idp.example.com", OIDC_CLIENT_ID: "kubeprep", OIDC_CLIENT_SECRET: "s3cret" });
    expect(env.oidc).toMatchObject({ issuer: "https://idp.example.com", clientId: "kubeprep", displayName: "single sign-on" });
  });

  it("generates the embedded-mode secret once, keeps it (0600), and reuses it", () => {
    const dir = tmp();
    const first = resolveAuthSecret(parseEnv({ DATA_DIR: dir }));
    const second = resolveAuthSecret(parseEnv({ DATA_DIR: dir }));
    expect(first).toHaveLength(43);
    expect(second).toBe(first);
    expect(fs.statSync(path.join(dir, "auth-secret")).mode & 0o777).toBe(0o600);
    expect(resolveAuthSecret(parseEnv({ DATA_DIR: dir, NEXTAUTH_SECRET: "y".repeat(40) }))).toBe("y".repeat(40));
  });
});

describe("practice API settings", () => {
  it("defaults to port 6443 on 127.0.0.1 with a generated CA, and 0 turns it off", () => {
    expect(parseEnv({}).practiceApi).toEqual({ port: 6443, host: "127.0.0.1", listen: "127.0.0.1", ca: undefined });
    expect(parseEnv({ PRACTICE_API_PORT: "0" }).practiceApi.port).toBe(0);
    expect(() => parseEnv({ PRACTICE_API_PORT: "70000" })).toThrowError(/PRACTICE_API_PORT/);
    expect(() => parseEnv({ PRACTICE_API_CA_CERT: "-----BEGIN CERTIFICATE-----" })).toThrowError(/together/);
  });
});

describe("listening and proxy settings", () => {
  it("defaults to port 3000 on all interfaces, no trusted proxy, and the practice API on loopback only", () => {
    const env = parseEnv({});
    expect({ port: env.port, host: env.host, trustProxy: env.trustProxy, listen: env.practiceApi.listen }).toEqual({
      port: 3000,
      host: "0.0.0.0",
      trustProxy: 0,
      listen: "127.0.0.1",
    });
  });

  it("takes valid PORT, HOST, TRUST_PROXY and PRACTICE_API_LISTEN values", () => {
    const env = parseEnv({
      PORT: "8080",
      HOST: "::",
      TRUST_PROXY: "2",
      PRACTICE_API_LISTEN: "0.0.0.0",
      PRACTICE_API_HOST: "practice.example.org",
    });
    expect({
      port: env.port,
      host: env.host,
      trustProxy: env.trustProxy,
      listen: env.practiceApi.listen,
      name: env.practiceApi.host,
    }).toEqual({
      port: 8080,
      host: "::",
      trustProxy: 2,
      listen: "0.0.0.0",
      name: "practice.example.org",
    });
    expect(parseEnv({ HOST: "app.internal", PRACTICE_API_LISTEN: "::1" }).practiceApi.listen).toBe("::1");
  });

  it.each([
    ["PORT", "0", /PORT: a port number from 1 to 65535/],
    ["PORT", "70000", /PORT: a port number/],
    ["PORT", "80a", /PORT: a port number/],
    ["HOST", "300.0.0.1", /HOST: an IP address/],
    ["HOST", "exa mple", /HOST: an IP address/],
    ["HOST", "http://0.0.0.0", /HOST: an IP address/],
    ["TRUST_PROXY", "true", /TRUST_PROXY: the number of reverse proxies/],
    ["TRUST_PROXY", "-1", /TRUST_PROXY: the number of reverse proxies/],
    ["TRUST_PROXY", "100", /TRUST_PROXY: the number of reverse proxies/],
    ["PRACTICE_API_LISTEN", "0.0.0.0:6443", /PRACTICE_API_LISTEN: an IP address/],
    ["PRACTICE_API_LISTEN", "*", /PRACTICE_API_LISTEN: an IP address/],
  ])("refuses %s=%s at start-up, naming the variable", (name, value, message) => {
    expect(() => parseEnv({ [name]: value })).toThrowError(EnvError);
    expect(() => parseEnv({ [name]: value })).toThrowError(message);
  });
});

describe("learner isolation settings", () => {
  it("defaults to 4 threads, 5 s, 256 MB and 8 MiB per instance, and refuses nonsense", () => {
    expect(parseEnv({}).isolation).toEqual({ workers: 4, jobTimeoutMs: 5000, jobMemoryMb: 256, maxInstanceBytes: 8 * 1024 * 1024 });
    expect(
      parseEnv({ LEARNER_WORKERS: "2", LEARNER_JOB_TIMEOUT_MS: "10000", LEARNER_JOB_MEMORY_MB: "512", MAX_INSTANCE_BYTES: "1048576" })
        .isolation,
    ).toEqual({
      workers: 2,
      jobTimeoutMs: 10_000,
      jobMemoryMb: 512,
      maxInstanceBytes: 1_048_576,
    });
    expect(() => parseEnv({ LEARNER_WORKERS: "0" })).toThrowError(/LEARNER_WORKERS/);
    expect(() => parseEnv({ LEARNER_JOB_TIMEOUT_MS: "50" })).toThrowError(/LEARNER_JOB_TIMEOUT_MS/);
    expect(() => parseEnv({ LEARNER_JOB_MEMORY_MB: "lots" })).toThrowError(/LEARNER_JOB_MEMORY_MB/);
    expect(() => parseEnv({ MAX_INSTANCE_BYTES: "10" })).toThrowError(/MAX_INSTANCE_BYTES/);
  });
});
