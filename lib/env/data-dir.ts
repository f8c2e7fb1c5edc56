/**
 * The data folder holds password hashes, learners' scenario private keys, the session secret
 * and the first administrator's one-time password: only the user the app runs as may read it.
 * Run on every start, so existing installs are tightened too.
 */
import fs from "node:fs";
import path from "node:path";
import type { Env } from "./index";

/** Files of the data folder (and the SQLite database wherever it lives) that must be 0600. */
const PRIVATE_FILES = ["auth-secret", "initial-admin-password"];

function chmodIfPresent(file: string, mode: number): void {
  try {
    fs.chmodSync(file, mode);
  } catch (error) {
    if (!(error instanceof Error && "code" in error && error.code === "ENOENT")) throw error;
  }
}

/** Walks a folder the app created (e.g. practice-api/): folders 0700, files 0600. */
function tightenTree(dir: string): void {
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    if (entry.isSymbolicLink()) continue;
    if (entry.isDirectory()) {
      fs.chmodSync(full, 0o700);
      tightenTree(full);
    } else if (entry.isFile()) fs.chmodSync(full, 0o600);
  }
}

export function secureDataDir(env: Env): void {
  fs.mkdirSync(env.dataDir, { recursive: true, mode: 0o700 });
  fs.chmodSync(env.dataDir, 0o700);
  for (const name of PRIVATE_FILES) chmodIfPresent(path.join(env.dataDir, name), 0o600);
  const practice = path.join(env.dataDir, "practice-api");
  if (fs.existsSync(practice)) {
    fs.chmodSync(practice, 0o700);
    tightenTree(practice);
  }
  if (env.database.provider === "sqlite") {
    // SQLite creates -wal and -shm with the database file's mode; set all three.
    for (const suffix of ["", "-wal", "-shm", "-journal"]) chmodIfPresent(`${env.database.file}${suffix}`, 0o600);
  }
}
