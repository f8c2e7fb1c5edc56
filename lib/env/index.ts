/**
 * The validated environment. Everything that reads configuration imports `getEnv()`;
 * nothing else reads process.env for settings. A bad environment fails at start-up with
 * a message that names the variable.
 */
import fs from "node:fs";
import path from "node:path";
import crypto from "node:crypto";
import net from "node:net";
import { z } from "zod";

const optional = z
  .string()
  .optional()
  .transform((value) => (value === undefined || value.trim() === "" ? undefined : value.trim()));

/** An IPv4 or IPv6 address, or a DNS host name, to listen on. */
const listenAddress = () =>
  optional.refine(
    (value) =>
      value === undefined ||
      net.isIP(value) !== 0 ||
      // A host name; all digits and dots would be a mistyped IPv4 address (300.0.0.1).
      (!/^[\d.]+$/.test(value) &&
        /^(?=.{1,253}$)[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?)*$/.test(value)),
    "an IP address (0.0.0.0: all interfaces, 127.0.0.1: this machine only) or a host name",
  );

const schema = z
  .object({
    NODE_ENV: z.enum(["development", "production", "test"]).default("development"),
    PORT: optional.refine(
      (port) => port === undefined || (/^\d{1,5}$/.test(port) && Number(port) >= 1 && Number(port) <= 65535),
      "a port number from 1 to 65535",
    ),
    HOST: listenAddress(),
    TRUST_PROXY: optional.refine(
      (hops) => hops === undefined || (/^\d{1,2}$/.test(hops) && Number(hops) <= 32),
      "the number of reverse proxies in front of the app (0 = none, 1 = one proxy such as nginx), from 0 to 32",
    ),
    DATA_DIR: optional,
    DATABASE_URL: optional.refine(
      (url) => url === undefined || /^(file:|postgres(ql)?:\/\/)/.test(url),
      "must start with file: (SQLite) or postgresql:// (PostgreSQL)",
    ),
    NEXTAUTH_SECRET: optional.refine(
      (secret) => secret === undefined || secret.length >= 32,
      "must be at least 32 characters (openssl rand -base64 32)",
    ),
    NEXTAUTH_URL: optional.pipe(z.url().optional()),
    ADMIN_EMAIL: optional.pipe(z.email().optional()),
    ADMIN_PASSWORD: optional.refine((password) => password === undefined || password.length >= 12, "must be at least 12 characters"),
    OIDC_ISSUER: optional.pipe(z.url().optional()),
    OIDC_CLIENT_ID: optional,
    OIDC_CLIENT_SECRET: optional,
    OIDC_DISPLAY_NAME: optional,
    RATE_LIMIT_STORE: z.enum(["memory", "redis", "postgres"]).optional(),
    REDIS_URL: optional.pipe(z.url().optional()),
    PRACTICE_API_PORT: optional.refine(
      (port) => port === undefined || (/^\d+$/.test(port) && Number(port) <= 65535),
      "a port number, or 0 to turn the practice API server off",
    ),
    PRACTICE_API_HOST: optional.refine((host) => host === undefined || /^[A-Za-z0-9.-]{1,253}$/.test(host), "a host name or IPv4 address"),
    PRACTICE_API_LISTEN: listenAddress(),
    TERMINAL_RATE_LIMIT: optional.refine(
      (value) => value === undefined || /^[1-9]\d{0,6}$/.test(value),
      "a positive number of commands per 10 seconds",
    ),
    ANSWER_RATE_LIMIT: optional.refine(
      (value) => value === undefined || /^[1-9]\d{0,6}$/.test(value),
      "a positive number of answers per 10 seconds",
    ),
    PRACTICE_API_CA_CERT: optional,
    PRACTICE_API_CA_KEY: optional,
    LEARNER_WORKERS: optional.refine((value) => value === undefined || /^[1-9]\d?$/.test(value), "a number of worker threads from 1 to 99"),
    LEARNER_JOB_TIMEOUT_MS: optional.refine(
      (value) => value === undefined || (/^\d{1,7}$/.test(value) && Number(value) >= 100),
      "milliseconds, at least 100",
    ),
    LEARNER_JOB_MEMORY_MB: optional.refine(
      (value) => value === undefined || (/^\d{1,6}$/.test(value) && Number(value) >= 64),
      "megabytes, at least 64",
    ),
    MAX_INSTANCE_BYTES: optional.refine(
      (value) => value === undefined || (/^\d{1,10}$/.test(value) && Number(value) >= 65_536),
      "bytes, at least 65536",
    ),
    EXAM_TEST_SECONDS: optional.refine((value) => value === undefined || /^[1-9]\d{0,3}$/.test(value), "seconds, from 1 to 9999"),
  })
  .superRefine((env, ctx) => {
    const oidc = [env.OIDC_ISSUER, env.OIDC_CLIENT_ID, env.OIDC_CLIENT_SECRET];
    if (oidc.some(Boolean) && !oidc.every(Boolean)) {
      ctx.addIssue({
        code: "custom",
        path: ["OIDC_ISSUER"],
        message: "single sign-on needs OIDC_ISSUER, OIDC_CLIENT_ID and OIDC_CLIENT_SECRET together",
      });
    }
    if ((env.PRACTICE_API_CA_CERT === undefined) !== (env.PRACTICE_API_CA_KEY === undefined)) {
      ctx.addIssue({
        code: "custom",
        path: ["PRACTICE_API_CA_CERT"],
        message: "set PRACTICE_API_CA_CERT and PRACTICE_API_CA_KEY together",
      });
    }
    if ((env.ADMIN_EMAIL === undefined) !== (env.ADMIN_PASSWORD === undefined)) {
      ctx.addIssue({ code: "custom", path: ["ADMIN_EMAIL"], message: "set ADMIN_EMAIL and ADMIN_PASSWORD together" });
    }
    if (env.RATE_LIMIT_STORE === "redis" && !env.REDIS_URL) {
      ctx.addIssue({ code: "custom", path: ["REDIS_URL"], message: "RATE_LIMIT_STORE=redis needs REDIS_URL" });
    }
    const postgres = env.DATABASE_URL?.startsWith("postgres") ?? false;
    if (env.RATE_LIMIT_STORE === "postgres" && !postgres) {
      ctx.addIssue({ code: "custom", path: ["RATE_LIMIT_STORE"], message: "RATE_LIMIT_STORE=postgres needs a PostgreSQL DATABASE_URL" });
    }
    if (env.NODE_ENV === "production" && postgres && !env.NEXTAUTH_URL) {
      ctx.addIssue({
        code: "custom",
        path: ["NEXTAUTH_URL"],
        message:
          "is required in production with PostgreSQL: the public address users open (e.g. https://kubeprep.example.com), for sign-in redirects and Secure cookies",
      });
    }
    if (env.NODE_ENV === "production" && postgres && !env.NEXTAUTH_SECRET) {
      ctx.addIssue({
        code: "custom",
        path: ["NEXTAUTH_SECRET"],
        message: "is required in production with PostgreSQL: every app instance must share it (generate one with: openssl rand -base64 32)",
      });
    }
  });

