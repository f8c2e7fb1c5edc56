// Loaded before every Vitest file. @peculiar/x509 relies on decorator metadata.
import "reflect-metadata";

// Learner work runs on worker threads (lib/isolation); one thread per test file keeps a loaded
// machine from booting dozens at once. Tests that exercise the pool itself build their own.
process.env.LEARNER_WORKERS ??= "1";
