// @ts-check
/* global process */
// The environment is validated by scripts/prepare.ts, which `npm start`, `npm run dev` and
// `npm run build` run first: a bad environment stops there with a message naming the variable.

/** @type {import("next").NextConfig} */
const nextConfig = {
  reactStrictMode: true,
  poweredByHeader: false,
  // `npm test` type-checks the whole repository (tsc --noEmit); the build need not repeat it.
  typescript: { ignoreBuildErrors: true },
  experimental: {
    authInterrupts: true,
    // A build writes Turbopack's cache for the next build (12 s of a one-minute build here); a CI
    // run builds once from a clean clone and never reads it.
    turbopackFileSystemCacheForBuild: !process.env.CI,
    // Server actions are small forms (account, cohorts, users); Next counts the bytes as they
    // stream and answers 413 above this (its default is 1 MB).
    serverActions: { bodySizeLimit: "64kb" },
  },
  // piscina finds its own worker.js beside itself; the learner worker (lib/isolation) is loaded from disk at run time.
  serverExternalPackages: ["@node-rs/argon2", "ioredis", "piscina"],
  async headers() {
    return [
      {
        source: "/:path*",
        headers: [
          { key: "X-Content-Type-Options", value: "nosniff" },
          { key: "Referrer-Policy", value: "strict-origin-when-cross-origin" },
          { key: "X-Frame-Options", value: "DENY" },
          // No window of another origin keeps a handle on ours; no powerful features at all.
          // The Content-Security-Policy (with a per-request nonce) and HSTS come from proxy.ts.
          { key: "Cross-Origin-Opener-Policy", value: "same-origin" },
          { key: "Permissions-Policy", value: "camera=(), microphone=(), geolocation=(), payment=(), usb=(), display-capture=()" },
        ],
      },
    ];
  },
};

export default nextConfig;