export type DatabaseConfig = { provider: "sqlite"; url: string; file: string } | { provider: "postgres"; url: string };

export interface Env {
  nodeEnv: "development" | "production" | "test";
  /** Where the app listens (PORT, HOST). */
  port: number;
  host: string;
  /** Reverse proxies in front (TRUST_PROXY): the client address comes from X-Forwarded-For. */
  trustProxy: number;
  dataDir: string;
  database: DatabaseConfig;
  /** Undefined in embedded mode until resolveAuthSecret() has generated or read it. */
  authSecret: string | undefined;
  authUrl: string | undefined;
  /** The public base URL: NEXTAUTH_URL, or in the embedded mode derived from PORT and HOST. */
  publicUrl: { href: string; derived: boolean };
  initialAdmin: { email: string; password: string } | undefined;
  oidc: { issuer: string; clientId: string; clientSecret: string; displayName: string } | undefined;
  rateLimitStore: { kind: "memory" } | { kind: "redis"; url: string } | { kind: "postgres"; url: string };
  /** Terminal commands one learner may send per 10 seconds. */
  terminalCommandsPer10s: number;
  /** Quiz answers and reveals one learner (a visitor: one address) may send per 10 seconds. */
  answersPer10s: number;
  /**
   * The HTTPS practice API server; port 0 turns it off. `host` is what kubeconfigs and the serving
   * certificate name, `listen` the address the listener binds (loopback unless set).
   */
  practiceApi: { port: number; host: string; listen: string; ca: { certPem: string; keyPem: string } | undefined };
  /**
   * Where learner-driven simulation work runs (lib/isolation): worker threads, each job's wall-clock
   * deadline and heap limit, and the largest serialized instance that may be saved.
   */
  isolation: { workers: number; jobTimeoutMs: number; jobMemoryMb: number; maxInstanceBytes: number };
  /**
   * For browser tests of the deadline only: when set, a short test exam (the quick check's paper,
   * this many seconds long) is listed beside the real ones. Real exams are unchanged.
   */
  examTestSeconds: number | undefined;
}

