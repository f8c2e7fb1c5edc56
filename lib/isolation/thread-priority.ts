/**
 * A slow lane's thread (lib/isolation/pool.ts) lowers its own CPU priority first thing, before the
 * engine's modules are evaluated, so that loading a replacement thread costs nobody else's time
 * either. On Linux a thread has its own nice value and setpriority(0) changes the calling thread's
 * only; elsewhere it would change the whole process's, so the slow lanes keep normal priority there.
 */
import os from "node:os";
import { workerData } from "node:worker_threads";

export const lowPriorityThread = (workerData as { lowPriority?: unknown } | null)?.lowPriority === true && process.platform === "linux";

if (lowPriorityThread) os.setPriority(0, os.constants.priority.PRIORITY_LOW);