export class EnvError extends Error {
  override name = "EnvError";
}

export function parseEnv(source: Record<string, string | undefined>, cwd = process.cwd()): Env {
  const result = schema.safeParse(source);
  if (!result.success) {
    const lines = result.error.issues.map((issue) => `  ${issue.path.join(".") || "(environment)"}: ${issue.message}`);
    throw new EnvError(`Invalid environment:\n${lines.join("\n")}`);
  }
  const env = result.data;
  const dataDir = path.resolve(cwd, env.DATA_DIR ?? "data");
  const database: DatabaseConfig = env.DATABASE_URL?.startsWith("postgres")
    ? { provider: "postgres", url: env.DATABASE_URL }
    : sqliteConfig(env.DATABASE_URL, dataDir, cwd);
  const rateLimitStore: Env["rateLimitStore"] =
    env.RATE_LIMIT_STORE === "memory"
      ? { kind: "memory" }
      : env.REDIS_URL && env.RATE_LIMIT_STORE !== "postgres"
        ? { kind: "redis", url: env.REDIS_URL }
        : database.provider === "postgres"
          ? { kind: "postgres", url: database.url }
          : { kind: "memory" };
  return {
    nodeEnv: env.NODE_ENV,
    port: env.PORT === undefined ? 3000 : Number(env.PORT),
    host: env.HOST ?? "0.0.0.0",
    trustProxy: env.TRUST_PROXY === undefined ? 0 : Number(env.TRUST_PROXY),
    dataDir,
    database,
    authSecret: env.NEXTAUTH_SECRET,
    authUrl: env.NEXTAUTH_URL,
    publicUrl: env.NEXTAUTH_URL
      ? { href: env.NEXTAUTH_URL, derived: false }
      : { href: derivedUrl(source.PORT, source.HOST), derived: true },
    initialAdmin: env.ADMIN_EMAIL && env.ADMIN_PASSWORD ? { email: env.ADMIN_EMAIL, password: env.ADMIN_PASSWORD } : undefined,
    oidc:
      env.OIDC_ISSUER && env.OIDC_CLIENT_ID && env.OIDC_CLIENT_SECRET
        ? {
            issuer: env.OIDC_ISSUER,
            clientId: env.OIDC_CLIENT_ID,
            clientSecret: env.OIDC_CLIENT_SECRET,
            displayName: env.OIDC_DISPLAY_NAME ?? "single sign-on",
          }
        : undefined,
    rateLimitStore,
    terminalCommandsPer10s: env.TERMINAL_RATE_LIMIT === undefined ? 40 : Number(env.TERMINAL_RATE_LIMIT),
    answersPer10s: env.ANSWER_RATE_LIMIT === undefined ? 30 : Number(env.ANSWER_RATE_LIMIT),
    practiceApi: {
      port: env.PRACTICE_API_PORT === undefined ? 6443 : Number(env.PRACTICE_API_PORT),
      host: env.PRACTICE_API_HOST ?? "127.0.0.1",
      listen: env.PRACTICE_API_LISTEN ?? "127.0.0.1",
      ca:
        env.PRACTICE_API_CA_CERT && env.PRACTICE_API_CA_KEY
          ? { certPem: pemOrFile(env.PRACTICE_API_CA_CERT, cwd), keyPem: pemOrFile(env.PRACTICE_API_CA_KEY, cwd) }
          : undefined,
    },
    isolation: {
      // Two cores: two threads per core, so a few slow jobs cannot take every thread.
      workers: env.LEARNER_WORKERS === undefined ? 4 : Number(env.LEARNER_WORKERS),
      jobTimeoutMs: env.LEARNER_JOB_TIMEOUT_MS === undefined ? 5_000 : Number(env.LEARNER_JOB_TIMEOUT_MS),
      jobMemoryMb: env.LEARNER_JOB_MEMORY_MB === undefined ? 256 : Number(env.LEARNER_JOB_MEMORY_MB),
      maxInstanceBytes: env.MAX_INSTANCE_BYTES === undefined ? 8 * 1024 * 1024 : Number(env.MAX_INSTANCE_BYTES),
    },
    examTestSeconds: env.EXAM_TEST_SECONDS === undefined ? undefined : Number(env.EXAM_TEST_SECONDS),
  };
}

/** http://HOST:PORT as a browser on this machine reaches it (a wildcard address is localhost). */
function derivedUrl(port: string | undefined, host: string | undefined): string {
  const name = !host || host === "0.0.0.0" || host === "::" ? "localhost" : host.includes(":") ? `[${host}]` : host;
  return `http://${name}:${port?.trim() || "3000"}`;
}

/** The public base URL as a URL. */
export function publicUrl(env: Env = getEnv()): URL {
  return new URL(env.publicUrl.href);
}

/** A PEM given inline, or the path of a file holding it. */
function pemOrFile(value: string, cwd: string): string {
  return value.includes("-----BEGIN") ? value.replace(/\\n/g, "\n") : fs.readFileSync(path.resolve(cwd, value), "utf8");
}

function sqliteConfig(url: string | undefined, dataDir: string, cwd: string): DatabaseConfig {
  const file = url ? path.resolve(cwd, url.replace(/^file:/, "")) : path.join(dataDir, "kubeprep.db");
  return { provider: "sqlite", url: `file:${file}`, file };
}

let cached: Env | undefined;

/** The process environment, parsed once. */
export function getEnv(): Env {
  cached ??= parseEnv(process.env);
  return cached;
}

const SECRET_FILE = "auth-secret";

/**
 * The secret that signs session cookies. From NEXTAUTH_SECRET when set; in the embedded mode a
 * random one is generated on first start and kept in the data folder, so restarts keep sessions.
 */
export function resolveAuthSecret(env: Env = getEnv()): string {
  if (env.authSecret) return env.authSecret;
  if (env.database.provider === "postgres" && env.nodeEnv === "production") {
    throw new EnvError("NEXTAUTH_SECRET is required in production with PostgreSQL");
  }
  const file = path.join(env.dataDir, SECRET_FILE);
  fs.mkdirSync(env.dataDir, { recursive: true });
  try {
    fs.writeFileSync(file, crypto.randomBytes(32).toString("base64url"), { flag: "wx", mode: 0o600 });
  } catch (error) {
    if (!(error instanceof Error && "code" in error && error.code === "EEXIST")) throw error;
  }
  const secret = fs.readFileSync(file, "utf8").trim();
  env.authSecret = secret;
  return secret;
}
